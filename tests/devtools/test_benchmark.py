"""The benchmark: its load driver against a local server, its report, and the whole
command against gunicorn serving a tiny generated board."""

import json
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from forum.devtools import bench


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_GET(self):
        with self.server.lock:
            self.server.requests += 1
        if self.path == "/slow":
            time.sleep(0.02)
        status = 404 if self.path == "/missing" else 200
        body = b"hello" if status == 200 else b"no such page"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.connections = server.requests = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_driver_counts_every_response_the_server_sent(local_server):
    port = local_server.server_address[1]
    result = bench.drive(port, "/ok", duration=0.5, concurrency=4)
    assert result.requests > 0
    assert result.requests == local_server.requests
    assert result.ok == result.requests and result.errors == 0
    assert result.rps == pytest.approx(result.ok / result.seconds)
    assert result.seconds >= 0.5


def test_driver_keeps_its_connections_alive(local_server):
    port = local_server.server_address[1]
    result = bench.drive(port, "/ok", duration=0.3, concurrency=3)
    assert result.requests > 3 * 2
    assert local_server.connections <= 3


def test_driver_latency_percentiles_include_the_server_delay(local_server):
    port = local_server.server_address[1]
    result = bench.drive(port, "/slow", duration=0.5, concurrency=2)
    assert result.p50_ms >= 20
    assert result.p99_ms >= result.p50_ms


def test_driver_reports_error_statuses_as_errors(local_server):
    port = local_server.server_address[1]
    result = bench.drive(port, "/missing", duration=0.2, concurrency=2)
    assert result.requests > 0
    assert result.ok == 0 and result.errors == result.requests
    assert result.rps == 0


def test_driver_counts_a_refused_connection_as_an_error():
    result = bench.drive(bench.free_port(), "/", duration=0.1, concurrency=1)
    assert result.requests == 0 and result.errors >= 1


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 99) == 99
    assert bench.percentile([7.0], 99) == 7
    assert bench.percentile([], 50) == 0


WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.10ms    1.20ms  31.00ms   90.00%
    Req/Sec   790.00     40.00   900.00     70.00%
  Latency Distribution
     50%  850.00us
     75%    5.50ms
     90%    6.10ms
     99%    1.20s
  15800 requests in 10.00s, 80.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 10
