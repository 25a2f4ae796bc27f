"""document listing index (SQLite)

A covering index over every column the document list reads. SQLite keeps a row's columns
in order, and ``text`` comes third: reading any column after it walked the pages holding
the whole text, so listing a project of long reports read every report (about 200 ms for
40 documents of 2 MB; 0.1 ms with the index). PostgreSQL stores long text out of line and
needs no such index; there, and in older SQLite files, nothing else changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LISTING_COLUMNS = [
    "position",
    "title",
    "id",
    "sha256",
    "length",
    "author",
    "publisher",
    "date",
    "source",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_document_listing", "document", LISTING_COLUMNS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_document_listing", table_name="document")
