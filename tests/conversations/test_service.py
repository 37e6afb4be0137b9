"""The conversation rules in the service layer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from matchmaker.accounts.models import utcnow
from matchmaker.conversations import service
from matchmaker.conversations.language import detect_language
from matchmaker.conversations.models import (
    AbuseReport,
    Block,
    Conversation,
    ConversationMember,
    Message,
)
from matchmaker.errors import NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from matchmaker.notifications.models import Notification
from matchmaker.profiles.models import GraphChange, Interaction


@pytest.fixture(autouse=True)
def _app_context(app):
    """Services notify by mail, which needs the app's settings (links, sender)."""
    with app.app_context():
        yield


def start(db, buyer, provider, **overrides):
    values = {"subject": "Claims processing", "body": "We need a partner for claims."}
    values.update(overrides)
    return service.start_conversation(
        db,
        buyer.user,
        buyer.org.id,
        provider.org.id,
        values.pop("subject"),
        values.pop("body"),
        **values,
    )


def test_start_conversation_creates_both_sides_and_first_message(db, buyer, provider):
    conversation = start(
        db,
        buyer,
        provider,
        services=["bpo.call_center"],
        budget="50k_250k",
        timeline="from Q3 2027",
    )

    sides = db.exec(
        select(
            ConversationMember.organization_id,
            ConversationMember.partner_id,
            ConversationMember.unread,
        )
        .where(ConversationMember.conversation_id == conversation.id)
        .order_by(ConversationMember.id)
    ).all()
    assert sides == [(buyer.org.id, provider.org.id, 0), (provider.org.id, buyer.org.id, 1)]
    messages = db.exec(select(Message).where(Message.conversation_id == conversation.id)).all()
    assert [(m.body, m.author_user_id, m.organization_id, m.language) for m in messages] == [
        ("We need a partner for claims.", buyer.user.id, buyer.org.id, "en")
    ]
    assert (conversation.services, conversation.budget, conversation.timeline) == (
        ["bpo.call_center"],
        "50k_250k",
        "from Q3 2027",
    )


def test_start_conversation_hidden_target_is_not_found(db, buyer, make_org):
    hidden = make_org(visibility="hidden")
    with pytest.raises(NotFound):
        service.start_conversation(db, buyer.user, buyer.org.id, hidden.id, "Hi", "Hello")
    assert db.exec(select(Conversation)).all() == []


def test_start_conversation_unknown_target_is_not_found(db, buyer):
    with pytest.raises(NotFound):
        service.start_conversation(db, buyer.user, buyer.org.id, 999_999, "Hi", "Hello")


def test_start_conversation_with_yourself_is_refused(db, buyer):
    with pytest.raises(ValidationFailed) as caught:
        service.start_conversation(db, buyer.user, buyer.org.id, buyer.org.id, "Hi", "Hello")
    assert caught.value.status == 422
    assert list(caught.value.fields) == ["to_organization_id"]


def test_start_conversation_for_another_organization_is_forbidden(db, buyer, provider, make_org):
    other = make_org(kind="buyer")
    with pytest.raises(PermissionDenied):
        service.start_conversation(db, buyer.user, other.id, provider.org.id, "Hi", "Hello")


def test_start_conversation_blocked_by_target_is_forbidden(db, buyer, provider):
    db.add(Block(organization_id=provider.org.id, blocked_organization_id=buyer.org.id))
    db.commit()
    with pytest.raises(PermissionDenied) as caught:
        start(db, buyer, provider)
    assert caught.value.status == 403
    assert str(caught.value.message) == "This organization does not accept messages from yours."


def test_start_conversation_unverified_email_is_forbidden(db, buyer, provider, member):
    unverified = member(buyer.org, verified=False)
    with pytest.raises(PermissionDenied) as caught:
        service.start_conversation(db, unverified, buyer.org.id, provider.org.id, "Hi", "Hello")
    assert str(caught.value.message) == (
        "Confirm your e-mail address first: open the link we sent you, then try again."
    )
    assert db.exec(select(Conversation)).all() == []


