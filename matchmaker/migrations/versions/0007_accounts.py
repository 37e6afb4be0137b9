"""accounts: e-mail verification, contact details, session epochs, team invitations

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds the table for the check constraint: keep it AUTOINCREMENT (0004).
    with op.batch_alter_table(
        "users", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("title", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("spoken_languages", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint("ck_user_session_epoch", "session_epoch >= 0")
    op.create_table(
        "team_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("accepted_at IS NULL OR revoked_at IS NULL", name="ck_team_invitation_state"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["accepted_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_team_invitations_organization_id"), "team_invitations", ["organization_id"])
    op.create_index(op.f("ix_team_invitations_email"), "team_invitations", ["email"])


def downgrade() -> None:
    op.drop_index(op.f("ix_team_invitations_email"), table_name="team_invitations")
    op.drop_index(op.f("ix_team_invitations_organization_id"), table_name="team_invitations")
    op.drop_table("team_invitations")
    with op.batch_alter_table(
        "users", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint("ck_user_session_epoch", type_="check")
        batch_op.drop_column("session_epoch")
        batch_op.drop_column("spoken_languages")
        batch_op.drop_column("phone")
        batch_op.drop_column("title")
        batch_op.drop_column("email_verified_at")
