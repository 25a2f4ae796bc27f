"""How codings look: blended backgrounds for overlaps, one colour per code."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtGui import QColor

UNKNOWN_CODE_COLOR = "#999999"


@lru_cache(maxsize=4096)
def _blend(colors: tuple[str, ...]) -> QColor:
    qs = [QColor(c) for c in colors]
    r = sum(c.red() for c in qs) / len(qs)
    g = sum(c.green() for c in qs) / len(qs)
    b = sum(c.blue() for c in qs) / len(qs)
    keep = min(0.35 + 0.15 * (len(qs) - 1), 0.75)  # share of the code colour over white
    return QColor(
        round(255 - (255 - r) * keep), round(255 - (255 - g) * keep), round(255 - (255 - b) * keep)
    )


def blend(colors: Sequence[str]) -> QColor:
    """One background for a run covered by several codes.

    The codes' colours are averaged and then lightened towards white, less so the more
    codes overlap, so a double-coded run reads darker than a single-coded one while the
    text on it stays legible.
    """
    if not colors:
        return QColor(0, 0, 0, 0)
    return QColor(_blend(tuple(sorted(colors))))  # a copy: callers may not alter the cache


def swatch_border(color: str) -> QColor:
    """A darker edge for a colour swatch, so pale colours stay visible on white."""
    return QColor(color).darker(140)
