"""How codings look: blended backgrounds for overlaps, one colour per code."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtGui import QColor

from annotator.domain import palette

UNKNOWN_CODE_COLOR = "#999999"


@lru_cache(maxsize=4096)
def _blend(colors: tuple[str, ...]) -> str:
    return palette.blend(colors)


def blend(colors: Sequence[str]) -> QColor:
    """One background for a run covered by one or several codes.

    A light tint of the codes' mean hue (see :func:`annotator.domain.palette.blend`):
    slightly darker the more codes overlap, never a muddy brown, and black text on it
    keeps a contrast of at least 7:1.
    """
    if not colors:
        return QColor(0, 0, 0, 0)
    names = (QColor(c) for c in colors)
    return QColor(
        _blend(tuple(sorted(q.name() if q.isValid() else UNKNOWN_CODE_COLOR for q in names)))
    )


def swatch_border(color: str) -> QColor:
    """A darker edge for a colour swatch, so pale colours stay visible on white."""
    return QColor(color).darker(140)
