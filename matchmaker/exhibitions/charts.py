"""Charts for the report, drawn as SVG on the server: no script, no network, printable.

Each chart is one image (role="img") named by its <title>; the numbers are in a table
beside it. Colours come from classes (report.css), never inline styles. Right to left:
the chart mirrors (labels on the right, bars growing leftwards) and its text takes the
page's direction, so the same text-anchor values land on the mirrored side.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
ROW = 30  # height of one horizontal bar's row
LABEL = 190  # the label column of horizontal charts
VALUE = 110  # room after the longest bar for its number
PAD = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the reader reads it (Babel-formatted)


@dataclass(frozen=True)
class Segment:
    series: int  # index of the series: colour class s0, s1, ...
    value: float
    text: str


@dataclass(frozen=True)
class Stack:
    label: str
    segments: tuple[Segment, ...]
    text: str  # the row's total, formatted


def _e(text: str) -> str:
    return escape(str(text), quote=True)


def _x(x: float, w: float, rtl: bool) -> float:
    """The left edge of a box at logical offset ``x`` from the start side."""
    return WIDTH - x - w if rtl else x


def _open(chart_id: str, title: str, height: float, rtl: bool, kind: str) -> str:
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title" viewBox="0 0 {WIDTH} {height:g}" '
        f'width="{WIDTH}" height="{height:g}"{direction}>'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>'
    )


def _label(text: str, x: float, y: float, rtl: bool, cls: str = "chart-label") -> str:
    # "end" sits at the side towards the bars in either direction (see the module docstring).
    lx = WIDTH - x if rtl else x
    return (
        f'<text class="{cls}" x="{lx:g}" y="{y:g}" text-anchor="end" '
        f'dominant-baseline="middle">{_e(text)}</text>'
    )


def _value(text: str, x: float, y: float, rtl: bool) -> str:
    vx = WIDTH - x if rtl else x
    return (
        f'<text class="chart-value" x="{vx:g}" y="{y:g}" text-anchor="start" '
        f'dominant-baseline="middle">{_e(text)}</text>'
    )


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(chart_id: str, title: str, bars: list[Bar], *, rtl: bool = False) -> Markup:
    """One bar per item, longest = full width; the number at the end of each bar."""
    height = len(bars) * ROW + PAD * 2
    top = max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL - VALUE
    parts = [_open(chart_id, title, height, rtl, "bars")]
    for i, bar in enumerate(bars):
        y = PAD + i * ROW
        w = max(bar.value / top * span, 1 if bar.value else 0)
        parts.append(
            f'<rect class="chart-bar s0" x="{_x(LABEL, w, rtl):g}" y="{y + 4:g}" '
            f'width="{w:g}" height="{ROW - 8}" rx="2"/>'
        )
        parts.append(_label(_short(bar.label), LABEL - PAD, y + ROW / 2, rtl))
        parts.append(_value(bar.text, LABEL + w + PAD, y + ROW / 2, rtl))
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(
    chart_id: str, title: str, stacks: list[Stack], series: list[str], *, rtl: bool = False
) -> Markup:
    """One bar per row, split into coloured series, with a legend under the bars."""
    legend_rows = (len(series) + 1) // 2
    height = len(stacks) * ROW + PAD * 3 + legend_rows * 22
    top = max((sum(s.value for s in st.segments) for st in stacks), default=0) or 1
    span = WIDTH - LABEL - VALUE
    parts = [_open(chart_id, title, height, rtl, "stacked")]
    for i, stack in enumerate(stacks):
        y = PAD + i * ROW
        offset = LABEL
        for seg in stack.segments:
            if not seg.value:
                continue
            w = seg.value / top * span
            parts.append(
                f'<rect class="chart-bar s{seg.series}" x="{_x(offset, w, rtl):g}" y="{y + 4:g}" '
                f'width="{w:g}" height="{ROW - 8}"><title>{_e(series[seg.series])}: '
                f"{_e(seg.text)}</title></rect>"
            )
            offset += w
        parts.append(_label(_short(stack.label), LABEL - PAD, y + ROW / 2, rtl))
        parts.append(_value(stack.text, offset + PAD, y + ROW / 2, rtl))
    base = PAD * 2 + len(stacks) * ROW
    for n, name in enumerate(series):
        x = LABEL + (n % 2) * (span / 2)
        y = base + (n // 2) * 22
        parts.append(
            f'<rect class="chart-bar s{n}" x="{_x(x, 14, rtl):g}" y="{y + 3:g}" '
            f'width="14" height="14"/>'
        )
        parts.append(_value(_short(name, 34), x + 20, y + 10, rtl))
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(chart_id: str, title: str, bars: list[Bar], *, rtl: bool = False) -> Markup:
    """Vertical bars side by side (few items with short labels); first item on the start side."""
    plot, below, above = 180, 28, 22
    height = above + plot + below
    top = max((b.value for b in bars), default=0) or 1
    slot = WIDTH / max(len(bars), 1)
    w = min(slot * 0.6, 90)
    parts = [_open(chart_id, title, height, rtl, "columns")]
    parts.append(
        f'<line class="chart-axis" x1="0" x2="{WIDTH}" y1="{above + plot}" y2="{above + plot}"/>'
    )
    for i, bar in enumerate(bars):
        h = max(bar.value / top * plot, 1 if bar.value else 0)
        center = _x(i * slot, slot, rtl) + slot / 2
        parts.append(
            f'<rect class="chart-bar s0" x="{center - w / 2:g}" y="{above + plot - h:g}" '
            f'width="{w:g}" height="{h:g}" rx="2"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{center:g}" y="{above + plot - h - 6:g}" '
            f'text-anchor="middle">{_e(bar.text)}</text>'
        )
        parts.append(
            f'<text class="chart-label" x="{center:g}" y="{above + plot + 18:g}" '
            f'text-anchor="middle">{_e(_short(bar.label, 18))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
