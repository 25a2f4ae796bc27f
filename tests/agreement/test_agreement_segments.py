"""Segment matching (overlap rule, precision/recall/F1) and disagreement finding."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import CodedSpan, find_disagreements, match_segments

FAST = settings(max_examples=60, deadline=None, derandomize=True)


def matched_by_definition(x: CodedSpan, others: list[CodedSpan], overlap: float) -> bool:
    for y in others:
        if y.document == x.document and y.code == x.code:
            inter = min(x.end, y.end) - max(x.start, y.start)
            if inter > 0 and inter >= overlap * (x.end - x.start):
                return True
    return False


@FAST
@given(seed=st.integers(0, 2**32 - 1), overlap=st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
def test_matching_counts_follow_the_definition(seed: int, overlap: float) -> None:
    rng = np.random.default_rng(seed)
    coders = ["a", "b", "c"]
    spans = []
    for _ in range(int(rng.integers(0, 50))):
        doc = str(rng.choice(["d1", "d2"]))
        start = int(rng.integers(0, 100))
        spans.append(
            CodedSpan(
                str(rng.choice(coders)),
                doc,
                str(rng.choice(["x", "y"])),
                start,
                start + int(rng.integers(1, 30)),
            )
        )
    table = match_segments(spans, coders, codes=["x", "y"], documents=["d1", "d2"], overlap=overlap)
    for ref in coders:
        for other in coders:
            if ref == other:
                continue
            mine = [s for s in spans if s.coder == ref]
            theirs = [s for s in spans if s.coder == other]
            hits_ref = sum(matched_by_definition(x, theirs, overlap) for x in mine)
            hits_other = sum(matched_by_definition(y, mine, overlap) for y in theirs)
            values = table.pair(ref, other)
            if mine:
                assert values["recall"].value == pytest.approx(hits_ref / len(mine))
            else:
                assert not values["recall"].is_defined
            if theirs:
                assert values["precision"].value == pytest.approx(hits_other / len(theirs))
            if mine and theirs:
                p, r = hits_other / len(theirs), hits_ref / len(mine)
                f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
                assert values["f1"].value == pytest.approx(f1)


def test_overlap_is_a_fraction_of_the_checked_codings_length() -> None:
    long_a = CodedSpan("a", "d", "x", 0, 100)
    short_b = CodedSpan("b", "d", "x", 40, 60)  # 20 characters, all inside long_a
    table = match_segments([long_a, short_b], ["a", "b"], overlap=0.5)
    values = table.pair("a", "b")
    assert values["precision"].value == 1.0  # b's short coding lies wholly within a's
    assert values["recall"].value == 0.0  # a's coding is only 20% covered
    # The threshold is inclusive: exactly half of the coding's length matches at 0.5.
    half = [CodedSpan("a", "d", "x", 0, 10), CodedSpan("b", "d", "x", 5, 30)]
    assert match_segments(half, ["a", "b"], overlap=0.5).pair("a", "b")["recall"].value == 1.0
    assert match_segments(half, ["a", "b"], overlap=0.51).pair("a", "b")["recall"].value == 0.0


def test_other_codes_and_documents_never_match() -> None:
    spans = [
        CodedSpan("a", "d1", "x", 0, 10),
        CodedSpan("b", "d1", "y", 0, 10),
        CodedSpan("b", "d2", "x", 0, 10),
    ]
    values = match_segments(spans, ["a", "b"]).pair("a", "b")
    assert values["recall"].value == 0.0 and values["precision"].value == 0.0
    assert values["f1"].value == 0.0


def test_invalid_overlap_is_rejected() -> None:
    with pytest.raises(ValueError):
        match_segments([], ["a", "b"], overlap=1.5)


def test_disagreements_are_classified_and_sorted() -> None:
    spans = [
        # identical codings: agreement, not listed
        CodedSpan("a", "d", "x", 0, 10),
        CodedSpan("b", "d", "x", 0, 10),
        # boundary: same code, overlapping, different extent
        CodedSpan("a", "d", "y", 20, 40),
        CodedSpan("b", "d", "y", 25, 45),
        # code: same extent, different code
        CodedSpan("a", "d", "x", 50, 60),
        CodedSpan("b", "d", "z", 50, 60),
        # missing: only b coded here
        CodedSpan("b", "d", "x", 70, 80),
        # other document and other coder are ignored
        CodedSpan("a", "other", "x", 0, 5),
        CodedSpan("c", "d", "x", 90, 95),
    ]
    found = find_disagreements(spans, "a", "b", "d")
    assert [(d.kind, d.start, d.end, d.codes) for d in found] == [
        ("boundary", 20, 45, ("y",)),
        ("code", 50, 60, ("x", "z")),
        ("missing", 70, 80, ("x",)),
    ]
    missing = found[-1]
    assert missing.spans_a == () and missing.spans_b == (CodedSpan("b", "d", "x", 70, 80),)
    assert found[0].spans_a == (CodedSpan("a", "d", "y", 20, 40),)


def test_split_coding_is_one_boundary_disagreement_with_all_spans() -> None:
    spans = [
        CodedSpan("a", "d", "x", 0, 30),
        CodedSpan("b", "d", "x", 0, 12),
        CodedSpan("b", "d", "x", 14, 30),
    ]
    (only,) = find_disagreements(spans, "a", "b", "d")
    assert only.kind == "boundary" and len(only.spans_b) == 2


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_identical_coders_have_no_disagreements_and_every_span_is_accounted_for(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = []
    for _ in range(int(rng.integers(1, 15))):
        start = int(rng.integers(0, 80))
        base.append(("xyz"[int(rng.integers(0, 3))], start, start + int(rng.integers(1, 20))))
    same = [CodedSpan(c, "d", k, s, e) for c in ("a", "b") for k, s, e in base]
    assert find_disagreements(same, "a", "b", "d") == []
    # Drop some of b's codings: every remaining difference shows up in some disagreement.
    kept = [s for s in same if s.coder == "a" or rng.random() < 0.5]
    found = find_disagreements(kept, "a", "b", "d")
    listed = {s for d in found for s in (*d.spans_a, *d.spans_b)}
    a_only = {(s.code, s.start, s.end) for s in kept if s.coder == "a"} - {
        (s.code, s.start, s.end) for s in kept if s.coder == "b"
    }
    assert all(any((s.code, s.start, s.end) == t for s in listed) for t in a_only)
    assert found == sorted(found, key=lambda d: (d.start, d.end))
