"""search and queries (reserved)

Reserved for issue 11 (full-text search, saved queries); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
