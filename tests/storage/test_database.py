import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from annotator.domain.errors import ProjectFileError, ReadOnlyProjectError
from annotator.services.project import Project
from annotator.storage.database import _alembic_config, backup_path, head_revision


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_has_pragmas_and_head_schema(project: Project):
    db = project.db
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    assert db.revision() == head_revision()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Just some notes about levelling up.\n", "not a SQLite database"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 10, "not a SQLite database"),
    ],
)
def test_non_projects_are_refused_unchanged(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "notes.annotator"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError) as info:
        Project.open(path)
    assert message in str(info.value)
    assert path.name in str(info.value)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path: Path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x INTEGER)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(ProjectFileError, match="not an annotator project"):
        Project.open(path)
    assert _digest(path) == before


def test_truncated_project_is_refused_unchanged(sample: Project, tmp_path: Path):
    path = sample.path
    sample.close()
    data = path.read_bytes()
    broken = tmp_path / "broken.annotator"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectFileError, match="truncated or damaged"):
        Project.open(broken)
    assert broken.read_bytes() == data[: len(data) // 2]


def test_garbled_project_is_refused(sample: Project, tmp_path: Path):
    path = sample.path
    sample.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # destroy the schema page
    broken = tmp_path / "garbled.annotator"
    broken.write_bytes(bytes(data))
    with pytest.raises(ProjectFileError) as info:
        Project.open(broken)
    assert "garbled.annotator" in str(info.value)


def test_project_from_a_newer_version_is_refused_unchanged(project: Project):
    path = project.path
    with project.db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    project.close()
    before = _digest(path)
    with pytest.raises(ProjectFileError, match="newer version of annotator"):
        Project.open(path)
    assert _digest(path) == before


def test_older_project_is_backed_up_then_migrated(tmp_path: Path):
    path = tmp_path / "old.annotator"
    # Build a genuine first-schema project with a row in it.
    con = sqlite3.connect(path)
    con.close()
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO project (id, name, app_name, created_at) "
                "VALUES ('0123456789abcdef0123456789abcdef', 'Old', 'annotator', '2025-01-01')"
            )
        )
    engine.dispose()
    before = _dump(path)
    project = Project.open(path)
    try:
        assert project.db.revision() == head_revision()
        assert project.info().name == "Old"
        backup = backup_path(path, "0001")
        assert _dump(backup) == before
    finally:
        project.close()


def test_read_only_file_opens_read_only_and_refuses_changes(sample: Project):
    path = sample.path
    sample.close()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    before = _digest(path)
    try:
        project = Project.open(path)
        assert project.read_only
        assert len(project.documents.list()) == 5
        doc = project.documents.list()[0]
        coding = project.codings.for_document(doc.id)[0]
        with pytest.raises(ReadOnlyProjectError, match="read-only"):
            project.codings.remove([coding.id])
        project.close()
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert _digest(path) == before


def test_missing_file_and_folder_are_reported(tmp_path: Path):
    with pytest.raises(ProjectFileError, match="does not exist"):
        Project.open(tmp_path / "nope.annotator")
    with pytest.raises(ProjectFileError, match="folder"):
        Project.open(tmp_path)


def test_read_only_project_that_needs_an_upgrade_is_refused_unchanged(tmp_path: Path):
    path = tmp_path / "old.annotator"
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")  # 0002 adds tables this version reads
        conn.execute(
            text(
                "INSERT INTO project (id, name, app_name, created_at) "
                "VALUES ('0123456789abcdef0123456789abcdef', 'Old', 'annotator', '2025-01-01')"
            )
        )
    engine.dispose()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    before = _digest(path)
    try:
        with pytest.raises(ProjectFileError, match=r"needs an upgrade.*read-only"):
            Project.open(path)
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert _digest(path) == before


def test_revision_scan_agrees_with_alembic():
    """The start-up check reads the migration headers without Alembic; it must agree."""
    from alembic.script import ScriptDirectory

    from annotator.storage.database import _alembic_config, head_revision, known_revisions

    script = ScriptDirectory.from_config(_alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()
