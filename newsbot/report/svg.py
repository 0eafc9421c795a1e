"""Small inline SVG charts (no script, no external resource): stacked bars, a heat map and a
status grid. Every label is escaped."""

from __future__ import annotations

import math
from html import escape

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b",
)  # fmt: skip
STATUS_COLOURS = {"ok": "#59a14f", "tripped": "#e15759", "absent": "#e4e4e4"}
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def colour(i: int) -> str:
    """The ``i``-th series colour."""
    return PALETTE[i % len(PALETTE)]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:g}"


def legend(names: list[str], x: float, y: float) -> str:
    """A one-column legend of coloured squares, the last series on top (as in the stacks)."""
    out = []
    for row, i in enumerate(reversed(range(len(names)))):
        name, top = names[i], y + row * 18
        out.append(f'<rect x="{x}" y="{top}" width="12" height="12" fill="{colour(i)}"/>')
        out.append(f'<text x="{x + 18}" y="{top + 10}" {FONT}>{escape(name)}</text>')
    return "".join(out)


def stacked_bars(
    categories: list[str], series: dict[str, list[float]], *, title: str, unit: str = ""
) -> str:
    """Bars over ``categories``, each stacked from ``series`` (name -> one value per category),
    with a legend on the right."""
    left, top, plot_h, legend_w = 110, 28, 220, 190  # left: room for slanted labels
    bar_w = max(8.0, min(48.0, 640 / max(1, len(categories))))
    plot_w = bar_w * len(categories) * 1.25 + 10
    width = left + plot_w + legend_w
    height = max(top + plot_h + 90, top + 18 * len(series) + 20)
    totals = [sum(v[i] for v in series.values()) for i in range(len(categories))]
    scale = _nice_max(max(totals, default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}">',
        f"<title>{escape(title)}</title>",
    ]
    for k in range(5):  # grid and y axis labels
        value = scale * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{_fmt(value)}</text>'
        )
    if unit:
        parts.append(f'<text x="4" y="{top - 12}" {FONT}>{escape(unit)}</text>')
    for i, category in enumerate(categories):
        x = left + 8 + i * bar_w * 1.25
        base = top + plot_h
        for j, (name, values) in enumerate(series.items()):
            h = plot_h * values[i] / scale
            if h <= 0:
                continue
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour(j)}"><title>{escape(category)} · {escape(name)}: '
                f"{_fmt(values[i])}</title></rect>"
            )
        lx, ly = x + bar_w / 2, top + plot_h + 14
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="end" {FONT} '
            f'transform="rotate(-40 {lx:.1f} {ly:.1f})">{escape(category)}</text>'
        )
    parts.append(legend(list(series), left + plot_w + 20, top))
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    rows: list[str], cols: list[str], values: list[list[float | None]], *, title: str
) -> str:
    """A grid of shares (0–1) shaded from red (0) to green (1), the percentage in each cell; no
    value is grey."""
    left, top, cell_w, cell_h = 150, 34, 96, 26
    width, height = left + cell_w * len(cols) + 10, top + cell_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{escape(title)}</title>'
    ]
    for j, col in enumerate(cols):
        x = left + cell_w * j + cell_w / 2
        parts.append(
            f'<text x="{x}" y="{top - 10}" text-anchor="middle" {FONT}>{escape(col)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + cell_h * i
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" {FONT}>{escape(row)}</text>'
        )
        for j, value in enumerate(values[i]):
            x = left + cell_w * j
            if value is None:
                fill, text = "#e4e4e4", "–"
            else:
                hue = round(120 * max(0.0, min(1.0, value)))
                fill, text = f"hsl({hue}, 60%, 72%)", f"{value:.0%}"
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"/><text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle" '
                f"{FONT}>{text}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def status_grid(rows: list[str], cols: list[str], states: list[list[str]], *, title: str) -> str:
    """Rows × columns of status dots (``ok``, ``tripped``, ``absent``) with a legend."""
    left, top, step = 150, 120, 22
    width = max(left + step * len(cols) + 80, 520)
    height = top + step * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{escape(title)}</title>'
    ]
    for j, col in enumerate(cols):
        x, y = left + step * j + step / 2, top - 8
        parts.append(
            f'<text x="{x}" y="{y}" {FONT} transform="rotate(-60 {x} {y})">{escape(col)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + step * i + step / 2
        parts.append(
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" {FONT}>{escape(row)}</text>'
        )
        for j, state in enumerate(states[i]):
            parts.append(
                f'<circle cx="{left + step * j + step / 2}" cy="{y}" r="7" '
                f'fill="{STATUS_COLOURS[state]}"><title>{escape(row)} · {escape(cols[j])}: '
                f"{state}</title></circle>"
            )
    y = top + step * len(rows) + 20
    for k, (state, fill) in enumerate(STATUS_COLOURS.items()):
        x = left + k * 110
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="6" fill="{fill}"/>'
            f'<text x="{x + 12}" y="{y + 4}" {FONT}>{state}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
