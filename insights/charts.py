"""Charts as SVG written on the server: horizontal bars and lines, no script.

Each chart is an image with a role, a <title> and a <desc>, every bar or point
carries its figure as text, and series differ by pattern and marker shape as
well as colour (never by colour alone). The page shows the same figures in a
table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Colours with a 3:1 contrast against white (WCAG 1.4.11), and for each
# series a fill pattern and a marker so they read apart in grey too.
COLOURS = ("#1d4e89", "#b5451b", "#2f6b3a", "#6b3f86")
FILLS = ("solid", "hatch", "dots", "outline")
MARKERS = ("circle", "square", "triangle", "diamond")

WIDTH = 640
LABEL_WIDTH = 190
BAR_HEIGHT = 16
GAP = 10
PLOT_HEIGHT = 220


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | Decimal | None]


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    # Rounded, as the table's figure reads (number_format cuts the digits).
    return number_format(round(value, 1), decimal_pos=1, force_grouping=True)


def _defs(count: int, ident: str) -> str:
    parts = []
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        fill = FILLS[index % len(FILLS)]
        if fill == "hatch":
            parts.append(
                f'<pattern id="{ident}-p{index}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="#fff"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" '
                f'stroke-width="3"/></pattern>'
            )
        elif fill == "dots":
            parts.append(
                f'<pattern id="{ident}-p{index}" width="5" height="5" '
                f'patternUnits="userSpaceOnUse"><rect width="5" height="5" '
                f'fill="#fff"/><circle cx="2.5" cy="2.5" r="1.6" '
                f'fill="{colour}"/></pattern>'
            )
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def _paint(index: int, ident: str = "chart") -> str:
    colour = COLOURS[index % len(COLOURS)]
    fill = FILLS[index % len(FILLS)]
    if fill == "solid":
        return f'fill="{colour}" stroke="{colour}"'
    if fill == "outline":
        return f'fill="#fff" stroke="{colour}" stroke-width="2"'
    return f'fill="url(#{ident}-p{index})" stroke="{colour}"'


def _legend(
    series: Sequence[Series], y: int, *, lines: bool, ident: str = "chart"
) -> str:
    parts = []
    x = 10 if lines else LABEL_WIDTH
    for index, one in enumerate(series):
        if lines:
            swatch = _marker(index, x + 6, y - 4)
        else:
            swatch = (
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
                f"{_paint(index, ident)}/>"
            )
        parts.append(
            f'{swatch}<text x="{x + 18}" y="{y}" font-size="12">'
            f"{escape(one.name)}</text>"
        )
        # The next entry after this one's text (about 7 units a character).
        x += 18 + 7 * len(one.name) + 16
    return "".join(parts)


def _frame(
    *, title: str, desc: str, height: int, body: str, defs: str, ident: str
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-title {}-desc" '
        'font-family="sans-serif"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}{}</svg>',
        WIDTH,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        desc,
        # Both are SVG markup built in this module: defs from constants and
        # numbers only, body with every label and figure passed through
        # escape() where it is written (tests/insights/test_charts.py).
        mark_safe(defs),  # noqa: S308  # nosec B308 B703
        mark_safe(body),  # noqa: S308  # nosec B308 B703
    )


def _top(series: Sequence[Series]) -> float:
    values = [float(v) for one in series for v in one.values if v is not None]
    return max(values + [0.0]) or 1.0


def bar_chart(
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    ident: str = "chart",
) -> SafeString:
    """Horizontal bars, one group per label, one bar per series, each bar with
    its figure written at its end."""
    top = _top(series)
    group = BAR_HEIGHT * len(series) + GAP
    plot = WIDTH - LABEL_WIDTH - 60
    height = 30 + group * len(labels) + 10
    parts = [_legend(series, 16, lines=False, ident=ident)]
    for row, label in enumerate(labels):
        y0 = 30 + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y0 + group / 2}" font-size="12" '
            f'text-anchor="end">{escape(label[:30])}</text>'
        )
        for index, one in enumerate(series):
            value = one.values[row]
            length = 0 if value is None else plot * float(value) / top
            y = y0 + index * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 3}" {_paint(index, ident)}/>'
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 5}" '
                f'font-size="11">{escape(_text(value))}</text>'
            )
    return _frame(
        title=title,
        desc=desc,
        height=height,
        body="".join(parts),
        defs=_defs(len(series), ident),
        ident=ident,
    )


def _marker(index: int, x: float, y: float) -> str:
    colour = COLOURS[index % len(COLOURS)]
    shape = MARKERS[index % len(MARKERS)]
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
            f'fill="{colour}"/>'
        )
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
            f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
        f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    )


def line_chart(
    *,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    ident: str = "chart",
) -> SafeString:
    """Lines over time (labels left to right), each point marked with a shape
    of its series and its figure written above it."""
    top = _top(series)
    left, right, y_top = 50, WIDTH - 20, 40
    bottom = y_top + PLOT_HEIGHT
    step = (right - left) / max(len(labels) - 1, 1)
    parts = [
        _legend(series, 16, lines=True),
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>',
    ]
    for column, label in enumerate(labels):
        parts.append(
            f'<text x="{left + column * step:.1f}" y="{bottom + 16}" font-size="11" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for index, one in enumerate(series):
        points = [
            (left + column * step, bottom - PLOT_HEIGHT * float(value) / top, value)
            for column, value in enumerate(one.values)
            if value is not None
        ]
        dash = "" if index == 0 else f' stroke-dasharray="{2 + 3 * index},3"'
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke-width="2" '
            f'stroke="{COLOURS[index % len(COLOURS)]}"{dash}/>'
        )
        for x, y, value in points:
            parts.append(
                _marker(index, x, y)
                + f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" '
                f'text-anchor="middle">{escape(_text(value))}</text>'
            )
    return _frame(
        title=title,
        desc=desc,
        height=bottom + 30,
        body="".join(parts),
        defs="",
        ident=ident,
    )
