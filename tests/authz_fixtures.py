"""One world for the authorization matrix: three organizations, a fair, and a signed-in
client (session for pages, bearer token for the API) per actor.

Actors: ``anon`` (nobody), ``other`` (member of an organization that takes no part),
``owner`` (member of the provider organization that owns the resource), ``organizer`` (the
fair's organizer) and ``admin``.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, delete, select
from werkzeug.security import generate_password_hash

from matchmaker.accounts import recovery, teams
from matchmaker.accounts.models import ThrottleHit, User, UserSession
from matchmaker.accounts.service import create_token, create_user
from matchmaker.conversations.models import AbuseReport
from matchmaker.conversations.service import start_conversation
from matchmaker.exhibitions import checkin, outcomes, service
from matchmaker.exhibitions import exchange_rates as service_rates
from matchmaker.exhibitions.feeds import feed_for
from matchmaker.exhibitions.models import Meeting
from matchmaker.matching.service import dismiss_partner, save_partner
from matchmaker.profiles.models import Organization, OrganizationText
from matchmaker.scheduler import service as scheduler

ACTORS = ("anon", "other", "owner", "organizer", "admin")
PASSWORD = "password123"
_counter = itertools.count(1)

FAIR = {
    "name": {"en": "Matrix Fair"},
    "description": {"en": "Who may do what."},
    "city": "Dalian",
    "venue": "Expo Center",
    "timezone": "Asia/Shanghai",
    "starts_on": "2026-06-10",
    "ends_on": "2026-06-11",
    "day_start": "09:00",
    "day_end": "12:00",
    "slot_minutes": 30,
    "tables": 3,
    "status": "published",
}
TALK = {
    "kind": "forum",
    "hall": "Hall 1",
    "starts_at": "2026-06-10T10:00:00+08:00",
    "ends_at": "2026-06-10T11:00:00+08:00",
    "title": {"en": "Opening forum"},
}


@dataclass
class World:
    app: object
    db: Session
    users: dict[str, User | None] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, object] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    homes: dict[str, int | None] = field(default_factory=dict)  # each actor's organization

    def __getattr__(self, name: str):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    # --- factories for destructive cases: a fresh resource per call ------------------

    def user(
        self, role: str = "member", organization_id: int | None = None, verified: bool = True
    ) -> User:
        """A row only: no password hashing (nobody signs in as it)."""
        user = User(
            email=f"matrix{next(_counter)}@example.com",
            password_hash="unused",
            role=role,
            organization_id=organization_id,
            email_verified_at=datetime.now(UTC) if verified else None,
        )
        self.db.add(user)
        self.db.commit()
        return user

    def org(self, **fields) -> Organization:
        values = {
            "kind": "provider",
            "name": f"Matrix org {next(_counter)}",
            "country": "CN",
            "city": "Dalian",
            "services": ["ito.software_rd"],
            "languages": ["en"],
            "visibility": "public",
        }
        values.update(fields)
        org = Organization(**values)
        org.texts = [OrganizationText(locale="en", description="A firm.")]
        self.db.add(org)
        self.db.commit()
        return org

    def new_booth(self, code: str | None = None, **fields):
        n = next(_counter)
        data = {"code": code or f"X{n}", "hall": "Z", "row": n % 50, "col": (n // 50) * 2}
        data.update(fields)
        return service.create_booth(self.db, self.users["organizer"], self.fair.id, data)

    def new_session(self):
        n = next(_counter)
        data = {**TALK, "hall": f"Hall {n + 100}"}
        return service.create_session(self.db, self.users["organizer"], self.fair.id, data)

    def participant(self, kind: str = "provider", role: str = "exhibitor"):
        org = self.org(kind=kind)
        member = self.user(organization_id=org.id)
        registration = service.register(self.db, member, self.fair.id, org.id, role)
        return org, member, registration

    def accepted_meeting(self) -> Meeting:
        """An accepted meeting of two fresh organizations, the owner acting for one of them."""
        org = self.own_org(register=True)
        buyer, buyer_user, _reg = self.participant(kind="buyer", role="buyer")
        slot = self.slots[next(_counter) % len(self.slots)].id
        meeting = service.request_meeting(
            self.db, self.users["owner"], self.fair.id, org.id, buyer.id, slot
        )
        return service.accept_meeting(self.db, buyer_user, meeting.id)

    def held_meeting(self) -> Meeting:
        meeting = self.accepted_meeting()
        return outcomes.mark_meeting(self.db, self.users["owner"], meeting.id, "held")

    def incoming_meeting(self) -> Meeting:
        """A meeting a fresh buyer asked the owner's organization for (the owner answers)."""
        buyer, buyer_user, _reg = self.participant(kind="buyer", role="buyer")
        return service.request_meeting(
            self.db, buyer_user, self.fair.id, buyer.id, self.provider.id, self.slots[5].id
        )

    def new_report(self) -> AbuseReport:
        report = AbuseReport(
            reporter_user_id=self.users["owner"].id,
            organization_id=self.buyer.id,
            conversation_id=self.conversation.id,
            reason="Spam.",
        )
        self.db.add(report)
        self.db.commit()
        return report

    def new_invitation(self):
        return teams.invite(
            self.db, self.users["owner"], self.provider.id, f"invitee{next(_counter)}@example.com"
        )

    def teammate(self) -> User:
        return self.user(organization_id=self.provider.id)

    def api_token(self, actor: str) -> int:
        """A fresh API token of the actor (anonymous: any id)."""
        if self.users.get(actor) is None:
            return 1
        token, _plain = create_token(self.db, self.users[actor], "matrix")
        return token.id

    def own_org(self, register: bool = False, actor: str = "owner") -> Organization:
        """Move a member to a fresh organization for one call (``restore`` moves it back)."""
        org = self.join(self.org(), actor)
        member = self.users[actor]
        if register:
            service.register(self.db, member, self.fair.id, org.id, "exhibitor")
        return org

    def join(self, org: Organization, actor: str = "owner") -> Organization:
        """Make the actor a member of ``org`` for one call (``restore`` undoes it)."""
        member = self.users[actor]
        member.organization_id = org.id
        self.db.add(member)
        self.db.commit()
        return org

    def participant_of_owner(self):
        """A registration of a fresh organization the owner acts for (for one call)."""
        org = self.own_org()
        return service.register(self.db, self.users["owner"], self.fair.id, org.id, "exhibitor")

    def new_fair(self, status: str = "published"):
        data = {**FAIR, "status": status}
        return service.create_exhibition(self.db, self.users["organizer"], data)

    def new_conversation(self):
        """A fresh conversation from the owner's organization to a fresh buyer."""
        buyer = self.org(kind="buyer", country="DE")
        return start_conversation(
            self.db, self.users["owner"], self.provider.id, buyer.id, "Hello", "Shall we talk?"
        )

    def checked_in(self):
        _org, _member, registration = self.participant()
        registration.checked_in_at = datetime.now(UTC)
        self.db.add(registration)
        self.db.commit()
        return registration

    def co_organizer(self) -> User:
        user = self.user(role="organizer")
        service.add_organizer(self.db, self.users["organizer"], self.fair.id, user.email)
        return user

    def restore(self) -> None:
        """Undo what a call did to the actors themselves (a joined or created organization)."""
        for actor, org_id in self.homes.items():
            user = self.users[actor]
            self.db.refresh(user)
            if user.organization_id != org_id:
                user.organization_id = org_id
                self.db.add(user)
                self.db.commit()

    def renew(self, actor: str) -> None:
        """A new session and API token after a call that ended the actor's others."""
        if actor == "anon":
            return
        _token, plain = create_token(self.db, self.users[actor], "matrix")
        self.tokens[actor] = plain
        self.clients[actor] = _sign_in(self.app, self.users[actor].email)

    def reset_throttles(self) -> None:
        """The matrix tests authorization, not throttling: forget every counted attempt."""
        if self.db.exec(select(ThrottleHit.id).limit(1)).first() is not None:
            self.db.exec(delete(ThrottleHit))
            self.db.commit()
        else:
            self.db.rollback()


