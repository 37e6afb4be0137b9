"""Notifications in the site: notify, counts, marking read, e-mail switches."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.errors import ValidationFailed
from matchmaker.notifications import service
from matchmaker.notifications.models import KINDS, Notification, OutboxMail

INQUIRY = {"from_org": "Nordlicht", "subject": "Claims"}


def _notify(app, db, user_ids, kind="inquiry", params=INQUIRY, link="/conversations/1"):
    with app.app_context():
        service.notify(db, user_ids, kind, params, link)
        db.commit()


def test_notify_adds_a_notification_and_queues_a_mail(app, db, make_user):
    user = make_user("a@example.com")

    _notify(app, db, [user.id])

    [note] = db.exec(select(Notification)).all()
    [mail] = db.exec(select(OutboxMail)).all()
    assert (note.user_id, note.kind, note.params, note.link) == (
        user.id,
        "inquiry",
        INQUIRY,
        "/conversations/1",
    )
    assert (mail.to, mail.subject) == ("a@example.com", "Nordlicht sent you an inquiry: Claims")


def test_notify_skips_the_mail_when_the_kind_is_switched_off(app, db, make_user):
    user = make_user()
    service.set_email_settings(db, user, {"inquiry": False})

    _notify(app, db, [user.id])
    _notify(app, db, [user.id], "interest", {"from_org": "Nordlicht"})

    assert len(db.exec(select(Notification)).all()) == 2
    assert [m.subject for m in db.exec(select(OutboxMail))] == [
        "Nordlicht is interested in your organization"
    ]


def test_notify_organization_reaches_every_member_but_the_excluded(app, db, make_org, make_user):
    org = make_org()
    first = make_user(organization_id=org.id)
    second = make_user(organization_id=org.id)
    make_user()  # not a member

    with app.app_context():
        service.notify_organization(
            db, org.id, "interest", {"from_org": "X"}, "/organizations/9", exclude_user_id=first.id
        )
        db.commit()

    assert [n.user_id for n in db.exec(select(Notification))] == [second.id]


def test_notify_refuses_an_unknown_kind(app, db, make_user):
    user = make_user()

    with app.app_context(), pytest.raises(ValueError):
        service.notify(db, [user.id], "party", {}, "/")


def test_unread_count_and_mark_read_by_ids_then_all(app, db, make_user):
    user, other = make_user(), make_user()
    for _ in range(3):
        _notify(app, db, [user.id, other.id])
    first_id = service.list_notifications(db, user).items[-1].id

    assert service.unread_count(db, user) == 3
    assert service.mark_read(db, user, [first_id]) == 1
    assert service.unread_count(db, user) == 2
    assert service.mark_read(db, other, [first_id]) == 0  # not theirs
    assert service.mark_read(db, user) == 2
    assert (service.unread_count(db, user), service.unread_count(db, other)) == (0, 3)


def test_list_notifications_pages_newest_first(app, db, make_user):
    user = make_user()
    for n in range(3):
        _notify(app, db, [user.id], "interest", {"from_org": f"Org {n}"})

    first = service.list_notifications(db, user, page=1, per_page=2)
    second = service.list_notifications(db, user, page=2, per_page=2)

    assert [n.params["from_org"] for n in first.items] == ["Org 2", "Org 1"]
    assert (first.total, first.unread, first.has_more) == (3, 3, True)
    assert ([n.params["from_org"] for n in second.items], second.has_more) == (["Org 0"], False)


def test_email_settings_default_on_and_switch(db, make_user):
    user = make_user()

    assert set(service.email_settings(db, user).values()) == {True}
    settings = service.set_email_settings(db, user, {"reply": False})
    settings = service.set_email_settings(db, user, {"reply": False, "interest": True})

    assert settings == dict.fromkeys(KINDS, True) | {"reply": False}


def test_set_email_settings_refuses_an_unknown_kind(app, db, make_user):
    user = make_user()

    with app.test_request_context(), pytest.raises(ValidationFailed) as error:
        service.set_email_settings(db, user, {"party": False})

    assert error.value.fields == {"party": "Unknown value: party."}


def test_set_verified_notifies_the_team_once(app, db, make_org, make_user):
    from matchmaker.profiles.service import set_verified

    org = make_org(name="Dalian Haixin")
    member = make_user(organization_id=org.id)
    admin = make_user(role="admin")

    with app.test_request_context():
        set_verified(db, admin, org.id, True)
        set_verified(db, admin, org.id, True)

    [note] = db.exec(select(Notification)).all()
    assert (note.user_id, note.kind, note.params, note.link) == (
        member.id,
        "verification_granted",
        {"org": "Dalian Haixin"},
        f"/organizations/{org.id}",
    )
