"""Migration 0007: the full-text index of existing documents, its downgrade, and a
read-only file older than 0007 still searched (by scanning) and queried."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from annotator.domain.model import Code, Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.services.saved_queries import QueryKind
from annotator.storage.database import _alembic_config

TEXT = "Councils should act now.\nWe recommend more funding for councils.\n"


def _alembic(path: Path, action, revision: str) -> None:
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        action(cfg, revision)
    engine.dispose()


def _project(path: Path) -> None:
    project = Project.create(path, starter=False)
    doc = project.documents.add(
        ExtractedDocument(TEXT, paragraph_blocks(TEXT), (), DocumentMetadata("R"), "text")
    )
    code = project.codebook.add(Code(new_id(), "Ask", "#123456"))
    coder = project.coders.ensure("ann")
    project.codings.add(Coding(new_id(), doc, code.id, coder.id, 0, 8, "Councils"))
    project.close()


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()


def test_upgrading_indexes_existing_documents_and_downgrade_removes_it(tmp_path: Path):
    path = tmp_path / "p.annotator"
    _project(path)
    _alembic(path, command.downgrade, "0006")
    assert not {"document_fts", "document_fts_map", "saved_query"} & _tables(path)
    project = Project.open(path)  # upgrades to head: 0007 indexes the stored document
    try:
        assert {"document_fts", "saved_query", "ix_coding_code_span"} <= _tables(path)
        con = sqlite3.connect(path)
        hits = con.execute(
            "SELECT count(*) FROM document_fts WHERE document_fts MATCH 'recommend'"
        ).fetchone()
        con.close()
        assert hits == (1,)
        assert [h.line.hit for h in project.search.hits("we recommend")] == ["We recommend"]
    finally:
        project.close()


def test_a_read_only_file_before_0007_searches_by_scanning(tmp_path: Path):
    path = tmp_path / "old.annotator"
    _project(path)
    _alembic(path, command.downgrade, "0002")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        project = Project.open(path)
        try:
            assert project.read_only
            assert [h.line.hit for h in project.search.hits("councils")] == ["Councils", "councils"]
            names = [q.name for q in project.saved_queries.list(QueryKind.SEARCH)]
            assert names == ["candidate recommendations"]
            assert [p.text for p in project.retrieval.retrieve("Ask")] == ["Councils"]
        finally:
            project.close()
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert "document_fts" not in _tables(path)
