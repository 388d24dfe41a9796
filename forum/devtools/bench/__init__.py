"""The benchmark's parts: the load drivers, the gunicorn it measures, and the report.

Speed is reported as ratios measured in one run: a page's requests per second divided
by the ceiling's (a view that runs Django's request path and a tiny template, nothing
else) for the same role, guest or member. Ratios survive a change of machine; raw
requests per second do not.

Requests only ever go to 127.0.0.1.
"""

from forum.devtools.bench.drivers import (
    HOST,
    USER_AGENT,
    BenchmarkError,
    LoadResult,
    drive,
    drive_wrk,
    parse_wrk,
    percentile,
    wrk_available,
)
from forum.devtools.bench.report import (
    Row,
    add_ratios,
    deep_page_cost_ratios,
    deep_page_ratios,
    format_table,
    render_svg,
    results_document,
)
from forum.devtools.bench.server import (
    Gunicorn,
    free_port,
    get,
    log_in,
    postgres_pid,
    process_tree_cpu,
)

__all__ = [
    "HOST",
    "USER_AGENT",
    "BenchmarkError",
    "Gunicorn",
    "LoadResult",
    "Row",
    "add_ratios",
    "deep_page_cost_ratios",
    "deep_page_ratios",
    "drive",
    "drive_wrk",
    "format_table",
    "free_port",
    "get",
    "log_in",
    "postgres_pid",
    "process_tree_cpu",
    "parse_wrk",
    "percentile",
    "render_svg",
    "results_document",
    "wrk_available",
]
