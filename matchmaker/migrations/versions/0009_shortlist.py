"""shortlist: a private note per saved partner, and the interest sent once per pair

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01 17:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "target_id",
            sa.Integer(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("note", sa.String(2000), nullable=False, server_default=""),
        sa.Column("interest_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source_id", "target_id", name="uq_partner_note"),
        sa.CheckConstraint("source_id <> target_id", name="ck_partner_note_not_self"),
        sa.CheckConstraint("length(note) <= 2000", name="ck_partner_note_length"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_partner_notes_source_id", "partner_notes", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_partner_notes_source_id", table_name="partner_notes")
    op.drop_table("partner_notes")
