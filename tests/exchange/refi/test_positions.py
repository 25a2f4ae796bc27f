"""Reading positions in every unit and line-ending convention onto canonical text."""

from __future__ import annotations

from annotator.exchange.refi.positions import (
    ATLAS_MODE,
    NVIVO_MODE,
    SPEC_MODE,
    PositionMode,
    RawSelection,
    SourceText,
    detect_mode,
    name_quotes,
)
from tests.exchange.refi.helpers import utf16_len

RAW = "Héllo 😀 world\r\nSecond 👍🏽 line\r\nThird"


def _raw_position(canonical_index: int, *, utf16: bool, crlf_as_two: bool) -> int:
    """Where a tool would put ``canonical_index``, computed from first principles."""
    canonical = RAW.replace("\r\n", "\n")
    prefix = canonical[:canonical_index]
    if crlf_as_two:
        prefix = prefix.replace("\n", "\r\n")
    return utf16_len(prefix) if utf16 else len(prefix)


def test_every_mode_maps_back_to_the_same_canonical_character():
    text = SourceText(RAW)
    target = text.canonical.index("👍")
    for mode in (SPEC_MODE, ATLAS_MODE, NVIVO_MODE, PositionMode(True, False)):
        raw = _raw_position(target, utf16=mode.utf16, crlf_as_two=mode.crlf_as_two)
        assert text.to_canonical(raw, mode) == target, mode


def test_positions_past_the_end_are_none():
    text = SourceText(RAW)
    assert text.to_canonical(utf16_len(RAW) + 1, NVIVO_MODE) is None
    assert text.to_canonical(len(text.canonical) + 1, ATLAS_MODE) is None
    assert text.to_canonical(-1, SPEC_MODE) is None


def test_only_modes_that_differ_are_candidates():
    assert SourceText("plain\ntext").modes() == [SPEC_MODE]
    assert len(SourceText("a\r\nb").modes()) == 2
    assert len(SourceText(RAW).modes()) == 4


def test_names_quote_whole_or_truncated_text():
    assert name_quotes("Second  👍🏽\nline", "Second 👍🏽 line")
    assert name_quotes("Second…", "Second 👍🏽 line")
    assert not name_quotes("Quotation 12:3", "Second 👍🏽 line")
    assert not name_quotes("", "x")


def test_detection_follows_the_quoted_names_and_warns_when_unexpected():
    text = SourceText(RAW)
    canonical = text.canonical
    start = canonical.index("👍")
    end = canonical.index("Third")
    raw = [
        RawSelection(
            _raw_position(start, utf16=True, crlf_as_two=True),
            _raw_position(end, utf16=True, crlf_as_two=True),
            canonical[start:end],
        )
    ]
    as_expected = detect_mode(text, raw, NVIVO_MODE, "src")
    assert as_expected.mode == NVIVO_MODE and not as_expected.warnings
    surprised = detect_mode(text, raw, ATLAS_MODE, "src")
    assert surprised.mode == NVIVO_MODE
    assert "UTF-16" in surprised.warnings[0]


def test_detection_without_evidence_keeps_the_expected_mode_and_says_so():
    text = SourceText(RAW)
    detection = detect_mode(text, [RawSelection(20, 25, "Quotation 1:1")], ATLAS_MODE, "src")
    assert detection.mode == ATLAS_MODE
    assert detection.ambiguous and "could not be checked" in detection.warnings[0]
