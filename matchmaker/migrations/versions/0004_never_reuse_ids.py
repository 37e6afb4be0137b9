"""never reuse ids: SQLite AUTOINCREMENT on every table whose ids leave the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:10:00
"""
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# PostgreSQL sequences never hand out an id twice; SQLite reuses the highest id after a
# delete unless the table is declared AUTOINCREMENT, which only a rebuild can add.
TABLES = ("users", "api_tokens", "organizations", "organization_texts", "interactions", "graph_changes")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
