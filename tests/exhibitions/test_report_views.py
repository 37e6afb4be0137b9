"""The report page, its exchange-rate form, CSV downloads and the platform statistics page."""

from __future__ import annotations

import re

import pytest

from matchmaker.exhibitions.models import ExchangeRate

from .conftest import count
from .report_fixtures import build_fair


@pytest.fixture
def organizer_client(login, make_user):
    user = make_user(role="organizer")
    return login(user.email), user


@pytest.fixture
def built(db, organizer_client, make_fair, make_participant, slots):
    _client, user = organizer_client
    return build_fair(db, make_fair, make_participant, slots, actor=user)


def _signed_in(app, user=None):
    """A fresh browser: signed in as ``user``, or anonymous."""
    fresh = app.test_client()
    if user is not None:
        answer = fresh.post("/account/login", data={"email": user.email, "password": "password123"})
        assert answer.status_code == 302
    return fresh


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error"[^>]*>([^<]*)</p>', html))


def test_report_shows_figures_charts_and_rules(organizer_client, built):
    client, _user = organizer_client

    response = client.get(f"/exhibitions/{built['fair'].id}/report")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 6
    assert 'aria-labelledby="chart-meetings-title"' in html
    assert "<strong>85.7%</strong> acceptance rate" in html
    assert "<strong>$90,000</strong> intended contract value" in html
    assert "1 outcomes in KRW (₩3,000,000): enter a rate below to count them." in html
    assert "China; else Belt and Road" in html
    assert '<th scope="row">CNY</th><td class="num">0.14</td>' in html
    assert ' style="' not in html and "<script>" not in html


def test_report_in_arabic_mirrors_the_charts(organizer_client, built):
    client, _user = organizer_client

    html = client.get(f"/exhibitions/{built['fair'].id}/report?lang=ar").get_data(as_text=True)

    assert 'dir="rtl"' in html
    assert html.count(' direction="rtl"') == 6


def test_empty_fair_shows_friendly_notes(organizer_client, make_fair):
    client, user = organizer_client
    fair = make_fair(actor=user)

    html = client.get(f"/exhibitions/{fair.id}/report").get_data(as_text=True)

    assert "No meeting requests yet." in html
    assert "No outcomes recorded yet." in html
    assert "<svg" not in html.split("<main", 1)[1]


def test_report_is_refused_to_participants_and_asks_strangers_to_sign_in(app, make_user, built):
    fair_id = built["fair"].id
    for path in (f"/exhibitions/{fair_id}/report", f"/exhibitions/{fair_id}/report/meetings.csv"):
        anonymous = _signed_in(app).get(path)
        assert anonymous.status_code == 302
        assert "/account/login" in anonymous.headers["Location"]
    client = _signed_in(app, make_user())
    assert client.get(f"/exhibitions/{fair_id}/report").status_code == 403
    assert client.get(f"/exhibitions/{fair_id}/report/meetings.csv").status_code == 403
    assert client.post(f"/exhibitions/{fair_id}/report/rates", data={}).status_code == 403


def test_admin_sees_any_report(app, make_user, built):
    client = _signed_in(app, make_user(role="admin"))

    assert client.get(f"/exhibitions/{built['fair'].id}/report").status_code == 200


def test_rate_form_saves_and_lists(db, organizer_client, built):
    client, _user = organizer_client
    fair_id = built["fair"].id

    response = client.post(
        f"/exhibitions/{fair_id}/report/rates", data={"currency": "KRW", "usd_per_unit": "0.00075"}
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/exhibitions/{fair_id}/report#rates")
    html = client.get(f"/exhibitions/{fair_id}/report").get_data(as_text=True)
    assert '<th scope="row">KRW</th><td class="num">0.00075</td>' in html
    assert "Not converted" not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"currency": "", "usd_per_unit": "1"}, "currency", "Choose a currency from the list."),
        ({"currency": "USD", "usd_per_unit": "1"}, "currency", "US dollars need no rate"),
        ({"currency": "JPY", "usd_per_unit": "abc"}, "usd_per_unit", "Enter a number"),
        ({"currency": "JPY", "usd_per_unit": "0"}, "usd_per_unit", "Enter a rate above zero."),
        ({"currency": "JPY", "usd_per_unit": "2000000"}, "usd_per_unit", "at most 1,000,000"),
        ({"currency": "JPY", "usd_per_unit": "0.1234567891"}, "usd_per_unit", "9 decimal"),
    ],
)
def test_rate_form_errors(db, organizer_client, built, data, field, message):
    client, _user = organizer_client

    response = client.post(f"/exhibitions/{built['fair'].id}/report/rates", data=data)

    assert response.status_code == 422
    assert message in _errors(response.get_data(as_text=True))[field]
    assert count(db, ExchangeRate) == 2


def test_rate_is_removed(db, organizer_client, built):
    client, _user = organizer_client
    fair_id = built["fair"].id

    response = client.post(f"/exhibitions/{fair_id}/report/rates/EUR/delete")

    assert response.status_code == 303
    assert count(db, ExchangeRate) == 1
    assert client.post(f"/exhibitions/{fair_id}/report/rates/EUR/delete").status_code == 404


@pytest.mark.parametrize("what", ["participants", "meetings", "outcomes"])
def test_csv_downloads(organizer_client, built, what):
    client, _user = organizer_client

    response = client.get(f"/exhibitions/{built['fair'].id}/report/{what}.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith("\ufeff".encode())
    assert response.data.decode("utf-8").count("\r\n") > 1


def test_unknown_export_is_404(organizer_client, built):
    client, _user = organizer_client

    assert client.get(f"/exhibitions/{built['fair'].id}/report/secrets.csv").status_code == 404


def test_platform_statistics_for_admins_only(app, make_user, built):
    assert _signed_in(app).get("/admin/statistics").status_code == 302
    organizer = _signed_in(app, make_user(role="organizer"))
    assert organizer.get("/admin/statistics").status_code == 403
    assert organizer.get("/admin/statistics.csv").status_code == 403
    client = _signed_in(app, make_user(role="admin"))

    page = client.get("/admin/statistics")
    download = client.get("/admin/statistics.csv")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<h2 id="year-2026">2026</h2>' in html
    assert "$90,000" in html and "$90,000.00" not in html
    assert download.status_code == 200
    assert download.data.decode("utf-8").startswith("\ufeffyear,fairs,")
