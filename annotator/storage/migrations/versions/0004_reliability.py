"""reliability: a text's SHA-256 is unique in the database

A document's identity is the SHA-256 of its text, and the application never stores the same
text twice, but only the application enforced it: two processes importing the same folder
at once stored duplicates. The index on ``document.sha256`` becomes unique.

Duplicates already stored (by such a race) are folded into the earliest copy first: their
codings and group memberships move to it (the texts are identical, so every offset stays
valid), then the later copies and their blocks, pages, files and attributes are deleted.
Backend-neutral (SQLAlchemy Core only).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_document = sa.table(
    "document",
    sa.column("id", sa.Uuid()),
    sa.column("sha256", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("imported_at", sa.DateTime(timezone=True)),
)
_coding = sa.table("coding", sa.column("document_id", sa.Uuid()))
_member = sa.table(
    "document_group_member", sa.column("group_id", sa.Uuid()), sa.column("document_id", sa.Uuid())
)
# The tables that refer to a document at this revision (deleted explicitly: foreign keys
# are switched off while migrations run, so ON DELETE CASCADE does not act).
_CHILDREN = ("document_block", "document_page", "document_file", "document_attribute")


def _fold_duplicates(bind: sa.Connection) -> None:
    doc = _document
    shas = bind.execute(
        sa.select(doc.c.sha256).group_by(doc.c.sha256).having(sa.func.count() > 1)
    ).scalars()
    for sha in list(shas):
        ids = list(
            bind.execute(
                sa.select(doc.c.id)
                .where(doc.c.sha256 == sha)
                .order_by(doc.c.position, doc.c.imported_at, doc.c.id)
            ).scalars()
        )
        keep, drop = ids[0], ids[1:]
        bind.execute(
            sa.update(_coding).where(_coding.c.document_id.in_(drop)).values(document_id=keep)
        )
        kept_groups = set(
            bind.execute(
                sa.select(_member.c.group_id).where(_member.c.document_id == keep)
            ).scalars()
        )
        moved = set(
            bind.execute(
                sa.select(_member.c.group_id).where(_member.c.document_id.in_(drop))
            ).scalars()
        )
        bind.execute(sa.delete(_member).where(_member.c.document_id.in_(drop)))
        for group in sorted(moved - kept_groups, key=str):
            bind.execute(sa.insert(_member).values(group_id=group, document_id=keep))
        for name in _CHILDREN:
            child = sa.table(name, sa.column("document_id", sa.Uuid()))
            bind.execute(sa.delete(child).where(child.c.document_id.in_(drop)))
        bind.execute(sa.delete(doc).where(doc.c.id.in_(drop)))


def upgrade() -> None:
    _fold_duplicates(op.get_bind())
    op.drop_index("ix_document_sha256", table_name="document")
    op.create_index("ix_document_sha256", "document", ["sha256"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_document_sha256", table_name="document")
    op.create_index("ix_document_sha256", "document", ["sha256"], unique=False)
