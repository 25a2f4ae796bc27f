"""Issue 16, failure 4: a project is identified before it is touched, and migrated atomically.

* another application's SQLite file with tables named like ours is refused, byte for byte
  unchanged (no WAL switch, no tables added);
* a migration that fails, or a process killed in the middle of one, leaves the file as it
  was; the backup made before it is never overwritten by a later attempt;
* two processes opening one old project at once both succeed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from alembic import op

from annotator.cli import main
from annotator.domain.errors import ProjectFileError
from annotator.services.project import Project
from annotator.storage.database import backup_path, head_revision
from tests.reliability.helpers import RACE_ROUNDS, child, project_at, run_together, tables


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign(path: Path, *, version: str | None = "0001") -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE project (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO project (title) VALUES ('their data')")
    if version is not None:
        con.execute("INSERT INTO alembic_version VALUES (?)", (version,))
    con.commit()
    con.close()


@pytest.mark.parametrize("version", ["0001", None, "9999", "ae1027a6acf"])
def test_another_applications_database_is_refused_unchanged(tmp_path: Path, version, capsys):
    path = tmp_path / "theirs.annotator"
    _foreign(path, version=version)
    before = _digest(path)
    for _ in range(2):  # a second try must not find anything changed either
        assert main(["export", str(path), "--format", "csv", "--out", str(tmp_path / "o.csv")]) == 2
        assert "not an annotator project" in capsys.readouterr().err
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.annotator"]


def test_a_failing_migration_changes_nothing_and_keeps_the_first_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = tmp_path / "old.annotator"
    project_at(path, "0001")
    original = path.read_bytes()
    real_create_index = op.create_index
    calls = {"n": 0}

    def failing_create_index(*args, **kwargs):
        calls["n"] += 1
        real_create_index(*args, **kwargs)  # the first part of the upgrade happens ...
        raise RuntimeError("simulated failure in the middle of a migration")

    monkeypatch.setattr(op, "create_index", failing_create_index)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="simulated"):
            Project.open(path)
    assert calls["n"] == 2
    assert tables(path) == tables_at_0001(tmp_path)  # ... and is rolled back
    # Each attempt kept its own backup; the first is the untouched original.
    assert backup_path(path, "0001").read_bytes() == original
    monkeypatch.undo()
    project = Project.open(path)
    try:
        assert project.db.revision() == head_revision()
        assert project.info().name == "Old"
    finally:
        project.close()


def tables_at_0001(tmp_path: Path) -> set[str]:
    ref = tmp_path / "ref-0001.annotator"
    project_at(ref, "0001")
    return tables(ref)


KILL_IN_MIGRATION = """
import sys, time
from alembic import op
from annotator.services.project import Project
real = op.create_table
def slow_create_table(*args, **kwargs):
    real(*args, **kwargs)
    print("MIGRATING", flush=True)
    time.sleep(60)
op.create_table = slow_create_table
Project.open(sys.argv[1])
"""


def test_a_process_killed_during_a_migration_leaves_the_file_openable(tmp_path: Path):
    path = tmp_path / "old.annotator"
    project_at(path, "0001")
    original = tables(path)
    proc = child(KILL_IN_MIGRATION, path)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "MIGRATING", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert tables(path) == original  # the uncommitted migration left no trace
    project = Project.open(path)
    try:
        assert project.db.revision() == head_revision()
        assert project.info().name == "Old"
    finally:
        project.close()


OPEN_ONE = """
from annotator.services.project import Project
p = Project.open(sys.argv[1])
print(p.db.revision(), p.info().name)
p.close()
"""


@pytest.mark.parametrize("round_", range(RACE_ROUNDS))
def test_two_processes_opening_one_old_project_both_succeed(tmp_path: Path, round_: int):
    path = tmp_path / f"old{round_}.annotator"
    project_at(path, "0001")
    results = run_together(OPEN_ONE, [[path], [path]], tmp_path)
    for rc, out, err in results:
        assert rc == 0, err
        assert out.split()[-2:] == [head_revision(), "Old"]
    backups = sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name)
    assert backups == [backup_path(path, "0001").name]  # migrated once, backed up once


def test_a_project_from_a_future_version_leaves_no_files_behind(project: Project):
    path = project.path
    project.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = sorted(os.listdir(path.parent))
    with pytest.raises(ProjectFileError, match="newer version"):
        Project.open(path)
    assert sorted(os.listdir(path.parent)) == before
