"""Is a PDF's text layer readable? A documented junk score (issue #13, item 4).

A PDF made with legacy 8-bit fonts that carry no Unicode map gives text such as
"Wkh#frxqflo#vkdoo" or "ÕÌ¸· ¹Ö¸", runs of U+FFFD, or private-use code points: the page
looks right and the text layer is gibberish. The score, between 0 and 1:

* ``bad`` = (U+FFFD + private-use code points + control characters) / non-blank
  characters;
* ``nonword`` = the share of token characters that are in tokens that are not word-like
  (by characters, so one long run of gibberish weighs as much as many short tokens).
  Tokens are the text split at blanks, surrounding punctuation stripped; tokens of one
  character and tokens without a letter (numbers, "§", "--") are not counted. A token is
  word-like when its letters are all of one script (Latin, Greek, Cyrillic, ...), it has
  no character but letters, digits, ASCII punctuation (code and markup are text too) and
  usual typographic marks (curly quotes, dashes, "…", "§", "€") in it, and, when it is
  Latin and longer than three letters, it has a vowel (a, e, i, o, u, y, or an accented
  one) and no run of more than five consonants;
* ``score = max(min(1, 10 × bad), nonword)``.

A text layer is junk when ``score >= JUNK_THRESHOLD`` (0.5) over at least ``MIN_CHARS``
token characters. On the nine real reports in ``../shared/real-docs`` the score is at
most 0.03 (URLs, evidence references such as "INQ000184642_0005" and table codes are
most of it), on the REFI-QDA standard (XML listings in several scripts) 0.13; a
Caesar-shifted layer scores 1. Limits: a language written without vowels
in Latin letters, or a list of codes, can score high; a gibberish layer that maps letters
to other letters (a substitution of the alphabet) scores low.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

JUNK_THRESHOLD = 0.5
MIN_CHARS = 100
SAMPLE_CHARS = 200_000  # the score of a long text is taken on its first 200,000 characters

_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}<>.,;:!?…*•·–—-"
# Non-ASCII punctuation and symbols that real text puts inside or beside words.
_USUAL_NON_ASCII = set("’‘“”–—…‐‑·§°€£¥©®™×÷±«»")
_LATIN_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{6,}")


@dataclass(frozen=True)
class JunkScore:
    """The score and its parts (see the module docstring)."""

    score: float
    bad: float
    nonword: float
    chars: int  # characters in counted tokens

    @property
    def is_junk(self) -> bool:
        """Whether the text layer is junk: score at or above the threshold, enough text."""
        return self.score >= JUNK_THRESHOLD and (self.chars >= MIN_CHARS or self.bad > 0.1)


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "?"


def _word_like(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return True  # not counted by the caller
    if any(not (c.isalnum() or c.isascii() or c in _USUAL_NON_ASCII) for c in token):
        return False  # a symbol or mark from a legacy 8-bit font inside a word
    scripts = {_script(c) for c in letters}
    if len(scripts) > 1:
        return False
    if scripts == {"LATIN"} and len(letters) > 3:
        lower = "".join(letters).lower()
        if not any(c in _LATIN_VOWELS for c in lower):
            return False
        if _CONSONANT_RUN.search(lower):
            return False
    return True


def junk_score(text: str) -> JunkScore:
    """The junk score of a text layer (module docstring)."""
    sample = text[:SAMPLE_CHARS]
    visible = 0
    bad = 0
    for char in sample:
        if char.isspace():
            continue
        visible += 1
        if char == "\ufffd":
            bad += 1
        else:
            category = unicodedata.category(char)
            if category in ("Co", "Cc", "Cs", "Cn"):
                bad += 1
    chars = 0
    odd = 0
    for raw in sample.split():
        token = raw.strip(_EDGE_PUNCTUATION)
        if len(token) < 2 or not any(c.isalpha() for c in token):
            continue
        chars += len(token)
        if not _word_like(token):
            odd += len(token)
    bad_share = bad / visible if visible else 0.0
    nonword = odd / chars if chars else 0.0
    return JunkScore(max(min(1.0, 10 * bad_share), nonword), bad_share, nonword, chars)
