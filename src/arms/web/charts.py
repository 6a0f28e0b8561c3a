"""Charts as server-rendered inline SVG: stacked bars, lines, horizontal bars and a gauge. No JavaScript, no CDN.

Plain Python (no Django), so the geometry is tested by parsing the SVG. Every chart is accessible: the
``<svg>`` has ``role="img"`` and is labelled by its ``<title>`` and ``<desc>``; every bar, point and arc has a
``<title>`` of its own (a tooltip in the browser, read out by screen readers) and ``data-*`` attributes with
the exact value; and each chart carries the same numbers as a table (``Chart.table``) that the page shows
beside it and that exports to Excel and CSV.

Values are integers (minor units of money, counts) or Decimals (days, percentages). Pixel coordinates are
Decimals rounded to 0.01 px, so a bar's height is exactly proportional to its value within that rounding,
and a float never touches an amount.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from itertools import count

Number = int | Decimal
Formatter = Callable[[Number], str]

#: calm colours that stay apart for colour-blind readers (Okabe–Ito order), then a few more
PALETTE = ("#2357c6", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a8599", "#f0e442")
#: aging buckets from "not yet due" (green) to "over a year" (dark red)
AGING_PALETTE = ("#3a9d6a", "#9ccf6c", "#f2c14e", "#f08a3c", "#d9534f", "#a02b2b", "#6b1a1a", "#3d0f0f")

DISPUTED_COLOR = "#7a8599"

_CENT = Decimal("0.01")
_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One named row of values, one value per category (or point)."""

    name: str
    values: Sequence[Number]
    color: str = ""


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers as a table: the accessible fallback and what the export buttons download."""

    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: str
    table: ChartTable = field(default_factory=lambda: ChartTable([], []))

    def __str__(self) -> str:
        return self.svg


def _px(value) -> str:
    """A coordinate as SVG text: a Decimal rounded to 0.01, without trailing zeros."""
    d = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP).normalize()
    return "0" if d == 0 else f"{d:f}"


def _scale(value: Number, top: Number, pixels: int) -> Decimal:
    """``value`` on an axis from 0 to ``top`` drawn over ``pixels``; exact Decimal arithmetic."""
    if not top:
        return Decimal(0)
    return (Decimal(value) * pixels / Decimal(top)).quantize(_CENT, rounding=ROUND_HALF_UP)


def nice_top(largest: Number) -> Number:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least ``largest`` (the top of a value axis)."""
    if largest <= 0:
        return 1
    wanted = Decimal(largest)
    magnitude = Decimal(1).scaleb(wanted.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        candidate = magnitude * step
        if candidate >= wanted:
            return _plain(candidate)
    return _plain(magnitude * 10)  # pragma: no cover - 10 × magnitude is always enough


def _plain(value: Decimal) -> Number:
    """An integral Decimal as an int (tidy axis labels), anything else as a normalised Decimal."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def _ticks(top: Number, n: int = 4) -> list[Number]:
    step = Decimal(top) / n
    return [_plain(step * i) for i in range(n + 1)]


def _text(value) -> str:
    return escape(str(value), quote=True)


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{_text(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_text(chart_id)}-title {_text(chart_id)}-desc" data-kind="{kind}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="Noto Sans CJK SC, sans-serif" font-size="11">',
        f'<title id="{_text(chart_id)}-title">{_text(title)}</title>',
        f'<desc id="{_text(chart_id)}-desc">{_text(desc or title)}</desc>',
    ]


def _legend(series: Sequence[Series], colors: Sequence[str], *, x: int, y: int, width: int) -> list[str]:
    parts = ['<g class="legend">']
    cx, cy = x, y
    for s, color in zip(series, colors, strict=True):
        label_width = 18 + sum(12 if ord(ch) > 0x2E80 else 7 for ch in s.name)  # CJK glyphs are wider
        if cx + label_width > x + width and cx > x:
            cx, cy = x, cy + 16
        parts.append(f'<rect x="{cx}" y="{cy - 9}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{cx + 14}" y="{cy}" class="legend-label">{_text(s.name)}</text>')
        cx += label_width + 12
    parts.append("</g>")
    return parts


def _colors(series: Sequence[Series], palette: Sequence[str]) -> list[str]:
    return [s.color or palette[i % len(palette)] for i, s in enumerate(series)]


def _id(chart_id: str, kind: str) -> str:
    return chart_id or f"chart-{kind}-{next(_ids)}"


def stacked_bars(*, title: str, categories: Sequence[str], series: Sequence[Series], chart_id: str = "",
                 desc: str = "", value_format: Formatter = str, axis_format: Formatter | None = None,
                 palette: Sequence[str] = PALETTE, width: int = 640, height: int = 300) -> Chart:
    """Vertical bars, one per category, each a stack of the series' values (negative values count as 0)."""
    chart_id = _id(chart_id, "stacked")
    axis_format = axis_format or value_format
    colors = _colors(series, palette)
    left, right, top_pad, bottom = 72, 16, 14, 62
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    totals = [sum(max(0, s.values[i]) for s in series) for i in range(len(categories))]
    top = nice_top(max(totals, default=0))
    parts = _svg_open(chart_id, title, desc, width, height, "stacked")
    parts += _axis(top, left=left, top_pad=top_pad, plot_w=plot_w, plot_h=plot_h, axis_format=axis_format)
    slot = Decimal(plot_w) / max(len(categories), 1)
    bar_w = min(slot * Decimal("0.62"), Decimal(56))
    base_y = top_pad + plot_h
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        y = Decimal(base_y)
        parts.append(f'<g class="bar" data-category="{_text(category)}" data-total="{totals[i]}">')
        for s, color in zip(series, colors, strict=True):
            value = s.values[i]
            h = _scale(max(0, value), top, plot_h)
            y -= h
            parts.append(
                f'<rect x="{_px(x)}" y="{_px(y)}" width="{_px(bar_w)}" height="{_px(h)}" fill="{color}" '
                f'data-series="{_text(s.name)}" data-value="{value}">'
                f"<title>{_text(category)} · {_text(s.name)}: {_text(value_format(value))}</title></rect>"
            )
        parts.append("</g>")
        parts.append(f'<text x="{_px(left + slot * i + slot / 2)}" y="{base_y + 16}" text-anchor="middle" '
                     f'class="category-label">{_text(category)}</text>')
    parts += _legend(series, colors, x=left, y=height - 20, width=plot_w)
    parts.append("</svg>")
    headers = ["", *[s.name for s in series], "Σ"]
    rows = [[c, *[value_format(s.values[i]) for s in series], value_format(sum(s.values[i] for s in series))]
            for i, c in enumerate(categories)]
    return Chart(chart_id, title, "".join(parts), ChartTable(headers, rows))


def _axis(top: Number, *, left: int, top_pad: int, plot_w: int, plot_h: int, axis_format: Formatter,
          bottom_value: Number = 0) -> list[str]:
    parts = ['<g class="axis">']
    span = Decimal(top) - Decimal(bottom_value)
    for tick in _ticks(span):
        value = bottom_value + tick
        y = top_pad + plot_h - _scale(tick, span, plot_h)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_px(y)}" y2="{_px(y)}" stroke="#e3e7ee"/>'
                     f'<text x="{left - 6}" y="{_px(y + 4)}" text-anchor="end" class="tick-label" '
                     f'fill="#7a8599">{_text(axis_format(value))}</text>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" '
                 f'stroke="#cfd6e0"/></g>')
    return parts


