"""Issue 16, failures 5-7: a second process holding the lock, or doing the same thing.

* a write lock held longer than the busy timeout gives "another program is writing to this
  project" (ProjectBusyError), in the services and in the CLI, never a traceback;
* two processes importing the same folder at once store each text once;
* two processes adding the same new coder name both get that one coder.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.domain.errors import ProjectBusyError
from annotator.domain.model import Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from annotator.storage import database
from tests.reliability.helpers import RACE_ROUNDS, run_together

PREVENTION = starter_code_id("Themes/Prevention")


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Hold the project's write lock, as another program in the middle of a write would."""
    con = sqlite3.connect(path, timeout=5)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE project SET name = name")
    try:
        yield
    finally:
        con.rollback()
        con.close()


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)


def test_a_coding_under_a_held_lock_is_a_clear_error_and_not_lost(
    sample: Project, short_busy_timeout
):
    sample.close()
    project = Project.open(sample.path)  # new connections, with the short timeout
    try:
        doc = project.documents.list()[0]
        coder = project.coders.ensure("Locked out")
        coding = Coding(new_id(), doc.id, PREVENTION, coder.id, 0, 9, "")
        with (
            write_lock(project.path),
            pytest.raises(ProjectBusyError, match="another program is writing"),
        ):
            project.codings.add(coding)
        assert coding.id not in {c.id for c in project.codings.for_document(doc.id)}
        project.codings.add(coding)  # once the other program is done, it is stored
        assert coding.id in {c.id for c in project.codings.for_document(doc.id)}
    finally:
        project.close()


def test_cli_import_and_codebook_import_under_a_held_lock(
    project: Project, tmp_path: Path, short_busy_timeout, capsys
):
    path = project.path
    project.close()
    doc = tmp_path / "doc.txt"
    doc.write_text("Councils should pool their budgets.\n", encoding="utf-8")
    table = tmp_path / "codes.csv"
    table.write_text("path,kind\nThemes/Pooling,theme\n", encoding="utf-8")
    with write_lock(path):
        assert main(["import", str(path), str(doc)]) == 1
        out = capsys.readouterr().out
        assert "failed" in out and "another program is writing" in out
        assert main(["codebook-import", str(path), str(table), "--coder", "New"]) == 2
        assert "another program is writing" in capsys.readouterr().err


IMPORT_FOLDER = """
from annotator.services.importing import import_files
from annotator.services.project import Project
p = Project.open(sys.argv[1])
report = import_files(p.documents, [sys.argv[2]])
print(report.summary())
p.close()
"""


def test_two_imports_of_one_folder_store_each_text_once(project: Project, tmp_path: Path):
    folder = tmp_path / "texts"
    folder.mkdir()
    n = 40
    for i in range(n):
        (folder / f"t{i:03}.txt").write_text(f"Text number {i}: councils and budgets.\n")
    path = project.path
    results = run_together(IMPORT_FOLDER, [[path, folder], [path, folder]], tmp_path)
    for rc, _out, err in results:
        assert rc == 0, err
    assert len(project.documents.list()) == n


ENSURE_CODER = """
from annotator.services.project import Project
p = Project.open(sys.argv[1])
print(p.coders.ensure(sys.argv[2]).id)
p.close()
"""


@pytest.mark.parametrize("round_", range(RACE_ROUNDS))
def test_two_processes_adding_one_new_coder_both_get_it(project: Project, tmp_path: Path, round_):
    name = f"Coder {round_}"
    path = project.path
    results = run_together(ENSURE_CODER, [[path, name], [path, name]], tmp_path)
    ids = set()
    for rc, out, err in results:
        assert rc == 0, err
        ids.add(out.split()[-1])
    assert len(ids) == 1
    assert [c.name for c in project.coders.list()].count(name) == 1
