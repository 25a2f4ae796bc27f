"""The unit-by-coder table, against hand-built documents."""

from __future__ import annotations

import uuid

from annotator.domain.model import Coder
from annotator.exchange.unit_table import (
    FIXED_COLUMNS,
    UnitCoding,
    UnitKind,
    document_unit_rows,
    unit_header,
)

from .helpers import document, paragraph

TEXT = "One sentence here. Two sentence there.\nA second paragraph. It ends."
ANN = Coder(uuid.uuid4(), "Ann")
BOB = Coder(uuid.uuid4(), "Bob")


def _at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def _coding(coder: Coder, fragment: str, path: str) -> UnitCoding:
    start, end = _at(fragment)
    return UnitCoding(start, end, str(coder.id), path)


def test_sentence_rows_hold_each_coders_codes():
    doc = document(TEXT, blocks=[paragraph(0, 38), paragraph(39, len(TEXT))])
    codings = [
        _coding(ANN, "One sentence", "Themes/A"),
        _coding(ANN, "here. Two", "Themes/B"),  # spans two sentences
        _coding(BOB, "sentence here", "Themes/A"),
        _coding(BOB, "sentence here", "Themes/A"),  # the same code twice: listed once
        _coding(BOB, "It ends.", "Z"),
        _coding(BOB, "It ends.", "Themes/B"),
    ]
    rows = list(document_unit_rows(doc, codings, [ANN, BOB], UnitKind.SENTENCE))
    assert [r[6] for r in rows] == [
        "One sentence here.",
        "Two sentence there.",
        "A second paragraph.",
        "It ends.",
    ]
    assert [r[3] for r in rows] == [1, 2, 3, 4]
    assert [(r[4], r[5]) for r in rows] == [
        _at("One sentence here."),
        _at("Two sentence there."),
        _at("A second paragraph."),
        _at("It ends."),
    ]
    assert [r[7:] for r in rows] == [
        ["Themes/A; Themes/B", "Themes/A"],
        ["Themes/B", ""],
        ["", ""],
        ["", "Themes/B; Z"],
    ]
    assert all(r[1] == str(doc.id) and r[2] == "sentence" for r in rows)


def test_touching_a_unit_edge_does_not_count():
    doc = document(TEXT, blocks=[paragraph(0, 38), paragraph(39, len(TEXT))])
    end_of_first = TEXT.index("Two") - 1  # the space between the two sentences
    codings = [UnitCoding(end_of_first, end_of_first + 1, str(ANN.id), "Gap")]
    rows = list(document_unit_rows(doc, codings, [ANN], UnitKind.SENTENCE))
    assert all(r[7] == "" for r in rows)


def test_paragraph_units_use_blocks_or_lines():
    codings = [_coding(ANN, "Two sentence there.\nA second", "P")]
    with_blocks = document(TEXT, blocks=[paragraph(0, 38), paragraph(39, len(TEXT))])
    rows = list(document_unit_rows(with_blocks, codings, [ANN], UnitKind.PARAGRAPH))
    assert [r[6] for r in rows] == TEXT.split("\n")
    assert [r[7] for r in rows] == ["P", "P"]
    bare = document(TEXT + "\n\n  Indented third.  ")
    rows = list(document_unit_rows(bare, codings, [ANN, BOB], UnitKind.PARAGRAPH))
    assert [r[6] for r in rows] == [*TEXT.split("\n"), "Indented third."]
    assert [r[7:] for r in rows] == [["P", ""], ["P", ""], ["", ""]]


def test_codings_of_coders_not_in_the_table_are_ignored():
    doc = document(TEXT)
    stranger = UnitCoding(0, 3, str(uuid.uuid4()), "X")
    rows = list(document_unit_rows(doc, [stranger], [ANN], UnitKind.SENTENCE))
    assert all(r[7] == "" for r in rows)


def test_header_keeps_coder_names_distinct_from_fixed_columns():
    odd = Coder(uuid.uuid4(), "text")
    assert unit_header([ANN, odd]) == [*FIXED_COLUMNS, "Ann", "text (coder)"]
