"""The benchmark's parts: a load driver, the gunicorn it measures, and the report.

Speed is reported as ratios measured in one run: a page's requests per second divided
by the ceiling's (a view that runs Django's request path and a tiny template, nothing
else) for the same role, guest or member. Ratios survive a change of machine; raw
requests per second do not.

Requests only ever go to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html import escape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
USER_AGENT = "forum-benchmark"


class BenchmarkError(Exception):
    """The benchmark cannot go on; str() says why."""


# --- measuring -----------------------------------------------------------------------


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
) -> LoadResult:
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
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


# --- the server under test ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, *, timeout: float = 30):
    """One GET; returns (status, response headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1 (a free port), stopped on exit, on
    Ctrl-C and on error."""

    def __init__(self, *, workers: int, env: dict, cwd, log_path, ready_path: str):
        self.workers = workers
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.ready_path = ready_path
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._previous: dict = {}

    def __enter__(self) -> Gunicorn:
        self._catch_signals()
        try:
            self.start()
            self.wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)

    def _catch_signals(self) -> None:
        """Ctrl-C and SIGTERM unwind through __exit__, so gunicorn never outlives
        us (SIGTERM would otherwise end Python without running it)."""
        self._previous = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, _interrupt)

    def start(self) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "forum.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own process group: Ctrl-C reaches us, and we stop it cleanly.
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkError(
                    f"gunicorn exited with status {self.process.returncode}:\n"
                    + self.log_tail()
                )
            try:
                status, _, _ = get(self.port, self.ready_path, timeout=5)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise BenchmarkError(
                f"gunicorn answered {self.ready_path} with HTTP {status}:\n"
                + self.log_tail()
            )
        raise BenchmarkError(
            "gunicorn did not answer within a minute:\n" + self.log_tail()
        )

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""


def _cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(
    port: int,
    username: str,
    password: str,
    *,
    session_cookie: str = "sessionid",
    csrf_cookie: str = "csrftoken",
) -> str:
    """Log in through the real login form; returns the Cookie header to send."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(
            "GET", "/accounts/login/", headers={"User-Agent": USER_AGENT}
        )
        response = connection.getresponse()
        response.read()
        jar = _cookies(response)
        token = jar.get(csrf_cookie)
        if response.status != 200 or not token:
            raise BenchmarkError(f"The login page answered HTTP {response.status}.")
        form = urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": token}
        )
        connection.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "User-Agent": USER_AGENT,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{csrf_cookie}={token}",
            },
        )
        response = connection.getresponse()
        response.read()
        jar.update(_cookies(response))
    finally:
        connection.close()
    if response.status != 302 or not jar.get(session_cookie):
        raise BenchmarkError(
            f"Could not log in as {username!r} (HTTP {response.status}); "
            "is the password right?"
        )
    return "; ".join(f"{name}={value}" for name, value in jar.items())


# --- the report --------------------------------------------------------------------


@dataclass
class Row:
    target: str
    role: str  # "guest" or "member"
    path: str | None
    status: str = "ok"  # "ok", "n/a" (no such page yet), "error"
    note: str = ""
    result: LoadResult | None = None
    ratio: float | None = None
    # req/s of the ceiling for the same role, measured just before this page
    ceiling_rps: float | None = None

    @property
    def measured(self) -> bool:
        return self.status == "ok" and self.result is not None


def add_ratios(rows: list[Row], ceiling: str) -> None:
    """ratio = req/s / the ceiling's req/s for the same role: the ceiling measured
    just before the page when there is one (a shared machine's speed drifts over
    minutes; the pair sees the same drift), else the ceiling's own row."""
    base = {
        row.role: row.result.rps
        for row in rows
        if row.target == ceiling and row.measured and row.result.rps > 0
    }
    for row in rows:
        if not row.measured:
            continue
        if row.ceiling_rps:
            row.ratio = row.result.rps / row.ceiling_rps
        elif row.role in base:
            row.ratio = row.result.rps / base[row.role]


