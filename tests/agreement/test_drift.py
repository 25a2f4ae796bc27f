"""Drift bins: alpha with each document's own coders equals the krippendorff package's alpha
on the explicit reliability matrix in which absent coders are missing values."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from annotator.agreement import CodedSpan
from annotator.agreement.drift import DriftBin, drift_series, drops

SPANS = [
    CodedSpan("A", "d1", "x", 0, 10),
    CodedSpan("B", "d1", "x", 5, 12),
    CodedSpan("A", "d2", "x", 3, 8),
    CodedSpan("B", "d2", "x", 3, 9),
    CodedSpan("C", "d2", "x", 0, 8),
]
LENGTHS = {"d1": 20, "d2": 15}


def _matrix() -> list[list[float]]:
    rows = []
    for coder in "ABC":
        row: list[float] = []
        for doc, length in LENGTHS.items():
            coded = [s for s in SPANS if s.coder == coder and s.document == doc]
            present = coder != "C" or doc == "d2"
            for i in range(length):
                if not present:
                    row.append(np.nan)
                else:
                    row.append(float(any(s.start <= i < s.end for s in coded)))
        rows.append(row)
    return rows


def test_all_coders_alpha_treats_absent_coders_as_missing() -> None:
    series, _ = drift_series(
        SPANS, LENGTHS, ["A", "B", "C"], ["x"], {None: [DriftBin("all", ("d1", "d2"))]}
    )
    expected = krippendorff.alpha(np.array(_matrix()), level_of_measurement="nominal")
    assert series[0].points[0].value.value == pytest.approx(expected)


def test_vs_others_uses_only_pairs_with_the_coder() -> None:
    bins = {"C": [DriftBin("all", ("d1", "d2"))]}
    series, _ = drift_series(SPANS, LENGTHS, ["A", "B", "C"], ["x"], bins)
    m = np.array(_matrix())[:, 20:]  # C coded d2 only
    pairs = np.concatenate([m[[2, 0]], m[[2, 1]]], axis=1)  # (C, A) and (C, B) as units
    expected = krippendorff.alpha(pairs, level_of_measurement="nominal")
    assert series[0].points[0].value.value == pytest.approx(expected)


def test_drops_compare_consecutive_defined_points() -> None:
    bins = {None: [DriftBin("w1", ("d2",)), DriftBin("w2", ("nothing",)), DriftBin("w3", ("d1",))]}
    series, warnings = drift_series(SPANS, {**LENGTHS, "nothing": 5}, ["A", "B"], ["x"], bins)
    values = [p.value.value for p in series[0].points]
    assert values[1] is None
    fall = values[0] - values[2]
    assert (len(drops(series, fall - 1e-9)), len(drops(series, fall + 1e-9))) == (1, 0)
    assert (len(warnings) == 1) == (fall > 0.1)