def _sign_in(app, email: str):
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client


def sign_in(world: World, actor: str):
    """A fresh signed-in page client (for calls that end the session)."""
    if actor == "anon":
        return world.app.test_client()
    return _sign_in(world.app, world.users[actor].email)


def build_world(app, db: Session) -> World:
    with app.test_request_context():
        return _build_world(app, db)


def _build_world(app, db: Session) -> World:
    world = World(app=app, db=db)
    v = world.values
    verified = datetime.now(UTC)

    v["provider"] = world.org(name="Matrix Provider")
    v["buyer"] = world.org(kind="buyer", name="Matrix Buyer", country="DE")
    v["third"] = world.org(name="Matrix Third")
    v["hidden"] = world.org(name="Matrix Hidden", visibility="hidden")
    v["hidden_owned"] = world.org(name="Matrix Hidden Owned", visibility="hidden")
    users = world.users
    users["anon"] = None
    for actor, role, org in (
        ("other", "member", v["third"]),
        ("owner", "member", v["provider"]),
        ("organizer", "organizer", None),
        ("admin", "admin", None),
    ):
        user = create_user(
            db,
            f"{actor}@matrix.example",
            PASSWORD,
            role=role,
            organization_id=org.id if org else None,
        )
        # Cheap scrypt parameters: the matrix signs in often and tests no password strength.
        user.password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        user.email_verified_at = verified
        db.add(user)
        db.commit()
        users[actor] = user
        world.homes[actor] = user.organization_id
    v["buyer_user"] = world.user(organization_id=v["buyer"].id)

    # The fair, with both organizations registered and the other organization not.
    v["fair"] = service.create_exhibition(db, users["organizer"], FAIR)
    v["draft"] = service.create_exhibition(db, users["organizer"], {**FAIR, "status": "draft"})
    v["slots"] = service.list_slots(db, None, v["fair"].id)
    v["provider_reg"] = service.register(
        db, users["owner"], v["fair"].id, v["provider"].id, "exhibitor"
    )
    v["buyer_reg"] = service.register(db, v["buyer_user"], v["fair"].id, v["buyer"].id, "buyer")
    v["booth"] = world.new_booth("A1", row=0, col=0)
    v["agenda_session"] = world.new_session()
    # A meeting between them, accepted and held (its slot is in the past): outcome routes.
    meeting = service.request_meeting(
        db, users["owner"], v["fair"].id, v["provider"].id, v["buyer"].id, v["slots"][0].id
    )
    service.accept_meeting(db, v["buyer_user"], meeting.id)
    v["held"] = outcomes.mark_meeting(db, users["owner"], meeting.id, "held")
    v["checkin_token"] = checkin.make_token(app.config["SECRET_KEY"], v["provider_reg"])
    v["feed_secret"] = feed_for(db, users["owner"]).secret

    # A conversation (the meeting above notified the owner), saved and dismissed partners.
    v["conversation"] = start_conversation(
        db, users["owner"], v["provider"].id, v["buyer"].id, "Hello", "Shall we talk?"
    )
    save_partner(db, users["owner"], v["provider"].id, v["buyer"].id)
    dismiss_partner(db, users["owner"], v["provider"].id, v["third"].id)

    # Signed links: a reset, a verification, a team invitation.
    v["reset_token"] = recovery.reset_token(users["owner"])
    v["verify_token"] = recovery.verification_token(users["owner"])
    v["invitation"] = world.new_invitation()
    v["invitation_token"] = teams.invitation_token(v["invitation"])

    for actor in ACTORS:
        if actor == "anon":
            world.clients[actor] = app.test_client()
            continue
        _token, plain = create_token(db, users[actor], "matrix")
        world.tokens[actor] = plain
        world.clients[actor] = _sign_in(app, users[actor].email)
    return world


