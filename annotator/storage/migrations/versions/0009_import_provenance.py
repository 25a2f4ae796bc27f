"""import provenance (issue 13): nothing in the schema

Where a document's text came from (OCR engine, version, language and mean confidence) is
kept in its document attributes, which every export and the properties dialog already
carry, so no column is added. The revision stays in the chain so that numbered migrations
of parallel work did not collide.

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
