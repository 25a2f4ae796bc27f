"""recommendation fields: fields on codes, values on codings, suggestion settings

Issue 10: a code declares fields (``code_field``, choices as JSON); each coding carries one
value per field (``coding_field_value``, the value as JSON, with who set it, when, and
whether it is a still unconfirmed suggestion); ``field_setting`` keeps the project's
suggestion rules. Portable DDL only (SQLite and PostgreSQL).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_field",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_id", "name", name="uq_code_field_name"),
    )
    op.create_index("ix_code_field_code_id", "code_field", ["code_id"])
    op.create_table(
        "coding_field_value",
        sa.Column("coding_id", sa.Uuid(), nullable=False),
        sa.Column("field_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Uuid(), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suggested", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["coding_id"], ["coding.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["field_id"], ["code_field.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("coding_id", "field_id"),
    )
    op.create_index("ix_coding_field_value_field_id", "coding_field_value", ["field_id"])
    op.create_table(
        "field_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("field_setting")
    op.drop_index("ix_coding_field_value_field_id", table_name="coding_field_value")
    op.drop_table("coding_field_value")
    op.drop_index("ix_code_field_code_id", table_name="code_field")
    op.drop_table("code_field")
