"""memos and cases (reserved)

Reserved for issue 11 (memos, documents as cases); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
