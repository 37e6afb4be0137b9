"""The report's figures against a hand-counted fair (see report_fixtures), rates and exports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matchmaker.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import exchange_rates, exports, statistics
from matchmaker.exhibitions.models import ExchangeRate

from .conftest import add_user, count
from .report_fixtures import build_fair


@pytest.fixture
def built(db, make_fair, make_participant, slots):
    return build_fair(db, make_fair, make_participant, slots)


@pytest.mark.parametrize(
    ("country", "market"),
    [("CN", "china"), ("DE", "developed"), ("KZ", "belt_and_road"), ("BR", "other"),
     ("KR", "belt_and_road"), ("XX", "other")],
)  # fmt: skip
def test_primary_market_prefers_china_then_belt_and_road(country, market):
    assert statistics.primary_market(country) == market


def test_registrations_by_role_and_market(db, organizer, built):
    figures = statistics.fair_figures(db, organizer, built["fair"].id)

    reg = figures.registrations
    assert reg.cells == {
        ("exhibitor", "china"): 1,
        ("exhibitor", "belt_and_road"): 1,
        ("buyer", "developed"): 1,
        ("buyer", "belt_and_road"): 1,
        ("visitor", "other"): 1,
    }
    assert (reg.total, reg.checked_in, reg.check_in_rate) == (5, 2, 0.4)
    assert reg.by_market("belt_and_road") == 2


def test_meetings_counted_by_stage(db, organizer, built):
    meet = statistics.fair_figures(db, organizer, built["fair"].id).meetings

    assert (meet.requested, meet.waiting, meet.accepted, meet.scheduled) == (9, 1, 6, 5)
    assert (meet.held, meet.no_show, meet.declined, meet.cancelled) == (3, 1, 1, 1)
    assert meet.acceptance_rate == 6 / 7
    assert meet.show_up_rate == 3 / 4


def test_busiest_slots_and_tables(db, organizer, built, slots):
    figures = statistics.fair_figures(db, organizer, built["fair"].id)

    s = slots(built["fair"])
    assert [(u.starts_at, u.meetings) for u in figures.busiest_slots] == [
        (s[0].starts_at, 2),
        (s[1].starts_at, 2),
        (s[2].starts_at, 1),
    ]
    assert [(t.name, t.meetings, t.utilisation) for t in figures.busiest_tables] == [
        ("T01", 3, 3 / 12),
        ("T02", 2, 2 / 12),
    ]
    assert (figures.slot_count, figures.table_count) == (12, 3)
    assert figures.table_utilisation == 5 / 36


def test_outcomes_count_each_meeting_once_at_its_best(db, organizer, built):
    out = statistics.fair_figures(db, organizer, built["fair"].id).outcomes

    assert out.meetings == 3
    assert out.by_kind == {"no_fit": 0, "follow_up": 1, "mou": 1, "contract": 1}
    assert dict(out.counts) == {
        ("bpo", "developed"): 1,
        ("kpo", "belt_and_road"): 1,
        ("none", "developed"): 1,
    }
    assert dict(out.value_usd) == {
        ("bpo", "developed"): Decimal(20000),
        ("kpo", "belt_and_road"): Decimal(70000),
    }
    assert out.total_usd == Decimal(90000)
    assert [(u.currency, u.outcomes, u.cents) for u in out.unconverted.values()] == [
        ("KRW", 1, 300_000_000)
    ]


def test_the_larger_value_wins_after_conversion(db, organizer, built):
    """At 2.5 USD per euro, the provider's 10,000 EUR beats the buyer's 20,000 USD."""
    fair = built["fair"]
    exchange_rates.set_rate(db, organizer, fair.id, "EUR", "2.5")

    out = statistics.fair_figures(db, organizer, fair.id).outcomes

    assert out.by_kind["contract"] == 1  # the stage still comes from the more advanced side
    assert out.value_usd[("ito", "developed")] == Decimal(25000)
    assert ("bpo", "developed") not in out.counts


def test_a_rate_converts_what_was_not_converted(db, organizer, built):
    fair = built["fair"]
    exchange_rates.set_rate(db, organizer, fair.id, "krw", "0.00075")

    out = statistics.fair_figures(db, organizer, fair.id).outcomes

    assert out.unconverted == {}
    assert out.value_usd[("none", "developed")] == Decimal(2250)


def test_rates_used_are_listed_without_usd(db, organizer, built):
    figures = statistics.fair_figures(db, organizer, built["fair"].id)

    assert figures.rates == {"CNY": Decimal("0.14"), "EUR": Decimal("1.1")}


def test_empty_fair_has_zero_figures(db, organizer, make_fair):
    fair = make_fair()

    figures = statistics.fair_figures(db, organizer, fair.id)

    assert figures.registrations.total == 0
    assert figures.meetings.acceptance_rate is None
    assert figures.busiest_slots == []
    assert figures.outcomes.meetings == 0


def test_figures_are_for_organizers_and_admins(db, built, admin, make_member):
    fair_id = built["fair"].id
    _org, member = make_member()

    assert statistics.fair_figures(db, admin, fair_id).meetings.requested == 9
    with pytest.raises(PermissionDenied):
        statistics.fair_figures(db, member, fair_id)
    with pytest.raises(NotAuthenticated):
        statistics.fair_figures(db, None, fair_id)


# --- exchange rates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "value", "field"),
    [
        ("", "1", "currency"),
        ("XYZ", "1", "currency"),
        ("USD", "1", "currency"),
        ("JPY", "", "usd_per_unit"),
        ("JPY", "abc", "usd_per_unit"),
        ("JPY", "0", "usd_per_unit"),
        ("JPY", "-1", "usd_per_unit"),
        ("JPY", "NaN", "usd_per_unit"),
        ("JPY", "Infinity", "usd_per_unit"),
        ("JPY", "1000000.000000001", "usd_per_unit"),
        ("JPY", "0.0000000001", "usd_per_unit"),
        ("JPY", "1e400", "usd_per_unit"),
    ],
)
def test_bad_rates_are_refused_and_write_nothing(db, organizer, make_fair, currency, value, field):
    fair = make_fair()

    with pytest.raises(ValidationFailed) as refused:
        exchange_rates.set_rate(db, organizer, fair.id, currency, value)

    assert list(refused.value.fields) == [field]
    assert count(db, ExchangeRate) == 0


def test_rate_is_upserted_exactly(db, organizer, make_fair):
    fair = make_fair()

    exchange_rates.set_rate(db, organizer, fair.id, "JPY", "0.0067")
    rate = exchange_rates.set_rate(db, organizer, fair.id, "jpy", "1,000,000")

    assert count(db, ExchangeRate) == 1
    assert (rate.currency, rate.usd_nanos_per_unit) == ("JPY", 10**15)
    exchange_rates.set_rate(db, organizer, fair.id, "JPY", "0.000000001")
    assert exchange_rates.list_rates(db, organizer, fair.id)[0].usd_per_unit == Decimal("1E-9")


def test_rates_belong_to_organizers(db, make_fair, make_member):
    fair = make_fair()
    _org, member = make_member()

    with pytest.raises(PermissionDenied):
        exchange_rates.set_rate(db, member, fair.id, "EUR", "1.1")
    with pytest.raises(NotFound):
        exchange_rates.delete_rate(db, add_user(db, role="admin"), fair.id, "EUR")


# --- exports ----------------------------------------------------------------------------


def _csv(lines) -> list[str]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return text[1:].split("\r\n")


def test_participants_csv_has_every_registration_and_guards_formulas(db, organizer, built):
    lines = _csv(exports.fair_export(db, organizer, built["fair"].id, "participants"))

    assert lines[0] == (
        "organization,country,role,status,market_group,checked_in_at,contact_email,services"
    )
    assert len(lines) == 1 + 6 + 1  # header, six registrations, the final line break
    assert (
        "Berlin AG,DE,buyer,registered,developed,2026-06-10T09:30:00+08:00,"
        "'+buyer@example.com,ito.software_rd"
    ) in lines
    assert '"\'=HYPERLINK(""x"")",BR,visitor,registered,other,,,ito.software_rd' in lines


def test_meetings_and_outcomes_csv(db, organizer, built, slots):
    fair = built["fair"]
    m1 = built["meetings"][0]

    meetings = _csv(exports.fair_export(db, organizer, fair.id, "meetings"))
    outcomes = _csv(exports.fair_export(db, organizer, fair.id, "outcomes"))

    assert meetings[1] == f"{m1.id},Dalian Soft,Berlin AG,held,2026-06-10T09:00:00+08:00,T01,people"
    assert len(meetings) == 1 + 9 + 1
    assert outcomes[0] == "meeting,organization,outcome,service,value,currency,value_usd"
    assert outcomes[1] == f"{m1.id},Dalian Soft,follow_up,ito.software_rd,10000.00,EUR,11000.00"
    assert outcomes[-2].endswith(",Astana LLP,follow_up,,3000000.00,KRW,")


def test_exports_refuse_others(db, built, make_member):
    _org, member = make_member()

    with pytest.raises(PermissionDenied):
        exports.fair_export(db, member, built["fair"].id, "participants")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_defused(cell):
    assert exports.safe_cell(cell) == "'" + cell


# --- the platform -----------------------------------------------------------------------


def test_platform_figures_by_year(db, admin, built, make_fair):
    make_fair(status="draft", starts_on="2027-01-05", ends_on="2027-01-06")
    make_fair(starts_on="2027-03-01", ends_on="2027-03-02")

    years = statistics.platform_figures(db, admin)

    assert [(y.year, y.fairs, y.participants, y.meetings_held) for y in years] == [
        (2027, 1, 0, 0),
        (2026, 1, 5, 3),
    ]
    assert years[1].outcomes.total_usd == Decimal(90000)
    assert [y.year for y in statistics.platform_figures(db, admin, 2026)] == [2026]


def test_platform_figures_are_for_admins(db, organizer, built):
    with pytest.raises(PermissionDenied):
        statistics.platform_figures(db, organizer)


def test_platform_csv(db, admin, built):
    lines = _csv(exports.platform_export(db, admin))

    assert lines[0].startswith("year,fairs,participants,meetings_held,outcomes_no_fit,")
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert (row["year"], row["participants"], row["outcomes_contract"]) == ("2026", "5", "1")
    assert row["value_usd_kpo_belt_and_road"] == "70000.00"
    assert row["not_converted"] == "KRW:1"
