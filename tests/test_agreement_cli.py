"""``annotator agreement``: each output format, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.project import create_sample_project

CODERS = ["--coders", "Sample coder A", "Sample coder B"]


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.annotator"
    create_sample_project(path).close()
    return path


def test_table_lists_every_code_and_a_pooled_row(sample_file: Path, capsys):
    assert main(["agreement", str(sample_file), *CODERS, "--bootstrap", "100", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Code "))
    for column in ("Units", "coded: Sample coder A", "coded: Sample coder B", "Alpha", "Kappa"):
        assert column in header
    assert "Themes/Fiscal devolution" in out and "All codes (pooled)" in out
    pooled = next(line for line in lines if line.startswith("All codes (pooled)"))
    assert "105,553" in pooled and "[" in pooled  # units, and alpha's bootstrap interval
    assert "100 resamples of documents, seed 2" in out
    # Aligned: every table row is as wide as the header or narrower, columns right-aligned.
    table = [line for line in lines if line.startswith(("Themes/", "Recommendations/"))]
    assert len({line.index(" 15,079") for line in table}) == 1


@pytest.mark.parametrize("unit", ["sentence", "paragraph", "segment"])
def test_table_for_other_units(sample_file: Path, capsys, unit: str):
    assert main(["agreement", str(sample_file), *CODERS, "--unit", unit]) == 0
    out = capsys.readouterr().out
    assert f"({unit} units;" in out
    assert ("Precision" in out) == (unit == "segment")


def test_csv_json_html_to_stdout_and_file(sample_file: Path, tmp_path: Path, capsys):
    args = ["agreement", str(sample_file), *CODERS, "--codes", "Themes"]
    assert main([*args, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    rows = list(
        csv.DictReader(io.StringIO("".join(x for x in text.splitlines(True) if x[0] != "#")))
    )
    assert {r["code"] for r in rows if r["scope"] == "code"} >= {"Themes/Fiscal devolution"}
    assert all(r["unit"] == "character" for r in rows)
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["settings"]["coders"] == ["Sample coder A", "Sample coder B"] and doc["methods"]
    out = tmp_path / "report.html"
    assert main([*args, "--format", "html", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Themes/Fiscal devolution" in page


def test_filters_by_document(sample_file: Path, capsys):
    title = "Whitehall must hand power to local communities, says LGIU report"
    assert (
        main(["agreement", str(sample_file), *CODERS, "--documents", title, "--format", "json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["settings"]["documents"] == [title]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--coders", "Sample coder A", "Nobody"], "no coder 'Nobody'"),
        ([*CODERS, "--codes", "Themes/Nope"], "no code 'Themes/Nope'"),
        ([*CODERS, "--documents", "Nope"], "no document 'Nope'"),
        (["--coders", "Sample coder A"], "at least two different coders"),
    ],
)
def test_bad_names_exit_2_with_a_message(sample_file: Path, capsys, extra, message):
    assert main(["agreement", str(sample_file), *extra]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_bad_overlap_is_an_argument_error(sample_file: Path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["agreement", str(sample_file), *CODERS, "--unit", "segment", "--overlap", "1.5"])
    assert exc.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err
