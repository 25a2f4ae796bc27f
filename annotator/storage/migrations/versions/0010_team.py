"""team (issue 12): nothing in the project schema

Team projects use the project schema unchanged, so a project moves between a file and a
server table by table. What only a server has (logins mapped to coders, the blind-phase
setting, grants, row-level security policies and change notifications) is created by
``annotator server init`` on PostgreSQL (``annotator.storage.team_roles``), not here: a
project file has no logins, and SQLite has no roles to grant. Codebook edits that race are
detected by comparing the stored code with the one the editor started from, which needs no
row-version column. The revision stays in the chain so every backend records it.

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
