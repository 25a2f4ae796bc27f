import hashlib
import unicodedata

import pytest

from annotator.domain.text import Span, SpanError, canonicalize, quote, text_sha256


def test_canonical_text_has_lf_and_no_bom():
    assert canonicalize("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"


def test_no_unicode_normalisation():
    composed = "caf\u00e9"
    decomposed = unicodedata.normalize("NFD", composed)
    assert canonicalize(decomposed) == decomposed
    assert len(canonicalize(decomposed)) == len(composed) + 1


def test_only_a_leading_bom_is_removed():
    assert canonicalize("a\ufeffb") == "a\ufeffb"


def test_sha256_is_of_utf8_bytes():
    text = "Levelling up 😀"
    assert text_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_span_rules():
    assert Span(2, 5).length == 3
    assert Span(0, 3).overlaps(Span(2, 4))
    assert not Span(0, 2).overlaps(Span(2, 4))  # half-open
    with pytest.raises(SpanError):
        Span(5, 2)
    with pytest.raises(SpanError):
        Span(1, 1).check_within("abc")
    with pytest.raises(SpanError):
        Span(1, 4).check_within("abc")
    assert quote("a😀b", Span(1, 2)) == "😀"


def test_is_canonical_agrees_with_canonicalize():
    from annotator.domain.text import is_canonical

    for raw in ("a\nb", "a\r\nb", "\ufeffx", "x\ufeff", "a\rb", ""):
        assert is_canonical(raw) == (canonicalize(raw) == raw)