# --- fresh resources for the rows that change things: one per actor's call --------------
# Each takes the world and the actor and returns path values (or a body).

_numbers = itertools.count(1)
SESSION_FORM = {
    "title_en": "Forum",
    "kind": "forum",
    "hall": "Hall 9",
    "day": "2026-06-10",
    "starts": "10:00",
    "ends": "11:00",
}


def fresh_token(w, actor):
    return {"token_id": w.api_token(actor)}


def own_org(w, _actor):
    return {"org_id": w.own_org().id}


def own_registered_org(w, _actor):
    org = w.own_org(register=True)
    return {"organization_id": org.id, "org_id": org.id}


def fresh_booth(w, _actor):
    return {"booth_id": w.new_booth().id}


def own_free_booth(w, _actor):
    """A free booth, and the owner acting for a fresh registered organization holding none."""
    org = w.own_org(register=True)
    return {"booth_id": w.new_booth().id, "organization_id": org.id}


def booked_booth(w, actor):
    """A booth held by the organization the owner acts for (a fresh one)."""
    values = own_free_booth(w, actor)
    service.book_booth(w.db, w.users["owner"], values["booth_id"], values["organization_id"])
    return values


def fresh_session(w, _actor):
    return {"session_id": w.new_session().id}


def incoming_meeting(w, _actor):
    return {"meeting_id": w.incoming_meeting().id}