def line_chart(*, title: str, labels: Sequence[str], series: Sequence[Series], chart_id: str = "", desc: str = "",
               value_format: Formatter = str, axis_format: Formatter | None = None,
               palette: Sequence[str] = PALETTE, width: int = 640, height: int = 260,
               band: tuple[Series, Series] | None = None) -> Chart:
    """A trend: one polyline per series over the labels (months); a missing value (None) breaks the line.

    ``band`` (a low and a high series, one value per label, none missing) is drawn first as a shaded area
    between them (a forecast's range), titled by both names; the table gets a column for each."""
    chart_id = _id(chart_id, "line")
    axis_format = axis_format or value_format
    colors = _colors(series, palette)
    left, right, top_pad, bottom = 64, 36, 14, 58  # room on the right for the last month's label
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    present = [v for s in [*series, *(band or ())] for v in s.values if v is not None]
    low = min(0, min(present, default=0))
    bottom_value = -nice_top(-low) if low < 0 else 0
    top = nice_top(max(max(present, default=0), 0) - bottom_value) + bottom_value if present else 1
    span = Decimal(top) - Decimal(bottom_value)
    parts = _svg_open(chart_id, title, desc, width, height, "line")
    parts += _axis(top, left=left, top_pad=top_pad, plot_w=plot_w, plot_h=plot_h, axis_format=axis_format,
                   bottom_value=bottom_value)
    step = Decimal(plot_w) / max(len(labels) - 1, 1)
    base_y = top_pad + plot_h
    every = max(1, (len(labels) * 60 + plot_w - 1) // plot_w)  # a label needs about 60 px
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{_px(left + step * i)}" y="{base_y + 16}" text-anchor="middle" '
                         f'class="category-label">{_text(label)}</text>')
    if band is not None:
        low, high = band
        corners = [(left + step * i, value) for i, value in enumerate(high.values)]
        corners += [(left + step * i, value) for i, value in reversed(list(enumerate(low.values)))]
        outline = " ".join(f"{_px(x)},{_px(base_y - _scale(Decimal(v) - Decimal(bottom_value), span, plot_h))}"
                           for x, v in corners)
        parts.append(f'<polygon class="band" points="{outline}" fill="{low.color or colors[0]}" fill-opacity="0.15" '
                     f'stroke="none"><title>{_text(low.name)} – {_text(high.name)}</title></polygon>')
    for s, color in zip(series, colors, strict=True):
        points = []
        segments: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                segments.append([])
                continue
            x = left + step * i
            y = base_y - _scale(Decimal(value) - Decimal(bottom_value), span, plot_h)
            segments[-1].append(f"{_px(x)},{_px(y)}")
            points.append(
                f'<circle cx="{_px(x)}" cy="{_px(y)}" r="3" fill="{color}" data-label="{_text(labels[i])}" '
                f'data-value="{value}"><title>{_text(labels[i])} · {_text(s.name)}: {_text(value_format(value))}'
                f"</title></circle>"
            )
        parts.append(f'<g class="line" data-series="{_text(s.name)}">')
        parts += [f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(seg)}"/>'
                  for seg in segments if len(seg) > 1]
        parts += points
        parts.append("</g>")
    parts += _legend(series, colors, x=left, y=height - 16, width=plot_w)
    parts.append("</svg>")
    shown = [*series, *(band or ())]
    headers = ["", *[s.name for s in shown]]
    rows = [[label, *["—" if s.values[i] is None else value_format(s.values[i]) for s in shown]]
            for i, label in enumerate(labels)]
    return Chart(chart_id, title, "".join(parts), ChartTable(headers, rows))


