"""The report: each page's ratio to the ceiling, the table, the JSON document and
the bar chart."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from forum.devtools.bench.drivers import LoadResult


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
    # processor time per request: gunicorn's workers, and the database server's
    cpu_ms: float | None = None
    db_cpu_ms: float | None = None

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
        f"{'p99 ms':>8}  {'ratio':>6}  {'cpu ms':>6}  {'db ms':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        if row.measured:
            r = row.result
            ratio = f"{row.ratio:.2f}" if row.ratio is not None else "n/a"
            cpu = f"{row.cpu_ms:.1f}" if row.cpu_ms is not None else "n/a"
            db = f"{row.db_cpu_ms:.1f}" if row.db_cpu_ms is not None else "n/a"
            cells = (
                f"{r.rps:>8.1f}  {r.p50_ms:>8.1f}  {r.p99_ms:>8.1f}  {ratio:>6}  "
                f"{cpu:>6}  {db:>6}"
            )
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
                "cpu_ms": round(row.cpu_ms, 2) if row.cpu_ms is not None else None,
                "db_cpu_ms": (
                    round(row.db_cpu_ms, 2) if row.db_cpu_ms is not None else None
                ),
            }
            for row in rows
        ],
    }
