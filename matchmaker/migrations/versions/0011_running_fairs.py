"""running a fair: preferences, scheduler marks, check-in, outcomes, exchange rates, fair notices

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# A rebuilt table keeps AUTOINCREMENT (0004): ids that left the database are never reused.
KEEP = {"sqlite_autoincrement": True}

OLD_KINDS = ("inquiry", "reply", "interest", "team_invitation", "verification_granted")
NEW_KINDS = OLD_KINDS + (
    "meeting_requested",
    "meeting_accepted",
    "meeting_declined",
    "meeting_moved",
    "meeting_cancelled",
    "schedule_published",
    "meeting_reminder",
)


def _check(kinds) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _kinds(kinds) -> None:
    for table, name in (
        ("notifications", "ck_notification_kind"),
        ("notification_settings", "ck_notification_setting_kind"),
    ):
        with op.batch_alter_table(table, recreate="always", table_kwargs=KEEP) as batch:
            batch.drop_constraint(name, type_="check")
            batch.create_check_constraint(name, _check(kinds))


def upgrade() -> None:
    with op.batch_alter_table("exhibitions", table_kwargs=KEEP) as batch:
        batch.add_column(sa.Column("schedule_published_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("registrations", table_kwargs=KEEP) as batch:
        batch.add_column(sa.Column("contact_email", sa.String(length=254), nullable=False, server_default=""))
        batch.add_column(sa.Column("meeting_cap", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checked_in_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_registration_checked_in_by", "users", ["checked_in_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("meetings", table_kwargs=KEEP) as batch:
        batch.add_column(sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("placed_by", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_meeting_slot_status", "meetings", ["slot_id", "status"])
    op.create_table(
        "meeting_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibition_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("organization_id <> target_id", name="ck_preference_not_self"),
        sa.CheckConstraint("level IN ('must', 'would_like', 'no_thanks')", name="ck_preference_level"),
        sa.ForeignKeyConstraint(["exhibition_id"], ["exhibitions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("exhibition_id", "organization_id", "target_id", name="uq_meeting_preference"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_preference_target", "meeting_preferences", ["exhibition_id", "target_id"])
    op.create_table(
        "meeting_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=True),
        sa.Column("value_cents", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('no_fit', 'follow_up', 'mou', 'contract')", name="ck_meeting_outcome"
        ),
        sa.CheckConstraint("value_cents IS NULL OR value_cents >= 0", name="ck_meeting_outcome_value"),
        sa.CheckConstraint("(value_cents IS NULL) = (currency IS NULL)", name="ck_meeting_outcome_currency"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "organization_id", name="uq_meeting_outcome"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_meeting_outcomes_organization_id", "meeting_outcomes", ["organization_id"])
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibition_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("usd_nanos_per_unit", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("usd_nanos_per_unit > 0", name="ck_exchange_rate_positive"),
        sa.ForeignKeyConstraint(["exhibition_id"], ["exhibitions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("exhibition_id", "currency", name="uq_exchange_rate"),
        sqlite_autoincrement=True,
    )
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM notifications WHERE kind NOT IN :kinds").bindparams(
            sa.bindparam("kinds", OLD_KINDS, expanding=True)
        )
    )
    op.execute(
        sa.text("DELETE FROM notification_settings WHERE kind NOT IN :kinds").bindparams(
            sa.bindparam("kinds", OLD_KINDS, expanding=True)
        )
    )
    _kinds(OLD_KINDS)
    op.drop_table("exchange_rates")
    op.drop_index("ix_meeting_outcomes_organization_id", table_name="meeting_outcomes")
    op.drop_table("meeting_outcomes")
    op.drop_index("ix_preference_target", table_name="meeting_preferences")
    op.drop_table("meeting_preferences")
    op.drop_index("ix_meeting_slot_status", table_name="meetings")
    with op.batch_alter_table("meetings", table_kwargs=KEEP) as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("placed_by")
        batch.drop_column("locked")
    with op.batch_alter_table("registrations", table_kwargs=KEEP) as batch:
        batch.drop_constraint("fk_registration_checked_in_by", type_="foreignkey")
        batch.drop_column("checked_in_by_id")
        batch.drop_column("checked_in_at")
        batch.drop_column("meeting_cap")
        batch.drop_column("contact_email")
    with op.batch_alter_table("exhibitions", table_kwargs=KEEP) as batch:
        batch.drop_column("schedule_published_at")
