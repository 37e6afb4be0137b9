"""A small fair with hand-counted figures, shared by the report's tests.

Participants (registered): CN exhibitor (china), KR exhibitor (belt_and_road: Korea is also
developed, Belt and Road wins), DE buyer (developed), KZ buyer (belt_and_road), BR visitor
(other); a withdrawn CN exhibitor does not count. CN and DE are checked in.

Meetings (12 slots, 3 tables):
  m1 CN→DE held   slot0 T01   outcomes: CN follow_up ito 10,000 EUR; DE contract bpo 20,000 USD
  m2 CN→KZ held   slot1 T01   outcomes: KZ mou kpo 500,000 CNY; CN no_fit, no value
  m3 KR→DE no_show slot1 T02
  m4 KR→KZ accepted slot0 T02
  m5 CN→BR requested
  m6 KR→BR declined
  m7 DE→KZ cancelled
  m8 BR→KR accepted, no slot yet
  m9 KZ→DE held   slot2 T01   outcome: KZ follow_up, no service, 3,000,000 KRW (no rate)
Rates: EUR 1.1, CNY 0.14.
"""

from __future__ import annotations

from datetime import UTC, datetime

from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import ExchangeRate, Meeting, MeetingOutcome

NANOS = 10**9


def build_fair(db, make_fair, make_participant, slots, actor=None, **fair_fields):
    fair = make_fair(actor=actor, **fair_fields) if actor else make_fair(**fair_fields)
    cn, cn_user, cn_reg = make_participant(fair, "exhibitor", country="CN", name="Dalian Soft")
    kr, _u, _r = make_participant(fair, "exhibitor", country="KR", name="Seoul Data")
    de, _u, de_reg = make_participant(fair, "buyer", country="DE", kind="buyer", name="Berlin AG")
    kz, _u, _r = make_participant(fair, "buyer", country="KZ", kind="buyer", name="Astana LLP")
    br, _u, _r = make_participant(
        fair, "visitor", country="BR", kind="buyer", name='=HYPERLINK("x")'
    )
    _gone, _u, gone_reg = make_participant(fair, "exhibitor", country="CN", name="Gone Ltd")
    gone_reg.status = "withdrawn"
    now = datetime(2026, 6, 10, 1, 30, tzinfo=UTC)
    cn_reg.checked_in_at = now
    de_reg.checked_in_at = now
    de_reg.contact_email = "+buyer@example.com"
    db.add_all([gone_reg, cn_reg, de_reg])
    s = slots(fair)
    t = service.exhibition_tables(db, fair.id)
    plan = [
        (cn, de, "held", s[0], t[0]),
        (cn, kz, "held", s[1], t[0]),
        (kr, de, "no_show", s[1], t[1]),
        (kr, kz, "accepted", s[0], t[1]),
        (cn, br, "requested", None, None),
        (kr, br, "declined", None, None),
        (de, kz, "cancelled", None, None),
        (br, kr, "accepted", None, None),
        (kz, de, "held", s[2], t[0]),
    ]
    meetings = []
    for requester, invitee, status, slot, table in plan:
        meeting = Meeting(
            exhibition_id=fair.id,
            requester_id=requester.id,
            invitee_id=invitee.id,
            status=status,
            slot_id=slot.id if slot else None,
            table_id=table.id if table else None,
            placed_by="people" if slot else None,
        )
        db.add(meeting)
        meetings.append(meeting)
    db.commit()
    m1, m2, m9 = meetings[0], meetings[1], meetings[8]
    db.add_all(
        [
            MeetingOutcome(
                meeting_id=m1.id, organization_id=cn.id, outcome="follow_up",
                service="ito.software_rd", value_cents=1_000_000, currency="EUR",
            ),
            MeetingOutcome(
                meeting_id=m1.id, organization_id=de.id, outcome="contract",
                service="bpo.call_center", value_cents=2_000_000, currency="USD",
            ),
            MeetingOutcome(
                meeting_id=m2.id, organization_id=kz.id, outcome="mou",
                service="kpo.management_consulting", value_cents=50_000_000, currency="CNY",
            ),
            MeetingOutcome(meeting_id=m2.id, organization_id=cn.id, outcome="no_fit"),
            MeetingOutcome(
                meeting_id=m9.id, organization_id=kz.id, outcome="follow_up",
                value_cents=300_000_000, currency="KRW",
            ),
            ExchangeRate(exhibition_id=fair.id, currency="EUR", usd_nanos_per_unit=1_100_000_000),
            ExchangeRate(exhibition_id=fair.id, currency="CNY", usd_nanos_per_unit=140_000_000),
        ]
    )  # fmt: skip
    db.commit()
    return {"fair": fair, "cn": cn, "cn_user": cn_user, "de": de, "meetings": meetings}
