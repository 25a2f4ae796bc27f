"""team (reserved)

Reserved for issue 12 (team projects on PostgreSQL); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
