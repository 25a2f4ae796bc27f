"""Issue 16, failure 1: every legal path means itself (the SQLite URL is built safely)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.domain.errors import ProjectFileError
from annotator.services.project import Project

NAMES = [
    "a?b",
    "a#b",
    "100%",
    "a%3Fb",
    "with space",
    "ünïcødé 文書",
    "x" * 230,  # with ".annotator" a 240-byte name, near the 255-byte limit
]


@pytest.mark.parametrize("stem", NAMES, ids=lambda s: s[:12])
def test_cli_import_writes_into_the_named_project(tmp_path: Path, stem: str, capsys):
    folder = tmp_path / "F"
    folder.mkdir()
    project_path = folder / f"{stem}.annotator"
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "Funding local councils\n\nA recommendation to fund local councils.\n", encoding="utf-8"
    )
    assert main(["new", str(project_path), "--empty"]) == 0
    assert main(["import", str(project_path), str(doc)]) == 0
    # Nothing else appeared in the folder (the old URL made "F/a" out of "F/a?b...").
    assert sorted(p.name for p in folder.iterdir()) == [project_path.name]
    project = Project.open(project_path)
    try:
        assert [d.title for d in project.documents.list()] == ["Funding local councils"]
    finally:
        project.close()


def test_a_question_mark_folder_is_used_as_named(tmp_path: Path, capsys):
    folder = tmp_path / "x?"
    folder.mkdir()
    assert main(["new", str(folder / "what?.annotator")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["what?.annotator"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x?"]


def test_opening_a_missing_project_creates_nothing(tmp_path: Path):
    (tmp_path / "F").mkdir()
    with pytest.raises(ProjectFileError, match="does not exist"):
        Project.open(tmp_path / "F" / "a?b.annotator")
    assert list((tmp_path / "F").iterdir()) == []


def test_missing_folder_and_too_long_names_are_clear_errors(tmp_path: Path, capsys):
    assert main(["new", str(tmp_path / "x?" / "what?.annotator")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["new", str(tmp_path / ("y" * 250 + ".annotator"))]) == 2
    assert "too long" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