@pytest.mark.parametrize(
    ("body", "field"), [("", "message"), ("   ", "message"), ("x" * 10_001, "message")]
)
def test_start_conversation_bad_message_is_refused(db, buyer, provider, body, field):
    with pytest.raises(ValidationFailed) as caught:
        start(db, buyer, provider, body=body)
    assert list(caught.value.fields) == [field]
    assert db.exec(select(Conversation)).all() == []


def test_start_conversation_longest_message_is_taken(db, buyer, provider):
    conversation = start(db, buyer, provider, body="x" * 10_000)
    assert conversation.id is not None


def test_start_conversation_empty_subject_and_unknown_service_are_refused(db, buyer, provider):
    with pytest.raises(ValidationFailed) as caught:
        start(db, buyer, provider, subject=" ", services=["ito.nonsense"])
    assert sorted(caught.value.fields) == ["services", "subject"]


def test_start_conversation_provider_budget_is_refused(db, buyer, provider):
    with pytest.raises(ValidationFailed) as caught:
        service.start_conversation(
            db, provider.user, provider.org.id, buyer.org.id, "Hi", "Hello", budget="lt_50k"
        )
    assert list(caught.value.fields) == ["budget"]


def test_start_conversation_over_daily_limit_is_too_many(app, db, buyer, make_org):
    app.config["CONVERSATIONS_PER_DAY"] = 2
    targets = [make_org() for _ in range(3)]
    with app.app_context():
        for target in targets[:2]:
            service.start_conversation(db, buyer.user, buyer.org.id, target.id, "Hi", "Hello")
        with pytest.raises(TooManyRequests) as caught:
            service.start_conversation(db, buyer.user, buyer.org.id, targets[2].id, "Hi", "Hello")
    assert caught.value.status == 429
    assert len(db.exec(select(Conversation)).all()) == 2


def test_start_conversation_older_than_a_day_does_not_count(app, db, buyer, make_org):
    app.config["CONVERSATIONS_PER_DAY"] = 1
    first, second = make_org(), make_org()
    with app.app_context():
        old = service.start_conversation(db, buyer.user, buyer.org.id, first.id, "Hi", "Hello")
        old.created_at = utcnow() - timedelta(days=1, minutes=1)
        db.add(old)
        db.commit()
        fresh = service.start_conversation(db, buyer.user, buyer.org.id, second.id, "Hi", "Hi")
    assert fresh.id == old.id + 1


def test_start_conversation_records_graph_edge_once(db, buyer, provider):
    before = len(db.exec(select(GraphChange)).all())
    start(db, buyer, provider)
    start(db, buyer, provider, subject="Second inquiry")
    edges = db.exec(select(Interaction.source_id, Interaction.target_id, Interaction.kind)).all()
    assert edges == [(buyer.org.id, provider.org.id, "meeting_request")]
    logged = db.exec(select(GraphChange.organization_id).order_by(GraphChange.id)).all()
    assert logged[before:] == [buyer.org.id, provider.org.id]


def test_start_conversation_notifies_the_whole_other_team(db, buyer, provider, member):
    colleague = member(provider.org)
    conversation = start(db, buyer, provider)
    rows = db.exec(select(Notification).order_by(Notification.user_id)).all()
    assert [(n.user_id, n.kind, n.link) for n in rows] == [
        (provider.user.id, "inquiry", f"/conversations/{conversation.id}"),
        (colleague.id, "inquiry", f"/conversations/{conversation.id}"),
    ]
    assert rows[0].params == {"from_org": "Nordhafen Versicherung", "subject": "Claims processing"}


def test_reply_by_a_colleague_counts_unread_and_notifies(db, buyer, provider, member):
    conversation = start(db, buyer, provider)
    colleague = member(provider.org)
    service.reply(db, colleague, conversation.id, "Gladly. 我们可以帮忙。")

    page = service.inbox(db, buyer.user, buyer.org.id)
    assert [(i.conversation.id, i.unread) for i in page.items] == [(conversation.id, 1)]
    assert service.unread_total(db, provider.org.id) == 0
    replies = db.exec(select(Notification).where(Notification.kind == "reply")).all()
    assert [(n.user_id, n.params["from_org"]) for n in replies] == [
        (buyer.user.id, "Chengdu Cloud Works")
    ]