def format_table(rows: list[Row]) -> str:
    width = max([len("target")] + [len(row.target) for row in rows])
    header = (
        f"{'target':<{width}}  {'role':<6}  {'req/s':>8}  {'p50 ms':>8}  "
        f"{'p99 ms':>8}  {'ratio':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        if row.measured:
            r = row.result
            ratio = f"{row.ratio:.2f}" if row.ratio is not None else "n/a"
            cells = f"{r.rps:>8.1f}  {r.p50_ms:>8.1f}  {r.p99_ms:>8.1f}  {ratio:>6}"
            if r.errors:
                cells += f"  ({r.errors} errors)"
        else:
            label = row.status if row.status == "n/a" else "error"
            cells = f"{label:>8}  {label:>8}  {label:>8}  {label:>6}"
            if row.note:
                cells += f"  ({row.note})"
        lines.append(f"{row.target:<{width}}  {row.role:<6}  {cells}")
    return "\n".join(lines)


def deep_page_ratios(rows: list[Row], first: str, deep: str) -> dict[str, float]:
    """p50 latency of the deep thread page over page 1's, per role."""
    found = {}
    for role in ("guest", "member"):
        pair = {
            row.target: row.result.p50_ms
            for row in rows
            if row.role == role and row.measured and row.target in (first, deep)
        }
        if len(pair) == 2 and pair[first] > 0:
            found[role] = pair[deep] / pair[first]
    return found


def deep_page_cost_ratios(rows: list[Row], first: str, deep: str) -> dict[str, float]:
    """What the deep thread page costs over page 1, per role, each measured
    against the ceiling run just before it: (1 / deep ratio) / (1 / first ratio).
    Unlike the raw latency ratio, a machine that slowed down between the two
    measurements does not show up as a slower page."""
    found = {}
    for role in ("guest", "member"):
        pair = {
            row.target: row.ratio
            for row in rows
            if row.role == role and row.ratio and row.target in (first, deep)
        }
        if len(pair) == 2:
            found[role] = pair[first] / pair[deep]
    return found


def render_svg(rows: list[Row], *, title: str) -> str:
    """A horizontal bar chart of the ratios, guest and member side by side."""
    targets = list(dict.fromkeys(row.target for row in rows))
    by_key = {(row.target, row.role): row for row in rows}
    ratios = [row.ratio for row in rows if row.ratio is not None]
    scale = max([1.0] + ratios)
    label_width, bar_width, bar_height, gap = 170, 460, 14, 12
    top = 56
    group = 2 * bar_height + gap
    height = top + len(targets) * group + 30
    width = label_width + bar_width + 80
    colours = {"guest": "#2f6fb3", "member": "#b35a1f"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" '
        'font-size="12" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold" fill="#111">'
        f"{escape(title)}</text>",
    ]
    for i, (role, colour) in enumerate(colours.items()):
        x = label_width + i * 90
        parts.append(f'<rect x="{x}" y="30" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="40" fill="#111">{role}</text>')
    one = label_width + bar_width / scale
    parts.append(
        f'<line x1="{one:.1f}" y1="{top - 6}" x2="{one:.1f}" '
        f'y2="{height - 24}" stroke="#888" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{one:.1f}" y="{height - 10}" text-anchor="middle" fill="#444">'
        "1.0 = ceiling</text>"
    )
    for index, target in enumerate(targets):
        y = top + index * group
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height + 4}" text-anchor="end" '
            f'fill="#111">{escape(target)}</text>'
        )
        for offset, (role, colour) in enumerate(colours.items()):
            row = by_key.get((target, role))
            bar_y = y + offset * bar_height
            if row is None or row.ratio is None:
                text = "n/a" if row is None or row.status == "n/a" else "error"
                parts.append(
                    f'<text x="{label_width + 4}" y="{bar_y + bar_height - 3}" '
                    f'fill="#555">{text}</text>'
                )
                continue
            length = max(1.0, bar_width * row.ratio / scale)
            parts.append(
                f'<rect class="bar" x="{label_width}" y="{bar_y}" '
                f'width="{length:.1f}" height="{bar_height - 2}" fill="{colour}"/>'
            )
            value_x = label_width + length + 4
            parts.append(
                f'<text x="{value_x:.1f}" y="{bar_y + bar_height - 3}" '
                f'fill="#111">{row.ratio:.2f}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def results_document(rows: list[Row], **meta) -> dict:
    return {
        **meta,
        "results": [
            {
                "target": row.target,
                "role": row.role,
                "path": row.path,
                "status": row.status,
                "note": row.note,
                "requests": row.result.requests if row.result else None,
                "errors": row.result.errors if row.result else None,
                "statuses": (
                    {str(k): v for k, v in sorted(row.result.statuses.items())}
                    if row.result
                    else None
                ),
                "seconds": round(row.result.seconds, 3) if row.result else None,
                "rps": round(row.result.rps, 2) if row.measured else None,
                "p50_ms": round(row.result.p50_ms, 2) if row.measured else None,
                "p99_ms": round(row.result.p99_ms, 2) if row.measured else None,
                "ratio": round(row.ratio, 4) if row.ratio is not None else None,
                "ceiling_rps": round(row.ceiling_rps, 2) if row.ceiling_rps else None,
            }
            for row in rows
        ],
    }