def held_meeting(w, _actor):
    return {"meeting_id": w.held_meeting().id}


def fresh_home(w, actor):
    """Members act for a fresh organization of their own for this call."""
    if actor in ("other", "owner"):
        w.own_org(actor=actor)
    return {}


def session_form(_w, _actor):
    return {**SESSION_FORM, "hall": f"Hall {next(_numbers) + 900}"}


def accepted_meeting(w, _actor):
    return {"meeting_id": w.accepted_meeting().id}


def schedule_token(w, _actor):
    """A preview of the fair the row's path names (a fresh fair just made, or the world's)."""
    fair_id = w.values.pop("last_fair_id", w.fair.id)
    return {"token": scheduler.preview(w.db, w.users["organizer"], fair_id).token}


def future_badge(w, _actor):
    fair = service.create_exhibition(
        w.db, w.users["organizer"], {**FAIR, "starts_on": "2099-06-10", "ends_on": "2099-06-11"}
    )
    org = w.org()
    registration = service.register(w.db, w.users["admin"], fair.id, org.id, "exhibitor")
    token = checkin.make_token(w.app.config["SECRET_KEY"], registration)
    return {"exhibition_id": fair.id, "token": token}


def participants_csv(_w, _actor):
    data = (
        b"organization name,country,role,contact email,services\n"
        b"Matrix Import Ltd,CN,exhibitor,import@matrix.example,ito.software_rd\n"
    )
    return {"file": (io.BytesIO(data), "participants.csv")}


def fresh_conversation(w, _actor):
    return {"conversation_id": w.new_conversation().id}


def fresh_fair(w, _actor):
    w.values["last_fair_id"] = w.new_fair().id
    return {"exhibition_id": w.values["last_fair_id"]}


def fresh_participant(w, _actor):
    return {"registration_id": w.participant()[2].id}


def checked_in(w, _actor):
    return {"registration_id": w.checked_in().id}


def with_rate(w, _actor):
    service_rates.set_rate(w.db, w.users["organizer"], w.fair.id, "EUR", "1.1")
    return {"currency": "EUR"}


def fresh_invitation(w, _actor):
    return {"invitation_id": w.new_invitation().id}


def teammate(w, _actor):
    return {"user_id": w.teammate().id}


def co_organizer(w, _actor):
    return {"user_id": w.co_organizer().id}


def fresh_report(w, _actor):
    return {"report_id": w.new_report().id}


def live_feed(w, _actor):
    return {"secret": feed_for(w.db, w.users["owner"]).secret}


def own_user_session(w, actor):
    """Another session of the actor's own (signed in from a second browser)."""
    if actor == "anon":
        return {"session_id": 1}
    sign_in(w, actor)
    latest = w.db.exec(
        select(UserSession)
        .where(UserSession.user_id == w.users[actor].id)
        .order_by(UserSession.id.desc())
    ).first()
    return {"session_id": latest.id}


def reset_link(w, _actor):
    user = w.user()
    return {"token": recovery.reset_token(user)}


def verify_link(w, _actor):
    return {"token": recovery.verification_token(w.user(verified=False))}


def invitation_for_organizer(w, _actor):
    invitation = teams.invite(w.db, w.users["owner"], w.provider.id, w.users["organizer"].email)
    return {"token": teams.invitation_token(invitation)}


def new_email(_w, _actor):
    return {"email": f"new{next(_numbers)}@matrix.example"}


def registration_form(w, actor):
    return {
        "display_name": "New",
        "email": f"new{next(_numbers)}@matrix.example",
        "password": "password123",
        "confirm": "password123",
    }


def booth_fields(_w, _actor):
    return {"code": f"N{next(_numbers)}", "hall": "N"}