def horizontal_bars(*, title: str, labels: Sequence[str], values: Sequence[Number], chart_id: str = "",
                    desc: str = "", value_format: Formatter = str, color: str = PALETTE[0], width: int = 640,
                    row_height: int = 26, label_width: int = 200, value_header: str = "") -> Chart:
    """Ranked bars (largest overdue customers, grade mix): widths proportional to the values."""
    chart_id = _id(chart_id, "hbars")
    value_room = 110
    plot_w = width - label_width - value_room
    height = max(row_height * len(values), row_height) + 8
    top = max((max(0, v) for v in values), default=0) or 1
    parts = _svg_open(chart_id, title, desc, width, height, "hbars")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + row_height * i
        w = _scale(max(0, value), top, plot_w)
        short = label if len(label) <= 16 else label[:15] + "…"
        parts.append(
            f'<g class="bar" data-category="{_text(label)}">'
            f'<text x="{label_width - 8}" y="{y + row_height // 2 + 4}" text-anchor="end" '
            f'class="category-label">{_text(short)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{_px(w)}" height="{row_height - 8}" fill="{color}" '
            f'data-value="{value}"><title>{_text(label)}: {_text(value_format(value))}</title></rect>'
            f'<text x="{_px(label_width + w + 6)}" y="{y + row_height // 2 + 4}" class="value-label">'
            f"{_text(value_format(value))}</text></g>"
        )
    if not values:
        parts.append(f'<text x="{width // 2}" y="{row_height // 2 + 8}" text-anchor="middle" fill="#7a8599">—</text>')
    parts.append("</svg>")
    rows = [[label, value_format(value)] for label, value in zip(labels, values, strict=True)]
    return Chart(chart_id, title, "".join(parts), ChartTable(["", value_header or title], rows))


def gauge(*, title: str, value: Number, target: Number, chart_id: str = "", desc: str = "",
          value_format: Formatter = str, width: int = 260, height: int = 160, value_header: str = "",
          target_header: str = "", share_header: str = "") -> Chart:
    """A half-circle gauge of ``value`` against ``target`` (collections vs budget); past 100 % it stays full.

    The arc is drawn as a stroke of a semicircle path with ``stroke-dasharray``, so its filled length is
    exactly the share of the half circumference (checked in the tests).
    """
    chart_id = _id(chart_id, "gauge")
    share = (Decimal(value) / Decimal(target)) if target else Decimal(0)
    shown = min(max(share, Decimal(0)), Decimal(1))
    radius = min(width // 2 - 16, height - 40)
    cx, cy = width // 2, height - 24
    half = (Decimal("3.14159265") * radius).quantize(_CENT)
    filled = (half * shown).quantize(_CENT, rounding=ROUND_HALF_UP)
    percent = (share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    arc = f"M {cx - radius} {cy} A {radius} {radius} 0 0 1 {cx + radius} {cy}"
    color = "#067647" if share >= 1 else ("#e69f00" if share >= Decimal("0.7") else "#d55e00")
    parts = _svg_open(chart_id, title, desc, width, height, "gauge")
    parts += [
        f'<path d="{arc}" fill="none" stroke="#e3e7ee" stroke-width="18" class="gauge-track" '
        f'data-length="{_px(half)}"/>',
        f'<path d="{arc}" fill="none" stroke="{color}" stroke-width="18" class="gauge-value" '
        f'stroke-dasharray="{_px(filled)} {_px(half)}" data-value="{value}" data-target="{target}" '
        f'data-share="{percent}"><title>{_text(value_format(value))} / {_text(value_format(target))}</title></path>',
        f'<text x="{cx}" y="{cy - 8}" text-anchor="middle" font-size="22" font-weight="600" '
        f'class="gauge-percent">{percent if target else "—"}{"%" if target else ""}</text>',
        f'<text x="{cx}" y="{cy + 16}" text-anchor="middle" fill="#4a5568" class="value-label">'
        f"{_text(value_format(value))} / {_text(value_format(target) if target else '—')}</text>",
        "</svg>",
    ]
    table = ChartTable([value_header or title, target_header or "target", share_header or "%"],
                       [[value_format(value), value_format(target) if target else "—",
                         f"{percent}%" if target else "—"]])
    return Chart(chart_id, title, "".join(parts), table)
