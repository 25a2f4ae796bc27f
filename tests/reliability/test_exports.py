"""Issue 16, failures 12-14 (exports): formula injection, path errors, temporary files,
and home-folder paths in shared files."""

from __future__ import annotations

import csv
import os
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from annotator.cli import main
from annotator.exchange.csv_export import ENCODING
from annotator.exchange.partial_files import clean_stale_partials, partial_path
from annotator.services.project import Project


def _coded(sample: Project, coder_name: str) -> None:
    from annotator.domain.model import Coding, new_id
    from annotator.services.starter import starter_code_id

    doc = sample.documents.list()[0]
    coder = sample.coders.ensure(coder_name)
    sample.codings.add(
        Coding(new_id(), doc.id, starter_code_id("Themes/Prevention"), coder.id, 0, 9, "=1+1")
    )


def test_unit_table_xlsx_header_never_holds_a_formula(sample: Project, tmp_path: Path, capsys):
    _coded(sample, "=coder+1")
    out = tmp_path / "units.xlsx"
    assert main(["export", str(sample.path), "--format", "units-xlsx", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    header = [c.value for c in openpyxl.load_workbook(out)["Units"][1]]
    assert "=coder+1" in header


@pytest.mark.parametrize("fmt", ["csv", "units-csv", "codebook-csv"])
def test_csv_exports_are_protected_by_default_and_raw_on_request(
    sample: Project, tmp_path: Path, fmt: str, capsys
):
    _coded(sample, "@coder")
    protected = tmp_path / "p.csv"
    raw = tmp_path / "r.csv"
    assert main(["export", str(sample.path), "--format", fmt, "--out", str(protected)]) == 0
    assert main(["export", str(sample.path), "--format", fmt, "--out", str(raw), "--csv-raw"]) == 0
    cells = _cells(protected)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if fmt != "codebook-csv":
        assert "@coder" in _cells(raw) or "=1+1" in _cells(raw) or "-" in "".join(_cells(raw))


def _cells(path: Path) -> list[str]:
    with path.open(encoding=ENCODING, newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_a_protected_codebook_table_reads_back_unchanged(project: Project, tmp_path: Path, capsys):
    from dataclasses import replace

    code = project.codebook.list()[0]
    project.codebook.update(replace(code, definition="- a bullet\n- another"))
    path = project.path
    project.close()
    table = tmp_path / "codebook.csv"
    assert main(["export", str(path), "--format", "codebook-csv", "--out", str(table)]) == 0
    assert "'- a bullet" in table.read_text(encoding=ENCODING)
    assert main(["codebook-import", str(path), str(table)]) == 0
    again = Project.open(path)
    try:
        assert again.codebook.get(code.id).definition == "- a bullet\n- another"
    finally:
        again.close()


def test_export_path_errors_are_clear_messages(sample: Project, tmp_path: Path, capsys):
    base = ["export", str(sample.path), "--format", "csv", "--out"]
    long_name = tmp_path / ("n" * 240 + ".csv")  # valid: 244 characters
    assert main([*base, str(long_name)]) == 0
    assert long_name.exists()
    assert main([*base, str(tmp_path / "missing" / "x.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main([*base, str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main([*base, str(tmp_path / ("n" * 300 + ".csv"))]) == 2
    assert "too long" in capsys.readouterr().err


def test_temporary_files_of_a_killed_export_are_removed_by_the_next(
    sample: Project, tmp_path: Path
):
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = partial_path(tmp_path)
    leftover = leftover.with_name(leftover.name.replace(f"-{os.getpid()}-", f"-{dead.pid}-"))
    leftover.write_bytes(b"x" * 1000)
    mine = partial_path(tmp_path)
    mine.write_bytes(b"in progress")
    assert clean_stale_partials(tmp_path) == 1
    assert not leftover.exists() and mine.exists()
    mine.unlink()
    leftover.write_bytes(b"x")
    out = tmp_path / "codings.xlsx"
    assert main(["export", str(sample.path), "--format", "xlsx", "--out", str(out)]) == 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert out.exists()


def test_xlsx_sheets_are_buffered_beside_the_export(sample: Project, tmp_path: Path, monkeypatch):
    from openpyxl.worksheet import _writer

    seen: list[str] = []
    real = _writer.WorksheetWriter.__init__

    def spy(self, ws, out=None):
        real(self, ws, out)
        seen.append(str(self.out))

    monkeypatch.setattr(_writer.WorksheetWriter, "__init__", spy)
    out = tmp_path / "codings.xlsx"
    assert main(["export", str(sample.path), "--format", "xlsx", "--out", str(out)]) == 0
    assert seen and all(Path(p).parent == tmp_path for p in seen)


def test_a_shared_qdpx_carries_file_names_not_home_folder_paths(project: Project, tmp_path: Path):
    doc = tmp_path / "home" / "jane" / "Interviews" / "report.txt"
    doc.parent.mkdir(parents=True)
    doc.write_text("A report from a private folder.\n")
    project.close()
    assert main(["import", str(project.path), str(doc)]) == 0
    out = tmp_path / "shared.qdpx"
    assert main(["export", str(project.path), "--format", "qdpx", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode()
    assert "report.txt" in qde
    assert str(doc.parent) not in qde and "jane" not in qde
