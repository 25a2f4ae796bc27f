"""reliability (reserved)

Reserved for issue 16 (hostile files and concurrent processes); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
