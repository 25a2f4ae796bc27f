"""Issue 16, failure 14 (CLI): names cannot forge summary lines or drive the terminal."""

from __future__ import annotations

from pathlib import Path

from annotator.cli import main
from annotator.services.project import Project


def test_file_names_with_line_breaks_and_escapes_are_shown_escaped(
    project: Project, tmp_path: Path, capsys
):
    project.close()
    forged = tmp_path / "a\nimported  forged.txt\x1b[2J.txt"
    forged.write_text("A text with a hostile name.\n")
    assert main(["import", str(project.path), str(forged)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    lines = out.splitlines()
    assert len(lines) == 2  # one result line and the summary, nothing forged
    assert "a\\nimported  forged.txt\\x1b[2J.txt" in lines[0]


def test_backup_command_copies_an_open_project(sample: Project, tmp_path: Path, capsys):
    dest = tmp_path / "copy.annotator"
    assert main(["backup", str(sample.path), str(dest)]) == 0
    assert "Backed up" in capsys.readouterr().out
    copy = Project.open(dest)
    try:
        assert len(copy.documents.list()) == len(sample.documents.list())
    finally:
        copy.close()
    assert main(["backup", str(sample.path), str(dest)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err
