"""Load drivers: send GETs to 127.0.0.1 for a while and count what came back, with
the built-in Python driver or with wrk when it is installed."""

from __future__ import annotations

import http.client
import math
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"
USER_AGENT = "forum-benchmark"


class BenchmarkError(Exception):
    """The benchmark cannot go on; str() says why."""


@dataclass
class LoadResult:
    requests: int  # responses received, whatever their status
    ok: int  # 2xx responses
    errors: int  # other statuses and failed connections
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class _Tally:
    def __init__(self):
        self.latencies: list[float] = []  # of 2xx responses
        self.other_latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures = 0


def _hammer(port: int, path: str, headers: dict, stop_at: float, tally: _Tally):
    """One keep-alive connection sending requests back to back until stop_at."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    clock = time.perf_counter
    try:
        while clock() < stop_at:
            began = clock()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally.failures += 1
                connection.close()
                time.sleep(0.01)
                continue
            took = clock() - began
            status = response.status
            if 200 <= status < 300:
                tally.latencies.append(took)
            else:
                tally.other_latencies.append(took)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
    finally:
        connection.close()


def drive(
    port: int,
    path: str,
    *,
    duration: float,
    concurrency: int,
    headers: dict | None = None,
) -> LoadResult:
    """Send GET `path` to 127.0.0.1:`port` from `concurrency` keep-alive connections
    for `duration` seconds. Requests/s = 2xx responses / elapsed; latency percentiles
    of the 2xx responses (of all responses when none succeeded)."""
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    tallies = [_Tally() for _ in range(concurrency)]
    started = time.perf_counter()
    workers = [
        threading.Thread(
            target=_hammer,
            args=(port, path, headers, started + duration, tally),
            daemon=True,
        )
        for tally in tallies
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for t in tallies for x in t.latencies)
    others = [x for t in tallies for x in t.other_latencies]
    if not latencies:
        latencies = sorted(others)
    statuses: dict[int, int] = {}
    for tally in tallies:
        for status, count in tally.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    failures = sum(t.failures for t in tallies)
    return LoadResult(
        requests=sum(statuses.values()),
        ok=ok,
        errors=sum(statuses.values()) - ok + failures,
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        statuses=statuses,
    )


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> LoadResult:
    """The numbers of `wrk --latency` output."""

    def number(pattern: str, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            if default is None:
                raise BenchmarkError(f"Unexpected wrk output:\n{output}")
            return default
        return match.groups()

    requests, took, unit = number(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b")
    seconds = float(took) * _UNITS[unit] / 1000
    (bad,) = number(r"Non-2xx or 3xx responses: (\d+)", ("0",))
    socket_errors = number(
        r"Socket errors: connect (\d+), read \d+, write \d+, timeout (\d+)", ("0", "0")
    )
    p50, p50_unit = number(r"^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$")
    p99, p99_unit = number(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$")
    requests, bad = int(requests), int(bad)
    return LoadResult(
        requests=requests,
        ok=requests - bad,
        errors=bad + sum(int(n) for n in socket_errors),
        seconds=seconds,
        p50_ms=float(p50) * _UNITS[p50_unit],
        p99_ms=float(p99) * _UNITS[p99_unit],
    )


def drive_wrk(
    port: int,
    path: str,
    *,
    duration: float,
    concurrency: int,
    headers: dict | None = None,
    timeout: float | None = None,
) -> LoadResult:
    """wrk's run; `timeout` is how long one response may take before wrk counts
    it as an error (wrk's own default is 2 s)."""
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if timeout:
        command += ["--timeout", f"{max(1, round(timeout))}s"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None
