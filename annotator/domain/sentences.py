"""Sentence spans over canonical text, never crossing a block boundary.

A small, documented rule set (pure Python, no data files), applied inside each block and
inside any non-blank text between blocks:

A sentence ends after ``.``, ``!``, ``?`` or ``…`` (or a run of them), plus any closing
quotes or brackets, when white space or the end of the block follows, **except** when

1. the next word starts with a lower-case letter, or the next character is ``,``, ``;``
   or ``:`` ("e.g. the", "etc., and", "Yahoo! is");
2. the word before a ``.`` is a known abbreviation (:data:`ABBREVIATIONS`: "Dr.",
   "Mr.", "e.g.", "i.e.", "No.", "Art.", "para.", months, ...), an initial ("J. Smith"), or
   a dotted abbreviation such as "U.S." or "z.B.";
3. the word before a ``.`` is a list number or letter ("3.", "iv.", "a.", "2.1.") that
   opens the block or a line: "3. Do X" stays one sentence.

Decimal numbers ("3.5 %"), version numbers and URLs never split because no white space
follows their dots. "etc." ends a sentence only when a capitalised word follows. The CJK
full stop and marks (``。！？``) end a sentence even without white space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotator.domain.structure import Block

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "rev", "hon", "gen", "col",
        "lt", "sgt", "capt", "gov", "sen", "rep", "pres", "vs", "e.g", "i.e", "cf", "al", "approx",
        "ca", "viz", "resp", "incl", "excl", "ibid", "op", "loc", "cit", "esp", "fig", "figs", "no",
        "nos", "nr", "art", "arts", "para", "paras", "sec", "secs", "ch", "chap", "vol", "vols",
        "p", "pp", "ed", "eds", "n.b", "inc", "ltd", "co", "corp", "bros", "dept", "univ",
        "assn", "est", "min", "max", "avg", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
        "sat", "sun", "z.b", "u.a", "bzw", "vgl", "ggf", "usw", "d.h", "abs", "ff"
    }
)  # fmt: skip
"""Lower-case abbreviations (without the final dot) after which a sentence does not end."""

_END = re.compile(r"(?:[.!?…]+|[。！？]+)[\"'”’»)\]]*(?=\s|$)|[。！？]+[\"'”’»)\]]*")
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,7})$")
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}$")
_OPENERS = "\"'“‘«([{"


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Decide whether the end-mark run ``match`` in ``text`` ends a sentence."""
    mark = match.group()
    after = match.end()
    rest = text[after:].lstrip()
    if not rest:
        return True
    if mark[0] in "。！？":
        return True
    nxt = rest.lstrip(_OPENERS)[:1] or rest[:1]
    if rest[0] in ",;:" or nxt.islower():
        return False
    if not mark.startswith(".") or mark.startswith(".."):
        return True  # ! ? … and ellipses before a capital end the sentence
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start : match.start()]
    words = before.split()
    if not words:
        return True
    word = words[-1].lstrip(_OPENERS)
    lowered = word.lower()
    if lowered == "etc":
        return nxt.isupper()
    if lowered in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial ("J. Smith") or a list letter ("a. Do X")
    if _DOTTED.match(word):
        return False  # U.S., z.B., e.g written with an inner dot
    return not (len(words) == 1 and _ENUMERATOR.match(word))


def _split_region(text: str, start: int, end: int) -> list[tuple[int, int]]:
    region = text[start:end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _END.finditer(region):
        if match.end() <= cursor:
            continue
        if _is_boundary(region, match):
            spans.append((cursor, match.end()))
            cursor = match.end()
    spans.append((cursor, len(region)))
    result: list[tuple[int, int]] = []
    for s, e in spans:
        piece = region[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        result.append((start + s + lead, start + s + lead + len(stripped)))
    return result


def _has_words(stretch: str) -> bool:
    """True when a stretch between blocks holds letters or digits (not just " | ")."""
    return any(ch.isalnum() for ch in stretch)


def sentence_regions(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """The stretches of ``text`` split into sentences independently, in order: each block
    (clipped so blocks do not overlap) and any text between blocks holding letters or
    digits. No sentence crosses the edge of one."""
    regions: list[tuple[int, int]] = []
    cursor = 0
    for block in sorted(blocks, key=lambda b: (b.start, b.end)):
        start = max(block.start, cursor, 0)
        end = min(block.end, len(text))
        if start > cursor and _has_words(text[cursor:start]):
            regions.append((cursor, start))
        if end > start:
            regions.append((start, end))
            cursor = end
        else:
            cursor = max(cursor, start)
    if cursor < len(text) and _has_words(text[cursor:]):
        regions.append((cursor, len(text)))
    return regions


def region_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of one region (see :func:`sentence_regions`) of ``text``."""
    return _split_region(text, start, end)


def sentence_spans(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` spans of the sentences of ``text``, in order.

    Sentences are found inside each block and inside any stretch of text that no block
    covers and that holds letters or digits (blocks are taken in order of their start;
    overlapping blocks are clipped so no sentence is counted twice). No sentence crosses a
    block boundary, and every span is trimmed of surrounding white space and non-empty.
    """
    spans: list[tuple[int, int]] = []
    for start, end in sentence_regions(text, blocks):
        spans.extend(_split_region(text, start, end))
    return spans
