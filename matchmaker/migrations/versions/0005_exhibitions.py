"""exhibitions: fairs, agenda, booths, registrations, slots, meetings, calendar feeds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_table('exhibitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=True),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('venue', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('day_start', sa.Time(), nullable=False),
    sa.Column('day_end', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('buyer_approval', sa.Boolean(), nullable=False),
    sa.Column('capacity_exhibitor', sa.Integer(), nullable=True),
    sa.Column('capacity_buyer', sa.Integer(), nullable=True),
    sa.Column('capacity_visitor', sa.Integer(), nullable=True),
    sa.Column('request_cap', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'cancelled')", name='ck_exhibition_status'),
    sa.CheckConstraint('day_end > day_start', name='ck_exhibition_day'),
    sa.CheckConstraint('ends_on >= starts_on', name='ck_exhibition_dates'),
    sa.CheckConstraint('slot_minutes > 0', name='ck_exhibition_slot_minutes'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_exhibitions_status'), 'exhibitions', ['status'], unique=False)
    op.create_table('agenda_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('hall', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('talk', 'forum', 'matchmaking', 'ceremony')", name='ck_agenda_session_kind'),
    sa.CheckConstraint('ends_at > starts_at', name='ck_agenda_session_order'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_agenda_session_hall', 'agenda_sessions', ['exhibition_id', 'hall', 'starts_at'], unique=False)
    op.create_table('booths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('hall', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('col', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('row >= 0 AND col >= 0', name='ck_booth_position'),
    sa.CheckConstraint('width > 0 AND height > 0', name='ck_booth_extent'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'code', name='uq_booth_code'),
    sa.UniqueConstraint('exhibition_id', 'organization_id', name='uq_booth_organization'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_booths_organization_id'), 'booths', ['organization_id'], unique=False)
    op.create_table('exhibition_breaks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint('ends > starts', name='ck_break_order'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_exhibition_breaks_exhibition_id'), 'exhibition_breaks', ['exhibition_id'], unique=False)
    op.create_table('exhibition_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'locale', name='uq_exhibition_text_locale'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_exhibition_texts_exhibition_id'), 'exhibition_texts', ['exhibition_id'], unique=False)
    op.create_table('meeting_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'name', name='uq_meeting_table_name'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_meeting_tables_exhibition_id'), 'meeting_tables', ['exhibition_id'], unique=False)
    op.create_table('slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name='ck_slot_order'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'starts_at', name='uq_slot_start'),
    sqlite_autoincrement=True
    )
    op.create_table('agenda_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'organization_id', name='uq_agenda_choice'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_agenda_choices_organization_id'), 'agenda_choices', ['organization_id'], unique=False)
    op.create_index(op.f('ix_agenda_choices_session_id'), 'agenda_choices', ['session_id'], unique=False)
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('secret'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_calendar_feeds_organization_id'), 'calendar_feeds', ['organization_id'], unique=False)
    op.create_index(op.f('ix_calendar_feeds_user_id'), 'calendar_feeds', ['user_id'], unique=False)
    op.create_table('exhibition_organizers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'user_id', name='uq_exhibition_organizer'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_exhibition_organizers_exhibition_id'), 'exhibition_organizers', ['exhibition_id'], unique=False)
    op.create_index(op.f('ix_exhibition_organizers_user_id'), 'exhibition_organizers', ['user_id'], unique=False)
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('proposed_slot_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('requested', 'accepted', 'declined', 'cancelled', 'held', 'no_show')", name='ck_meeting_status'),
    sa.CheckConstraint('requester_id <> invitee_id', name='ck_meeting_not_self'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_slot_id'], ['slots.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['table_id'], ['meeting_tables.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_meeting_invitee', 'meetings', ['invitee_id', 'exhibition_id'], unique=False)
    op.create_index('ix_meeting_requester', 'meetings', ['requester_id', 'exhibition_id'], unique=False)
    op.create_index(op.f('ix_meetings_exhibition_id'), 'meetings', ['exhibition_id'], unique=False)
    op.create_index(op.f('ix_meetings_slot_id'), 'meetings', ['slot_id'], unique=False)
    op.create_index('uq_meeting_open_request', 'meetings', ['exhibition_id', 'requester_id', 'invitee_id'], unique=True, sqlite_where=sa.text("status = 'requested'"), postgresql_where=sa.text("status = 'requested'"))
    op.create_index('uq_meeting_slot_table', 'meetings', ['slot_id', 'table_id'], unique=True, sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'"))
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('exhibitor', 'buyer', 'visitor')", name='ck_registration_role'),
    sa.CheckConstraint("status IN ('pending', 'registered', 'waitlisted', 'declined', 'withdrawn')", name='ck_registration_status'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('exhibition_id', 'organization_id', name='uq_registration'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_registration_role_status', 'registrations', ['exhibition_id', 'role', 'status'], unique=False)
    op.create_index(op.f('ix_registrations_organization_id'), 'registrations', ['organization_id'], unique=False)
    op.create_table('session_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('speakers', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'locale', name='uq_session_text_locale'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_session_texts_session_id'), 'session_texts', ['session_id'], unique=False)
    op.create_table('slot_occupancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.CheckConstraint("(kind = 'meeting') = (meeting_id IS NOT NULL)", name='ck_slot_occupancy_meeting'),
    sa.CheckConstraint("kind IN ('meeting', 'unavailable')", name='ck_slot_occupancy_kind'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slot_id', 'organization_id', name='uq_slot_occupancy'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_slot_occupancy_meeting_id'), 'slot_occupancy', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_slot_occupancy_organization_id'), 'slot_occupancy', ['organization_id'], unique=False)


def downgrade() -> None:
    op.drop_table("slot_occupancy")
    op.drop_table("session_texts")
    op.drop_table("registrations")
    op.drop_table("meetings")
    op.drop_table("exhibition_organizers")
    op.drop_table("calendar_feeds")
    op.drop_table("agenda_choices")
    op.drop_table("slots")
    op.drop_table("meeting_tables")
    op.drop_table("exhibition_texts")
    op.drop_table("exhibition_breaks")
    op.drop_table("booths")
    op.drop_table("agenda_sessions")
    op.drop_table("exhibitions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("timezone")
