"""Field values in the coded-set exports and the unit-by-coder table (issue 10, item 8)."""

from __future__ import annotations

import csv
import json

import openpyxl
from lxml import html

from annotator.services.exporting import export_codings, export_unit_table
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

REC = starter_code_id("Recommendations/Recommendation")
COLS = ["Recommendation.Addressee", "Recommendation.Instrument",
        "Recommendation.Instrument type (Hood)", "Recommendation.Strength"]  # fmt: skip


def _expected(sample: Project) -> dict[str, dict[str, object]]:
    """What the project stores, by coding id and column, as readable text."""
    fields = sample.fields.fields_for_code(REC)
    out = {}
    for c in sample.codings.all():
        if c.code_id != REC:
            continue
        vals = sample.fields.values_for_codings([c.id]).get(c.id, {})
        row = {}
        for f in fields:
            v = vals.get(f.id)
            if v is None:
                row[f"Recommendation.{f.name}"] = None
            elif isinstance(v.value, list):
                row[f"Recommendation.{f.name}"] = [f.choice(x).label for x in v.value]
            else:
                row[f"Recommendation.{f.name}"] = f.choice(v.value).label
        out[str(c.id)] = row
    return out


def test_csv_and_xlsx_have_one_column_per_field(sample: Project, tmp_path) -> None:
    expected = _expected(sample)
    export_codings(sample, tmp_path / "c.csv", "csv")
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [k for k in rows[0] if k.startswith("Recommendation.")] == COLS
    assert "suggested_fields" in rows[0]
    seen = 0
    for r in rows:
        if r["coding_id"] in expected:
            seen += 1
            for col, value in expected[r["coding_id"]].items():
                want = "; ".join(value) if isinstance(value, list) else (value or "")
                assert r[col] == want, (col, r[col], want)
        else:
            assert all(r[c] == "" for c in COLS)
    assert seen == 9
    export_codings(sample, tmp_path / "c.xlsx", "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True)["Codings"]
    table = list(sheet.iter_rows(values_only=True))
    header = list(table[0])
    assert header[-5:] == [*COLS, "suggested_fields"]
    strength = header.index("Recommendation.Strength")
    ids = header.index("coding_id")
    for r in table[1:]:
        if r[ids] in expected:
            cell = r[strength] if len(r) > strength else None
            assert cell == expected[r[ids]]["Recommendation.Strength"]


def test_jsonl_nests_typed_values_and_html_shows_them(sample: Project, tmp_path) -> None:
    expected = _expected(sample)
    export_codings(sample, tmp_path / "c.jsonl", "jsonl")
    lines = [json.loads(x) for x in (tmp_path / "c.jsonl").read_text().splitlines()]
    for obj in lines:
        if obj["coding_id"] in expected:
            assert obj["fields"] == expected[obj["coding_id"]]
            assert obj["suggested_fields"] == []
        else:
            assert "fields" not in obj
    export_codings(sample, tmp_path / "c.html", "html")
    tree = html.fromstring((tmp_path / "c.html").read_text(encoding="utf-8"))
    margin = " ".join(tree.xpath("//li[@class='margin-code']//text()"))
    assert "Strength: must" in margin and "Addressee: Central government" in margin


def test_unit_table_has_per_coder_field_columns(sample: Project, tmp_path) -> None:
    export_unit_table(sample, tmp_path / "u.csv", "sentence")
    with (tmp_path / "u.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    col = "Sample coder A · Recommendation.Strength"
    assert col in rows[0] and "Sample coder B · Recommendation.Addressee" in rows[0]
    whitehall = next(r for r in rows if r["text"].startswith("Whitehall must hand power"))
    assert whitehall[col] == "must"
    assert whitehall["Sample coder B · Recommendation.Instrument"] == "Devolve powers"
