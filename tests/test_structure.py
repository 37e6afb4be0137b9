"""Pages of one domain do not import another domain's views (they use its services)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "matchmaker"
VIEWS_IMPORT = re.compile(
    r"^\s*from\s+matchmaker\.(\w+)\.views\b|^\s*import\s+matchmaker\.(\w+)\.views\b", re.M
)


def test_no_domain_imports_another_domains_views():
    found = []
    for path in sorted(PACKAGE.glob("*/*.py")):
        own = path.parent.name
        for match in VIEWS_IMPORT.finditer(path.read_text(encoding="utf-8")):
            other = match.group(1) or match.group(2)
            if other != own:
                found.append(f"{path.relative_to(PACKAGE)} imports matchmaker.{other}.views")
    assert not found, "\n".join(found)
