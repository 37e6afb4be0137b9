"""The shortlist: save on any card, private notes, undo, the dismissed list, "Let them know"."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.matching.models import PartnerNote


@pytest.fixture
def buyer_team(make_org, make_user, login):
    buyer = make_org(name="Nordlicht Insurance", kind="buyer", country="DE")
    provider = make_org(name="Dalian Soft", kind="provider", country="CN")
    make_user("anna@example.com", organization_id=buyer.id)
    login("anna@example.com")
    return buyer, provider


def test_directory_card_offers_save_when_signed_in(client, buyer_team):
    buyer, provider = buyer_team
    html = client.get("/organizations?kind=provider").get_data(as_text=True)
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/save"' in html
    assert f'action="/organizations/{buyer.id}/partners/{buyer.id}/save"' not in html


def test_directory_card_has_no_save_when_anonymous(client, make_org):
    make_org(name="Dalian Soft")
    html = client.get("/organizations").get_data(as_text=True)
    assert "/partners/" not in html


def test_home_card_offers_save(client, buyer_team):
    buyer, provider = buyer_team
    html = client.get("/").get_data(as_text=True)
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/save"' in html


def test_save_from_card_returns_and_offers_let_them_know(client, buyer_team):
    buyer, provider = buyer_team
    response = client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/save",
        data={"next": "/organizations?kind=provider"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/organizations?kind=provider"
    html = client.get("/organizations?kind=provider").get_data(as_text=True)
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/interest"' in html
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/save"' not in html


def test_saved_page_lists_partner_with_note(client, db, buyer_team):
    buyer, provider = buyer_team
    client.post(f"/organizations/{buyer.id}/partners/{provider.id}/save")
    response = client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/note",
        data={"note": "  Call them after the fair  "},
    )
    assert response.status_code == 303
    note = db.exec(select(PartnerNote).where(PartnerNote.source_id == buyer.id)).one()
    assert note.note == "Call them after the fair"
    html = client.get(f"/organizations/{buyer.id}/saved").get_data(as_text=True)
    assert "<bdi>Dalian Soft</bdi>" in html
    assert ">Call them after the fair</textarea>" in html


def test_note_too_long_is_refused_and_nothing_stored(client, db, buyer_team):
    buyer, provider = buyer_team
    client.post(f"/organizations/{buyer.id}/partners/{provider.id}/save")
    response = client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/note",
        data={"note": "x" * 2001},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "At most 2000 characters." in response.get_data(as_text=True)
    assert db.exec(select(PartnerNote)).all() == []


def test_note_on_unsaved_partner_is_refused(client, db, buyer_team):
    buyer, provider = buyer_team
    response = client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/note",
        data={"note": "hello"},
        follow_redirects=True,
    )
    assert "Save the organization first." in response.get_data(as_text=True)
    assert db.exec(select(PartnerNote)).all() == []


def test_saved_page_is_team_only(client, make_org, make_user, login):
    buyer = make_org(kind="buyer")
    other = make_org(kind="provider")
    make_user("eve@example.com", organization_id=other.id)
    login("eve@example.com")
    assert client.get(f"/organizations/{buyer.id}/saved").status_code == 403
    assert client.get(f"/organizations/{buyer.id}/dismissed").status_code == 403


def test_saved_page_needs_sign_in(client, make_org):
    buyer = make_org(kind="buyer")
    response = client.get(f"/organizations/{buyer.id}/saved")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_remove_offers_undo_and_undo_keeps_the_note(client, db, buyer_team):
    buyer, provider = buyer_team
    client.post(f"/organizations/{buyer.id}/partners/{provider.id}/save")
    client.post(f"/organizations/{buyer.id}/partners/{provider.id}/note", data={"note": "Good fit"})
    response = client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/forget",
        data={"next": f"/organizations/{buyer.id}/saved?removed={provider.id}"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Dalian Soft</bdi> is removed from your saved organizations." in html
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/save"' in html
    client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/save",
        data={"next": f"/organizations/{buyer.id}/saved"},
    )
    html = client.get(f"/organizations/{buyer.id}/saved").get_data(as_text=True)
    assert ">Good fit</textarea>" in html


def test_dismissed_page_lists_and_restores(client, buyer_team):
    buyer, provider = buyer_team
    client.post(f"/organizations/{buyer.id}/partners/{provider.id}/dismiss")
    html = client.get(f"/organizations/{buyer.id}/dismissed").get_data(as_text=True)
    assert "<bdi>Dalian Soft</bdi>" in html
    client.post(
        f"/organizations/{buyer.id}/partners/{provider.id}/forget",
        data={"next": f"/organizations/{buyer.id}/dismissed?removed={provider.id}"},
    )
    html = client.get(f"/organizations/{buyer.id}/dismissed?removed={provider.id}").get_data(
        as_text=True
    )
    assert "Nothing dismissed" in html
    assert f'action="/organizations/{buyer.id}/partners/{provider.id}/dismiss"' in html


def test_let_them_know_notifies_once(client, db, buyer_team, monkeypatch):
    import matchmaker.notifications.service as notifications

    buyer, provider = buyer_team
    sent = []
    monkeypatch.setattr(
        notifications,
        "notify_organization",
        lambda _db, org_id, kind, params, link, exclude_user_id=None: sent.append(
            (org_id, kind, params, link)
        ),
    )
    url = f"/organizations/{buyer.id}/partners/{provider.id}/interest"
    first = client.post(url, follow_redirects=True)
    assert "They are told that you are interested." in first.get_data(as_text=True)
    second = client.post(url, follow_redirects=True)
    assert "You told them already." in second.get_data(as_text=True)
    assert sent == [
        (provider.id, "interest", {"from_org": "Nordlicht Insurance"}, f"/organizations/{buyer.id}")
    ]
    html = client.get(f"/organizations/{buyer.id}/saved").get_data(as_text=True)
    assert "They know you are interested" in html


def test_let_them_know_for_another_organization_is_forbidden(client, make_org, buyer_team):
    _buyer, provider = buyer_team
    stranger = make_org(kind="buyer")
    url = f"/organizations/{stranger.id}/partners/{provider.id}/interest"
    assert client.post(url).status_code == 403


def test_let_them_know_to_yourself_is_refused(client, db, buyer_team):
    buyer, _provider = buyer_team
    response = client.post(
        f"/organizations/{buyer.id}/partners/{buyer.id}/interest", follow_redirects=True
    )
    assert "Choose another organization." in response.get_data(as_text=True)
    assert db.exec(select(PartnerNote)).all() == []
