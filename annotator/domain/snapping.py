"""Snap a selection to whole words, as coders expect when they drag across a phrase."""

from __future__ import annotations


def _is_word(ch: str) -> bool:
    # Apostrophes and hyphens inside a word ("council's", "place-shaping") keep it whole.
    return ch.isalnum() or ch in "_'’-"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding white space.

    A selection that starts or ends inside a word grows to include all of it; white space
    at either edge is dropped. A selection of only white space or punctuation is left as
    it is (trimmed of white space when something remains).
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    if _is_word(text[start]):
        while start > 0 and _is_word(text[start - 1]):
            start -= 1
    if _is_word(text[end - 1]):
        while end < len(text) and _is_word(text[end]):
            end += 1
    # A trailing hyphen or apostrophe picked up by the word scan is not part of the word.
    while end > start and text[end - 1] in "'’-" and (end == len(text) or not _is_word(text[end])):
        end -= 1
    return start, end
