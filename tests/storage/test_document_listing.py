"""Listing documents reads their metadata, never their texts (migration 0003)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, event

from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.project import Project
from annotator.storage.database import _alembic_config


def _report(n: int) -> ExtractedDocument:
    text = "\n\n".join(f"Paragraph {i} of report {n} on local power." for i in range(4000))
    return ExtractedDocument(
        text=text,
        blocks=(),
        pages=(),
        metadata=DocumentMetadata(
            title=f"Report {n}", author="LGA", date="2024", attributes={"type": "report"}
        ),
        source_format="text",
    )


def test_the_document_list_is_read_from_the_covering_index(project: Project):
    for n in range(3):
        project.documents.add(_report(n))
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(project.db.engine, "before_cursor_execute", capture)
    try:
        rows = project.documents.list()
    finally:
        event.remove(project.db.engine, "before_cursor_execute", capture)
    assert [r.title for r in rows] == ["Report 0", "Report 1", "Report 2"]
    assert rows[0].metadata.author == "LGA" and rows[0].metadata.attributes == {"type": "report"}
    assert rows[0].length == len(_report(0).text)
    listing = next(sql for sql, _ in statements if "FROM document " in sql and "ORDER BY" in sql)
    params = next(p for sql, p in statements if sql == listing)
    con = sqlite3.connect(project.path)
    try:
        plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN " + listing, params))
    finally:
        con.close()
    assert "COVERING INDEX ix_document_listing" in plan


def test_a_0002_project_gets_the_index_and_keeps_its_documents(tmp_path: Path):
    path = tmp_path / "p.annotator"
    doc_id = _project_at_0002(path, _report(1))
    assert not _has_listing_index(path)
    project = Project.open(path)  # migrates 0002 -> head
    try:
        assert project.documents.get(doc_id).text == _report(1).text
        assert [r.id for r in project.documents.list()] == [doc_id]
    finally:
        project.close()
    assert _has_listing_index(path)


def _project_at_0002(path: Path, document: ExtractedDocument) -> uuid.UUID:
    """A project holding ``document``, taken back to schema 0002 (before the index)."""
    project = Project.create(path)
    doc_id = project.documents.add(document)
    project.close()
    assert doc_id is not None
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    return doc_id


def _has_listing_index(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        query = "SELECT name FROM sqlite_master WHERE name = 'ix_document_listing'"
        return bool(con.execute(query).fetchall())
    finally:
        con.close()


def test_a_read_only_0002_project_still_opens_read_only(tmp_path: Path):
    # Migration 0003 only adds an index: a project on a read-only share stays readable.
    import hashlib
    import os
    import stat

    path = tmp_path / "shared.annotator"
    doc_id = _project_at_0002(path, _report(2))
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        project = Project.open(path)
        try:
            assert project.read_only
            assert [r.id for r in project.documents.list()] == [doc_id]
            assert project.documents.get(doc_id).text == _report(2).text
        finally:
            project.close()
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not _has_listing_index(path)
