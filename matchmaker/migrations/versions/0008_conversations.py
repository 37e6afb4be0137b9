"""conversations: inquiries between two organizations, messages, blocks, abuse reports

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 17:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def _org(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=nullable,
    )


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False),
        _org("started_by_org_id"),
        _when("created_at"),
        _when("last_message_at"),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("budget", sa.String(16), nullable=True),
        sa.Column("timeline", sa.String(200), nullable=False),
        sa.CheckConstraint("length(subject) > 0", name="ck_conversation_subject"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_conversation_started", "conversations", ["started_by_org_id", "created_at"])
    op.create_table(
        "conversation_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _org("organization_id"),
        _org("partner_id"),
        _when("last_message_at"),
        _when("last_read_at", nullable=True),
        sa.Column("unread", sa.Integer(), nullable=False),
        _when("archived_at", nullable=True),
        sa.UniqueConstraint("conversation_id", "organization_id", name="uq_conversation_member"),
        sa.CheckConstraint("organization_id <> partner_id", name="ck_conversation_member_not_self"),
        sa.CheckConstraint("unread >= 0", name="ck_conversation_member_unread"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_conversation_member_inbox",
        "conversation_members",
        ["organization_id", "last_message_at"],
    )
    op.create_index("ix_conversation_members_partner_id", "conversation_members", ["partner_id"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "author_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _org("organization_id"),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        _when("sent_at"),
        sa.CheckConstraint("length(body) > 0 AND length(body) <= 10000", name="ck_message_body"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_message_thread", "messages", ["conversation_id", "sent_at"])
    op.create_index("ix_messages_author_user_id", "messages", ["author_user_id"])
    op.create_table(
        "conversation_blocks",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org("organization_id"),
        _org("blocked_organization_id"),
        _when("created_at"),
        sa.UniqueConstraint("organization_id", "blocked_organization_id", name="uq_block"),
        sa.CheckConstraint("organization_id <> blocked_organization_id", name="ck_block_not_self"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_conversation_blocks_blocked_organization_id",
        "conversation_blocks",
        ["blocked_organization_id"],
    )
    op.create_table(
        "abuse_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "reporter_user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _org("organization_id"),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        _when("created_at"),
        _when("resolved_at", nullable=True),
        sa.CheckConstraint("length(reason) > 0", name="ck_abuse_report_reason"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_abuse_report_open", "abuse_reports", ["resolved_at", "created_at"])
    op.create_index("ix_abuse_reports_reporter_user_id", "abuse_reports", ["reporter_user_id"])
    op.create_index("ix_abuse_reports_organization_id", "abuse_reports", ["organization_id"])


def downgrade() -> None:
    op.drop_table("abuse_reports")
    op.drop_table("conversation_blocks")
    op.drop_table("messages")
    op.drop_table("conversation_members")
    op.drop_table("conversations")
