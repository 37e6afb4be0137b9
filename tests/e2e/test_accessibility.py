"""axe-core finds no serious or critical accessibility problems on the main pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/organizations",
    "/organizations?q=software&kind=provider",
    "/account/login",
    "/account/register",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        skip_or_fail("axe-core is not installed (npm install --prefix tests/e2e)")
    return AXE.read_text(encoding="utf-8")


def _violations(page, axe_source):
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["en", "ar", "zh_Hans"])
def test_main_pages_have_no_serious_violations(page, live_server, axe_source, locale):
    found = {}
    for path in PAGES:
        joiner = "&" if "?" in path else "?"
        page.goto(f"{live_server}{path}{joiner}lang={locale}")
        problems = _violations(page, axe_source)
        if problems:
            found[path] = problems
    page.goto(f"{live_server}/organizations?kind=provider&lang={locale}")
    page.locator(".org-card h3 a").first.click()
    problems = _violations(page, axe_source)
    if problems:
        found["profile"] = problems
    assert found == {}
