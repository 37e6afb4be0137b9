"""Command line: `matchmaker ...` or `flask --app matchmaker ...`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext


def register_cli(app: Flask) -> None:
    for command in (init_db, demo, serve, create_user, reindex, send_mail, backup, restore):
        app.cli.add_command(command)


def _engine():
    return current_app.extensions["matchmaker.engine"]


def _migrate() -> None:
    from matchmaker.migrate import upgrade

    click.echo("• Applying database migrations…", err=True)
    upgrade(_engine())


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema."""
    _migrate()
    click.echo("Database is up to date.", err=True)


def _reindex() -> int:
    from sqlmodel import Session

    from matchmaker.profiles.service import all_organizations, organization_document
    from matchmaker.search.runtime import current_backend

    with Session(_engine()) as db:
        from sqlalchemy import func, select

        from matchmaker.profiles.models import Organization

        total = db.execute(select(func.count()).select_from(Organization)).scalar_one()
        with click.progressbar(
            length=total, label="• Indexing organizations", file=sys.stderr, show_pos=True
        ) as bar:

            def documents():
                for org in all_organizations(db):
                    bar.update(1)
                    yield organization_document(org)

            from sqlalchemy import delete

            from matchmaker.profiles.models import SearchBacklog

            started = db.execute(select(func.max(SearchBacklog.created_at))).scalar_one_or_none()
            count = current_backend().rebuild(documents())
            if started is not None:
                # What waited before the rebuild began is in the new index now.
                db.execute(delete(SearchBacklog).where(SearchBacklog.created_at <= started))
                db.commit()
            return count


@click.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the search index from the database."""
    count = _reindex()
    click.echo(f"Indexed {count} organizations.", err=True)


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep sending every MATCHMAKER_MAIL_INTERVAL seconds.")
@with_appcontext
def send_mail(loop: bool) -> None:
    """Deliver the mails waiting in the outbox (for cron, or with --loop as a service).

    Each run also queues the reminders of fair meetings that start within 15 minutes.
    """
    import time

    from matchmaker.notifications.mail import send_pending

    app = current_app._get_current_object()
    while True:
        click.echo(f"Sent {send_pending(app)} mails.")
        if not loop:
            return
        time.sleep(max(1, app.config["MAIL_INTERVAL"]))


@click.command("create-user")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["member", "organizer", "admin"]), default="member")
@click.option("--organization", "organization_id", type=int, default=None, help="Organization id.")
@with_appcontext
def create_user(email: str, password: str, role: str, organization_id: int | None) -> None:
    """Create an account."""
    from sqlmodel import Session

    from matchmaker.accounts.service import create_user as make_user
    from matchmaker.errors import ValidationFailed

    with Session(_engine()) as db:
        try:
            user = make_user(db, email, password, role=role, organization_id=organization_id)
        except ValidationFailed as error:
            for field, message in error.fields.items():
                click.echo(f"{field}: {message}", err=True)
            raise SystemExit(2) from None
        click.echo(f"Created {user.email} ({user.role}), id {user.id}.")


def _serve(host: str, port: int, workers: int) -> None:
    from matchmaker.server import run

    click.echo(f"\n  matchmaker is running at http://{host}:{port}/\n", err=True)
    run(current_app._get_current_object(), host, port, workers)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int, workers: int) -> None:
    """Serve the site (gunicorn)."""
    _migrate()
    _index_if_empty()
    _serve(host, port, workers)


def _index_if_empty() -> None:
    """A new index next to an existing database (new host, new backend) gets filled first."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from matchmaker.profiles.models import Organization
    from matchmaker.search.base import SearchQuery, SearchUnavailable
    from matchmaker.search.runtime import current_backend

    with Session(_engine()) as db:
        organizations = db.execute(select(func.count()).select_from(Organization)).scalar_one()
    if not organizations:
        return
    everything = SearchQuery(visibilities=("public", "members", "hidden"), per_page=1)
    try:
        indexed = current_backend().search(everything).total
    except SearchUnavailable:
        click.echo("! Search is unavailable; pages will say so until it is back.", err=True)
        return
    if indexed == 0:
        _reindex()


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the data and stop.")
@with_appcontext
def demo(host: str, port: int, workers: int, no_serve: bool) -> None:
    """Migrate, load the demo data (again: changes nothing), then serve."""
    from sqlmodel import Session

    from matchmaker.demo.load import load_demo

    _migrate()
    with Session(_engine()) as db:
        added = load_demo(db, echo=lambda msg: click.echo(msg, err=True))
    click.echo(
        f"• Demo data: {added['organizations']} organizations, {added['users']} users, "
        f"{added['interactions']} interactions added.",
        err=True,
    )
    _reindex()
    if not no_serve:
        _serve(host, port, workers)


def _progress(label: str, total: int):
    """A progress bar for one file's copy (pages); closes itself when the copy is done."""
    bar = click.progressbar(length=total, label=f"• {label}", file=sys.stderr, show_pos=True)
    bar.__enter__()
    done = 0

    def report(pages: int) -> None:
        nonlocal done
        bar.update(pages - done)
        done = pages
        if pages >= total:
            bar.__exit__(None, None, None)

    return report


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database and the search index into the folder PATH (site may run)."""
    from matchmaker import backup as backups

    try:
        manifest = backups.backup(_engine(), current_app.config, path, progress=_progress)
    except backups.BackupError as error:
        click.echo(f"! {error}", err=True)
        raise SystemExit(2) from None
    for note in manifest["notes"]:
        click.echo(f"• {note}", err=True)
    for name, entry in manifest["files"].items():
        rows = sum(entry["tables"].values())
        click.echo(f"  {name}: {entry['file']}, {entry['bytes']} bytes, {rows} rows")
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="The site is stopped: replace its data.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the database and search index with the backup in PATH. Stop the site first."""
    from matchmaker import backup as backups

    click.echo(
        "! Restoring replaces the database and the search index with the backup's copies.\n"
        "  Stop the site first (every worker on every host): matchmaker cannot tell whether it\n"
        "  is running, and running workers would keep serving from their caches.",
        err=True,
    )
    if not yes:
        click.echo("Nothing changed. Run again with --yes once the site is stopped.", err=True)
        raise SystemExit(1)
    try:
        manifest, notes = backups.restore(_engine(), current_app.config, path, progress=_progress)
    except backups.BackupError as error:
        click.echo(f"! {error}", err=True)
        raise SystemExit(2) from None
    current_app.extensions["matchmaker.search"] = None  # reopen the restored index
    for note in notes:
        click.echo(f"• {note}", err=True)
    if "search_index" not in manifest["restored"] and not current_app.config.get(
        "ELASTICSEARCH_URL"
    ):
        count = _reindex()
        click.echo(f"• Rebuilt the search index: {count} organizations.", err=True)
    click.echo(
        f"Restored the backup of {manifest['created_at']} from {path}. "
        "`matchmaker serve` applies any newer migrations when it starts."
    )


def _create_app():
    from matchmaker import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """matchmaker: partner matching and trade fairs for the service-outsourcing trade."""
