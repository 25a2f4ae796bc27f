"""Rows of the coded set: context, section, page and times, from plain objects."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.model import Coder
from annotator.exchange.coded_set import (
    COLUMNS,
    build_rows,
    context_after,
    context_before,
    iso_utc,
)

from .helpers import code, coding, document, heading, lookups, page, paragraph


def test_context_is_cut_at_white_space_and_stays_a_substring():
    text = "alpha beta gamma delta QUOTE epsilon zeta eta theta"
    start = text.index("QUOTE")
    end = start + len("QUOTE")
    assert context_before(text, start, 12) == "gamma delta "  # starts on a word boundary
    assert context_before(text, start, 10) == "delta "  # "mma " was a partial word
    assert context_after(text, end, 12) == " epsilon"  # " epsilon zet" loses "zet"
    assert context_before(text, start, 1000) == text[:start]
    assert context_after(text, end, 1000) == text[end:]
    assert context_before(text, start, 0) == ""
    assert context_after(text, len(text), 10) == ""


def test_context_without_white_space_is_kept_whole():
    text = "日本語の文章です。ここが引用。後の文章も続きます。"
    start = text.index("ここ")
    assert context_before(text, start, 4) == text[start - 4 : start]
    assert context_after(text, start + 2, 3) == text[start + 2 : start + 5]


@given(st.text(min_size=1), st.integers(0, 50), st.integers(0, 50), st.integers(0, 120))
def test_context_is_always_adjacent_text(text, a, b, size):
    start, end = sorted((a % (len(text) + 1), b % (len(text) + 1)))
    before = context_before(text, start, size)
    after = context_after(text, end, size)
    assert text[:start].endswith(before)
    assert text[end:].startswith(after)
    assert len(before) <= size and len(after) <= size


def test_times_are_iso_utc_with_z():
    moment = datetime(2024, 1, 2, 23, 30, 0, 5, tzinfo=timezone(timedelta(hours=-2)))
    assert iso_utc(moment) == "2024-01-03T01:30:00.000005Z"
    assert iso_utc(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05.000000Z"


def test_row_has_section_page_and_exact_quote():
    text = "Intro\nFirst para text here.\nScope\nSecond para with the quote in it."
    h1, h2 = text.index("Intro"), text.index("Scope")
    doc = document(
        text,
        blocks=[
            heading(h1, h1 + 5),
            paragraph(6, 27),
            heading(h2, h2 + 5),
            paragraph(34, len(text)),
        ],
        pages=[page(1, 0, 28, "i"), page(2, 28, len(text), "ii")],
    )
    parent = code("Themes")
    child = code("Fiscal", parent, kind="recommendation")
    coder = Coder(uuid.uuid4(), "Ann")
    q = text.index("the quote")
    first = coding(doc, child, coder, 6, 11, memo="m1")
    second = coding(doc, child, coder, q, q + 9)
    rows = list(build_rows(doc, [first, second], lookups([parent, child], [coder]), context=10))
    assert [r.section_heading for r in rows] == ["Intro", "Scope"]
    assert [(r.page, r.page_label) for r in rows] == [(1, "i"), (2, "ii")]
    assert rows[1].quote == "the quote"
    assert rows[1].code_path == "Themes/Fiscal"
    assert rows[1].code_kind == "recommendation"
    assert rows[0].memo == "m1"
    assert rows[0].created_at == "2024-05-06T07:08:09.123456Z"
    assert rows[0].coder == "Ann" and rows[0].coder_id == str(coder.id)
    assert rows[0].document_sha256 == doc.sha256
    assert tuple(rows[0].as_dict()) == COLUMNS
    assert rows[0].values()[COLUMNS.index("start")] == 6


def test_row_without_structure_has_no_section_or_page():
    doc = document("Just some plain text.")
    c = code("A")
    coder = Coder(uuid.uuid4(), "Ann")
    (row,) = build_rows(doc, [coding(doc, c, coder, 0, 4)], lookups([c], [coder]))
    assert row.section_heading is None
    assert row.page is None and row.page_label is None
    assert row.codebook_version is None