def test_open_conversation_marks_read_for_the_whole_team(db, buyer, provider, member):
    conversation = start(db, buyer, provider)
    colleague = member(provider.org)
    assert service.unread_total(db, provider.org.id) == 1
    thread = service.open_conversation(db, colleague, conversation.id)
    assert [m.body for m in thread.messages] == ["We need a partner for claims."]
    assert service.unread_total(db, provider.org.id) == 0
    page = service.inbox(db, provider.user, provider.org.id)
    assert [i.unread for i in page.items] == [0]


def test_open_conversation_of_others_is_not_found(db, buyer, provider, make_org, member):
    conversation = start(db, buyer, provider)
    stranger = member(make_org())
    with pytest.raises(NotFound):
        service.open_conversation(db, stranger, conversation.id)
    with pytest.raises(NotFound):
        service.reply(db, stranger, conversation.id, "Hello")


def test_reply_empty_or_too_long_is_refused(db, buyer, provider):
    conversation = start(db, buyer, provider)
    for body in ("", "y" * 10_001):
        with pytest.raises(ValidationFailed):
            service.reply(db, provider.user, conversation.id, body)
    assert len(db.exec(select(Message)).all()) == 1


def test_reply_after_block_is_forbidden(db, buyer, provider):
    conversation = start(db, buyer, provider)
    assert service.block(db, provider.user, conversation.id) == buyer.org.id
    with pytest.raises(PermissionDenied):
        service.reply(db, buyer.user, conversation.id, "Are you there?")
    with pytest.raises(PermissionDenied):
        start(db, buyer, provider)
    service.unblock(db, provider.user, conversation.id)
    assert service.reply(db, buyer.user, conversation.id, "Are you there?").id is not None


def test_inbox_newest_first_with_unread_counts(db, buyer, make_org, member):
    first, second = make_org(name="Alpha Soft"), make_org(name="Beta Data")
    one = service.start_conversation(db, buyer.user, buyer.org.id, first.id, "One", "Hello")
    two = service.start_conversation(db, buyer.user, buyer.org.id, second.id, "Two", "Hello")
    service.reply(db, member(first), one.id, "First answer")
    service.reply(db, first_member := member(first), one.id, "Second answer")
    assert first_member.organization_id == first.id

    page = service.inbox(db, buyer.user, buyer.org.id)
    assert [(i.conversation.subject, i.partner.name, i.unread) for i in page.items] == [
        ("One", "Alpha Soft", 2),
        ("Two", "Beta Data", 0),
    ]
    assert (page.total, page.pages) == (2, 1)
    assert two.id == one.id + 1


def test_inbox_search_matches_subject_body_and_name(db, buyer, make_org):
    alpha, beta = make_org(name="Alpha Soft"), make_org(name="Beta Data")
    service.start_conversation(db, buyer.user, buyer.org.id, alpha.id, "Claims", "Need 50% off")
    service.start_conversation(db, buyer.user, buyer.org.id, beta.id, "Payroll", "Nach Tarif")

    def subjects(q):
        return [
            i.conversation.subject for i in service.inbox(db, buyer.user, buyer.org.id, q).items
        ]

    assert subjects("claim") == ["Claims"]
    assert subjects("TARIF") == ["Payroll"]
    assert subjects("beta") == ["Payroll"]
    assert subjects("50%") == ["Claims"]
    assert subjects("%") == ["Claims"]
    assert subjects("nothing here") == []


def test_inbox_archive_moves_and_new_message_brings_back(db, buyer, provider):
    conversation = start(db, buyer, provider)
    service.set_archived(db, provider.user, conversation.id, True)
    assert service.inbox(db, provider.user, provider.org.id).items == []
    assert [
        i.conversation.id
        for i in service.inbox(db, provider.user, provider.org.id, archived=True).items
    ] == [conversation.id]
    service.reply(db, buyer.user, conversation.id, "Any news?")
    assert [i.unread for i in service.inbox(db, provider.user, provider.org.id).items] == [2]


