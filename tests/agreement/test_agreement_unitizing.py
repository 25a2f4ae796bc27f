"""Unitizing coefficients: the 2016 family against a slow per-position oracle, 2004 checks.

The oracle spells out Krippendorff, Mathet, Bouvry & Widlöcher (2016) position by position:
observed coincidences pair each position of a coder with the same position of every other
coder; the expected coincidences subtract l^2 per unit and l per gap section (cu-alpha:
the unit's pairable length squared). The package computes the same with boundary sweeps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import (
    CodedSpan,
    binary_u_alpha,
    cu_alpha,
    spans_to_units,
    u_alpha,
    unitizing_alpha,
)

FAST = settings(max_examples=60, deadline=None, derandomize=True)


def random_unitization(
    rng: np.random.Generator, coders: int, length: int, cats: list[str]
) -> list[dict[str, Any]]:
    """Non-overlapping units per coder (each coder partitions the continuum)."""
    units = []
    for i in range(coders):
        pos = int(rng.integers(0, 4))
        while pos < length:
            size = int(rng.integers(1, 8))
            if rng.random() < 0.6 and pos + size <= length:
                units.append(
                    {
                        "coder": f"c{i}",
                        "begin": pos,
                        "length": size,
                        "category": str(rng.choice(cats)),
                    }
                )
            pos += size + int(rng.integers(0, 5))
    return units


def oracle(units: list[dict[str, Any]], length: int, coders: list[str], which: str) -> float | None:
    m = len(coders)
    values = [[None] * length for _ in coders]
    for u in units:
        for p in range(u["begin"], u["begin"] + u["length"]):
            values[coders.index(u["coder"])][p] = u["category"]
    cats = [None, *sorted({u["category"] for u in units})]
    ix = {c: i for i, c in enumerate(cats)}
    ell = np.zeros((len(cats), len(cats)))
    for p in range(length):
        for i in range(m):
            for j in range(m):
                if i != j:
                    ell[ix[values[i][p]], ix[values[j][p]]] += 1.0 / (m - 1)
    corr = np.zeros(len(cats))
    pair_corr = np.zeros(len(cats))
    for u in units:
        corr[ix[u["category"]]] += u["length"] ** 2
        i = coders.index(u["coder"])
        pairable = sum(
            1
            for p in range(u["begin"], u["begin"] + u["length"])
            if any(values[j][p] is not None for j in range(m) if j != i)
        )
        pair_corr[ix[u["category"]]] += pairable**2
    corr[0] = sum(v is None for row in values for v in row)

    def alpha(obs: np.ndarray, cor: np.ndarray) -> float | None:
        tot = obs.sum()
        row = obs.sum(1)
        if tot <= 0 or (row > 0).sum() < 2:
            return None
        eps = tot * (np.outer(row, row) - np.diag(cor)) / (tot**2 - cor.sum())
        d_e = eps.sum() - np.trace(eps)
        return None if d_e <= 0 else 1 - (tot - np.trace(obs)) / d_e

    if which == "u":
        return alpha(ell, corr)
    if which == "cu":
        return alpha(ell[1:, 1:], pair_corr[1:])
    raise AssertionError(which)


@FAST
@given(seed=st.integers(0, 2**32 - 1), n_coders=st.integers(2, 4), length=st.integers(5, 60))
def test_u_alpha_matches_the_per_position_oracle(seed: int, n_coders: int, length: int) -> None:
    rng = np.random.default_rng(seed)
    coders = [f"c{i}" for i in range(n_coders)]
    units = random_unitization(rng, n_coders, length, ["a", "b", "c"])
    expected = oracle(units, length, coders, "u")
    ours = u_alpha(units, {"begin": 0, "length": length}, coders=coders)
    assert (ours.value is None) == (expected is None), ours.undefined_reason
    if expected is not None:
        assert ours.value == pytest.approx(expected, abs=1e-9)


@FAST
@given(seed=st.integers(0, 2**32 - 1), n_coders=st.integers(2, 4), length=st.integers(5, 60))
def test_cu_alpha_matches_the_per_position_oracle(seed: int, n_coders: int, length: int) -> None:
    rng = np.random.default_rng(seed)
    coders = [f"c{i}" for i in range(n_coders)]
    units = random_unitization(rng, n_coders, length, ["a", "b"])
    expected = oracle(units, length, coders, "cu")
    ours = cu_alpha(units, (0, length), coders=coders)
    assert (ours.value is None) == (expected is None), ours.undefined_reason
    if expected is not None:
        assert ours.value == pytest.approx(expected, abs=1e-9)


@FAST
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(5, 60))
def test_binary_u_alpha_per_category_is_u_alpha_of_the_reduced_data(seed: int, length: int) -> None:
    rng = np.random.default_rng(seed)
    coders = ["c0", "c1", "c2"]
    units = random_unitization(rng, 3, length, ["a", "b"])
    reduced = [u for u in units if u["category"] == "a"]
    expected = oracle(reduced, length, coders, "u")
    ours = binary_u_alpha(units, (0, length), category="a", coders=coders)
    assert (ours.value is None) == (expected is None)
    if expected is not None:
        assert ours.value == pytest.approx(expected, abs=1e-9)


def test_identical_unitizations_agree_perfectly_in_both_forms() -> None:
    units = [
        {"coder": c, "begin": b, "length": n, "category": k}
        for c in ("i", "j")
        for b, n, k in ((0, 10, "x"), (20, 5, "y"), (40, 12, "x"))
    ]
    old = unitizing_alpha(units, (0, 60), form="2004")
    new = unitizing_alpha(units, (0, 60), form="2016")
    assert old.overall.value == pytest.approx(1.0) and new.overall.value == pytest.approx(1.0)
    assert all(v.value == pytest.approx(1.0) for v in old.by_category.values())
    assert all(v.value == pytest.approx(1.0) for v in new.by_category.values())
    assert cu_alpha(units, (0, 60)).value == pytest.approx(1.0)
    assert old.overall.measure == "unitizing_alpha_2004" and new.overall.measure == "u_alpha"
    assert "2016" in new.overall.variant and "1995/2004" in old.overall.variant


def test_2004_alpha_u_does_not_depend_on_coder_order_or_unit_order() -> None:
    rng = np.random.default_rng(5)
    units = random_unitization(rng, 3, 80, ["a", "b"])
    base = unitizing_alpha(units, (0, 80))
    renamed = [{**u, "coder": {"c0": "z", "c1": "c1", "c2": "a"}[u["coder"]]} for u in units[::-1]]
    other = unitizing_alpha(renamed, (0, 80))
    for cat, value in base.by_category.items():
        assert value.value == pytest.approx(other.by_category[cat].value, abs=1e-12)


def test_2004_counts_coders_without_units() -> None:
    units = [{"coder": "i", "begin": 5, "length": 10, "category": "x"}]
    two = unitizing_alpha(units, (0, 50), coders=["i", "j"])
    assert two.by_category["x"].is_defined
    assert two.by_category["x"].value is not None and two.by_category["x"].value < 0.5
    alone = unitizing_alpha(units, (0, 50))
    assert not alone.by_category["x"].is_defined


def test_overlapping_units_make_2016_coefficients_undefined() -> None:
    units = [
        {"coder": "i", "begin": 0, "length": 10, "category": "x"},
        {"coder": "i", "begin": 5, "length": 10, "category": "y"},
        {"coder": "j", "begin": 0, "length": 10, "category": "x"},
    ]
    result = u_alpha(units, (0, 30))
    assert result.value is None and "overlapping" in (result.undefined_reason or "")
    # Per category the data are disjoint again, so |u-alpha is defined.
    assert binary_u_alpha(units, (0, 30), category="x").is_defined


def test_units_outside_the_continuum_are_rejected() -> None:
    with pytest.raises(ValueError):
        u_alpha([{"coder": "i", "begin": 25, "length": 10, "category": "x"}], (0, 30))
    with pytest.raises(ValueError):
        unitizing_alpha([], (0, 30), form="2010")


def test_spans_to_units_merges_one_coders_overlapping_spans() -> None:
    spans = [
        CodedSpan("a", "d", "x", 0, 10),
        CodedSpan("a", "d", "x", 5, 12),
        CodedSpan("a", "d", "x", 12, 15),
        CodedSpan("a", "d", "y", 3, 4),
        CodedSpan("b", "d", "x", 20, 30),
        CodedSpan("b", "other", "x", 0, 5),
    ]
    units = spans_to_units(spans, "d")
    assert {(u["coder"], u["category"], u["begin"], u["length"]) for u in units} == {
        ("a", "x", 0, 15),
        ("a", "y", 3, 1),
        ("b", "x", 20, 10),
    }
