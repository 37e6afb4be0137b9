"""One log line per request with a request id, returned in a header and shown on the 500 page."""

from __future__ import annotations

import logging
import re

import pytest

LOGGER = "matchmaker.request"


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)

    def read() -> list[logging.LogRecord]:
        return [record for record in caplog.records if record.name == LOGGER]

    return read


@pytest.fixture
def failing_app(app):
    """The app with a page and an API operation that fail, answered as in production."""

    def boom():
        raise RuntimeError("the database fell over")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_one_line_per_request_with_method_path_status_duration_and_id(client, lines):
    response = client.get("/exhibitions")
    (record,) = lines()
    rid = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert record.levelno == logging.INFO
    assert (record.method, record.path, record.status, record.request_id) == (
        "GET",
        "/exhibitions",
        response.status_code,
        rid,
    )
    assert record.duration_ms >= 0
    message = record.getMessage()
    assert message.startswith(f"GET /exhibitions {response.status_code} ")
    assert re.search(r" \d+\.\dms ", message)
    assert message.endswith(f"id={rid}")


def test_ids_differ_between_requests(client, lines):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second
    assert [record.request_id for record in lines()] == [first, second]


def test_a_sane_incoming_id_is_kept_and_others_are_replaced(client, lines):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.01_Z"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.01_Z"
    for bad in ("x" * 65, "a b", "<script>", "id\u202e", "évian"):
        response = client.get("/healthz", headers={"X-Request-ID": bad})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"]), bad
    assert len({record.request_id for record in lines()}) == 6


def test_query_secrets_and_secret_links_stay_out_of_the_log(client, lines):
    client.get("/organizations?q=cloud&page=2&token=hunter2&email=a%40b.example")
    client.get("/account/reset/SIGNED-RESET-TOKEN")
    client.get("/calendar/CALENDAR-SECRET.ics")
    text = "\n".join(record.getMessage() for record in lines())
    assert "/organizations?q=cloud&page=2 " in text
    for secret in ("hunter2", "a@b.example", "a%40b", "SIGNED-RESET-TOKEN", "CALENDAR-SECRET"):
        assert secret not in text
    assert "/account/reset/… " in text
    assert "/calendar/….ics " in text


def test_errors_and_api_requests_are_logged_too(client, lines):
    missing = client.get("/no-such-page")
    api = client.get("/api/v1/organizations")
    records = lines()
    assert [(r.path, r.status) for r in records] == [
        ("/no-such-page", 404),
        ("/api/v1/organizations", api.status_code),
    ]
    assert records[0].request_id == missing.headers["X-Request-ID"]
    assert records[1].request_id == api.headers["X-Request-ID"]


def test_health_checks_are_logged_quietly(client, lines):
    client.get("/healthz")
    client.get("/readyz")
    assert [record.levelno for record in lines()] == [logging.DEBUG, logging.DEBUG]


@pytest.mark.parametrize(("accept", "lang"), [("en", "en"), ("zh-CN", "zh-Hans"), ("ar", "ar")])
def test_the_500_page_shows_the_reference_in_the_readers_language(failing_app, lines, accept, lang):
    client = failing_app.test_client()
    response = client.get("/boom", headers={"Accept-Language": accept, "X-Request-ID": "ref-42"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "ref-42"
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert '<code class="request-id" dir="ltr">ref-42</code>' in page
    assert "the database fell over" not in page
    (record,) = lines()
    assert (record.path, record.status, record.request_id) == ("/boom", 500, "ref-42")


def test_the_500_page_in_english_asks_to_quote_the_reference(failing_app):
    page = failing_app.test_client().get("/boom").get_data(as_text=True)
    assert "quote this reference" in page


def test_the_api_500_names_the_reference(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    rid = response.headers["X-Request-ID"]
    assert response.json["error"]["code"] == "error"
    assert rid in response.json["error"]["message"]


def test_the_500_page_has_a_plain_fallback_when_the_layout_fails(failing_app, monkeypatch):
    import matchmaker.web

    def broken(*_args, **_kwargs):
        raise RuntimeError("the header needs the database too")

    monkeypatch.setattr(matchmaker.web, "render_template", broken)
    response = failing_app.test_client().get("/boom", headers={"X-Request-ID": "ref-43"})
    assert response.status_code == 500
    assert "quote this reference: <code>ref-43</code>" in response.get_data(as_text=True)
