"""The floor plan SVG: states, accessibility and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from matchmaker.exhibitions.floorplan import floor_plan_svg
from matchmaker.exhibitions.models import Booth

LABELS = {"plan": "Floor plan of {hall}", "free": "free", "taken": "taken", "yours": "yours"}
SVG = "{http://www.w3.org/2000/svg}"


def _booth(booth_id, code, row, col, org=None, hall="H1", width=1, height=1):
    return Booth(
        id=booth_id,
        exhibition_id=1,
        code=code,
        hall=hall,
        row=row,
        col=col,
        width=width,
        height=height,
        organization_id=org,
    )


def test_floor_plan_marks_free_taken_and_yours():
    booths = [_booth(1, "A1", 0, 0), _booth(2, "A2", 0, 1, org=7), _booth(3, "B1", 1, 0, org=9)]
    root = ET.fromstring(floor_plan_svg(booths, "H1", 9, LABELS))
    groups = root.findall(f"{SVG}g")
    assert [g.get("class") for g in groups] == ["booth free", "booth taken", "booth yours"]
    assert [g.find(f"{SVG}title").text for g in groups] == ["A1: free", "A2: taken", "B1: yours"]
    assert (root.get("role"), root.get("aria-label")) == ("img", "Floor plan of H1")
    assert root.get("viewBox") == "0 0 80 80"


def test_floor_plan_leaves_out_other_halls_and_unplaced_booths():
    booths = [_booth(1, "A1", 0, 0), _booth(2, "Z", 0, 0, hall="H2"), _booth(3, "U", None, None)]
    root = ET.fromstring(floor_plan_svg(booths, "H1", None, LABELS))
    assert [g.find(f"{SVG}text").text for g in root.findall(f"{SVG}g")] == ["A1"]


def test_floor_plan_escapes_text():
    hall = 'Hall "<x>"'
    svg = floor_plan_svg([_booth(1, "<A&1>", 0, 0, hall=hall)], hall, None, LABELS)
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'Floor plan of Hall "<x>"'
    assert root.find(f"{SVG}g/{SVG}text").text == "<A&1>"
    assert "<A&1>" not in svg


def test_floor_plan_sizes_rectangles_by_grid_extent():
    root = ET.fromstring(
        floor_plan_svg([_booth(1, "W", 1, 2, width=3, height=2)], "H1", None, LABELS)
    )
    rect = root.find(f"{SVG}g/{SVG}rect")
    assert [rect.get(k) for k in ("x", "y", "width", "height")] == ["80", "40", "118", "78"]
