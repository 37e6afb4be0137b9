"""The directory's caches: same links and pages as without them, never older than the data."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from matchmaker.profiles import directory_cache, facets
from matchmaker.profiles.models import Organization
from matchmaker.web import toggle_url

QUERIES = [
    "",
    "q=software",
    "kind=provider",
    "kind=any&country=CN,IN&page=3",
    "q=call+center&country=DE&country=FR&sort=name&lang=ar",
    "country=&service=ito.software_rd",
    "page=2&q=%E8%BD%AF%E4%BB%B6&market=china,,developed&x=%3Cb%3E",
    "language=ar&language=ar&per_page=10",
]
TOGGLES = [
    ("country", "CN"),
    ("country", "DE"),
    ("market", "developed"),
    ("service", "ito.software_rd"),
    ("language", "ar"),
    ("size", "5000+"),
]


@pytest.mark.parametrize("query", QUERIES)
def test_facet_links_are_the_addresses_toggle_url_makes(app, query):
    with app.test_request_context(f"/organizations?{query}"):
        from flask import request, url_for

        links = facets.FacetLinks(url_for("profiles.index"), request.args)
        for key, value in TOGGLES:
            assert links.toggle(key, value) == toggle_url(key, value)
            active = value in [v for raw in request.args.getlist(key) for v in raw.split(",")]
            assert links.is_active(key, value) == active


def test_facet_links_keep_argument_order_and_drop_the_page(app):
    links = facets.FacetLinks("/organizations", MultiDict([("q", "a b"), ("page", "4")]))
    assert links.toggle("country", "CN") == "/organizations?q=a+b&country=CN"
    on = facets.FacetLinks("/organizations", MultiDict([("country", "CN"), ("q", "x")]))
    assert on.toggle("country", "CN") == "/organizations?q=x"


def _signed_in(client, make_user, org_id=None):
    make_user(email="reader@example.com", organization_id=org_id)
    response = client.post(
        "/account/login", data={"email": "reader@example.com", "password": "password123"}
    )
    assert response.status_code == 302
    return client


def test_anonymous_page_is_reused_and_identical(app, client, make_org):
    directory_cache.clear()
    make_org(name="Alpha Soft", country="CN")
    make_org(name="Beta Bank", kind="buyer", country="DE")
    first = client.get("/organizations?kind=any&lang=ar")
    second = client.get("/organizations?kind=any&lang=ar")
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert "Beta Bank" in second.get_data(as_text=True)


def test_a_saved_profile_shows_at_once_on_a_kept_page(app, client, db, make_org, make_user):
    """An edit through the service (as the web and API make it) ends the kept page."""
    from matchmaker.accounts.models import User
    from matchmaker.profiles import service

    org = make_org(name="Alpha Soft")
    assert "Alpha Soft" in client.get("/organizations?kind=any").get_data(as_text=True)
    owner = make_user(organization_id=org.id)
    service.update_organization(db, owner, org.id, {"name": "Alpha Renamed"})
    html = client.get("/organizations?kind=any").get_data(as_text=True)
    assert "Alpha Renamed" in html and "Alpha Soft" not in html
    # Hidden: gone from the anonymous page, even though the page was kept a moment ago.
    service.update_organization(db, db.get(User, owner.id), org.id, {"visibility": "hidden"})
    html = client.get("/organizations?kind=any").get_data(as_text=True)
    assert "Alpha Renamed" not in html


def test_database_has_the_last_word_when_the_index_missed_a_hide(app, client, db, make_org):
    org = make_org(name="Quiet Firm")
    assert "Quiet Firm" in client.get("/organizations?kind=any").get_data(as_text=True)
    # A hide the index never heard of (its update failed), logged as every write logs it.
    from matchmaker.profiles.service import log_graph_change

    stored = db.get(Organization, org.id)
    stored.visibility = "hidden"
    log_graph_change(db, org.id)
    db.commit()
    assert "Quiet Firm" not in client.get("/organizations?kind=any").get_data(as_text=True)


def test_new_counts_make_a_new_facet_panel(app, client, make_org):
    make_org(name="Alpha Soft", country="CN")
    before = client.get("/organizations?kind=any").get_data(as_text=True)
    make_org(name="Gamma Insure", country="SA")
    after = client.get("/organizations?kind=any").get_data(as_text=True)
    assert "Saudi Arabia" not in before
    assert "Saudi Arabia" in after
    assert "Gamma Insure" in after


def test_signed_in_readers_never_get_the_anonymous_page(app, client, make_org, make_user):
    make_org(name="Alpha Soft")
    make_org(name="Club Firm", visibility="members")
    anonymous = client.get("/organizations?kind=any").get_data(as_text=True)
    assert "Club Firm" not in anonymous
    html = _signed_in(client, make_user).get("/organizations?kind=any").get_data(as_text=True)
    assert "Club Firm" in html
    assert "Sign out" in html


def test_a_waiting_message_is_shown_not_a_kept_page(app, client, make_org):
    make_org(name="Alpha Soft")
    client.get("/organizations?kind=any")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Hello from the last page")]
    html = client.get("/organizations?kind=any").get_data(as_text=True)
    assert "Hello from the last page" in html
    # Shown once, as before.
    assert "Hello from the last page" not in client.get("/organizations?kind=any").get_data(
        as_text=True
    )


def test_the_reader_locale_keys_the_page(app, client, make_org):
    make_org(name="Alpha Soft", country="DE")
    english = client.get("/organizations?kind=any&lang=en").get_data(as_text=True)
    chinese = client.get("/organizations?kind=any&lang=zh_Hans").get_data(as_text=True)
    assert "Germany" in english
    assert "德国" in chinese and "Germany" not in chinese


def test_search_results_are_reused_until_the_index_changes(app, make_org):
    from matchmaker.search.base import SearchQuery

    make_org(name="Kappa Cloud")
    with app.app_context():
        query = SearchQuery(text="kappa", visibilities=("public",), locale="en")
        first = directory_cache.search(query)
        assert directory_cache.search(query) is first
        assert [hit.id for hit in first.hits]
    make_org(name="Kappa Data")
    with app.app_context():
        assert directory_cache.search(query).total == 2


def test_each_app_keeps_its_own_results(tmp_path, migrated_database, app, make_org):
    """A second app whose index counter matches never sees the first one's results."""
    import shutil

    from matchmaker import create_app
    from matchmaker.search.base import SearchQuery

    make_org(name="Only Here")
    shutil.copyfile(migrated_database, tmp_path / "other.sqlite3")
    other = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
            "SEARCH_INDEX_PATH": str(tmp_path / "other-search.sqlite3"),
            "SECRET_KEY": "test-secret",
            "ELASTICSEARCH_URL": "",
        }
    )
    query = SearchQuery(text="", visibilities=("public",), locale="en")
    with app.app_context():
        assert directory_cache.search(query).total == 1
    with other.app_context():
        assert directory_cache.search(query).total == 0
    other.extensions["matchmaker.engine"].dispose()


def test_search_warm_up_prepares_the_backend_and_changes_nothing(app, make_org):
    from matchmaker.search.base import SearchQuery
    from matchmaker.search.runtime import current_backend, warm_up

    with app.app_context():
        warm_up()  # an empty index is fine too
    make_org(name="Warm Firm")
    with app.app_context():
        warm_up()
        backend = current_backend()
        assert backend._snapshot is not None  # loaded before any reader asked
        assert backend.search(SearchQuery(text="warm")).total == 1
