"""``annotator query`` and ``annotator search``: files read back with pandas, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotator.cli import main
from annotator.services.exporting import export_codings
from annotator.services.project import Project, create_sample_project

A = "Themes/Fiscal devolution"
B = "Themes/Partnership working"


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.annotator"
    create_sample_project(path).close()
    return path


def _jsonl_rows(path: Path, tmp_path: Path) -> list[dict]:
    project = Project.open(path)
    try:
        export_codings(project, tmp_path / "all.jsonl", "jsonl")
    finally:
        project.close()
    return [json.loads(x) for x in (tmp_path / "all.jsonl").read_text("utf-8").splitlines()]


def test_query_csv_and_jsonl_agree_with_the_export(sample_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    query = f'"{A}" AND NOT "{B}"'
    assert main(["query", str(sample_file), query, "--format", "csv", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    rows = _jsonl_rows(sample_file, tmp_path)
    # every passage of "A AND NOT B" lies inside a coding of A and overlaps no coding of B
    for _, p in table.iterrows():
        same = [r for r in rows if r["document_id"] == p.document_id]
        assert any(
            r["code_path"] == A and r["start"] <= p.start and p.end <= r["end"] for r in same
        )
        assert not any(
            r["code_path"] == B and r["start"] < p.end and r["end"] > p.start for r in same
        )
    assert len(table) >= 1
    jsonl = tmp_path / "q.jsonl"
    assert main(["query", str(sample_file), query, "--format", "jsonl", "--out", str(jsonl)]) == 0
    assert len(pd.read_json(jsonl, lines=True)) == len(table)


def test_query_by_coder_saved_and_rerun(sample_file: Path, tmp_path: Path, capsys) -> None:
    args = ["query", str(sample_file), f'"{B}"', "--coder", "Sample coder A", "--save", "pw"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert "Sample coder B" not in first and "Sample coder A" in first
    assert main(["query", str(sample_file), "--saved", "pw"]) == 0
    assert capsys.readouterr().out == first  # the saved query keeps its coder


@pytest.mark.parametrize("fmt", ["xlsx", "html", "docx"])
def test_query_writes_readable_files(sample_file: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"q.{fmt}"
    assert (
        main(["query", str(sample_file), f'"{A}" OR "{B}"', "--format", fmt, "--out", str(out)])
        == 0
    )
    project = Project.open(sample_file)
    try:
        n = len(project.retrieval.run(f'"{A}" OR "{B}"').refs)
    finally:
        project.close()
    assert n > 1
    if fmt == "xlsx":
        assert len(pd.read_excel(out)) == n
    elif fmt == "html":
        assert out.read_text("utf-8").count("<tr>") == n + 1
    else:
        import docx

        assert f"{n} rows" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_search_kwic_and_counts(sample_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    assert main(["search", str(sample_file), "councils", "--kwic", "--out", str(out)]) == 0
    kwic = pd.read_csv(out, keep_default_na=False)
    assert set(kwic.hit.str.casefold()) == {"councils"}
    counts = tmp_path / "c.csv"
    assert main(["search", str(sample_file), "councils", "--out", str(counts)]) == 0
    per_doc = pd.read_csv(counts)
    assert per_doc.hits.sum() == len(kwic)
    assert (
        dict(zip(per_doc.document_id, per_doc.hits, strict=True))
        == kwic.groupby("document_id").size().to_dict()
    )


def test_the_built_in_search_runs_by_name(sample_file: Path, capsys) -> None:
    assert main(["search", str(sample_file), "--saved", "candidate recommendations", "--kwic"]) == 0
    assert "must" in capsys.readouterr().out


def test_errors_name_the_problem(sample_file: Path, capsys) -> None:
    assert main(["query", str(sample_file), "Nope AND"]) == 2
    assert "code name" in capsys.readouterr().err
    assert main(["search", str(sample_file), "(", "--regex"]) == 2
    assert "regular expression" in capsys.readouterr().err
