"""Sentences split lazily, region by region, are the sentences of the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.passage_context import LazySentences
from annotator.domain.sentences import sentence_spans
from annotator.domain.spanset import unit_index
from annotator.domain.structure import Block, BlockKind

pieces = st.sampled_from(["Yes.", "No!", "e.g. this", "Dr. Who", "\n", " ", "Go on", "3.", "why?"])


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, list[Block]]:
    text = " ".join(draw(st.lists(pieces, min_size=1, max_size=20)))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    blocks = [Block(BlockKind.PARAGRAPH, a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    return text, blocks


@settings(max_examples=300, deadline=None)
@given(texts(), st.data())
def test_touched_and_counts_equal_the_whole_split(case, data) -> None:
    text, blocks = case
    whole = sentence_spans(text, blocks)
    lazy = LazySentences(text, blocks)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    run = (a, max(b, a + 1))
    assert lazy.touched(run) == {s for s in whole if s[0] < run[1] and s[1] > run[0]}
    starts = [s for s, _ in whole]
    expected = unit_index(starts, b) - unit_index(starts, a)
    assert lazy.starts_between(a, b, 10**6) == expected