def test_inbox_pages(db, buyer, make_org):
    targets = [make_org() for _ in range(3)]
    for n, target in enumerate(targets):
        service.start_conversation(db, buyer.user, buyer.org.id, target.id, f"S{n}", "Hello")
    page = service.inbox(db, buyer.user, buyer.org.id, page=2, per_page=2)
    assert ([i.conversation.subject for i in page.items], page.total, page.pages) == (["S0"], 3, 2)


def test_inbox_of_another_organization_is_forbidden(db, buyer, provider):
    with pytest.raises(PermissionDenied):
        service.inbox(db, buyer.user, provider.org.id)


def test_report_reaches_admins_and_resolves(db, buyer, provider, make_user):
    conversation = start(db, buyer, provider)
    report = service.report(db, provider.user, conversation.id, "Spam offers")
    admin = make_user(role="admin")
    rows = service.list_reports(db, admin)
    assert [(r.id, o.id, u.id) for r, o, u in rows] == [(report.id, buyer.org.id, provider.user.id)]
    service.resolve_report(db, admin, report.id)
    assert service.list_reports(db, admin) == []
    assert db.get(AbuseReport, report.id).resolved_at is not None
    with pytest.raises(PermissionDenied):
        service.list_reports(db, provider.user)


def test_report_without_reason_is_refused(db, buyer, provider):
    conversation = start(db, buyer, provider)
    with pytest.raises(ValidationFailed):
        service.report(db, provider.user, conversation.id, "  ")


def test_contact_persons_details_only_for_team_and_partners(db, buyer, provider, make_org, member):
    provider.user.title = "Sales director"
    provider.user.phone = "+86 28 1234 5678"
    provider.user.spoken_languages = ["zh", "en"]
    db.add(provider.user)
    db.commit()
    stranger = member(make_org(kind="buyer"))

    def seen_by(viewer):
        return [
            (p.name, p.title, p.languages, p.email, p.phone)
            for p in service.contact_persons(db, viewer, provider.org)
        ]

    public = [("Li Wei", "Sales director", ["zh", "en"], None, None)]
    full = [("Li Wei", "Sales director", ["zh", "en"], provider.user.email, "+86 28 1234 5678")]
    assert seen_by(None) == public
    assert seen_by(stranger) == public
    assert seen_by(buyer.user) == public
    assert seen_by(provider.user) == full
    start(db, buyer, provider)
    assert seen_by(buyer.user) == full
    assert seen_by(stranger) == public


@pytest.mark.parametrize(
    ("text", "fallback", "expected"),
    [
        ("我们提供呼叫中心服务", "en", "zh"),
        ("نحن نبحث عن مزود خدمات", "en", "ar"),
        ("Мы ищем партнёра", "en", "ru"),
        ("Buscamos un socio", "es", "es"),
        ("Hello", "zh_Hans", "zh"),
        ("Hello", "xx", "en"),
    ],
)
def test_detect_language_by_script_or_author_locale(text, fallback, expected):
    assert detect_language(text, fallback) == expected


def test_chosen_language_wins_and_unknown_is_refused(db, buyer, provider):
    conversation = start(db, buyer, provider, body="Hallo zusammen", language="de")
    message = db.exec(select(Message).where(Message.conversation_id == conversation.id)).one()
    assert message.language == "de"
    with pytest.raises(ValidationFailed):
        service.reply(db, provider.user, conversation.id, "Hi", language="xx")


def test_start_conversation_limit_holds_under_concurrent_requests(app, db, buyer, make_org):
    from sqlmodel import Session as DbSession

    from tests.exhibitions.races import race

    app.config["CONVERSATIONS_PER_DAY"] = 1
    targets = [make_org().id for _ in range(6)]
    user_id, org_id = buyer.user.id, buyer.org.id

    def start(session: DbSession, index: int):
        with app.app_context():
            actor = session.get(type(buyer.user), user_id)
            return service.start_conversation(session, actor, org_id, targets[index], "Hi", "Hello")

    results, errors = race(app.extensions["matchmaker.engine"], 6, start)
    assert len(results) == 1
    assert [type(e).__name__ for e in errors] == ["TooManyRequests"] * 5
    assert len(db.exec(select(Conversation)).all()) == 1
