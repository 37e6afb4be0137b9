"""What the web benchmarks share: timing, percentiles, and an app with a baseline page.

Imported by the scripts in this folder (run as ``python benchmarks/<name>.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import render_template_string

from matchmaker import create_app
from matchmaker.migrate import upgrade

# The cheapest page through the same stack: the ratio against it is what a page costs itself.
BASELINE_TEMPLATE = """<!doctype html><html lang="en"><head><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><p>{{ current_user.email }}</p>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 3),
        "max_ms": round(ms[-1], 3),
        "n": len(ms),
    }


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def make_app(workdir: Path, **settings):
    """A migrated app on a SQLite file in ``workdir``, with /_bench/baseline registered."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "SEARCH_INDEX_PATH": str(workdir / "search.sqlite3"),
            "SECRET_KEY": "bench",
            "ELASTICSEARCH_URL": "",
            "WTF_CSRF_ENABLED": False,
            **settings,
        }
    )

    def baseline_page():
        return render_template_string(BASELINE_TEMPLATE, title="Baseline", items=range(10))

    # Registered before the first request, as Flask requires.
    app.add_url_rule("/_bench/baseline", "bench_baseline", baseline_page)
    upgrade(app.extensions["matchmaker.engine"])
    return app
