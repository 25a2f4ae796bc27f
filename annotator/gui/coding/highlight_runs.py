"""The coloured runs the document view paints under its text, computed from the index.

A run is a stretch of the visible text covered by one set of codings: its Qt start and
end and the blend of its codes' colours. After a coding is applied or removed only the
stretch it covers is recomputed; the runs elsewhere on screen stay as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtGui import QColor

from annotator.domain.coding_index import CodingIndex
from annotator.gui.coding.highlight_style import blend

Run = tuple[int, int, QColor]  # Qt start, Qt end, colour
ToQt = Callable[[int], int]
ColorOf = Callable[[uuid.UUID], str]


def visible_runs(
    index: CodingIndex, start: int, end: int, to_qt: ToQt, color_of: ColorOf
) -> list[Run]:
    """The runs of code points ``[start, end)``, in order."""
    return [
        (to_qt(seg.start), to_qt(seg.end), blend([color_of(c.code_id) for c in seg.codings]))
        for seg in index.segments(start, end)
    ]


def patched_runs(
    runs: list[Run],
    index: CodingIndex,
    shown: tuple[int, int],
    changed: list[tuple[int, int]],
    to_qt: ToQt,
    color_of: ColorOf,
) -> list[Run]:
    """``runs`` of the ``shown`` span after the codings over the ``changed`` spans changed.

    Outside the changed spans nothing differs, so runs there are kept (a run crossing a
    span's edge is cut at it); inside, runs are computed afresh from ``index``.
    """
    start, end = shown
    for a, b in changed:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue  # off screen
        qa, qb = to_qt(a), to_qt(b)
        kept: list[Run] = []
        for x, y, color in runs:
            if y <= qa or x >= qb:
                kept.append((x, y, color))
                continue
            if x < qa:
                kept.append((x, qa, color))
            if y > qb:
                kept.append((qb, y, color))
        kept.extend(visible_runs(index, a, b, to_qt, color_of))
        runs = sorted(kept, key=lambda run: run[0])
    return runs
