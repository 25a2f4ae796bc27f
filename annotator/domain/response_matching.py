"""Propose, for each recommendation of a report, the passages of a response that answer it.

General information retrieval, not rules for particular documents:

1. **Paragraphs.** The response is cut into paragraphs (its structure blocks, or blank
   lines); table-of-contents lines (dot leaders) are dropped.
2. **Markers.** A paragraph is a *marker* when it opens with a recommendation reference
   ("Recommendation 7", "8.3. ...", a short line naming a recommendation) or when it
   quotes one of the recommendations (most of its word trigrams occur in a recommendation).
3. **Answer units.** A unit starts at a marker that follows non-marker text and runs to the
   next such marker: the quoted recommendation(s) and the answer after them. Consecutive
   markers stay in one unit, so one answer to "8.3 and 8.4" serves both. A response with
   fewer than two markers has no such structure; its units are windows of three paragraphs.
4. **Scores.** For each recommendation and unit: BM25 (k1 = 1.5, b = 0.75) of the
   recommendation's words over the units, scaled by the best unit's score; the share of
   the recommendation's word trigrams found in the unit (quotation); and 1 when a marker of
   the unit carries the recommendation's own number. Score = 0.45 BM25 + 0.35 quotation
   + 0.20 number, in [0, 1].
5. **Candidates.** The best ``top`` units, each as the span of its answer (the unit minus its
   leading markers, or the whole unit when it has no other text), with the status its
   wording proposes (:func:`annotator.domain.response_wording.propose_status`).

Everything is vectorised over an inverted index (numpy), so 300 recommendations against a
100-page response take a fraction of a second.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.domain.response_wording import leading_number, named_numbers, propose_status

WEIGHTS = (0.45, 0.35, 0.20)
"""Weights of BM25, quotation and number in a candidate's score."""

MIN_ANSWER = 150
"""An answer shorter than this (characters) is taken for a stray line of the quotation."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOC_LINE = re.compile(r"(?:\.\s?){6,}\s*\d*\s*$|\.{4,}")
# A label naming a recommendation: up to two words, then "Recommendation(s)" (or
# "Conclusion", "Rec.") followed by a number, or alone on its line ("Inquiry Recommendation").
_MARKER_START = re.compile(
    r"^\W{0,3}(?:[^\W\d][\w’']*\s+){0,2}(?:recommendations?|conclusions?|rec\.)"
    r"(?:\s+(?:no\.?\s*)?\(?\d|\s*[:.]?\s*$)",
    re.IGNORECASE,
)
_STOP_WORDS = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few
for from further had has have having he her here hers him his how i if in into is it its
itself just may me might more most must my no nor not now of off on once only or other
our ours out over own same shall she should so some such than that the their theirs them
then there these they this those through to too under until up upon very was we were what
when where which while who whom why will with would you your"""
_STOP = frozenset(re.findall(r"\w+", _STOP_WORDS))
_SUFFIXES = ("ing", "ed", "es", "s")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A crude English stem (enough to meet "recommend"/"recommended"/"recommends")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Lower-case stemmed content words of ``text``."""
    return [_stem(w) for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP]


def _trigrams(words: Sequence[str]) -> set[tuple[str, str, str]]:
    return {(words[i], words[i + 1], words[i + 2]) for i in range(len(words) - 2)}


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A recommendation to match: its key (a coding id), its text and its own number."""

    key: object
    text: str
    number: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A response passage ``[start, end)`` proposed as the answer, with its score (0-1)."""

    start: int
    end: int
    text: str
    score: float
    status: str | None


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    answer_start: int
    numbers: frozenset[str]
    first: int  # paragraphs [first, last] of the kept paragraphs
    last: int


def paragraphs_of(text: str, spans: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Paragraph spans: the given block spans, or the text cut at blank lines."""
    if spans:
        return sorted((s, e) for s, e in spans if text[s:e].strip())
    found = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        if match.group().strip():
            found.append((match.start(), match.end()))
    return found


def _units(
    text: str, paragraphs: list[tuple[int, int]], quoted: set[tuple[str, str, str]]
) -> tuple[list[_Unit], list[list[str]], list[set]]:
    """Answer units, and the words and trigrams of each kept paragraph."""
    kept = [(s, e) for s, e in paragraphs if not _TOC_LINE.search(text[s:e])]
    para_words: list[list[str]] = []
    para_grams: list[set] = []
    markers: list[bool] = []
    named_flags: list[bool] = []
    numbers: list[set[str]] = []
    for s, e in kept:
        para = text[s:e]
        words = tokens(para)
        grams = _trigrams(words)
        para_words.append(words)
        para_grams.append(grams)
        quoting = len(grams) >= 2 and len(grams & quoted) >= 0.5 * len(grams)
        named = bool(_MARKER_START.match(para))
        label = leading_number(para)
        # A paragraph of one or two words ("The core structures should be:", "UK.") says
        # nothing by itself: it continues whatever precedes it.
        short = len(grams) < 2 and not named
        markers.append(quoting or named or (short and bool(markers) and markers[-1]))
        named_flags.append(named)
        found = set(named_numbers(para[:120])) if named else set()
        if label is not None and (quoting or named):
            found.add(label)
        numbers.append(found)
    if sum(1 for i, m in enumerate(markers) if m and (i == 0 or not markers[i - 1])) < 2:
        windows = [(i, min(i + 2, len(kept) - 1)) for i in range(len(kept))]
        return (
            [_Unit(kept[a][0], kept[b][1], kept[a][0], frozenset(), a, b) for a, b in windows],
            para_words,
            para_grams,
        )
    units: list[_Unit] = []
    i = 0
    while i < len(kept):
        j = i
        nums: set[str] = set()
        while j < len(kept) and markers[j]:
            nums |= numbers[j]
            j += 1
        answer = j
        while j < len(kept) and not markers[j]:
            j += 1
        end_para = j - 1
        answer_start = kept[answer][0] if answer <= end_para else kept[i][0]
        unit = _Unit(kept[i][0], kept[end_para][1], answer_start, frozenset(nums), i, end_para)
        previous = units[-1] if units else None
        if (
            previous is not None
            and previous.end - previous.answer_start < MIN_ANSWER
            and not named_flags[i]
        ):
            # The previous unit's "answer" was one short line and this unit opens with a
            # quotation, not a heading: that line was a stray line of the quoted
            # recommendation, and the real answer is this unit's.
            unit = _Unit(
                previous.start,
                unit.end,
                unit.answer_start,
                previous.numbers | unit.numbers,
                previous.first,
                unit.last,
            )
            units[-1] = unit
        else:
            units.append(unit)
        i = j
    return units, para_words, para_grams