def talk(_w, _actor):
    return {**TALK, "hall": f"Hall {next(_numbers) + 500}"}


# --- running one row of the matrix ----------------------------------------------------

LOGIN = "login"  # a page answered an anonymous reader with a redirect to the sign-in page
REFUSED = "refused"  # a page redirected back with an error message (nothing was done)
IGNORED_METHODS = {"HEAD", "OPTIONS"}
_PARAM = re.compile(r"<(?:[^<>]*:)?(\w+)>")

Values = dict[str, Any] | Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """What each actor gets from one (rule, method), and what to send."""

    expect: dict[str, int | str]
    params: Values | None = None  # path values beyond the defaults (callable: fresh per actor)
    json: Values | None = None
    form: Values | None = None
    query: str = ""  # formatted with the path values: "organization_id={org_id}"
    fresh_session: bool = False  # the call signs in or out: use a new session for it
    ends_sessions: bool = False  # the call ends the actor's other sessions and tokens
    headers: dict[str, str] = field(default_factory=dict)


def E(anon, other, owner, organizer, admin) -> dict[str, int | str]:
    """Expected outcomes in actor order: anonymous, other member, owner, organizer, admin."""
    return dict(zip(ACTORS, (anon, other, owner, organizer, admin), strict=True))


def default_params(world: World) -> dict[str, Any]:
    """Path values when a row names none: the world's resources owned by ``owner``."""
    return {
        "exhibition_id": world.fair.id,
        "org_id": world.provider.id,
        "organization_id": world.provider.id,
        "target_id": world.buyer.id,
        "meeting_id": world.held.id,
        "booth_id": world.booth.id,
        "session_id": world.agenda_session.id,
        "registration_id": world.provider_reg.id,
        "conversation_id": world.conversation.id,
        "currency": "EUR",
        "code_set": "countries",
        "what": "participants",
        "secret": world.feed_secret,
        "filename": "css/site.css",
        "token": world.checkin_token,
    }


def _resolve(value: Values | None, world: World, actor: str):
    return value(world, actor) if callable(value) else value


def build_path(rule: str, values: dict[str, Any]) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{rule}: no value for <{name}>; give it in the row's params")
        return str(values[name])

    return _PARAM.sub(fill, rule)


def outcome(response, client=None) -> int | str:
    """The status, or LOGIN / REFUSED for a redirect to the sign-in page / with an error."""
    if response.status_code not in (301, 302, 303):
        return response.status_code
    if urlsplit(response.headers.get("Location", "")).path == "/account/login":
        return LOGIN
    if client is not None:
        with client.session_transaction() as stored:
            flashes = stored.pop("_flashes", [])
        if any(category == "error" for category, _message in flashes):
            return REFUSED
    return response.status_code


def run(world: World, rule: str, method: str, case: Case) -> dict[str, int | str]:
    """Send the request as each actor; return what each one got."""
    seen: dict[str, int | str] = {}
    for actor in ACTORS:
        world.reset_throttles()
        kwargs: dict[str, Any] = {}
        with world.app.test_request_context():  # factories build links and send mail
            values = {**default_params(world), **(_resolve(case.params, world, actor) or {})}
            if (body := _resolve(case.json, world, actor)) is not None:
                kwargs["json"] = body
            if (form := _resolve(case.form, world, actor)) is not None:
                kwargs["data"] = form
        path = build_path(rule, values)
        if case.query:
            path += "?" + case.query.format(**values)
        headers = dict(case.headers)
        if rule.startswith("/api/"):
            client = world.app.test_client(use_cookies=False)
            if actor != "anon":
                headers["Authorization"] = f"Bearer {world.tokens[actor]}"
        elif case.fresh_session:
            client = sign_in(world, actor)
        else:
            client = world.clients[actor]
        response = client.open(path, method=method, headers=headers, **kwargs)
        response.get_data()  # a streamed body (CSV) ends its request context when read
        response.close()
        seen[actor] = outcome(response, None if rule.startswith("/api/") else client)
        world.db.rollback()  # see the requests' commits, not a stale snapshot
        world.restore()
        if case.ends_sessions:
            world.renew(actor)
    return seen


def routes(app) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - IGNORED_METHODS
    }
