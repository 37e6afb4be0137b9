"""merge the notifications, accounts, conversations and shortlist branches

Revision ID: 0010
Revises: 0006, 0007, 0008, 0009
Create Date: 2026-12-01 17:50:00
"""

revision = "0010"
down_revision = ("0006", "0007", "0008", "0009")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
