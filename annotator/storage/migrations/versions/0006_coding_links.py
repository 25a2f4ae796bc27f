"""coding links

Typed links between codings (``coding_link``: response to, same recommendation as,
implements, contradicts, user-defined types; a response link carries a status) and the
project's editable lists of link types and response statuses (``link_vocabulary``, seeded
with the defaults). Backend-neutral: plain tables, foreign keys and a bulk insert.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not change when the code's defaults do.
_TYPES = ("response to", "same recommendation as", "implements", "contradicts")
_STATUSES = (
    "accepted",
    "accepted in part",
    "accepted in principle",
    "not accepted",
    "noted",
    "already in place",
    "under consideration",
)


def upgrade() -> None:
    op.create_table(
        "coding_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("link_type", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["coding.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["coding.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coding_link_source_id", "coding_link", ["source_id"])
    op.create_index("ix_coding_link_target_id", "coding_link", ["target_id"])
    vocabulary = op.create_table(
        "link_vocabulary",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name"),
    )
    op.bulk_insert(
        vocabulary,
        [{"kind": "type", "name": n, "position": i} for i, n in enumerate(_TYPES)]
        + [{"kind": "status", "name": n, "position": i} for i, n in enumerate(_STATUSES)],
    )


def downgrade() -> None:
    op.drop_table("link_vocabulary")
    op.drop_index("ix_coding_link_target_id", table_name="coding_link")
    op.drop_index("ix_coding_link_source_id", table_name="coding_link")
    op.drop_table("coding_link")
