"""Fields in the CSV/XLSX codebook exchange and the printable codebook (issue 10, item 1)."""

from __future__ import annotations

import csv
import json

import pytest

from annotator.domain.errors import ValidationError
from annotator.services.codebook_exchange import (
    export_codebook_table,
    import_codebook_table,
    print_codebook,
)
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

REC = starter_code_id("Recommendations/Recommendation")


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _defs(p: Project, code_id=REC):
    return [(f.name, f.kind, f.required, f.definition, [(c.label, c.key, c.definition)
            for c in f.choices]) for f in p.fields.fields_for_code(code_id)]  # fmt: skip


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_fields_round_trip_through_the_table(sample: Project, tmp_path, suffix) -> None:
    out = tmp_path / f"book.{suffix}"
    export_codebook_table(sample, out)
    other = Project.create(tmp_path / "o.annotator", starter=False)
    try:
        import_codebook_table(other, out)
        assert _defs(other) == _defs(sample)
        log = [e["action"] for e in other.codebook.change_log()]
        assert log.count("add field") == 4
        import_codebook_table(other, out)  # again: nothing changes
        assert [e["action"] for e in other.codebook.change_log()].count("edit field") == 0
    finally:
        other.close()


def test_a_field_that_does_not_fit_is_reported_with_row_and_field(sample, tmp_path) -> None:
    out = tmp_path / "book.csv"
    export_codebook_table(sample, out)
    rows = _rows(out)
    number = next(i for i, r in enumerate(rows) if r["fields"]) + 2  # header is row 1
    spec = json.loads(rows[number - 2]["fields"])
    strength = next(f for f in spec if f["name"] == "Strength")
    strength["kind"] = "Shoud"
    rows[number - 2]["fields"] = json.dumps(spec)
    rows[number - 2]["definition"] = "Changed, but must not be stored."
    _write(out, rows)
    before = (sorted(map(repr, sample.codebook.list())), _defs(sample))
    with pytest.raises(ValidationError, match=rf"Row {number}: field 'Strength'.*Shoud"):
        import_codebook_table(sample, out)
    assert (sorted(map(repr, sample.codebook.list())), _defs(sample)) == before


def test_removing_a_used_choice_refuses_the_whole_import(sample, tmp_path) -> None:
    out = tmp_path / "book.csv"
    export_codebook_table(sample, out)
    rows = _rows(out)
    row = next(r for r in rows if r["fields"])
    spec = json.loads(row["fields"])
    strength = next(f for f in spec if f["name"] == "Strength")
    strength["choices"] = [c for c in strength["choices"] if c["label"] != "must"]
    row["fields"] = json.dumps(spec)
    row["memo"] = "not stored either"
    _write(out, rows)
    before = (sorted(map(repr, sample.codebook.list())), _defs(sample))
    with pytest.raises(ValidationError, match="field 'Strength': the choices must are used"):
        import_codebook_table(sample, out)
    assert (sorted(map(repr, sample.codebook.list())), _defs(sample)) == before


def test_printable_codebook_lists_fields_and_choices(sample: Project, tmp_path) -> None:
    out = tmp_path / "book.html"
    print_codebook(sample, out)
    text = out.read_text(encoding="utf-8")
    assert "Field Strength — ordinal scale, required" in text
    assert "3 must: Binding" in text and "Nodality" in text
    docx = tmp_path / "book.docx"
    print_codebook(sample, docx)
    from docx import Document

    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert any(p.startswith("Field Addressee — single choice, required") for p in paragraphs)
