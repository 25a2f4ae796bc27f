"""Patching the visible runs after a change paints exactly what a full recompute paints."""

from __future__ import annotations

import random
import uuid

import pytest

from annotator.domain.coding_index import CodingIndex
from annotator.domain.model import Coding, new_id
from annotator.gui.coding.highlight_runs import Run, patched_runs, visible_runs

CODES = [new_id() for _ in range(5)]
COLORS = {
    code: color
    for code, color in zip(
        CODES, ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4"), strict=True
    )
}
DOC, CODER = new_id(), new_id()


def _coding(rng: random.Random, length: int) -> Coding:
    start = rng.randrange(0, length - 1)
    end = min(length, start + rng.randint(1, 60))
    return Coding(new_id(), DOC, rng.choice(CODES), CODER, start, end, "x" * (end - start))


def _painted(runs: list[Run]) -> dict[int, int]:
    """Each painted position's colour: what the user sees, whatever the runs' cut points."""
    out: dict[int, int] = {}
    for a, b, color in runs:
        assert a < b
        for position in range(a, b):
            assert position not in out  # runs never overlap
            out[position] = color.rgba()
    return out


def _color_of(code_id: uuid.UUID) -> str:
    return COLORS[code_id]


@pytest.mark.parametrize("seed", range(12))
def test_patched_runs_paint_what_a_full_recompute_paints(seed: int) -> None:
    rng = random.Random(seed)
    length = 400
    codings = [_coding(rng, length) for _ in range(40)]
    index = CodingIndex(codings)
    shown = (rng.randrange(0, 100), rng.randrange(250, length))
    runs = visible_runs(index, *shown, lambda x: x, _color_of)
    for _ in range(15):
        if rng.random() < 0.5 and codings:
            gone = codings.pop(rng.randrange(len(codings)))
            index.remove(gone.id)
            changed = [(gone.start, gone.end)]
        else:
            new = _coding(rng, length)
            codings.append(new)
            index.add(new)
            changed = [(new.start, new.end)]
        runs = patched_runs(runs, index, shown, changed, lambda x: x, _color_of)
        fresh = visible_runs(index, *shown, lambda x: x, _color_of)
        assert _painted(runs) == _painted(fresh)
        assert runs == sorted(runs, key=lambda run: run[0])
