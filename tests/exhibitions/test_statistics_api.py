"""The statistics and exchange-rate API: figures, permissions, bad input."""

from __future__ import annotations

import pytest

from matchmaker.accounts.service import create_token
from matchmaker.exhibitions.models import ExchangeRate

from .conftest import add_user, count
from .report_fixtures import build_fair


@pytest.fixture
def bearer(db):
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(db, user)[1]}"}

    return make


@pytest.fixture
def built(db, make_fair, make_participant, slots):
    return build_fair(db, make_fair, make_participant, slots)


def test_fair_statistics(client, organizer, bearer, built):
    response = client.get(
        f"/api/v1/exhibitions/{built['fair'].id}/statistics", headers=bearer(organizer)
    )

    body = response.json
    assert response.status_code == 200
    assert body["registrations"]["total"] == 5
    assert {"role": "buyer", "market": "developed", "count": 1} in body["registrations"]["items"]
    assert body["meetings"]["requested"] == 9
    assert body["meetings"]["show_up_rate"] == 0.75
    assert body["busiest_tables"][0] == {"name": "T01", "meetings": 3, "utilisation": 0.25}
    assert body["outcomes"]["by_kind"] == {"no_fit": 0, "follow_up": 1, "mou": 1, "contract": 1}
    assert body["outcomes"]["items"] == [
        {"family": "bpo", "market": "developed", "meetings": 1, "value_usd": "20000.00"},
        {"family": "kpo", "market": "belt_and_road", "meetings": 1, "value_usd": "70000.00"},
        {"family": "none", "market": "developed", "meetings": 1, "value_usd": "0.00"},
    ]
    assert body["outcomes"]["total_usd"] == "90000.00"
    assert body["outcomes"]["unconverted"] == [
        {"currency": "KRW", "outcomes": 1, "value": "3000000.00"}
    ]
    assert body["rates"] == [
        {"currency": "CNY", "usd_per_unit": "0.14"},
        {"currency": "EUR", "usd_per_unit": "1.1"},
    ]


def test_statistics_refused_to_members_and_strangers(client, db, bearer, built, make_member):
    _org, member = make_member()
    path = f"/api/v1/exhibitions/{built['fair'].id}/statistics"

    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(member)).status_code == 403
    assert (
        client.get("/api/v1/exhibitions/999999/statistics", headers=bearer(member)).status_code
        == 404
    )


def test_rates_put_list_delete(client, db, organizer, bearer, built):
    headers = bearer(organizer)
    base = f"/api/v1/exhibitions/{built['fair'].id}/exchange-rates"

    put = client.put(f"{base}/krw", json={"usd_per_unit": "0.00075"}, headers=headers)
    listed = client.get(base, headers=headers)
    deleted = client.delete(f"{base}/EUR", headers=headers)
    again = client.delete(f"{base}/EUR", headers=headers)

    assert put.status_code == 200
    assert (put.json["currency"], put.json["usd_per_unit"]) == ("KRW", "0.00075")
    assert [r["currency"] for r in listed.json["items"]] == ["CNY", "EUR", "KRW"]
    assert deleted.status_code == 204
    assert again.status_code == 404
    stats = client.get(f"/api/v1/exhibitions/{built['fair'].id}/statistics", headers=headers)
    assert stats.json["outcomes"]["unconverted"] == []


@pytest.mark.parametrize(
    ("currency", "body", "field"),
    [
        ("XYZ", {"usd_per_unit": "1"}, "currency"),
        ("USD", {"usd_per_unit": "1"}, "currency"),
        ("JPY", {"usd_per_unit": "-1"}, "usd_per_unit"),
        ("JPY", {"usd_per_unit": "1e9"}, "usd_per_unit"),
        ("JPY", {"usd_per_unit": 0.5}, "usd_per_unit"),
        ("JPY", {"usd_per_unit": "1", "extra": 1}, "extra"),
        ("JPY", {}, "usd_per_unit"),
    ],
)
def test_bad_rate_is_422_and_writes_nothing(
    client, db, organizer, bearer, built, currency, body, field
):
    response = client.put(
        f"/api/v1/exhibitions/{built['fair'].id}/exchange-rates/{currency}",
        json=body,
        headers=bearer(organizer),
    )

    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count(db, ExchangeRate) == 2


def test_rates_refused_to_members(client, db, bearer, built, make_member):
    _org, member = make_member()

    response = client.put(
        f"/api/v1/exhibitions/{built['fair'].id}/exchange-rates/JPY",
        json={"usd_per_unit": "0.0067"},
        headers=bearer(member),
    )

    assert response.status_code == 403
    assert count(db, ExchangeRate) == 2


def test_platform_statistics_by_year(client, db, organizer, bearer, built):
    admin = add_user(db, role="admin")

    everything = client.get("/api/v1/statistics", headers=bearer(admin))
    one_year = client.get("/api/v1/statistics?year=2030", headers=bearer(admin))

    assert everything.status_code == 200
    year = everything.json["items"][0]
    assert (year["year"], year["fairs"], year["participants"], year["meetings_held"]) == (
        2026, 1, 5, 3,
    )  # fmt: skip
    assert year["outcomes"]["total_usd"] == "90000.00"
    assert one_year.json == {"items": []}
    assert client.get("/api/v1/statistics", headers=bearer(organizer)).status_code == 403
    assert client.get("/api/v1/statistics?year=abc", headers=bearer(admin)).status_code == 422
