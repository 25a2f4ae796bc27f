"""Issue 16, failures 8, 10 and 14 (files beside a project).

* a backup taken while the project is open and being written holds every commit;
* an older copy restored with a newer ``-wal`` beside it is refused, unchanged;
* closing checkpoints the log even while another process has the project open;
* opening read-only (a read-only file, a read-only folder) works and leaves no
  ``-wal``/``-shm`` behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from annotator.domain.errors import ProjectFileError
from annotator.domain.model import Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from annotator.storage.database import shm_path, wal_path

PREVENTION = starter_code_id("Themes/Prevention")


def _add_codings(project: Project, n: int) -> None:
    doc = project.documents.list()[0]
    coder = project.coders.ensure("Writer")
    room = doc.length - 10
    for i in range(n):
        start = i % room
        project.codings.add(Coding(new_id(), doc.id, PREVENTION, coder.id, start, start + 5, ""))


def _count_codings(path: Path) -> int:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM coding").fetchone()[0]
    finally:
        con.close()


def test_a_backup_of_an_open_project_holds_every_commit(sample: Project, tmp_path: Path):
    before = _count_codings(sample.path)
    _add_codings(sample, 200)
    assert wal_path(sample.path).stat().st_size > 0  # the commits are still in the log
    dest = sample.backup(tmp_path / "copy.annotator")
    assert _count_codings(dest) == before + 200
    assert not wal_path(dest).exists()  # one self-contained file
    with pytest.raises(ProjectFileError, match="already exists"):
        sample.backup(dest)


def test_an_older_copy_with_a_newer_log_beside_it_is_refused_unchanged(
    sample: Project, tmp_path: Path
):
    path = sample.path
    sample.close()
    old = tmp_path / "old-copy.annotator"
    shutil.copy2(path, old)
    live = Project.open(path)
    try:
        # Enough writes to checkpoint into the file, then more that stay in the log.
        _add_codings(live, 400)
        with sqlite3.connect(path) as con:
            con.execute("PRAGMA wal_checkpoint(PASSIVE)")
        _add_codings(live, 200)
        stale_wal = tmp_path / "stale-wal"
        shutil.copy2(wal_path(path), stale_wal)
    finally:
        live.close()
    restored = tmp_path / "restored.annotator"
    shutil.copy2(old, restored)
    shutil.copy2(stale_wal, wal_path(restored))
    before = restored.read_bytes()
    with pytest.raises(ProjectFileError, match="does not belong"):
        Project.open(restored)
    assert restored.read_bytes() == before
    os.replace(wal_path(restored), tmp_path / "moved-away-wal")
    shm_path(restored).unlink(missing_ok=True)
    Project.open(restored).close()  # the advice in the message works


def test_closing_checkpoints_the_log_while_another_instance_is_open(sample: Project):
    other = Project.open(sample.path)
    try:
        assert other.documents.list()  # holds a connection, as an open window does
        _add_codings(sample, 50)
        sample.close()
        assert wal_path(sample.path).stat().st_size == 0
    finally:
        other.close()


def test_read_only_file_opens_and_leaves_no_files_behind(sample: Project):
    path = sample.path
    sample.close()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = sorted(os.listdir(path.parent))
        project = Project.open(path)
        assert project.read_only
        assert project.documents.list()
        project.close()
        assert sorted(os.listdir(path.parent)) == before
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


OPEN_AS_NOBODY = """
import sys
from annotator.services.project import Project
p = Project.open(sys.argv[1])
print(p.read_only, len(p.documents.list()))
p.close()
"""


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop to another user"
)
def test_a_project_in_a_read_only_folder_opens_read_only(sample: Project):
    """As an ordinary user (root would write anyway): a folder they cannot write to."""
    path = sample.path
    sample.close()
    folder = Path(tempfile.mkdtemp(prefix="annotator-rofolder-"))
    try:
        target = folder / "shared.annotator"
        shutil.copy2(path, target)
        os.chmod(target, 0o644)
        os.chmod(folder, 0o555)
        repo = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": str(repo), "HOME": str(folder)}
        try:
            proc = _run_as_nobody(target, env, folder)
        except PermissionError:
            pytest.skip("the interpreter cannot be run by an unprivileged user here")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["True", "5"]
        assert sorted(os.listdir(folder)) == ["shared.annotator"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


def _run_as_nobody(target: Path, env: dict[str, str], folder: Path):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(OPEN_AS_NOBODY), str(target)],
        capture_output=True,
        text=True,
        user=65534,
        group=65534,
        env=env,
        timeout=120,
        cwd=folder,
    )
