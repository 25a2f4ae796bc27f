"""The ``export`` and ``codebook-import`` subcommands, run in-process."""

from __future__ import annotations

import csv
import json

import pytest

from annotator.cli import main
from annotator.services.project import create_sample_project


@pytest.fixture
def sample_file(tmp_path):
    project = create_sample_project(tmp_path / "sample.annotator")
    project.close()
    return tmp_path / "sample.annotator"


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_csv_with_filters(sample_file, tmp_path, capsys):
    out = tmp_path / "a.csv"
    args = ["export", str(sample_file), "--format", "csv", "--out", str(out)]
    assert main([*args, "--coder", "Sample coder A", "--code", "Themes", "--context", "5"]) == 0
    rows = _rows(out)
    assert rows and {r["coder"] for r in rows} == {"Sample coder A"}
    assert all(r["code_path"].startswith("Themes/") for r in rows)
    assert all(len(r["context_before"]) <= 5 for r in rows)
    assert f"Wrote {len(rows)} codings" in capsys.readouterr().out


def test_export_every_other_format(sample_file, tmp_path):
    for fmt, name in [
        ("jsonl", "c.jsonl"),
        ("xlsx", "c.xlsx"),
        ("html", "c.html"),
        ("units-csv", "u.csv"),
        ("units-xlsx", "u.xlsx"),
        ("codebook-csv", "cb.csv"),
        ("codebook-xlsx", "cb.xlsx"),
        ("codebook-html", "cb.html"),
        ("codebook-docx", "cb.docx"),
    ]:
        out = tmp_path / name
        assert main(["export", str(sample_file), "--format", fmt, "--out", str(out)]) == 0, fmt
        assert out.stat().st_size > 0
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21 and json.loads(lines[0])["schema_version"] == 1
    units = _rows(tmp_path / "u.csv")
    assert {"Sample coder A", "Sample coder B"} <= set(units[0])


def test_paragraph_units_with_document_and_coder_filters(sample_file, tmp_path):
    out = tmp_path / "p.csv"
    title = "Whitehall must hand power to local communities, says LGIU report"
    args = ["export", str(sample_file), "--format", "units-csv", "--out", str(out)]
    assert (
        main([*args, "--unit", "paragraph", "--document", title, "--coder", "Sample coder B"]) == 0
    )
    rows = _rows(out)
    assert rows and {r["unit"] for r in rows} == {"paragraph"}
    assert {r["document_title"] for r in rows} == {title}
    coder_columns = [k for k in rows[0] if "Sample coder" in k and " · " not in k]
    assert coder_columns == ["Sample coder B"]  # field columns (issue 10) follow per coder
    assert any(r["Sample coder B"] for r in rows)


def test_bad_requests_fail_with_a_message(sample_file, tmp_path, capsys):
    out = tmp_path / "x.csv"
    base = ["export", str(sample_file), "--out", str(out)]
    assert main([*base, "--format", "csv", "--coder", "Nobody"]) == 2
    assert "no coder 'Nobody'" in capsys.readouterr().err
    assert main([*base, "--format", "codebook-csv", "--coder", "Sample coder A"]) == 2
    assert "--coder cannot be used" in capsys.readouterr().err
    assert not out.exists()


def test_codebook_import_round_trip(sample_file, tmp_path, capsys):
    table = tmp_path / "cb.csv"
    main(["export", str(sample_file), "--format", "codebook-csv", "--out", str(table)])
    rows = _rows(table)
    rows[0]["definition"] = "Edited in a spreadsheet"
    with table.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()
    assert main(["codebook-import", str(sample_file), str(table), "--coder", "Lead"]) == 0
    out = capsys.readouterr().out
    assert f"updated  {rows[0]['path']}" in out
    assert f"0 added, 1 updated, {len(rows) - 1} left alone" in out


@pytest.mark.parametrize("fmt", ["qdpx", "qdc"])
def test_refi_formats(sample_file, tmp_path, fmt):
    pytest.importorskip("annotator.services.refi")
    out = tmp_path / f"x.{fmt}"
    extra = ["--coder", "Sample coder A", "--code", "Themes"] if fmt == "qdpx" else []
    assert main(["export", str(sample_file), "--format", fmt, "--out", str(out), *extra]) == 0
    assert out.stat().st_size > 0
