"""coding links (reserved)

Reserved for issue 10 (links between codings); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
