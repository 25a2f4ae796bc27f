"""search and queries

Saved retrieval queries and searches (``saved_query``) and an index of codings by code and
span (``ix_coding_code_span``), on every backend. On SQLite also
a full-text index of the documents' texts: a contentless FTS5 table (it stores only the
index, not a second copy of every text), a small table mapping its integer row ids to
document UUIDs, and triggers that keep both current whenever a document is inserted or
deleted, whoever inserts or deletes it. Existing documents are indexed here. PostgreSQL
needs none of this: the search service falls back to scanning there (see
``services/text_search.py``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE TABLE document_fts_map ("
    " rowid INTEGER PRIMARY KEY, document_id CHAR(32) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE document_fts USING fts5("
    " text, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN"
    " INSERT INTO document_fts_map (document_id) VALUES (new.id);"
    " INSERT INTO document_fts (rowid, text)"
    "  SELECT rowid, new.text FROM document_fts_map WHERE document_id = new.id;"
    " END",
    "CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN"
    " INSERT INTO document_fts (document_fts, rowid, text)"
    "  SELECT 'delete', rowid, old.text FROM document_fts_map WHERE document_id = old.id;"
    " DELETE FROM document_fts_map WHERE document_id = old.id;"
    " END",
    # A document's text never changes; should it ever, the index follows.
    "CREATE TRIGGER document_fts_update AFTER UPDATE OF text ON document BEGIN"
    " INSERT INTO document_fts (document_fts, rowid, text)"
    "  SELECT 'delete', rowid, old.text FROM document_fts_map WHERE document_id = old.id;"
    " INSERT INTO document_fts (rowid, text)"
    "  SELECT rowid, new.text FROM document_fts_map WHERE document_id = new.id;"
    " END",
    "INSERT INTO document_fts_map (document_id) SELECT id FROM document ORDER BY position",
    "INSERT INTO document_fts (rowid, text)"
    " SELECT m.rowid, d.text FROM document_fts_map m JOIN document d ON d.id = m.document_id",
]


CODE_SPAN_COLUMNS = ["code_id", "document_id", "start", "end", "coder_id", "id"]


def upgrade() -> None:
    op.create_table(
        "saved_query",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "name", name="uq_saved_query_kind_name"),
    )
    # Retrieval reads the spans of a few codes across every document: an index holding
    # them answers without reading the coding rows and their quotes (3x faster).
    op.create_index("ix_coding_code_span", "coding", CODE_SPAN_COLUMNS)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS document_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS document_fts")
        op.execute("DROP TABLE IF EXISTS document_fts_map")
    op.drop_index("ix_coding_code_span", table_name="coding")
    op.drop_table("saved_query")
