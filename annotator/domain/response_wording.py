"""Small text rules about recommendations and responses: their own numbers and the status a
response's wording proposes.

Both are documented, general rules (no document-specific tuning):

* :func:`own_number` finds the number a document gives a recommendation: a label at the
  start of the passage ("7.", "8.3.", "(12)", "Recommendation 7:") or, failing that, a
  "Recommendation N" line just before it (a heading such as "Recommendation 1: A simplified
  structure ..." over the recommendation's text).
* :func:`propose_status` reads the first sentences of a response for the formulas
  governments use ("The government agrees", "accepts in part", "does not accept", "notes",
  "will consider", "is already ...") and proposes one status of
  :data:`DEFAULT_RESPONSE_STATUSES` (see its docstring for the order of the rules).
"""

from __future__ import annotations

import re

DEFAULT_RESPONSE_STATUSES: tuple[str, ...] = (
    "accepted",
    "accepted in part",
    "accepted in principle",
    "not accepted",
    "noted",
    "already in place",
    "under consideration",
)
"""The response statuses a new project starts with (the list is editable per project)."""

_NUMBER = r"(\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?)"
_LEADING = re.compile(
    r"^\s*(?:(?:recommendation|rec\.|conclusion|r)\s*)?\(?" + _NUMBER + r"(?:[.):]|\s+-|\s*$|\s)",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:recommendation|rec\.)\s+" + _NUMBER + r"\b", re.IGNORECASE)
_NAMED_LINE = re.compile(
    r"^[^\n]{0,60}?\b(?:recommendation|rec\.)\s+" + _NUMBER + r"\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def normalise_number(raw: str) -> str:
    """A recommendation number in one spelling: no trailing dot, lower case."""
    return raw.strip().rstrip(".").lower()


def leading_number(text: str) -> str | None:
    """The label that opens ``text`` ("8.3." -> "8.3", "Recommendation 7:" -> "7")."""
    match = _LEADING.match(text[:80])
    if match is None:
        return None
    number = normalise_number(match.group(1))
    # A bare year or a long figure at the start of a sentence is not a label.
    return None if len(number) >= 4 and "." not in number else number


def named_numbers(text: str) -> set[str]:
    """Every "Recommendation N" reference in ``text``."""
    return {normalise_number(m.group(1)) for m in _NAMED.finditer(text)}


def own_number(text: str, start: int, end: int, *, lookback: int = 400) -> str | None:
    """The document's own number for the recommendation at ``[start, end)`` of ``text``."""
    number = leading_number(text[start:end])
    if number is not None:
        return number
    # A label on the same line just before the passage ("8.3. |We recommend...").
    line_start = text.rfind("\n", 0, start) + 1
    if start - line_start <= 40:
        number = leading_number(text[line_start:end])
        if number is not None:
            return number
    # A "Recommendation N" heading among the last few lines before the passage.
    before = text[max(0, start - lookback) : start]
    lines = [m for m in _NAMED_LINE.finditer(before)]
    if lines:
        return normalise_number(lines[-1].group(1))
    return None


# Rules in order of precedence: a negation or a qualification wins over a bare "agrees".
_STATUS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (
            "not accepted",
            r"\b(?:(?:does|do|did|cannot|can ?not|will not|won't|is not able to)\s+(?:not\s+)?"
            r"(?:accept|agree|support|endorse)|not\s+accepted|rejects?|rejected|disagrees?"
            r"|not\s+(?:be\s+)?(?:taking|take)\s+forward|no\s+plans\s+to"
            r"|(?:does|do|did)\s+not\s+(?:believe|think|consider)\s+(?:that\s+)?(?:it|this|that)\s+"
            r"(?:is|would\s+be)\s+(?:appropriate|necessary|right|desirable))\b",
        ),
        (
            "accepted in part",
            r"\b(?:(?:accepts?|agrees?|accepted|supports?)\s+(?:\w+\s+){0,4}?in\s+part"
            r"|partially|partly\s+(?:accept|agree)|(?:accepts?|agrees?\s+with)\s+(?:some|parts?)\s+of"
            r"|agrees?\s+with\s+(?:\w+\s+){0,3}(?:aims?|intent|intention|spirit|ambition)\s+of)\b",
        ),
        (
            "accepted in principle",
            r"\b(?:accepts?|agrees?|accepted|supports?)\s+(?:\w+\s+){0,4}?in\s+principle\b",
        ),
        (
            "accepted",
            r"\b(?:accepts?|accepted|agrees?|agreed|endorses?|supports?|welcomes?\s+(?:and\s+)?"
            r"accepts?|will\s+implement|is\s+committed\s+to)\b",
        ),
        (
            "already in place",
            r"\b(?:already\s+(?:in\s+place|exists?|established|does|do|has|have|being)"
            r"|has\s+already|have\s+already|is\s+already|are\s+already)\b",
        ),
        (
            "under consideration",
            r"\b(?:will\s+(?:\w+\s+){0,2}(?:consider|explore|review|look\s+at)|(?:is|are)\s+considering"
            r"|(?:give|giving)\s+(?:\w+\s+)?consideration"
            r"|under\s+(?:consideration|review)|keep\s+(?:this\s+)?under\s+review)\b",
        ),
        ("noted", r"\b(?:notes?|noted|acknowledges?|welcomes?)\b"),
    )
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(])")


def propose_status(response: str, *, sentences: int = 2) -> str | None:
    """The status the response's wording proposes (None only for an empty response).

    The opening ``sentences`` sentences decide: that is where responses state their
    position, and the rules are tried in order of precedence (a negation or a
    qualification wins over a bare "agrees"). A response whose opening states no position
    is read further (eight sentences): agreement found only there, after context or
    caveats, is proposed as *accepted in part*; any other rule as it stands; and a
    response that states no position at all is *noted*.
    """
    parts = [p for p in _SENTENCE_END.split(response.strip(), maxsplit=8) if p.strip()]
    if not parts:
        return None
    opening = " ".join(parts[:sentences])
    for status, pattern in _STATUS_RULES:
        if pattern.search(opening):
            return status
    rest = " ".join(parts[sentences:8])
    for status, pattern in _STATUS_RULES:
        if pattern.search(rest):
            return "accepted in part" if status == "accepted" else status
    return "noted"
