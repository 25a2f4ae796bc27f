"""The PDF importer's fast paths give the same results as the plain logic they replace."""

from __future__ import annotations

import re

import pytest

from annotator.exchange.importers import pdf, pdf_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _reference_clean(text: str) -> str:
    text = text.rstrip("\r\n ")
    if text.endswith(("\x02", "\ufffe")):
        text = text[:-1] + "-"
    return _CONTROL.sub("", text).replace("\xa0", " ").strip()


@pytest.mark.parametrize(
    "text",
    [
        "plain line",
        "  padded line  ",
        "line\r",
        "conti\x02",
        "conti\ufffe",
        "no\xa0break",
        "tab\there",
        "bell\x07inside",
        "\u2003em space\u2003",
        "",
        "   ",
    ],
)
def test_clean_matches_the_plain_logic(text: str) -> None:
    assert pdf_text._clean(text) == _reference_clean(text)


def _seg(size: float, text: str) -> pdf._Segment:
    return pdf._Segment(0.0, 0.0, 10.0, size, text)


def test_body_size_tie_goes_to_the_size_met_first() -> None:
    small, large = _seg(9.0, "abcd"), _seg(11.0, "wxyz")
    weights = pdf._size_weights([[small, large]])
    assert pdf._body_size([[small, large]], weights) == 9.0
    assert pdf._body_size([[large, small]], weights) == 11.0
    assert pdf._body_size([], {}) == 10.0


def test_body_size_without_a_tie_ignores_order() -> None:
    small, large = _seg(9.0, "abcdef"), _seg(11.0, "wxyz")
    weights = pdf._size_weights([[large], [small]])
    assert pdf._body_size([[large], [small]], weights) == 9.0


@pytest.mark.parametrize(
    ("text", "needed", "expected"),
    [("", 1, True), ("  a  ", 1, False), ("a b", 3, True), (" " * 100 + "abc", 3, False)],
)
def test_too_little_text(text: str, needed: int, expected: bool) -> None:
    assert pdf._too_little_text(text, needed) is expected
