"""Charts drawn on the server as SVG: no script, no CDN, nothing from another host.

Only presentation attributes (no style attributes: the Content-Security-Policy allows no inline
style); the stylesheet sizes the <svg> to its box, so a chart shrinks to a phone's width.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markupsafe import Markup

WIDTH, HEIGHT = 360, 170  # drawn for a phone's width; the stylesheet caps it on a desk
TOP, BOTTOM, LEFT = 18, 26, 4
BAR_COLOUR = "#1d6fa5"


def day_bars(days: Sequence[tuple[str, int]], title: str) -> Markup:
    """A bar per day with its count above and its label below; `title` for screen readers."""
    peak = max((count for _, count in days), default=0) or 1
    slot = (WIDTH - 2 * LEFT) / max(len(days), 1)
    usable = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - LEFT}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="#8a94a6" stroke-width="1"/>',
    ]
    for index, (label, count) in enumerate(days):
        height = usable * count / peak
        x = LEFT + index * slot + slot * 0.15
        y = HEIGHT - BOTTOM - height
        width = slot * 0.7
        centre = x + width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{BAR_COLOUR}" rx="2"><title>{html.escape(label)}: {count}</title></rect>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#1b2430">{count}</text>'
        )
        if (len(days) - 1 - index) % 2 == 0 or len(days) <= 7:  # every other, today's too
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11" fill="#4a5568">{html.escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


OUTCOME_COLOURS = {
    "sent": "#2f855a",
    "pending": "#b7791f",
    "sending": "#b7791f",
    "failed": "#c53030",
}


def outcome_bars(counts: Sequence[tuple[str, str, int]], title: str) -> Markup:
    """Horizontal bars: (code, label, count) each on its own row."""
    row, label_width, width = 26, 130, WIDTH
    height = row * max(len(counts), 1) + 10
    peak = max((count for _, _, count in counts), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html.escape(title)}</title>",
    ]
    for index, (code, label, count) in enumerate(counts):
        y = 5 + index * row
        bar = (width - label_width - 50) * count / peak
        colour = OUTCOME_COLOURS.get(code, "#4a5568")
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="12" fill="#1b2430">{html.escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="17" fill="{colour}" '
            f'rx="2"/><text x="{label_width + bar + 6:.1f}" y="{y + 17}" font-size="12" '
            f'fill="#1b2430">{count}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
