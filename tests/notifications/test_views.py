"""Pages: the list, marking read, the e-mail switches and the header count."""

from __future__ import annotations

from sqlmodel import select

from matchmaker.notifications import service
from matchmaker.notifications.models import KINDS, NotificationSetting


def _notify(app, db, user, count=1):
    with app.app_context():
        for n in range(count):
            service.notify(
                db, [user.id], "interest", {"from_org": f"Firm <{n}>"}, "/organizations/3"
            )
        db.commit()


def test_notifications_page_lists_unread_with_isolated_names(app, db, make_user, login):
    user = make_user("a@example.com")
    _notify(app, db, user, 2)
    client = login("a@example.com")

    html = client.get("/notifications").get_data(as_text=True)

    assert html.count('class="notification unread"') == 2
    assert "<bdi>Firm &lt;1&gt;</bdi> is interested in your organization" in html
    assert "Mark all as read" in html
    assert "Notifications, 2 unread" in html


def test_notifications_page_empty_state(make_user, login):
    make_user("a@example.com")

    html = login("a@example.com").get("/notifications").get_data(as_text=True)

    assert "No notifications yet." in html
    assert "Mark all as read" not in html


def test_notifications_page_needs_sign_in(client):
    response = client.get("/notifications")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_notifications_page_beyond_the_last_is_404(make_user, login):
    make_user("a@example.com")
    client = login("a@example.com")

    assert client.get("/notifications?page=2").status_code == 404
    assert client.get("/notifications?page=x").status_code == 404


def test_mark_all_read_clears_the_count(app, db, make_user, login):
    user = make_user("a@example.com")
    _notify(app, db, user, 3)
    client = login("a@example.com")

    response = client.post("/notifications/read")

    assert response.status_code == 303
    assert service.unread_count(db, user) == 0
    assert "Notifications, " not in client.get("/notifications").get_data(as_text=True)


def test_mark_one_read_and_refuse_a_bad_id(app, db, make_user, login):
    user = make_user("a@example.com")
    _notify(app, db, user, 2)
    client = login("a@example.com")
    newest = service.list_notifications(db, user).items[0]

    assert client.post("/notifications/read", data={"id": str(newest.id)}).status_code == 303
    assert client.post("/notifications/read", data={"id": "1x"}).status_code == 400
    assert service.unread_count(db, user) == 1


def test_email_settings_page_switches_a_kind_off(db, make_user, login):
    user = make_user("a@example.com")
    client = login("a@example.com")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert page.count('type="checkbox"') == len(KINDS)
    assert page.count("checked") == len(KINDS)

    on = {kind: "y" for kind in KINDS if kind != "reply"}
    response = client.post("/account/notifications", data=on)

    assert response.status_code == 303
    assert service.email_settings(db, user)["reply"] is False
    rows = db.exec(select(NotificationSetting).where(NotificationSetting.email.is_(False)))
    assert [row.kind for row in rows] == ["reply"]