def match_responses(
    recommendations: Sequence[Recommendation],
    response_text: str,
    paragraph_spans: Sequence[tuple[int, int]] = (),
    *,
    top: int = 5,
) -> list[list[Candidate]]:
    """For each recommendation, its ``top`` best candidate passages in the response, best first."""
    rec_words = [tokens(r.text) for r in recommendations]
    rec_grams = [_trigrams(w) for w in rec_words]
    quoted: set[tuple[str, str, str]] = set().union(*rec_grams) if rec_grams else set()
    units, para_words, para_grams = _units(
        response_text, paragraphs_of(response_text, paragraph_spans), quoted
    )
    if not units or not recommendations:
        return [[] for _ in recommendations]
    unit_words = [[w for k in range(u.first, u.last + 1) for w in para_words[k]] for u in units]
    # Only trigrams of some recommendation can count.
    quoted_in = [g & quoted for g in para_grams]
    unit_grams = [set().union(*quoted_in[u.first : u.last + 1]) for u in units]
    bm25 = _bm25(rec_words, unit_words)
    quote = _quotation(rec_grams, unit_grams)
    number = np.array(
        [
            [1.0 if r.number and r.number in u.numbers else 0.0 for u in units]
            for r in recommendations
        ]
    )
    score = WEIGHTS[0] * bm25 + WEIGHTS[1] * quote + WEIGHTS[2] * number
    statuses: dict[int, str | None] = {}
    results: list[list[Candidate]] = []
    for row in score:
        best = np.argsort(-row, kind="stable")[:top]
        found = []
        for index in best:
            unit = units[int(index)]
            if int(index) not in statuses:
                statuses[int(index)] = propose_status(response_text[unit.answer_start : unit.end])
            found.append(
                Candidate(
                    unit.answer_start,
                    unit.end,
                    response_text[unit.answer_start : unit.end],
                    round(float(row[index]), 4),
                    statuses[int(index)],
                )
            )
        results.append(found)
    return results


def _bm25(queries: list[list[str]], docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
    """BM25 of each query over each doc, each row scaled to its maximum (0-1)."""
    # Only the queries' words score: the others count for the documents' lengths only.
    vocab: dict[str, int] = {}
    for words in queries:
        for w in words:
            vocab.setdefault(w, len(vocab))
    rows: list[int] = []
    cols: list[int] = []
    for d, words in enumerate(docs):
        hits = [vocab[w] for w in words if w in vocab]
        cols.extend(hits)
        rows.extend([d] * len(hits))
    n_docs, n_terms = len(docs), max(len(vocab), 1)
    tf = (
        np.bincount(
            np.asarray(rows, dtype=np.int64) * n_terms + np.asarray(cols, dtype=np.int64),
            minlength=n_docs * n_terms,
        )
        .reshape(n_docs, n_terms)
        .astype(np.float32)
    )
    lengths = np.asarray([len(words) for words in docs], dtype=np.float32)
    avg = float(lengths.mean()) or 1.0
    df = (tf > 0).sum(axis=0)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    weight = tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[:, None] / avg))
    weight *= idf[None, :]
    query = np.zeros((len(queries), n_terms), dtype=np.float32)
    for q, words in enumerate(queries):
        query[q, [vocab[w] for w in set(words)]] = 1.0
    scores = query @ weight.T
    top = scores.max(axis=1, keepdims=True)
    return np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)


def _quotation(rec_grams: list[set], unit_grams: list[set]):
    """Share of each recommendation's word trigrams that occur in each unit."""
    index: dict[tuple[str, str, str], list[int]] = {}
    for u, grams in enumerate(unit_grams):
        for gram in grams:
            index.setdefault(gram, []).append(u)
    out = np.zeros((len(rec_grams), len(unit_grams)), dtype=np.float32)
    for r, grams in enumerate(rec_grams):
        found = [u for gram in grams for u in index.get(gram, ())]
        if found:
            counts = np.bincount(np.asarray(found), minlength=len(unit_grams))
            out[r] = counts / len(grams)
    return out
