"""CSV, XLSX and JSONL writers: hostile text survives, and spreadsheets cannot run it."""

from __future__ import annotations

import csv
import json
import uuid

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.model import Coder
from annotator.exchange.coded_set import COLUMNS, build_rows
from annotator.exchange.csv_export import read_csv_table, write_coded_set_csv, write_csv_table
from annotator.exchange.jsonl_export import read_jsonl, write_coded_set_jsonl
from annotator.exchange.xlsx_export import (
    EXCEL_CELL_LIMIT,
    write_coded_set_xlsx,
    write_xlsx_table,
)

from .helpers import code, coding, document, lookups

HOSTILE = [
    '"quoted", with commas',
    "line one\nline two\n\nline four",
    '=HYPERLINK("http://evil","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "emoji 🎉👩🏽‍🔬 and flags 🇬🇧",
    "עברית ומספרים 123 ועוד",  # right-to-left
    "مرحبا بالعالم",
    "  leading and trailing spaces  ",
    "tab\there",
    "",
]


def _hostile_rows():
    text = " | ".join(HOSTILE[:-1])
    doc = document(text, title='Title, with "quotes"\nand a newline')
    c = code("=Formula code")
    coder = Coder(uuid.uuid4(), "@coder")
    codings = []
    for piece in HOSTILE[:-1]:
        start = text.index(piece)
        codings.append(coding(doc, c, coder, start, start + len(piece), memo=piece))
    return doc, list(build_rows(doc, codings, lookups([c], [coder]), context=30))


def test_csv_dialect_bom_crlf_and_lf_inside_fields(tmp_path):
    path = tmp_path / "x.csv"
    write_csv_table(path, ["a", "b"], [["one\ntwo", 1], ["plain", None]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw == '\ufeffa,b\r\n"one\ntwo",1\r\nplain,\r\n'.encode()


def test_csv_round_trip_of_hostile_text(tmp_path):
    doc, rows = _hostile_rows()
    path = tmp_path / "codings.csv"
    # Raw (for R/pandas): text exactly as stored. The default protection is tested in
    # tests/reliability/test_exports.py.
    assert write_coded_set_csv(path, rows, protect=False) == len(rows)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        back = list(csv.DictReader(handle))
    assert list(back[0]) == list(COLUMNS)
    assert [r["quote"] for r in back] == HOSTILE[:-1]
    assert [r["memo"] for r in back] == HOSTILE[:-1]
    assert {r["document_title"] for r in back} == {doc.title}
    assert [int(r["start"]) for r in back] == [r.start for r in rows]
    assert back[0]["section_heading"] == ""  # None is an empty field


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=5))
def test_csv_round_trips_any_text(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv_table(path, ["a", "b", "c"], rows, protect=False)
    assert [list(r.values()) for r in read_csv_table(path)] == rows


def test_xlsx_neutralises_formulas_and_keeps_text(tmp_path):
    _doc, rows = _hostile_rows()
    path = tmp_path / "codings.xlsx"
    codebook = (["path", "uuid"], [["=Formula code", "x"]])
    assert write_coded_set_xlsx(path, rows, codebook, []) == len(rows)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Codings", "Codebook", "Documents"]
    sheet = book["Codings"]
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS)
    quote_col = header.index("quote")
    cells = [row[quote_col] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == HOSTILE[:-1]
    for cell in cells:
        assert cell.data_type == "s"  # never "f": nothing is a formula
        if str(cell.value).startswith(("=", "+", "-", "@")):
            assert cell.quotePrefix
    assert book["Codebook"]["A2"].value == "=Formula code"
    assert book["Codebook"]["A2"].data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_xlsx_replaces_control_characters_and_caps_long_cells(tmp_path):
    path = tmp_path / "t.xlsx"
    long = "x" * (EXCEL_CELL_LIMIT + 10)
    write_xlsx_table(path, "T", (["a", "b", "c"], [["page\x0cbreak\x00", long, 7]]))
    a, b, c = next(openpyxl.load_workbook(path)["T"].iter_rows(min_row=2, values_only=True))
    assert a == "page\ufffdbreak\ufffd"
    assert len(b) == EXCEL_CELL_LIMIT and b.endswith("truncated]")
    assert c == 7


def test_jsonl_one_object_a_line_with_schema(tmp_path):
    _doc, rows = _hostile_rows()
    path = tmp_path / "codings.jsonl"
    write_coded_set_jsonl(path, rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(rows) + 1
    objects = [json.loads(line) for line in lines[:-1]]
    assert [o["quote"] for o in objects] == HOSTILE[:-1]
    assert all(o["schema"] == "annotator.coded-set" and o["schema_version"] == 1 for o in objects)
    assert list(objects[0])[2:] == list(COLUMNS)
    assert isinstance(objects[0]["start"], int) and objects[0]["page"] is None


def test_jsonl_escapes_line_separators(tmp_path):
    doc = document("before\u2028after\u2029end")
    c = code("A")
    coder = Coder(uuid.uuid4(), "Ann")
    rows = list(build_rows(doc, [coding(doc, c, coder, 0, len(doc.text))], lookups([c], [coder])))
    path = tmp_path / "sep.jsonl"
    write_coded_set_jsonl(path, rows)
    raw = path.read_text(encoding="utf-8")
    assert "\u2028" not in raw and "\\u2028" in raw
    assert next(read_jsonl(path))["quote"] == doc.text
