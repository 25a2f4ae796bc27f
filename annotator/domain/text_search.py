"""Full-text search queries: words, phrases, prefixes or a regular expression, turned into
one compiled pattern that finds hits at code point offsets of the canonical text.

Query syntax (plain mode): alternatives separated by commas or `` OR ``; each alternative
is a word or a phrase of words (quotes optional), and a word ending in ``*`` is a prefix::

    should, must, we recommend, calls on, urg*
    "we recommend" OR recommend*

Words match whole words; the words of a phrase may be separated by any run of white space
or punctuation (as in the full-text index). With ``regex`` the query is one Python regular
expression. Case and accents are ignored unless asked: accent folding is done in the
pattern (``e`` matches ``é``, ``e`` + a combining accent, ...) so offsets always refer to the
stored text, which is never normalised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from annotator.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """How a query is read."""

    regex: bool = False
    case_sensitive: bool = False
    accent_sensitive: bool = False


PLAIN = SearchOptions()
"""Words and phrases, ignoring case and accents."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """One alternative of a plain query: its words, and whether the last is a prefix."""

    words: tuple[str, ...]
    prefixes: tuple[bool, ...]


_SPLIT = re.compile(r"\s*,\s*|\s+OR\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def parse_alternatives(query: str) -> list[Alternative]:
    """The alternatives of a plain (not regex) query."""
    out: list[Alternative] = []
    for part in _SPLIT.split(query.strip()):
        part = part.strip().strip('"').strip()
        if not part:
            continue
        words, prefixes = [], []
        for raw in part.split():
            prefix = raw.endswith("*")
            pieces = _WORD.findall(raw)
            for k, piece in enumerate(pieces):
                words.append(piece)
                prefixes.append(prefix and k == len(pieces) - 1)
        if words:
            out.append(Alternative(tuple(words), tuple(prefixes)))
    if not out:
        raise ValidationError("The search is empty: type a word, a phrase or word* .")
    return out


@cache
def _accent_variants() -> dict[str, str]:
    """Base letter (lower and upper case) -> every precomposed letter that decomposes to it."""
    variants: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x2C00):  # Latin, Greek, Cyrillic and their extensions
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        if len(decomposed) > 1 and unicodedata.category(base).startswith("L"):
            variants.setdefault(base, {base}).add(ch)
    return {base: "".join(sorted(chars)) for base, chars in variants.items()}


_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"


def _letter(ch: str, options: SearchOptions) -> str:
    """The pattern of one query character."""
    if options.accent_sensitive:
        return re.escape(ch)
    base = unicodedata.normalize("NFD", ch)[0]
    table = _accent_variants()
    forms = {base, ch}
    if not options.case_sensitive:
        forms |= {base.lower(), base.upper()}
    chars = set()
    for form in forms:
        chars.add(form)
        chars.update(table.get(form, ""))
    body = "".join(sorted(re.escape(c) for c in chars))
    return (f"[{body}]" if len(chars) > 1 else body) + _MARKS


def _word(word: str, prefix: bool, options: SearchOptions) -> str:
    pattern = "".join(_letter(ch, options) for ch in word)
    return pattern + (r"\w*" if prefix else "") + r"(?!\w)"


def _alternatives(query: str, options: SearchOptions, boundary: bool = True) -> str:
    alternatives = []
    for alt in parse_alternatives(query):
        words = [_word(w, p, options) for w, p in zip(alt.words, alt.prefixes, strict=True)]
        alternatives.append((r"(?<!\w)" if boundary else "") + r"[\W_]+".join(words))
    # Longest first, so "we recommend" wins over "we" where both would match here.
    alternatives.sort(key=len, reverse=True)
    return "|".join(alternatives)


def compile_query(query: str, options: SearchOptions = PLAIN) -> re.Pattern[str]:
    """One pattern matching every hit of ``query``; raises :class:`ValidationError`."""
    flags = 0 if options.case_sensitive else re.IGNORECASE
    if options.regex:
        if not query:
            raise ValidationError("The regular expression is empty.")
        try:
            pattern = re.compile(query, flags | re.MULTILINE)
        except re.error as exc:
            raise ValidationError(f"Not a valid regular expression: {exc}.") from exc
        if pattern.match(""):
            raise ValidationError("This regular expression matches empty text; make it stricter.")
        return pattern
    return re.compile(_alternatives(query, options), flags)


class Matcher:
    """Finds the hits of a query in texts, as fast as each text allows.

    Equal to ``compile_query(query, options).finditer`` (the property tests hold it to
    that), but a plain query avoids what makes Python's ``re`` slow: the word-start
    look-behind (checked here instead), ``IGNORECASE`` (a lower-cased copy is searched
    when lower-casing keeps every offset), and accent classes (left out for ASCII texts).
    """

    def __init__(self, query: str, options: SearchOptions = PLAIN) -> None:
        self.pattern = compile_query(query, options)  # validates; the general path
        self._plain = not options.regex
        self._fold = not options.case_sensitive
        if self._plain:
            flags = 0 if options.case_sensitive else re.IGNORECASE
            self._general = re.compile(_alternatives(query, options, boundary=False), flags)
            lower = SearchOptions(case_sensitive=True, accent_sensitive=options.accent_sensitive)
            folded_query = query.lower() if self._fold else query
            self._lowered = re.compile(_alternatives(folded_query, lower, boundary=False))
            if options.accent_sensitive:
                # An accented query letter never matches an ASCII text: keep it as it is
                # (decomposing "á" would leave a bare "a" that matches "A").
                ascii_words = folded_query
            else:
                decomposed = unicodedata.normalize("NFD", folded_query)
                ascii_words = "".join(c for c in decomposed if not unicodedata.combining(c))
            ascii_options = SearchOptions(case_sensitive=True, accent_sensitive=True)
            self._ascii = re.compile(_alternatives(ascii_words, ascii_options, boundary=False))

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of every hit in ``text``, in order, not overlapping."""
        if not self._plain:
            for match in self.pattern.finditer(text):
                yield match.span()
            return
        searched, pattern = text, self._general
        if self._fold:
            lowered = text.lower()
            if len(lowered) == len(text):  # every character lower-cased to one character
                searched, pattern = lowered, self._lowered
        if searched.isascii():
            pattern = self._ascii
        pos = 0
        search = pattern.search
        while (match := search(searched, pos)) is not None:
            start = match.start()
            before = searched[start - 1] if start else " "
            if before.isalnum() or before == "_":
                pos = start + 1  # not at a word start; a real hit may begin inside it
                continue
            yield start, match.end()
            pos = match.end()


def fts5_expression(query: str) -> str | None:
    """An FTS5 MATCH expression selecting (at least) every document with a hit of the
    plain ``query``: each alternative's words ANDed, alternatives ORed. None when no
    expression can narrow the search (then every document is scanned)."""
    parts = []
    for alt in parse_alternatives(query):
        terms = [
            '"' + w.replace('"', '""') + '"' + ("*" if p else "")
            for w, p in zip(alt.words, alt.prefixes, strict=True)
        ]
        parts.append("(" + " AND ".join(terms) + ")")
    return " OR ".join(parts) if parts else None


@dataclass(frozen=True, slots=True)
class Kwic:
    """A keyword-in-context line: the text left of the hit, the hit, the text right of it."""

    left: str
    hit: str
    right: str


def kwic(text: str, start: int, end: int, width: int = 60) -> Kwic:
    """The hit ``[start, end)`` of ``text`` with up to ``width`` characters each side,
    line breaks shown as spaces."""
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return Kwic(left, text[start:end], right)
