"""The command line: demo loads once and again changes nothing; create-user; reindex."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.profiles.models import Interaction, Organization


def _counts(app):
    with Session(app.extensions["matchmaker.engine"]) as db:
        return tuple(
            db.exec(select(func.count()).select_from(model)).one()
            for model in (Organization, User, Interaction)
        )


def test_demo_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    counts = _counts(app)
    assert counts[0] >= 300
    second = runner.invoke(args=["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "0 organizations, 0 users, 0 interactions added" in second.output
    assert _counts(app) == counts
    with app.app_context():
        from matchmaker.search.base import SearchQuery
        from matchmaker.search.runtime import current_backend

        result = current_backend().search(SearchQuery(visibilities=("public", "members", "hidden")))
    assert result.total == counts[0]


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "Boss@Example.com", "--password", "long-enough", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    with Session(app.extensions["matchmaker.engine"]) as db:
        user = db.exec(select(User).where(User.email == "boss@example.com")).one()
    assert user.role == "admin"
    again = runner.invoke(args=["create-user", "boss@example.com", "--password", "long-enough"])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_create_user_with_unknown_organization_fails_cleanly(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "x@example.com", "--password", "long-enough", "--organization", "999"]
    )
    assert result.exit_code == 2
    assert "No organization has this id." in result.output


def test_reindex_reports_count(app, make_org):
    make_org(name="One")
    make_org(name="Two")
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 organizations." in result.output


def test_serve_fills_an_empty_index_first(app, make_org, monkeypatch, tmp_path):
    import matchmaker.server

    make_org(name="Only Firm")
    app.config["SEARCH_INDEX_PATH"] = str(tmp_path / "fresh-index.sqlite3")
    app.extensions["matchmaker.search"] = None
    served = []
    monkeypatch.setattr(matchmaker.server, "run", lambda *args: served.append(args[1:]))
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 5999, 2)]
    with app.app_context():
        from matchmaker.search.base import SearchQuery
        from matchmaker.search.runtime import current_backend

        assert current_backend().search(SearchQuery()).total == 1
