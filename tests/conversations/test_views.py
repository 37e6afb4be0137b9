"""Inbox, inquiry form, thread, profile contacts and the admin reports page."""

from __future__ import annotations

from sqlmodel import select

from matchmaker.conversations import service
from matchmaker.conversations.models import AbuseReport, Block, Conversation


def test_profile_shows_contact_button_and_persons(client, login, buyer, provider):
    login(buyer.user.email)
    page = client.get(f"/organizations/{provider.org.id}").get_data(as_text=True)
    assert f'href="/conversations/new?to={provider.org.id}"' in page
    assert "<bdi>Li Wei</bdi>" in page
    assert provider.user.email not in page


def test_profile_shows_email_to_conversation_partner(client, login, conversation, buyer, provider):
    login(buyer.user.email)
    page = client.get(f"/organizations/{provider.org.id}").get_data(as_text=True)
    assert f'href="mailto:{provider.user.email}"' in page


def test_profile_anonymous_contact_goes_to_sign_in(client, provider):
    page = client.get(f"/organizations/{provider.org.id}").get_data(as_text=True)
    assert f'href="/account/login?next=/conversations/new?to%3D{provider.org.id}"' in page
    assert provider.user.email not in page


def test_new_inquiry_form_shows_budget_for_buyers(client, login, buyer, provider):
    login(buyer.user.email)
    response = client.get(f"/conversations/new?to={provider.org.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="budget"' in page
    assert 'value="bpo.call_center"' in page


def test_new_inquiry_sends_and_opens_thread(client, login, db, buyer, provider):
    login(buyer.user.email)
    response = client.post(
        f"/conversations/new?to={provider.org.id}",
        data={
            "subject": "Claims",
            "message": "Wir suchen einen Partner.",
            "services": ["bpo.call_center"],
            "budget": "50k_250k",
            "timeline": "Q3",
            "language": "de",
        },
    )
    conversation = db.exec(select(Conversation)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/conversations/{conversation.id}"
    page = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "Wir suchen einen Partner." in page
    assert '<span class="badge message-language">German</span>' in page


def test_new_inquiry_empty_fields_show_all_errors(client, login, db, buyer, provider):
    login(buyer.user.email)
    response = client.post(f"/conversations/new?to={provider.org.id}", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count('class="error"') == 2
    assert db.exec(select(Conversation)).all() == []


def test_new_inquiry_too_long_message_is_422(client, login, db, buyer, provider):
    login(buyer.user.email)
    response = client.post(
        f"/conversations/new?to={provider.org.id}",
        data={"subject": "Hi", "message": "x" * 20_000},
    )
    assert response.status_code == 422
    assert db.exec(select(Conversation)).all() == []


def test_new_inquiry_hidden_target_is_404(client, login, buyer, make_org):
    hidden = make_org(visibility="hidden")
    login(buyer.user.email)
    assert client.get(f"/conversations/new?to={hidden.id}").status_code == 404
    assert client.get("/conversations/new?to=abc").status_code == 404
    assert client.get("/conversations/new?to=99999999999").status_code == 404


def test_new_inquiry_unverified_is_403_with_message(client, login, buyer, provider, member):
    unverified = member(buyer.org, verified=False)
    login(unverified.email)
    response = client.post(
        f"/conversations/new?to={provider.org.id}", data={"subject": "Hi", "message": "Hello"}
    )
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.get_data(as_text=True)


def test_new_inquiry_over_limit_is_429(app, client, login, buyer, provider):
    app.config["CONVERSATIONS_PER_DAY"] = 0
    login(buyer.user.email)
    response = client.post(
        f"/conversations/new?to={provider.org.id}", data={"subject": "Hi", "message": "Hello"}
    )
    assert response.status_code == 429


def test_inbox_lists_with_unread_and_search(client, login, conversation, provider):
    login(provider.user.email)
    page = client.get("/conversations").get_data(as_text=True)
    assert "<bdi>Claims</bdi>" in page
    assert "1 unread" in page
    empty = client.get("/conversations?q=zzz").get_data(as_text=True)
    assert "No conversation matches “zzz”." in empty


def test_inbox_empty_state(client, login, buyer):
    login(buyer.user.email)
    page = client.get("/conversations?page=x").get_data(as_text=True)
    assert "No conversations yet." in page


def test_thread_reply_by_colleague_and_team_visibility(
    client, login, call, db, conversation, buyer, provider, member
):
    colleague = member(provider.org)
    login(colleague.email)
    response = client.post(f"/conversations/{conversation.id}", data={"body": "你好，可以合作"})
    assert response.status_code == 303
    page = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert '<div class="message-body" lang="zh" dir="auto">你好，可以合作</div>' in page
    assert call(service.unread_total, db, buyer.org.id) == 1


def test_thread_empty_reply_is_422(client, login, conversation, provider):
    login(provider.user.email)
    assert client.post(f"/conversations/{conversation.id}", data={"body": ""}).status_code == 422


def test_thread_of_others_is_404(client, login, conversation, make_org, member):
    login(member(make_org()).email)
    assert client.get(f"/conversations/{conversation.id}").status_code == 404


def test_block_and_report_from_thread(client, login, db, conversation, buyer, provider):
    login(provider.user.email)
    assert client.post(f"/conversations/{conversation.id}/block").status_code == 303
    assert (
        client.post(f"/conversations/{conversation.id}/report", data={"reason": "Spam"}).status_code
        == 303
    )
    assert db.exec(select(Block.blocked_organization_id)).all() == [buyer.org.id]
    assert db.exec(select(AbuseReport.reason)).all() == ["Spam"]


def test_admin_reports_page_lists_and_resolves(
    client, login, call, db, conversation, provider, make_user
):
    report = call(service.report, db, provider.user, conversation.id, "Spam offers")
    admin = make_user(role="admin")
    login(admin.email)
    page = client.get("/admin/reports").get_data(as_text=True)
    assert "Spam offers" in page
    assert client.post(f"/admin/reports/{report.id}/resolve").status_code == 303
    assert "No open reports." in client.get("/admin/reports").get_data(as_text=True)


def test_admin_reports_page_for_members_is_403(client, login, buyer):
    login(buyer.user.email)
    assert client.get("/admin/reports").status_code == 403
