"""Issue 16, failures 5 and 8 in the window: a held lock is reported, not a silent freeze;
File -> Back up project... makes a complete copy while the project is open."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from annotator.gui.project.backup_action import backup_to, suggested_backup_path
from annotator.services.project import Project, create_sample_project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_phrase

FISCAL = starter_code_id("Themes/Fiscal devolution")


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "sample.annotator"
    create_sample_project(path).close()
    return path


def _codings(path: Path) -> int:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM coding").fetchone()[0]
    finally:
        con.close()


def test_applying_a_code_while_another_program_writes_says_so(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path)
    before = _codings(sample_path)
    select_phrase(window, "fiscal devolution")
    other = sqlite3.connect(sample_path, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE project SET name = name")
    try:
        began = time.perf_counter()
        assert window.apply_code(FISCAL) is None
        waited = time.perf_counter() - began
    finally:
        other.rollback()
        other.close()
    assert waited < 5  # a short wait, then a message, not a 10-second freeze
    assert window.last_message is not None
    assert "another program is writing" in window.last_message.text()
    assert "not saved" in window.last_message.text()
    assert _codings(sample_path) == before
    select_phrase(window, "fiscal devolution")
    assert window.apply_code(FISCAL) is not None  # once the lock is free it is stored
    assert _codings(sample_path) == before + 1


def test_back_up_project_copies_every_commit_while_open(qtbot, sample_path: Path, tmp_path: Path):
    window = open_window(qtbot, sample_path)
    select_phrase(window, "fiscal devolution")
    assert window.apply_code(FISCAL) is not None
    dest = tmp_path / "copy.annotator"
    assert backup_to(window, dest) == dest
    assert _codings(dest) == _codings(sample_path)
    copy = Project.open(dest)
    copy.close()
    assert backup_to(window, dest) is None  # never overwrites; the window says why
    assert "already exists" in window.last_message.text()
    assert suggested_backup_path(sample_path).name.startswith("sample-backup-")
    assert window.actions["backup"].text() == "&Back up project…"
