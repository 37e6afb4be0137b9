"""Hostile profile text in every language renders inert on every page that shows it.

The browser half (no dialog fires, the layout holds) is tests/e2e/test_hostile_text.py.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import select

from matchmaker.accounts.models import utcnow
from matchmaker.conversations import service as conversations
from matchmaker.exhibitions import service as fairs
from matchmaker.profiles.models import Organization
from matchmaker.profiles.service import validate
from tests.exhibitions.conftest import make_fair, organizer  # noqa: F401  (fixtures)
from tests.security.test_headers import inline_problems

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
LINK = '<a href="javascript:alert(1)">click</a>'
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: would flip the text after it
LONG_WORD = "W" * 10_000
HOSTILE_NAME = f"{SCRIPT}{IMG} Haixin {RLO}evil \"q\" & 'a' {'N' * 120}"
DESCRIPTIONS = {
    "en": f"We build {SCRIPT} banking software {IMG} hostileword {LINK}",
    "zh_Hans": f"我们开发{SCRIPT}银行软件{IMG} hostileword {RLO}反转",
    "ar": f"{RLO}نحن نطور {SCRIPT} برمجيات {LINK} hostileword",
    "ru": LONG_WORD[:5000],  # the most a description holds
    "es": f"{SVG} hostileword <iframe src=javascript:alert(1)></iframe>",
    "fr": 'hostileword "><script>alert(1)</script> {{ 7*7 }} {% raw %}',
}
JAVASCRIPT_WEBSITES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(document.cookie)",
    "javascript://example.com/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "https:alert(1)",
    "java\nscript:alert(1)",
]
GOOD_WEBSITE = 'https://haixin.example/?q=<b>"onmouseover="alert(1)'


def profile_form(**overrides) -> dict:
    data = {
        "kind": "provider",
        "name": HOSTILE_NAME,
        "country": "CN",
        "city": f"{SCRIPT}{RLO}Dalian",
        "website": GOOD_WEBSITE,
        "services": ["ito.software_rd"],
        "languages": ["en", "zh"],
        "visibility": "public",
        **{f"description_{locale}": text for locale, text in DESCRIPTIONS.items()},
    }
    data.update(overrides)
    return data


def assert_inert(html: str, *, shows_name: bool = True) -> None:
    """No payload survives as markup; the name shows escaped and isolated in <bdi>."""
    for payload in (SCRIPT, IMG, SVG, LINK, "<iframe"):
        assert payload not in html
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert inline_problems(html) == []
    if shows_name:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
        # Names sit in <bdi>, so the override character cannot flip the text around them.
        assert re.search(r"<bdi[^>]*>&lt;script&gt;alert\(1\)", html)


@pytest.mark.parametrize("website", JAVASCRIPT_WEBSITES)
def test_validation_refuses_non_http_websites(website):
    from matchmaker.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        validate({**_plain(), "website": website})
    assert "website" in caught.value.fields


def _plain() -> dict:
    return {
        "kind": "provider",
        "name": "Plain",
        "country": "CN",
        "services": ["ito.software_rd"],
        "visibility": "public",
    }


@pytest.mark.parametrize("website", JAVASCRIPT_WEBSITES[:3] + JAVASCRIPT_WEBSITES[5:6])
def test_profile_form_refuses_javascript_websites_and_saves_nothing(
    client, db, make_user, login, website
):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post("/organizations/new", data=profile_form(website=website))
    assert response.status_code == 422
    assert "Enter an address starting with http:// or https://." in unescape(
        response.get_data(as_text=True)
    )
    assert db.exec(select(Organization)).all() == []
    assert_inert(response.get_data(as_text=True), shows_name=False)


@pytest.mark.parametrize("website", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_api_refuses_javascript_websites(client, make_user, api_token, website):
    make_user("api@example.com")
    headers = api_token("api@example.com")
    body = {**_plain(), "website": website}
    response = client.post("/api/v1/organizations", json=body, headers=headers)
    assert response.status_code == 422
    assert "website" in str(response.json)


@pytest.fixture
def hostile(app, db, client, make_user, login, make_org, make_fair):  # noqa: F811
    """A hostile profile made through the form, a conversation and a fair that show it."""
    author = make_user("hostile@example.com")
    login("hostile@example.com")
    response = client.post("/organizations/new", data=profile_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    db.refresh(author)
    org = db.get(Organization, author.organization_id)
    assert org.name == HOSTILE_NAME and org.text_map()["ru"] == LONG_WORD[:5000]
    client.post("/account/logout")

    partner = make_org(kind="buyer", name="Nordhafen", country="DE")
    reader = make_user("reader@example.com", organization_id=partner.id)
    for user in (author, reader):
        user.email_verified_at = utcnow()
        db.add(user)
    db.commit()
    with app.app_context():
        conversation = conversations.start_conversation(
            db, author, org.id, partner.id, f"{SCRIPT} offer {RLO}", LONG_WORD
        )
        conversations.reply(db, author, conversation.id, f"{IMG}\n{LINK}\n{SVG}")
    fair = make_fair()
    fairs.register(db, author, fair.id, org.id, "exhibitor")
    fairs.register(db, reader, fair.id, partner.id, "visitor")
    return {"org": org, "conversation": conversation, "fair": fair}


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar", "ru", "es", "fr"])
def test_public_pages_render_hostile_text_inert(client, hostile, locale):
    org = hostile["org"]
    for path, query, shows_name in (
        (f"/organizations/{org.id}", {}, True),
        ("/organizations", {}, True),
        ("/organizations", {"q": "hostileword"}, True),
        ("/organizations", {"q": "Haixin"}, True),
        ("/organizations", {"q": LONG_WORD[:200]}, False),
        ("/organizations", {"q": SCRIPT}, False),  # echoed in the search box and the heading
    ):
        response = client.get(path, query_string={**query, "lang": locale})
        assert response.status_code == 200, (path, query)
        assert_inert(response.get_data(as_text=True), shows_name=shows_name)
    profile = client.get(f"/organizations/{org.id}", query_string={"lang": locale}).get_data(
        as_text=True
    )
    assert 'href="https://haixin.example/?q=&lt;b&gt;&#34;onmouseover=&#34;alert(1)"' in profile


def test_search_snippets_escape_before_highlighting(client, hostile):
    html = client.get("/organizations", query_string={"q": "hostileword"}).get_data(as_text=True)
    assert "hostileword" in html.lower()
    assert "&lt;script&gt;" in html or "&lt;img" in html or "&lt;a href" in html
    assert_inert(html)


def test_signed_in_pages_render_hostile_text_inert(client, login, hostile):
    login("reader@example.com")
    conversation, fair, org = hostile["conversation"], hostile["fair"], hostile["org"]
    for path in (
        f"/conversations/{conversation.id}",
        "/conversations",
        f"/exhibitions/{fair.id}/participants",
        f"/exhibitions/{fair.id}/participants?q=Haixin",
        f"/organizations/{org.id}",
        "/account/notifications",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), shows_name="notifications" not in path)
    thread = client.get(f"/conversations/{conversation.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in thread