Requests/sec:   1580.00
Transfer/sec:      8.00MB
"""


def test_wrk_output_is_parsed_with_its_units():
    result = bench.parse_wrk(WRK_OUTPUT)
    assert result.requests == 15800
    assert result.seconds == pytest.approx(10.0)
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.ok == 15790
    assert result.errors == 12


def _row(target, role, rps, p50=10.0):
    result = bench.LoadResult(
        requests=int(rps),
        ok=int(rps),
        errors=0,
        seconds=1.0,
        p50_ms=p50,
        p99_ms=p50 * 2,
    )
    return bench.Row(target=target, role=role, path="/", result=result)


def test_table_gives_each_page_its_ratio_to_the_ceiling_of_its_role():
    rows = [
        _row("ceiling", "guest", 1000),
        _row("ceiling", "member", 500),
        _row("forum index", "guest", 250),
        _row("forum index", "member", 250),
        bench.Row(target="search", role="guest", path="/search/", status="n/a"),
    ]
    bench.add_ratios(rows, "ceiling")
    table = bench.format_table(rows)
    lines = {tuple(line.split()[:3]): line for line in table.splitlines()}
    ratio = -3  # the columns end: ratio, cpu ms, db ms
    assert lines[("forum", "index", "guest")].split()[ratio] == "0.25"
    assert lines[("forum", "index", "member")].split()[ratio] == "0.50"
    assert lines[("ceiling", "guest", "1000.0")].split()[ratio] == "1.00"
    assert "n/a" in lines[("search", "guest", "n/a")]


def test_a_page_is_compared_with_the_ceiling_measured_next_to_it():
    """The machine slowed down after the first ceiling: the page's ratio comes from
    the ceiling measured just before it, not from the first one."""
    rows = [_row("ceiling", "guest", 1000), _row("forum index", "guest", 300)]
    rows[1].ceiling_rps = 600.0
    bench.add_ratios(rows, "ceiling")
    assert rows[1].ratio == pytest.approx(0.5)


def test_deep_page_cost_is_not_fooled_by_a_machine_that_slowed_down():
    """Page 2,500 was measured while the machine ran at half speed: its own
    ceiling shows it, and the cost ratio stays 1."""
    first = _row("thread page 1", "member", 400)
    deep = _row("thread page 2,500", "member", 200)
    first.ceiling_rps, deep.ceiling_rps = 1000.0, 500.0
    rows = [_row("ceiling", "member", 1000), first, deep]
    bench.add_ratios(rows, "ceiling")
    costs = bench.deep_page_cost_ratios(rows, "thread page 1", "thread page 2,500")
    assert costs == {"member": pytest.approx(1.0)}


def test_deep_page_ratio_compares_median_latencies():
    rows = [
        _row("thread page 1", "guest", 100, p50=10.0),
        _row("thread page 2,500", "guest", 100, p50=12.0),
    ]
    ratios = bench.deep_page_ratios(rows, "thread page 1", "thread page 2,500")
    assert ratios == {"guest": pytest.approx(1.2)}


def test_chart_is_an_svg_with_a_bar_per_measured_row():
    rows = [
        _row("ceiling", "guest", 1000),
        _row("forum <index>", "guest", 400),
        bench.Row(target="search", role="guest", path="/search/", status="n/a"),
    ]
    bench.add_ratios(rows, "ceiling")
    svg = bench.render_svg(rows, title="Ratios")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "forum <index>" in texts and "0.40" in texts and "n/a" in texts
    bars = [r for r in root.iter(f"{ns}rect") if r.get("class") == "bar"]
    assert len(bars) == 2


# Starts gunicorn against the test database: slow-ish (about 20-30 s), so the board
# is tiny and each page is measured for half a second.
@pytest.mark.django_db(transaction=True)
def test_benchmark_command_measures_every_page_as_guest_and_member(settings, tmp_path):
    call_command(
        "generate_forum",
        posts=300,
        members=20,
        forums=3,
        threads=20,
        megathreads=1,
        megathread_posts=120,
        force=True,
        stdout=StringIO(),
    )
    out = StringIO()
    call_command(
        "benchmark",
        duration=0.5,
        warmup=0,
        concurrency=2,
        workers=1,
        database_name=settings.DATABASES["default"]["NAME"],
        output=str(tmp_path / "results.json"),
        chart=str(tmp_path / "chart.svg"),
        driver="python",
        stdout=out,
        stderr=StringIO(),
    )
    report = out.getvalue()
    targets = [
        "ceiling",
        "forum index",
        "forum page",
        "thread page 1",
        "thread page 6",
        "member profile",
        "what's new",
        "search",
    ]
    for target in targets:
        for role in ("guest", "member"):
            assert any(
                line.startswith(target + " ") and f" {role} " in line
                for line in report.splitlines()
            ), f"{target} / {role} missing from:\n{report}"
    assert "page-6 / page-1 latency ratio (p50):" in report
    assert " error " not in report, report

    document = json.loads((tmp_path / "results.json").read_text())
    rows = {(r["target"], r["role"]): r for r in document["results"]}
    search_kinds = [
        "search: two words",
        "search: phrase",
        "search: titles only",
        "search: one member",
        "search: per thread",
    ]
    for target in search_kinds:
        for role in ("guest", "member"):
            assert rows[(target, role)]["status"] == "ok", (target, role)
    assert len(rows) == 2 * (len(targets) + len(search_kinds))
    for role in ("guest", "member"):
        assert rows[("ceiling", role)]["ratio"] == 1.0
        assert rows[("thread page 6", role)]["rps"] > 0
    assert document["board"]["posts"] == 300
    ET.parse(tmp_path / "chart.svg")
