"""Exporting codings and the unit table from real projects, and reading every file back."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, datetime

import lxml.html
import openpyxl
import pytest
from sqlalchemy import insert

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.exchange.coded_set import COLUMNS
from annotator.services.exporting import ExportFilters, export_codings, export_unit_table
from annotator.services.starter import starter_code_id
from annotator.storage.models import CodebookVersionRow, CodingRow

FISCAL = "Themes/Fiscal devolution"


def _read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_xlsx(path, sheet="Codings"):
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    # Empty trailing cells (a coding without field values) are not stored in the sheet.
    width = len(rows[0])
    return [dict(zip(rows[0], r + (None,) * (width - len(r)), strict=True)) for r in rows[1:]]


def _read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


READERS = {"csv": _read_csv, "xlsx": _read_xlsx, "jsonl": _read_jsonl}


def _key(row) -> tuple:
    return (
        str(row["coding_id"]),
        str(row["document_id"]),
        str(row["coder_id"]),
        str(row["code_id"]),
        int(row["start"]),
        int(row["end"]),
        row["quote"],
        row["memo"] or "",
    )


def _stored(project, codings=None) -> set[tuple]:
    codings = codings if codings is not None else project.codings.all()
    ids = ((str(c.id), str(c.document_id), str(c.coder_id), str(c.code_id)) for c in codings)
    return {(*i, c.start, c.end, c.quote, c.memo) for i, c in zip(ids, codings, strict=True)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_every_coding_is_exported_as_stored(sample, tmp_path, fmt):
    path = tmp_path / f"codings.{fmt}"
    summary = export_codings(sample, path, fmt)
    rows = READERS[fmt](path)
    assert summary.rows == len(rows) == 21 and summary.documents == 5
    assert {_key(r) for r in rows} == _stored(sample)
    keys = list(rows[0])
    first = keys.index(COLUMNS[0])  # JSON Lines starts with its schema fields
    assert keys[first : first + len(COLUMNS)] == list(COLUMNS)
    # The document columns (issue 11) follow the coded set's own, then field columns (10).
    assert keys[first + len(COLUMNS) :][:2] == ["document_length", "document_date"]
    texts = {d.id: sample.documents.get(d.id).text for d in sample.documents.list()}
    coders = {str(c.id): c.name for c in sample.coders.list()}
    for r in rows:
        text = texts[uuid.UUID(str(r["document_id"]))]
        assert text[int(r["start"]) : int(r["end"])] == r["quote"]
        assert text[: int(r["start"])].endswith(r["context_before"] or "")
        assert r["coder"] == coders[str(r["coder_id"])]
        assert r["project"].startswith("Sample project")
        assert datetime.fromisoformat(str(r["created_at"]).replace("Z", "+00:00")).tzinfo


def test_xlsx_has_codebook_and_documents_sheets(sample, tmp_path):
    path = tmp_path / "codings.xlsx"
    export_codings(sample, path, "xlsx", ExportFilters(coders=("Sample coder A",)))
    codings = _read_xlsx(path)
    documents = _read_xlsx(path, "Documents")
    codebook = _read_xlsx(path, "Codebook")
    assert sum(d["codings_exported"] for d in documents) == len(codings)
    assert {d["title"] for d in documents} == {d.title for d in sample.documents.list()}
    assert len(codebook) == len(sample.codebook.list())
    assert sum(r["codings_total"] for r in codebook) == len(codings)


def test_html_report_highlights_every_coding(sample, tmp_path):
    path = tmp_path / "report.html"
    export_codings(sample, path, "html")
    tree = lxml.html.parse(str(path)).getroot()
    ids = {i for m in tree.xpath("//mark") for i in m.get("data-codings").split()}
    assert ids == {str(c.id) for c in sample.codings.all()}
    assert len(tree.xpath("//li[@class='margin-code']")) == 21
    assert len(tree.xpath("//section[@class='document']")) == 5


def test_filters_by_coder_document_and_code(sample, tmp_path):
    coders = {c.name: c for c in sample.coders.list()}
    ann = coders["Sample coder A"]
    doc = sample.documents.list()[1]
    path = tmp_path / "f.csv"

    def exported(**filters) -> set[tuple]:
        export_codings(sample, path, "csv", ExportFilters(**filters))
        return {_key(r) for r in _read_csv(path)}

    everything = sample.codings.all()
    assert exported(coders=("Sample coder A",)) == _stored(
        sample, [c for c in everything if c.coder_id == ann.id]
    )
    assert exported(coders=(str(ann.id),)) == exported(coders=(" Sample coder A",))
    assert exported(documents=(doc.title,)) == _stored(
        sample, [c for c in everything if c.document_id == doc.id]
    )
    assert exported(documents=(str(doc.id),)) == exported(documents=(doc.title.upper(),))
    themes = starter_code_id("Themes")
    under_themes = {c.id for c in sample.codebook.list() if c.parent_id == themes} | {themes}
    by_code = exported(codes=("Themes",))  # the folder and everything inside it
    assert by_code == _stored(sample, [c for c in everything if c.code_id in under_themes])
    assert by_code and by_code != _stored(sample)
    both = exported(coders=("Sample coder B",), codes=(FISCAL,))
    assert all(k[2] == str(coders["Sample coder B"].id) for k in both)


def test_unknown_filters_are_refused_and_write_nothing(sample, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    path = out / "x.csv"
    for filters in (
        ExportFilters(coders=("Nobody",)),
        ExportFilters(documents=("No such title",)),
        ExportFilters(codes=("Themes/Nope",)),
        ExportFilters(codebook_version="v9"),
    ):
        with pytest.raises(ValidationError):
            export_codings(sample, path, "csv", filters)
    assert list(out.iterdir()) == []


def test_codebook_version_filter(project, tmp_path):
    doc_id = project.documents.add(_extracted("One two three four five six."))
    ann = project.coders.ensure("Ann")
    fiscal = starter_code_id(FISCAL)
    before = project.codings.add(_coding(doc_id, fiscal, ann.id, 0, 3))
    with project.db.transaction() as s:
        s.add(
            CodebookVersionRow(id=new_id(), name="v1", created_at=datetime.now(UTC), snapshot="{}")
        )
    after = project.codings.add(_coding(doc_id, fiscal, ann.id, 4, 7))
    assert before.codebook_version_id is None and after.codebook_version_id is not None
    path = tmp_path / "v.jsonl"
    export_codings(project, path, "jsonl", ExportFilters(codebook_version="V1"))
    rows = _read_jsonl(path)
    assert [r["coding_id"] for r in rows] == [str(after.id)]
    assert rows[0]["codebook_version"] == "v1"
    assert rows[0]["codebook_version_id"] == str(after.codebook_version_id)


HOSTILE_TEXT = (
    '=cmd|"/c calc"!A1, then "quotes", commas,\n'
    "new lines\n"
    "+SUM(1) -2 @me 🎉👩🏽‍🔬 עברית מימין לשמאל العربية\n"
)


def _extracted(text: str, title: str = "Doc") -> ExtractedDocument:
    return ExtractedDocument(
        text=text,
        blocks=paragraph_blocks(text),
        pages=(),
        metadata=DocumentMetadata(title=title),
        source_format="text",
    )


def _coding(doc_id, code_id, coder_id, start, end, memo="") -> Coding:
    return Coding(new_id(), doc_id, code_id, coder_id, start, end, "", memo)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_hostile_content_survives(project, tmp_path, fmt):
    doc_id = project.documents.add(_extracted(HOSTILE_TEXT, title='=Title, "quoted"'))
    coder = project.coders.ensure('@evil, "coder"')
    fiscal = starter_code_id(FISCAL)
    pieces = ['=cmd|"/c calc"!A1', "new lines\n+SUM(1)", "🎉👩🏽‍🔬", "עברית מימין לשמאל", "-2"]
    for piece in pieces:
        start = HOSTILE_TEXT.index(piece)
        project.codings.add(
            _coding(doc_id, fiscal, coder.id, start, start + len(piece), memo=f"={piece}\n,")
        )
    path = tmp_path / f"h.{fmt}"
    # Raw CSV: the text exactly (the default formula protection is tested in
    # tests/reliability/test_exports.py).
    export_codings(project, path, fmt, csv_protect=False)
    rows = READERS[fmt](path)
    assert {_key(r) for r in rows} == _stored(project)
    assert {r["document_title"] for r in rows} == {'=Title, "quoted"'}
    assert {r["coder"] for r in rows} == {'@evil, "coder"'}


def _bulk_codings(project, n: int) -> None:
    doc_id = project.documents.add(_extracted("word " * 2000))
    coder = project.coders.ensure("Bulk")
    fiscal = starter_code_id(FISCAL)
    now = datetime.now(UTC)
    rows = [
        {
            "id": new_id(),
            "document_id": doc_id,
            "code_id": fiscal,
            "coder_id": coder.id,
            "start": (i * 5) % 9995,
            "end": (i * 5) % 9995 + 4,
            "quote": "word",
            "memo": "",
            "created_at": now,
            "modified_at": now,
        }
        for i in range(n)
    ]
    with project.db.transaction() as s:
        s.execute(insert(CodingRow), rows)


def test_progress_and_cancel_leave_the_old_file_untouched(project, tmp_path):
    _bulk_codings(project, 2500)
    out = tmp_path / "out"
    out.mkdir()
    path = out / "big.csv"
    path.write_text("previous export", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    summary = export_codings(
        project, path, "csv", progress=lambda d, t: calls.append((d, t)), cancelled=lambda: False
    )
    assert summary.rows == 2500 and calls[0] == (1000, 2500) and calls[-1] == (2500, 2500)
    path.write_text("previous export", encoding="utf-8")
    calls.clear()
    summary = export_codings(
        project,
        path,
        "xlsx",
        progress=lambda d, t: calls.append((d, t)),
        cancelled=lambda: bool(calls),
    )
    assert summary.cancelled
    assert path.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in out.iterdir()] == ["big.csv"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "html"])
def test_an_error_mid_export_leaves_no_partial_file(project, tmp_path, fmt):
    _bulk_codings(project, 1500)
    out = tmp_path / "out"
    out.mkdir()

    def failing(done: int, total: int) -> None:
        raise OSError("disk full")

    # A file-system error reaches the user as a sentence naming the file.
    with pytest.raises(ValidationError, match=r"x\..*cannot be written \(disk full\)"):
        export_codings(project, out / f"x.{fmt}", fmt, progress=failing)
    assert list(out.iterdir()) == []


UNIT_TEXT = "Alpha one. Beta two.\nGamma three.\n\nDelta four. Epsilon five."


def _unit_project(project):
    doc_id = project.documents.add(_extracted(UNIT_TEXT, title="Units"))
    ann, bob = project.coders.ensure("Ann"), project.coders.ensure("Bob")
    fiscal, prevention = starter_code_id(FISCAL), starter_code_id("Themes/Prevention")

    def add(coder, fragment, code_id):
        start = UNIT_TEXT.index(fragment)
        project.codings.add(_coding(doc_id, code_id, coder.id, start, start + len(fragment)))

    add(ann, "Alpha", fiscal)
    add(ann, "one. Beta", prevention)  # spans the first two sentences
    add(bob, "Beta two.\nGamma", fiscal)  # crosses a paragraph: both paragraphs count
    add(bob, "Epsilon five.", prevention)
    add(bob, "Epsilon", fiscal)
    return doc_id


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unit_by_coder_table_sentences(project, tmp_path, fmt):
    doc_id = _unit_project(project)
    path = tmp_path / f"units.{fmt}"
    summary = export_unit_table(project, path, "sentence")
    rows = _read_csv(path) if fmt == "csv" else _read_xlsx(path, "Units")
    assert summary.rows == len(rows) == 5
    got = [(r["text"], r["Ann"] or "", r["Bob"] or "") for r in rows]
    assert got == [
        ("Alpha one.", f"{FISCAL}; Themes/Prevention", ""),
        ("Beta two.", "Themes/Prevention", FISCAL),
        ("Gamma three.", "", FISCAL),
        ("Delta four.", "", ""),
        ("Epsilon five.", "", f"{FISCAL}; Themes/Prevention"),
    ]
    assert [int(r["unit_index"]) for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["document_id"] == str(doc_id) and r["unit"] == "sentence" for r in rows)
    for r in rows:
        assert UNIT_TEXT[int(r["start"]) : int(r["end"])] == r["text"]


def test_unit_table_paragraphs_and_coder_filter(project, tmp_path):
    _unit_project(project)
    path = tmp_path / "units.csv"
    export_unit_table(project, path, "paragraph", ExportFilters(coders=("Bob",)))
    rows = _read_csv(path)
    assert list(rows[0])[-1] == "Bob" and "Ann" not in rows[0]
    assert [(r["text"], r["Bob"]) for r in rows] == [
        ("Alpha one. Beta two.", FISCAL),
        ("Gamma three.", FISCAL),
        ("Delta four. Epsilon five.", f"{FISCAL}; Themes/Prevention"),
    ]
