"""A real server in a thread and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from matchmaker import create_app
from matchmaker.migrate import upgrade
from tests.conftest import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium"):
        skip_or_fail("Chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from sqlmodel import Session

    from matchmaker.demo.load import load_demo

    path = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path / 'e2e.sqlite3'}",
            "SEARCH_INDEX_PATH": str(path / "search.sqlite3"),
            "SECRET_KEY": "e2e",
            "ELASTICSEARCH_URL": "",
            "IMPORT_UPLOAD_DIR": str(path / "imports"),
        }
    )
    engine = app.extensions["matchmaker.engine"]
    upgrade(engine)
    with app.app_context(), Session(engine) as db:
        load_demo(db)
    with app.app_context():
        from matchmaker.cli import _reindex

        _reindex()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Absolute links (check-in, calendar feed, API urls) are built on the base URL.
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
