"""The authorization matrix: every route of the URL map against five actors.

Each row says what anonymous (``anon``), a member of an uninvolved organization (``other``),
a member of the organization the resource belongs to (``owner``), the fair's organizer and
an administrator get. ``LOGIN`` is a page's redirect to the sign-in page, ``REFUSED`` a
redirect back with an error message (nothing done); a web POST that worked answers 302/303.
A route missing from the table fails ``test_every_route_is_in_the_matrix``: add it with the
outcomes designed for it. Rows that change things get fresh resources (``rows.*``).
"""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session

from matchmaker import create_app

from . import authz_fixtures as rows
from .authz_fixtures import FAIR, LOGIN, REFUSED, Case, E, build_world, routes, run

ORG_JSON = {
    "kind": "provider",
    "name": "Matrix New",
    "country": "CN",
    "city": "Dalian",
    "services": ["ito.software_rd"],
    "description": {"en": "New."},
}
ORG_FORM = {
    "kind": "provider",
    "name": "Matrix Form",
    "country": "CN",
    "city": "Dalian",
    "services": "ito.software_rd",
    "visibility": "public",
    "description_en": "A firm.",
}
FAIR_JSON = {**FAIR, "status": "draft"}
FAIR_FORM = {
    "name_en": "Matrix Fair",
    "city": "Dalian",
    "venue": "Expo Center",
    "timezone": "Asia/Shanghai",
    "starts_on": "2026-06-10",
    "ends_on": "2026-06-11",
    "day_start": "09:00",
    "day_end": "12:00",
    "slot_minutes": "30",
    "tables": "3",
}


def matrix_config(folder) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{folder}/t.sqlite3",
        "SEARCH_INDEX_PATH": f"{folder}/search.sqlite3",
        "SECRET_KEY": "matrix-secret",
        "ELASTICSEARCH_URL": "",
        "WTF_CSRF_ENABLED": False,
        "MAIL_SENDER": False,
        "IMPORT_UPLOAD_DIR": f"{folder}/imports",
    }


# Shorthands for the common shapes (the rows stay explicit: read across, left to right).
PUBLIC = E(200, 200, 200, 200, 200)
SIGNED_IN_API = E(401, 200, 200, 200, 200)
SIGNED_IN_PAGE = E(LOGIN, 200, 200, 200, 200)


