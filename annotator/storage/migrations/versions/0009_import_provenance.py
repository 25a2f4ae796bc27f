"""import provenance (reserved)

Reserved for issue 13 (OCR and import provenance); a no-op until
that work lands, so that work on several issues can
number its migrations without colliding.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
