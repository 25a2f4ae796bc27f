from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.sentences import sentence_spans
from annotator.domain.structure import Block, BlockKind, paragraph_blocks


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, paragraph_blocks(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        (
            "Dr. Smith met Mr. J. Doe. They talked.",
            ["Dr. Smith met Mr. J. Doe.", "They talked."],
        ),
        (
            "Use renewables, e.g. Wind, i.e. Power. Next.",
            ["Use renewables, e.g. Wind, i.e. Power.", "Next."],
        ),
        (
            "Prices rose 2.5 % in 2023. The EU agreed.",
            ["Prices rose 2.5 % in 2023.", "The EU agreed."],
        ),
        ("3. Do X by 2030. Then stop.", ["3. Do X by 2030.", "Then stop."]),
        ("iv. Fourth item here.", ["iv. Fourth item here."]),
        ("a. First letter item.", ["a. First letter item."]),
        ("See Art. 5 and No. 7 of the act.", ["See Art. 5 and No. 7 of the act."]),
        ("Wind, solar etc. The plan works.", ["Wind, solar etc.", "The plan works."]),
        ("Wind, solar etc. are cheap.", ["Wind, solar etc. are cheap."]),
        ("The U.S. Army agreed. Fine.", ["The U.S. Army agreed.", "Fine."]),
        ('He said: "It works!" Then left.', ['He said: "It works!"', "Then left."]),
        ("Wait... then go.", ["Wait... then go."]),
        ("政策です。次の文。", ["政策です。", "次の文。"]),
        (
            "Version 1.2.3 is out. Visit example.org now.",
            ["Version 1.2.3 is out.", "Visit example.org now."],
        ),
    ],
)
def test_rules(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_sentences_never_cross_blocks() -> None:
    text = "Heading without stop\n\nBody sentence one. Body two"
    blocks = [
        Block(BlockKind.HEADING, 0, 20, 1),
        Block(BlockKind.PARAGRAPH, 22, len(text)),
    ]
    spans = sentence_spans(text, blocks)
    assert [text[s:e] for s, e in spans] == [
        "Heading without stop",
        "Body sentence one.",
        "Body two",
    ]


def test_text_outside_blocks_is_covered_but_table_separators_are_not() -> None:
    text = "A | B\nloose text. More"
    blocks = [Block(BlockKind.TABLE_CELL, 0, 1), Block(BlockKind.TABLE_CELL, 4, 5)]
    assert [text[s:e] for s, e in sentence_spans(text, blocks)] == [
        "A",
        "B",
        "loose text.",
        "More",
    ]


def test_no_blocks_means_whole_text() -> None:
    assert sentence_spans("First. Second.", []) == [(0, 6), (7, 14)]


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n3D\u3002")), max_size=60))
def test_spans_are_ordered_trimmed_and_inside_blocks(text: str) -> None:
    blocks = paragraph_blocks(text)
    spans = sentence_spans(text, blocks)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert any(b.start <= start and end <= b.end for b in blocks)
        previous = end
    covered = "".join(text[s:e] for s, e in spans).replace(" ", "")
    assert covered == "".join(text[b.start : b.end] for b in blocks).replace(" ", "")