MATRIX: dict[tuple[str, str], Case] = {
    # --- site, health, static, API description ------------------------------------------
    ("/", "GET"): Case(PUBLIC),
    ("/healthz", "GET"): Case(PUBLIC),
    ("/readyz", "GET"): Case(PUBLIC),
    ("/static/<path:filename>", "GET"): Case(PUBLIC),
    ("/csp-report", "POST"): Case(E(204, 204, 204, 204, 204), json={"csp-report": {}}),
    ("/api/openapi.json", "GET"): Case(PUBLIC),
    (
        "/api/v1/reference/<any(countries, services, languages, "
        "certifications, industries, markets):code_set>",
        "GET",
    ): Case(PUBLIC),
    # --- accounts: sign-in, registration, recovery ---------------------------------------
    ("/account/login", "GET"): Case(PUBLIC),
    ("/account/login", "POST"): Case(
        E(302, 302, 302, 302, 302),
        fresh_session=True,
        form={"email": "owner@matrix.example", "password": "password123"},
    ),
    ("/account/logout", "POST"): Case(E(302, 302, 302, 302, 302), fresh_session=True),
    ("/account/register", "GET"): Case(PUBLIC),
    ("/account/register", "POST"): Case(
        E(302, 302, 302, 302, 302), fresh_session=True, form=rows.registration_form
    ),
    ("/account/forgot", "GET"): Case(PUBLIC),
    # The same page whether or not the address has an account (no enumeration).
    ("/account/forgot", "POST"): Case(PUBLIC, form={"email": "owner@matrix.example"}),
    ("/account/reset/<token>", "GET"): Case(PUBLIC, params=rows.reset_link),
    # The link is the credential; done, it leads on to the sign-in page.
    ("/account/reset/<token>", "POST"): Case(
        E(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
        params=rows.reset_link,
        fresh_session=True,
        form={"new_password": "password456", "confirm": "password456"},
    ),
    ("/account/verify/<token>", "GET"): Case(PUBLIC, params=rows.verify_link),
    ("/account/verification", "POST"): Case(E(LOGIN, 303, 303, 303, 303)),
    # The invitation is addressed to the organizer (an account without an organization):
    # only that account can accept it; anonymous readers see the page and a sign-in link.
    ("/account/invitations/<token>", "GET"): Case(PUBLIC, params=rows.invitation_for_organizer),
    ("/account/invitations/<token>", "POST"): Case(
        E(200, 403, 403, 303, 403), params=rows.invitation_for_organizer
    ),
    # --- accounts: settings, sessions, tokens, notifications -----------------------------
    ("/account/", "GET"): Case(SIGNED_IN_PAGE),
    ("/account/", "POST"): Case(
        E(LOGIN, 303, 303, 303, 303),
        form={
            "action": "settings",
            "settings-display_name": "Matrix",
            "settings-locale": "",
            "settings-timezone": "",
        },
    ),
    ("/account/sessions/<id:session_id>/end", "POST"): Case(
        E(LOGIN, 303, 303, 303, 303), params=rows.own_user_session
    ),
    ("/account/sessions/end-others", "POST"): Case(
        E(LOGIN, 303, 303, 303, 303), fresh_session=True, ends_sessions=True
    ),
    ("/account/tokens/<id:token_id>/revoke", "POST"): Case(
        E(LOGIN, 303, 303, 303, 303), params=rows.fresh_token
    ),
    ("/account/notifications", "GET"): Case(SIGNED_IN_PAGE),
    ("/account/notifications", "POST"): Case(E(LOGIN, 303, 303, 303, 303), form={}),
    ("/notifications", "GET"): Case(SIGNED_IN_PAGE),
    ("/notifications/read", "POST"): Case(E(LOGIN, 303, 303, 303, 303)),
    ("/api/v1/auth/tokens", "POST"): Case(
        E(201, 201, 201, 201, 201),
        json={"email": "owner@matrix.example", "password": "password123"},
    ),
    ("/api/v1/auth/tokens", "GET"): Case(SIGNED_IN_API),
    ("/api/v1/auth/tokens/<id:token_id>", "DELETE"): Case(
        E(401, 204, 204, 204, 204), params=rows.fresh_token
    ),
    ("/api/v1/auth/verification", "POST"): Case(SIGNED_IN_API),
    ("/api/v1/me", "GET"): Case(SIGNED_IN_API),
    ("/api/v1/notifications", "GET"): Case(SIGNED_IN_API),
    ("/api/v1/notifications/read", "POST"): Case(SIGNED_IN_API, json={}),
    # --- organizations: directory, profiles, teams ---------------------------------------
    ("/organizations", "GET"): Case(PUBLIC),
    ("/organizations/<id:org_id>", "GET"): Case(PUBLIC),
    # Members are sent on to their organization's page.
    ("/dashboard", "GET"): Case(E(LOGIN, 302, 302, 200, 200)),
    # A member of an organization cannot create a second one; the organizer (no organization)
    # becomes the new one's member; administrators create for others.
    ("/organizations/new", "GET"): Case(E(LOGIN, REFUSED, REFUSED, 200, 200)),
    ("/organizations/new", "POST"): Case(E(LOGIN, REFUSED, REFUSED, 303, 303), form=ORG_FORM),
    ("/organizations/<id:org_id>/edit", "GET"): Case(E(LOGIN, 403, 200, 403, 200)),
    ("/organizations/<id:org_id>/edit", "POST"): Case(E(LOGIN, 403, 303, 403, 303), form=ORG_FORM),
    ("/organizations/<id:org_id>/delete", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303), params=rows.own_org
    ),
    ("/organizations/<id:org_id>/verification", "POST"): Case(
        E(LOGIN, 403, 403, 403, 303), form={"verified": "1"}
    ),
    ("/organizations/<id:org_id>/team", "GET"): Case(E(LOGIN, 403, 200, 403, 403)),
    ("/organizations/<id:org_id>/team", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), form=rows.new_email
    ),
    ("/organizations/<id:org_id>/team/<id:user_id>/remove", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), params=rows.teammate
    ),
    ("/organizations/<id:org_id>/invitations/<id:invitation_id>/revoke", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), params=rows.fresh_invitation
    ),
    ("/api/v1/organizations", "GET"): Case(PUBLIC),
    ("/api/v1/organizations", "POST"): Case(E(401, 403, 403, 201, 201), json=ORG_JSON),
    ("/api/v1/organizations/<id:org_id>", "GET"): Case(PUBLIC),
    ("/api/v1/organizations/<id:org_id>", "PATCH"): Case(
        E(401, 403, 200, 403, 200), json={"city": "Dalian"}
    ),
    ("/api/v1/organizations/<id:org_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 204), params=rows.own_org
    ),
    ("/api/v1/organizations/<id:org_id>/verification", "PUT"): Case(
        E(401, 403, 403, 403, 200), json={"verified": True}
    ),
    # The team is managed by the team itself (administrators included only as members).
    ("/api/v1/organizations/<id:org_id>/team", "GET"): Case(E(401, 403, 200, 403, 403)),
    ("/api/v1/organizations/<id:org_id>/team/<id:user_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 403), params=rows.teammate
    ),
    ("/api/v1/organizations/<id:org_id>/invitations", "POST"): Case(
        E(401, 403, 201, 403, 403), json=rows.new_email
    ),
    ("/api/v1/organizations/<id:org_id>/invitations/<id:invitation_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 403), params=rows.fresh_invitation
    ),
    # --- matching: recommendations and the shortlist (the organization's team only) ------
    ("/organizations/<id:org_id>/saved", "GET"): Case(E(LOGIN, 403, 200, 403, 200)),
    ("/organizations/<id:org_id>/dismissed", "GET"): Case(E(LOGIN, 403, 200, 403, 200)),
    ("/organizations/<id:org_id>/partners/<id:target_id>/save", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303)
    ),
    ("/organizations/<id:org_id>/partners/<id:target_id>/dismiss", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303), params=lambda w, _a: {"target_id": w.third.id}
    ),
    ("/organizations/<id:org_id>/partners/<id:target_id>/forget", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303), params=lambda w, _a: {"target_id": w.hidden.id}
    ),
    ("/organizations/<id:org_id>/partners/<id:target_id>/note", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303), form={"note": "Call in June."}
    ),
    ("/organizations/<id:org_id>/partners/<id:target_id>/interest", "POST"): Case(
        E(LOGIN, 403, 303, 403, 303)
    ),
    ("/api/v1/organizations/<id:org_id>/recommendations", "GET"): Case(E(401, 403, 200, 403, 200)),
    ("/api/v1/organizations/<id:org_id>/saved", "GET"): Case(E(401, 403, 200, 403, 200)),
    ("/api/v1/organizations/<id:org_id>/saved", "POST"): Case(
        E(401, 403, 201, 403, 201), json=lambda w, _a: {"organization_id": w.buyer.id}
    ),
    ("/api/v1/organizations/<id:org_id>/saved/<id:target_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 204), params=lambda w, _a: {"target_id": w.hidden.id}
    ),
    ("/api/v1/organizations/<id:org_id>/saved/<id:target_id>/note", "PUT"): Case(
        E(401, 403, 200, 403, 200), json={"note": "Call in June."}
    ),
    ("/api/v1/organizations/<id:org_id>/saved/<id:target_id>/interest", "POST"): Case(
        E(401, 403, 200, 403, 200)
    ),
    ("/api/v1/organizations/<id:org_id>/dismissed", "GET"): Case(E(401, 403, 200, 403, 200)),
    ("/api/v1/organizations/<id:org_id>/dismissed", "POST"): Case(
        E(401, 403, 201, 403, 201), json=lambda w, _a: {"organization_id": w.third.id}
    ),
    ("/api/v1/organizations/<id:org_id>/dismissed/<id:target_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 204), params=lambda w, _a: {"target_id": w.hidden.id}
    ),
    # --- conversations (members of the two organizations in it) -------------------------
    # Organizations talk: an account without one is sent to describe its organization first.
    ("/conversations", "GET"): Case(E(LOGIN, 200, 200, REFUSED, REFUSED)),
    ("/conversations/new", "GET"): Case(
        E(LOGIN, 200, 200, REFUSED, REFUSED), query="to={target_id}"
    ),
    ("/conversations/new", "POST"): Case(
        E(LOGIN, 303, 303, REFUSED, REFUSED),
        query="to={target_id}",
        form={"subject": "Hello", "message": "Shall we talk?"},
    ),
    ("/conversations/<id:conversation_id>", "GET"): Case(E(LOGIN, 404, 200, 404, 404)),
    ("/conversations/<id:conversation_id>", "POST"): Case(
        E(LOGIN, 404, 303, 404, 404), form={"body": "Yes."}
    ),
    ("/conversations/<id:conversation_id>/archive", "POST"): Case(E(LOGIN, 404, 303, 404, 404)),
    ("/conversations/<id:conversation_id>/block", "POST"): Case(
        E(LOGIN, 404, 303, 404, 404), params=rows.fresh_conversation
    ),
    ("/conversations/<id:conversation_id>/unblock", "POST"): Case(
        E(LOGIN, 404, 303, 404, 404), params=rows.fresh_conversation
    ),
    ("/conversations/<id:conversation_id>/report", "POST"): Case(
        E(LOGIN, 404, 303, 404, 404), params=rows.fresh_conversation, form={"reason": "Spam."}
    ),
    ("/api/v1/conversations", "GET"): Case(E(401, 200, 200, 422, 422)),
    ("/api/v1/conversations", "POST"): Case(
        E(401, 201, 201, 422, 422),
        json=lambda w, _a: {
            "to_organization_id": w.org(kind="buyer").id,
            "subject": "Hi",
            "message": "Shall we talk?",
        },
    ),
    ("/api/v1/conversations/<id:conversation_id>", "GET"): Case(E(401, 404, 200, 404, 404)),
    ("/api/v1/conversations/<id:conversation_id>/messages", "POST"): Case(
        E(401, 404, 201, 404, 404), json={"body": "Yes."}
    ),
    # --- administration ----------------------------------------------------------------
    ("/admin/reports", "GET"): Case(E(LOGIN, 403, 403, 403, 200)),
    ("/admin/reports/<id:report_id>/resolve", "POST"): Case(
        E(LOGIN, 403, 403, 403, 303), params=rows.fresh_report
    ),
    ("/admin/statistics", "GET"): Case(E(LOGIN, 403, 403, 403, 200)),
    ("/admin/statistics.csv", "GET"): Case(E(LOGIN, 403, 403, 403, 200)),
    ("/api/v1/statistics", "GET"): Case(E(401, 403, 403, 403, 200)),
    # --- fairs: public pages and reads ---------------------------------------------------
    ("/exhibitions", "GET"): Case(PUBLIC),
    ("/exhibitions/<id:exhibition_id>", "GET"): Case(PUBLIC),
    ("/exhibitions/<id:exhibition_id>/programme.ics", "GET"): Case(PUBLIC),
    # Who else takes part: the fair's participants and organizers.
    ("/exhibitions/<id:exhibition_id>/participants", "GET"): Case(E(LOGIN, 403, 200, 200, 200)),
    ("/api/v1/exhibitions", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>/programme.ics", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>/participants", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>/booths", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>/sessions", "GET"): Case(PUBLIC),
    ("/api/v1/exhibitions/<id:exhibition_id>/slots", "GET"): Case(PUBLIC),
    # --- fairs: organizing (the fair's organizers and administrators) --------------------
    ("/exhibitions/new", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/new", "POST"): Case(E(LOGIN, 403, 403, 303, 303), form=FAIR_FORM),
    ("/exhibitions/<id:exhibition_id>/edit", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/edit", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), form=FAIR_FORM
    ),
    ("/exhibitions/<id:exhibition_id>/status", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_fair, form={"status": "cancelled"}
    ),
    ("/exhibitions/<id:exhibition_id>/dashboard", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/booths", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/sessions", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/organizers", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), form=lambda w, _a: {"email": w.user(role="organizer").email}
    ),
    ("/exhibitions/<id:exhibition_id>/organizers/<id:user_id>/remove", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.co_organizer
    ),
    ("/exhibitions/<id:exhibition_id>/sessions", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), form=rows.session_form
    ),
    ("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/edit", "GET"): Case(
        E(LOGIN, 403, 403, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/edit", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_session, form=rows.session_form
    ),
    ("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/delete", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_session
    ),
    ("/exhibitions/<id:exhibition_id>/booths", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), form=rows.booth_fields
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/edit", "GET"): Case(
        E(LOGIN, 403, 403, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/edit", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303),
        params=rows.fresh_booth,
        form=rows.booth_fields,
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/delete", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_booth
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/free", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.booked_booth
    ),
    ("/exhibitions/<id:exhibition_id>/registrations/<id:registration_id>/decision", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_participant, form={"decision": "declined"}
    ),
    ("/exhibitions/<id:exhibition_id>/check-in", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_participant
    ),
    ("/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>/undo", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.checked_in
    ),
    # The badge's QR code opens this link at the desk: organizers check the holder in (the
    # badge of a fair still to come: past fairs' badges expire).
    ("/exhibitions/<id:exhibition_id>/check-in/<token>", "GET"): Case(
        E(LOGIN, 403, 403, 200, 200), params=rows.future_badge
    ),
    ("/exhibitions/<id:exhibition_id>/import", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/import", "POST"): Case(
        E(LOGIN, 403, 403, 200, 200), form=rows.participants_csv
    ),
    # Without a checked file it is a form error; the import itself: tests/exhibitions.
    ("/exhibitions/<id:exhibition_id>/import/confirm", "POST"): Case(
        E(LOGIN, 403, 403, 422, 422), form={"token": "not-a-checked-file"}
    ),
    ("/exhibitions/<id:exhibition_id>/import/sample.csv", "GET"): Case(
        E(LOGIN, 403, 403, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/schedule", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/schedule/preview", "POST"): Case(
        E(LOGIN, 403, 403, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/schedule/preview.csv", "POST"): Case(
        E(LOGIN, 403, 403, 200, 200), form=rows.schedule_token
    ),
    ("/exhibitions/<id:exhibition_id>/schedule/publish", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.fresh_fair, form=rows.schedule_token
    ),
    ("/exhibitions/<id:exhibition_id>/schedule/meetings/<id:meeting_id>/lock", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.accepted_meeting, form={"locked": "1"}
    ),
    ("/exhibitions/<id:exhibition_id>/report", "GET"): Case(E(LOGIN, 403, 403, 200, 200)),
    ("/exhibitions/<id:exhibition_id>/report/<what>.csv", "GET"): Case(
        E(LOGIN, 403, 403, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/report/rates", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), form={"currency": "EUR", "usd_per_unit": "1.1"}
    ),
    ("/exhibitions/<id:exhibition_id>/report/rates/<currency>/delete", "POST"): Case(
        E(LOGIN, 403, 403, 303, 303), params=rows.with_rate
    ),
    ("/api/v1/exhibitions", "POST"): Case(E(401, 403, 403, 201, 201), json=FAIR_JSON),
    ("/api/v1/exhibitions/<id:exhibition_id>", "PATCH"): Case(
        E(401, 403, 403, 200, 200), json={"venue": "Expo Center"}
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/sessions", "POST"): Case(
        E(401, 403, 403, 201, 201),
        json=rows.talk,
    ),
    ("/api/v1/sessions/<id:session_id>", "PATCH"): Case(
        E(401, 403, 403, 200, 200), json={"title": {"en": "Opening forum"}}
    ),
    ("/api/v1/sessions/<id:session_id>", "DELETE"): Case(
        E(401, 403, 403, 204, 204), params=rows.fresh_session
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/booths", "POST"): Case(
        E(401, 403, 403, 201, 201), json=rows.booth_fields
    ),
    ("/api/v1/booths/<id:booth_id>", "PATCH"): Case(
        E(401, 403, 403, 200, 200), json={"size": "3 m"}
    ),
    ("/api/v1/booths/<id:booth_id>", "DELETE"): Case(
        E(401, 403, 403, 204, 204), params=rows.fresh_booth
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/registrations", "GET"): Case(
        E(401, 403, 403, 200, 200)
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/check-ins", "GET"): Case(E(401, 403, 403, 200, 200)),
    ("/api/v1/exhibitions/<id:exhibition_id>/check-ins", "POST"): Case(
        E(401, 403, 403, 201, 201),
        json=lambda w, _a: {"registration_id": w.participant()[2].id},
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>", "DELETE"): Case(
        E(401, 403, 403, 204, 204), params=rows.checked_in
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/schedule", "POST"): Case(
        E(401, 403, 403, 200, 200), json={"dry_run": True}
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/statistics", "GET"): Case(E(401, 403, 403, 200, 200)),
    ("/api/v1/exhibitions/<id:exhibition_id>/exchange-rates", "GET"): Case(
        E(401, 403, 403, 200, 200)
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/exchange-rates/<currency>", "PUT"): Case(
        E(401, 403, 403, 200, 200), json={"usd_per_unit": "1.1"}
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/exchange-rates/<currency>", "DELETE"): Case(
        E(401, 403, 403, 204, 204), params=rows.with_rate
    ),
    # --- fairs: taking part (members of a registered organization act for it) ------------
    # Any member registers their own organization (both members move to a fresh one here).
    ("/exhibitions/<id:exhibition_id>/register", "POST"): Case(
        E(LOGIN, 303, 303, REFUSED, REFUSED), params=rows.fresh_home, form={"role": "exhibitor"}
    ),
    # Acting for an organization that does not take part is refused with a message.
    ("/exhibitions/<id:exhibition_id>/withdraw", "POST"): Case(
        E(LOGIN, REFUSED, 303, REFUSED, REFUSED), params=rows.own_registered_org
    ),
    ("/exhibitions/<id:exhibition_id>/agenda", "GET"): Case(E(LOGIN, 403, 200, 403, 403)),
    # The reader's own organization's calendar (empty when it does not take part).
    ("/exhibitions/<id:exhibition_id>/agenda.ics", "GET"): Case(E(LOGIN, 200, 200, 404, 404)),
    ("/exhibitions/<id:exhibition_id>/badge", "GET"): Case(E(LOGIN, 404, 200, REFUSED, REFUSED)),
    ("/exhibitions/<id:exhibition_id>/availability", "GET"): Case(E(LOGIN, 403, 200, 403, 403)),
    ("/exhibitions/<id:exhibition_id>/availability", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), form={}
    ),
    ("/exhibitions/<id:exhibition_id>/preferences", "GET"): Case(E(LOGIN, 403, 200, 403, 403)),
    ("/exhibitions/<id:exhibition_id>/preferences", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), form=lambda w, _a: {f"level-{w.buyer.id}": "must"}
    ),
    ("/exhibitions/<id:exhibition_id>/meetings/new", "GET"): Case(
        E(LOGIN, 403, 200, 403, 403), query="with={target_id}"
    ),
    ("/exhibitions/<id:exhibition_id>/meetings/new", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403),
        query="with={target_id}",
        form=lambda w, _a: {"invitee_id": w.participant(kind="buyer", role="buyer")[0].id},
    ),
    ("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>", "GET"): Case(
        E(LOGIN, 403, 200, 200, 200)
    ),
    ("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>/<action>", "POST"): Case(
        E(LOGIN, 403, 303, 303, 303),
        params=lambda w, a: {**rows.incoming_meeting(w, a), "action": "decline"},
    ),
    ("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>/outcome", "POST"): Case(
        E(LOGIN, 403, 303, 403, 403), params=rows.held_meeting, form={"outcome": "follow_up"}
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/book", "POST"): Case(
        E(LOGIN, REFUSED, 303, REFUSED, REFUSED), params=rows.own_free_booth
    ),
    ("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/release", "POST"): Case(
        E(LOGIN, REFUSED, 303, REFUSED, REFUSED), params=rows.booked_booth
    ),
    ("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/choose", "POST"): Case(
        E(LOGIN, REFUSED, 303, REFUSED, REFUSED)
    ),
    # Unchoosing what the organization never chose changes nothing.
    ("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/unchoose", "POST"): Case(
        E(LOGIN, 303, 303, REFUSED, REFUSED)
    ),
    ("/calendar", "GET"): Case(SIGNED_IN_PAGE),
    # Accounts without an organization (here the organizer and the administrator) have no
    # agenda of their own: pages tell them so and send them back.
    ("/calendar/rotate", "POST"): Case(E(LOGIN, 303, 303, REFUSED, REFUSED)),
    # A feed address is a secret: whoever holds it reads it, nobody else can guess it.
    ("/calendar/<secret>.ics", "GET"): Case(PUBLIC, params=rows.live_feed),
    ("/api/v1/calendar-feed", "GET"): Case(E(401, 200, 200, 422, 422)),
    ("/api/v1/calendar-feed/rotation", "POST"): Case(E(401, 201, 201, 422, 422)),
    ("/api/v1/exhibitions/<id:exhibition_id>/registrations", "POST"): Case(
        E(401, 403, 201, 403, 201),
        params=rows.own_org,
        json=lambda w, _a: {
            "organization_id": w.users["owner"].organization_id,
            "role": "exhibitor",
        },
    ),
    ("/api/v1/registrations/<id:registration_id>", "PATCH"): Case(
        E(401, 403, 200, 200, 200),
        params=lambda w, _a: {"registration_id": w.participant_of_owner().id},
        json={"status": "withdrawn"},
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/badge", "GET"): Case(
        E(401, 403, 200, 200, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/agenda.ics", "GET"): Case(
        E(401, 403, 200, 200, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/people-to-meet", "GET"): Case(
        E(401, 403, 200, 403, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/unavailability", "GET"): Case(
        E(401, 403, 200, 200, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/unavailability", "PUT"): Case(
        E(401, 403, 200, 403, 200),
        json=lambda w, _a: {"organization_id": w.provider.id, "slot_ids": []},
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/preferences", "GET"): Case(
        E(401, 403, 200, 200, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/preferences/<id:target_id>", "PUT"): Case(
        E(401, 403, 200, 403, 200),
        json=lambda w, _a: {"organization_id": w.provider.id, "level": "must"},
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/preferences/<id:target_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 204), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/meeting-cap", "PUT"): Case(
        E(401, 403, 200, 403, 200),
        json=lambda w, _a: {"organization_id": w.provider.id, "cap": 5},
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/meetings", "GET"): Case(
        E(401, 403, 200, 200, 200), query="organization_id={org_id}"
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/meetings", "POST"): Case(
        E(401, 403, 201, 403, 201),
        json=lambda w, _a: {
            "requester_id": w.provider.id,
            "invitee_id": w.participant(kind="buyer", role="buyer")[0].id,
        },
    ),
    ("/api/v1/meetings/<id:meeting_id>", "GET"): Case(E(401, 403, 200, 200, 200)),
    # Organizers may answer, move or cancel any meeting of their fair (either side).
    ("/api/v1/meetings/<id:meeting_id>", "PATCH"): Case(
        E(401, 403, 200, 200, 200), params=rows.incoming_meeting, json={"status": "declined"}
    ),
    # Outcomes belong to a side: organizers read them but do not record them.
    ("/api/v1/meetings/<id:meeting_id>/outcome", "POST"): Case(
        E(401, 403, 201, 403, 201),
        params=rows.held_meeting,
        json=lambda w, _a: {
            "organization_id": w.users["owner"].organization_id,
            "outcome": "follow_up",
        },
    ),
    ("/api/v1/meetings/<id:meeting_id>/outcomes", "GET"): Case(E(401, 403, 200, 200, 200)),
    # Organizers assign booths to any registered organization.
    ("/api/v1/booths/<id:booth_id>/booking", "POST"): Case(
        E(401, 403, 201, 201, 201),
        params=rows.own_free_booth,
        json=lambda w, _a: {"organization_id": w.users["owner"].organization_id},
    ),
    ("/api/v1/booths/<id:booth_id>/booking", "DELETE"): Case(
        E(401, 403, 204, 204, 204), params=rows.booked_booth
    ),
    ("/api/v1/sessions/<id:session_id>/choices", "POST"): Case(
        E(401, 403, 201, 403, 201), json=lambda w, _a: {"organization_id": w.provider.id}
    ),
    ("/api/v1/sessions/<id:session_id>/choices/<id:organization_id>", "DELETE"): Case(
        E(401, 403, 204, 403, 204)
    ),
}


# Things only some may know exist answer 404 to the others (not 403: no confirmation).
HIDDEN: dict[tuple[str, str], Case] = {
    # A draft fair: its organizers (and administrators) only.
    ("/exhibitions/<id:exhibition_id>", "GET"): Case(
        E(404, 404, 404, 200, 200), params=lambda w, _a: {"exhibition_id": w.draft.id}
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>", "GET"): Case(
        E(404, 404, 404, 200, 200), params=lambda w, _a: {"exhibition_id": w.draft.id}
    ),
    ("/api/v1/exhibitions/<id:exhibition_id>/sessions", "GET"): Case(
        E(404, 404, 404, 200, 200), params=lambda w, _a: {"exhibition_id": w.draft.id}
    ),
    # A hidden organization: its team and administrators only.
    ("/organizations/<id:org_id>", "GET"): Case(
        E(404, 404, 200, 404, 200), params=lambda w, _a: {"org_id": w.join(w.hidden_owned).id}
    ),
    ("/api/v1/organizations/<id:org_id>", "GET"): Case(
        E(404, 404, 200, 404, 200), params=lambda w, _a: {"org_id": w.join(w.hidden_owned).id}
    ),
    # Another organization's meeting, conversation: not there for outsiders.
    ("/api/v1/meetings/<id:meeting_id>", "GET"): Case(
        E(401, 404, 404, 404, 404), params={"meeting_id": 2_000_000_000}
    ),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory, migrated_database):
    folder = tmp_path_factory.mktemp("matrix")
    shutil.copyfile(migrated_database, folder / "t.sqlite3")
    app = create_app(matrix_config(folder))
    with Session(app.extensions["matchmaker.engine"], expire_on_commit=False) as db:
        yield build_world(app, db)
    app.extensions["matchmaker.engine"].dispose()


@pytest.fixture(scope="module")
def app_routes(world):
    return routes(world.app)


def test_every_route_is_in_the_matrix(app_routes):
    missing = sorted(app_routes - MATRIX.keys())
    assert not missing, "\n".join(f"add {rule} {method} to the matrix" for rule, method in missing)


def test_the_matrix_names_no_route_that_is_gone(app_routes):
    stale = sorted(MATRIX.keys() - app_routes)
    assert not stale, "\n".join(f"remove {rule} {method}: no such route" for rule, method in stale)


@pytest.mark.parametrize(("rule", "method"), list(HIDDEN), ids=[f"{m} {r}" for r, m in HIDDEN])
def test_hidden_resource_is_404_to_those_who_may_not_see_it(world, rule, method):
    case = HIDDEN[rule, method]
    assert run(world, rule, method, case) == case.expect


@pytest.mark.parametrize(("rule", "method"), list(MATRIX), ids=[f"{m} {r}" for r, m in MATRIX])
def test_route_answers_each_actor_as_designed(world, app_routes, rule, method):
    if (rule, method) not in app_routes:
        pytest.skip("not a route (reported by test_the_matrix_names_no_route_that_is_gone)")
    case = MATRIX[rule, method]
    assert run(world, rule, method, case) == case.expect
