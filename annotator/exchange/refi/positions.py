"""Mapping REFI-QDA selection positions onto our canonical text, exactly.

The standard counts Unicode code points of the source's .txt file, but tools differ: NVivo
counts UTF-16 code units (an emoji is two) and counts CRLF as two characters; ATLAS.ti
reportedly counts CRLF as one. A position therefore has up to four readings. For each
source we try every reading that makes a difference and keep the one under which the
selections' ``name`` attributes (which usually quote the selected text) match the text at
their positions. When the names cannot decide, we use the reading expected for the
exporting tool and say so; we never shift positions silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain.text import canonicalize
from annotator.domain.utf16 import Utf16Map

_ELLIPSES = ("…", "...")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_MIN_PREFIX = 40  # a name this long that starts the quote was truncated by its tool


@dataclass(frozen=True, slots=True)
class PositionMode:
    """One reading of positions: which unit, and how many characters a CRLF counts for."""

    utf16: bool
    crlf_as_two: bool

    def describe(self) -> str:
        """Words for reports, e.g. "UTF-16 units, CRLF counted as 2"."""
        unit = "UTF-16 units" if self.utf16 else "code points"
        return f"{unit}, CRLF counted as {2 if self.crlf_as_two else 1}"


SPEC_MODE = PositionMode(utf16=False, crlf_as_two=True)  # the file's code points, literally
NVIVO_MODE = PositionMode(utf16=True, crlf_as_two=True)
ATLAS_MODE = PositionMode(utf16=False, crlf_as_two=False)
ALL_MODES = (
    SPEC_MODE,
    ATLAS_MODE,
    NVIVO_MODE,
    PositionMode(utf16=True, crlf_as_two=False),
)


def expected_mode(origin: str | None) -> PositionMode:
    """The reading a tool is known to use, from the project's ``origin`` attribute."""
    name = (origin or "").casefold()
    if "nvivo" in name:
        return NVIVO_MODE
    if "atlas" in name:
        return ATLAS_MODE
    return SPEC_MODE


class SourceText:
    """A source's text as found (BOM removed) and canonical, with position conversion."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.canonical = canonicalize(raw)
        # Index in ``raw`` of the LF of every CRLF pair: each collapses to one character.
        self._pair_lf = [m.start() + 1 for m in re.finditer("\r\n", raw)]
        self._maps: dict[bool, Utf16Map] = {}

    @property
    def has_crlf(self) -> bool:
        """True when some line ends with CRLF, so the CRLF readings differ."""
        return bool(self._pair_lf)

    def _map(self, of_raw: bool) -> Utf16Map:
        if of_raw not in self._maps:
            self._maps[of_raw] = Utf16Map(self.raw if of_raw else self.canonical)
        return self._maps[of_raw]

    @property
    def has_astral(self) -> bool:
        """True when some character is outside the BMP, so the unit readings differ."""
        return not self._map(False).is_trivial

    def modes(self) -> list[PositionMode]:
        """The readings that can give different results for this text."""
        return [
            m
            for m in ALL_MODES
            if (self.has_astral or not m.utf16) and (self.has_crlf or m.crlf_as_two)
        ]

    def to_canonical(self, position: int, mode: PositionMode) -> int | None:
        """The canonical code-point offset of ``position`` read in ``mode``; None if outside."""
        if position < 0:
            return None
        if not mode.crlf_as_two:
            if mode.utf16:
                umap = self._map(False)
                return umap.from_utf16(position) if position <= umap.utf16_length else None
            return position if position <= len(self.canonical) else None
        if mode.utf16:
            umap = self._map(True)
            if position > umap.utf16_length:
                return None
            position = umap.from_utf16(position)
        elif position > len(self.raw):
            return None
        return position - bisect_left(self._pair_lf, position)


def _normalise(text: str) -> str:
    """Whitespace collapsed and control characters made spaces, for comparing quotes."""
    return " ".join(_CONTROL.sub(" ", text).split())


def name_quotes(name: str | None, quote: str) -> bool:
    """True when a selection's ``name`` quotes ``quote`` (whole, or truncated by its tool)."""
    if not name:
        return False
    if name == quote:  # the common case, and the cheapest
        return True
    wanted, found = _normalise(name), _normalise(quote)
    if not wanted:
        return False
    if wanted == found:
        return True
    for ellipsis in _ELLIPSES:
        if wanted.endswith(ellipsis):
            stem = wanted[: -len(ellipsis)].rstrip()
            return bool(stem) and found.startswith(stem)
    return len(wanted) >= _MIN_PREFIX and found.startswith(wanted)


@dataclass(frozen=True, slots=True)
class RawSelection:
    """A selection as found in the file: positions in an unknown reading, and its name."""

    start: int
    end: int
    name: str | None


@dataclass(frozen=True)
class Detection:
    """The reading chosen for one source and what it rests on."""

    mode: PositionMode
    matched: int  # selections whose name quotes the text under ``mode``
    named: int  # selections with a non-empty name
    ambiguous: bool  # readings differ here and no name decided between them
    warnings: tuple[str, ...]


def _span(text: SourceText, sel: RawSelection, mode: PositionMode) -> tuple[int, int] | None:
    start, end = text.to_canonical(sel.start, mode), text.to_canonical(sel.end, mode)
    return None if start is None or end is None else (start, end)


def detect_mode(
    text: SourceText, selections: Sequence[RawSelection], expected: PositionMode, label: str
) -> Detection:
    """Choose the reading of ``selections`` positions for ``text`` (see the module docstring).

    ``label`` names the source in warnings.
    """
    candidates = text.modes()
    named = sum(1 for s in selections if s.name and s.name.strip())
    if expected not in candidates:
        expected = next(
            (m for m in candidates if m.utf16 == expected.utf16),
            next(m for m in candidates if m.crlf_as_two == expected.crlf_as_two),
        )
    if not selections:
        return Detection(expected, 0, 0, False, ())
    scores: dict[PositionMode, int] = {}
    spans: dict[PositionMode, list[tuple[int, int] | None]] = {}
    for mode in candidates:
        spans[mode] = [_span(text, s, mode) for s in selections]
        scores[mode] = sum(
            1
            for s, sp in zip(selections, spans[mode], strict=True)
            if sp is not None
            and sp[0] <= sp[1]
            and name_quotes(s.name, text.canonical[sp[0] : sp[1]])
        )
    differs = any(len(set(col)) > 1 for col in zip(*spans.values(), strict=True))
    best = max(scores.values())
    if not differs:
        return Detection(expected, scores[expected], named, False, ())
    if best == 0:
        return Detection(
            expected,
            0,
            named,
            True,
            (
                f"{label}: positions could not be checked against the quoted text (no selection "
                f"name quotes it); they were read as {expected.describe()}.",
            ),
        )
    chosen = expected if scores[expected] == best else max(candidates, key=lambda m: scores[m])
    warnings: list[str] = []
    if chosen != expected:
        warnings.append(
            f"{label}: positions count {chosen.describe()} (detected from the quoted text of "
            f"{best} selection(s)), not {expected.describe()} as expected; they were mapped "
            "accordingly."
        )
    return Detection(chosen, best, named, False, tuple(warnings))


def mismatch_warning(label: str, matched: int, named: int) -> str | None:
    """A warning when some named selections do not quote the text at their positions."""
    if matched and matched < named:
        return (
            f"{label}: {named - matched} of {named} selection names do not match the text at "
            "their positions (they may be labels rather than quotes); check these codings."
        )
    return None
