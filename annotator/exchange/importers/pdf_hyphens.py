"""Which hyphens at a line end belong to the word: a PDF does not say, the document does.

A word split at a line end with a hyphen ("conti-" / "nuation") is rejoined without it.
But a compound that happens to break at its own hyphen ("self-" / "assessment") would lose
the hyphen too, and quotes and exports would read "selfassessment". So each break is
judged against the rest of the document: when the hyphenated form ("self-assessment") is
written inside a line anywhere in it, the hyphen is kept; otherwise it goes. A break
before anything but a lower-case letter ("QDA-" / "XML", "COVID-" / "19") is never a
word's own break, and keeps its hyphen.

Breaks come in two kinds: PDFium joins most broken words itself and marks the break with
U+FFFE inside a segment's text (:data:`BREAK`), and the paragraph pass joins the others
(a line ending in a hyphen before a line starting in lower case) and reports them here.
"""

from __future__ import annotations

import re

BREAK = "\ufffe"  # PDFium: a hyphen at a line end, where it joined the word's two halves
_AT_BREAK = re.compile(r"(\w*)\ufffe(\w*)")
_LAST_WORD = re.compile(r"(\w+)$")
_FIRST_WORD = re.compile(r"^(\w+)")
_HYPHENATED = re.compile(r"\w+-\w+")
REAL_HYPHENS = ("-", "\u2010")


class HyphenBreaks:
    """The words broken at a line end while paragraphs were built, judged at the end."""

    def __init__(self) -> None:
        self._joins: list[tuple[list[str], int, str]] = []

    def removed(self, parts: list[str], index: int, hyphen: str) -> None:
        """``parts[index]`` is the empty join that replaced ``hyphen`` between two lines."""
        if hyphen in REAL_HYPHENS:  # a soft hyphen only ever marks where a word may break
            self._joins.append((parts, index, hyphen))

    def resolve(self, paragraphs: list[list[str]]) -> None:
        """Settle every break in ``paragraphs`` (lists of lines and joins), in place."""
        marked = [
            (parts, i) for parts in paragraphs for i, part in enumerate(parts) if BREAK in part
        ]
        if not marked and not self._joins:
            return
        compounds = _hyphenated_words(paragraphs)
        for parts, index, hyphen in self._joins:
            before = _LAST_WORD.search(parts[index - 1])
            after = _FIRST_WORD.match(parts[index + 1])
            if before and after and _key(before.group(1), after.group(1)) in compounds:
                parts[index] = hyphen

        def settle(match: re.Match[str]) -> str:
            head, tail = match.groups()
            # Only a lower-case continuation can be a word's second half: "QDA-XML",
            # "COVID-19" and GUIDs keep their hyphen, as the paragraph pass's joins do.
            real = not tail[:1].islower() or _key(head, tail) in compounds
            return head + ("-" if real else "") + tail

        for parts, i in marked:
            parts[i] = _AT_BREAK.sub(settle, parts[i]).replace(BREAK, "")


def _key(head: str, tail: str) -> str:
    return f"{head}-{tail}".casefold()


def _hyphenated_words(paragraphs: list[list[str]]) -> set[str]:
    """Every hyphenated word written inside a line (not broken at a line end)."""
    found: set[str] = set()
    for parts in paragraphs:
        for line in parts[0::2]:
            if "-" in line:  # nearly every line has none: skip the regex
                found.update(m.group().casefold() for m in _HYPHENATED.finditer(line))
    return found
