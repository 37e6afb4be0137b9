"""A hall's floor plan as an SVG drawn on the server (no script, readable by screen readers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from .models import Booth

CELL = 40  # pixels per grid cell
GAP = 2


def floor_plan_svg(
    booths: Iterable[Booth],
    hall: str,
    viewer_org_id: int | None,
    labels: Mapping[str, str],
) -> str:
    """Draw one hall's placed booths as free, taken or yours, each with a <title>.

    ``labels`` holds the translated words: "plan" (the image's name; "{hall}" is replaced),
    "free", "taken" and "yours". Positions are absolute, so a right-to-left page may mirror
    the image as a whole.
    """
    placed = [b for b in booths if b.hall == hall and b.row is not None and b.col is not None]
    cols = max((b.col + b.width for b in placed), default=1)
    rows = max((b.row + b.height for b in placed), default=1)
    width, height = cols * CELL, rows * CELL
    name = escape(labels.get("plan", "{hall}").replace("{hall}", hall), quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan" role="img" '
        f'aria-label="{name}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
    ]
    for booth in sorted(placed, key=lambda b: (b.row, b.col, b.code)):
        if booth.organization_id is None:
            state = "free"
        elif viewer_org_id is not None and booth.organization_id == viewer_org_id:
            state = "yours"
        else:
            state = "taken"
        x, y = booth.col * CELL, booth.row * CELL
        w, h = booth.width * CELL - GAP, booth.height * CELL - GAP
        code = escape(booth.code)
        title = escape(f"{booth.code}: {labels.get(state, state)}")
        parts.append(
            f'<g class="booth {state}" data-booth-id="{booth.id}">'
            f"<title>{title}</title>"
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3"/>'
            f'<text x="{x + w / 2:g}" y="{y + h / 2:g}" text-anchor="middle" '
            f'dominant-baseline="middle">{code}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
