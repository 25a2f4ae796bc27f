"""Weighted kappa, alpha with a distance matrix, free-marginal kappa and gamma.

Published values live in tests/data/agreement_reference.json (checked by
test_agreement_reference.py); here the measures are checked against independent
implementations (statsmodels; pygamma-agreement's values kept as fixtures, made by
tests/data/gamma/make_pygamma_fixtures.py), brute force and identities.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa

from annotator.agreement import (
    GammaCancelledError,
    bennett_s,
    best_alignment,
    cohen_kappa,
    free_marginal_kappa,
    gamma_agreement,
    krippendorff_alpha,
    weighted_kappa,
)

FIXTURES = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "gamma" / "pygamma_fixtures.json").read_text()
)["fixtures"]

tables = st.integers(min_value=2, max_value=5).flatmap(
    lambda q: st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=q, max_size=q),
        min_size=q,
        max_size=q,
    )
)


@settings(max_examples=60, deadline=None)
@given(tables, st.sampled_from(["linear", "quadratic"]))
def test_weighted_kappa_matches_statsmodels(table: list[list[int]], scheme: str) -> None:
    ours = weighted_kappa(table, scheme)
    arr = np.asarray(table, dtype=float)
    expected_disagreement = (np.outer(arr.sum(1), arr.sum(0)) * (1 - np.eye(len(table)))).sum()
    if arr.sum() == 0 or expected_disagreement == 0:
        assert ours.value is None and ours.undefined_reason
        return
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # its z-test divides by 0 at times
        theirs = cohens_kappa(arr, wt=scheme).kappa
    assert ours.value == pytest.approx(theirs, abs=1e-9)


def test_weight_and_distance_matrices_mean_what_they_say() -> None:
    table = [[10, 2, 0], [1, 8, 3], [0, 2, 9]]
    quadratic_agreement = [[1, 0.75, 0], [0.75, 1, 0.75], [0, 0.75, 1]]
    quadratic_distance = [[0, 0.25, 1], [0.25, 0, 0.25], [1, 0.25, 0]]
    q = weighted_kappa(table, "quadratic").value
    assert weighted_kappa(table, quadratic_agreement).value == pytest.approx(q)
    assert weighted_kappa(table, distance=quadratic_distance).value == pytest.approx(q)
    nominal = 1 - np.eye(3)
    assert weighted_kappa(table, distance=nominal).value == pytest.approx(cohen_kappa(table).value)
    # Near misses are cheaper than far ones, so weighting raises this kappa.
    assert q > weighted_kappa(table, "linear").value > cohen_kappa(table).value


def test_weighted_kappa_refuses_malformed_weights() -> None:
    with pytest.raises(ValueError, match="0 on the diagonal"):
        weighted_kappa([[1, 2], [3, 4]], distance=[[1, 1], [1, 0]])
    with pytest.raises(ValueError, match="2 x 2"):
        weighted_kappa([[1, 2], [3, 4]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="linear"):
        weighted_kappa([[1, 2], [3, 4]], "cubic")


def test_alpha_with_a_distance_matrix_reduces_to_the_levels() -> None:
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5]]
    cats = [1, 2, 3, 4, 5]
    nominal = 1 - np.eye(5)
    interval = (np.subtract.outer(cats, cats)) ** 2
    assert krippendorff_alpha(data, distance=nominal, categories=cats).value == pytest.approx(
        krippendorff_alpha(data).value
    )
    assert krippendorff_alpha(data, distance=interval, categories=cats).value == pytest.approx(
        krippendorff_alpha(data, level="interval").value
    )


def test_alpha_distance_mapping_credits_related_categories() -> None:
    a = ["must", "should", "could", "must", "should", "could", "must"]
    b = ["should", "should", "could", "must", "must", "could", "must"]
    half = krippendorff_alpha([a, b], distance={("must", "should"): 0.5})
    assert half.value > krippendorff_alpha([a, b]).value
    with pytest.raises(ValueError, match="not among"):
        krippendorff_alpha([a, b], distance=[[0, 1], [1, 0]], categories=["must", "should"])
    with pytest.raises(ValueError, match="either a level"):
        krippendorff_alpha([a, b], level="ordinal", distance={("must", "should"): 0.5})


def test_free_marginal_kappa_forms_and_identities() -> None:
    rows = [["a", "a", "b"], ["b", "b", "b"], ["a", "c", "c"], ["c", "c", "c"]]
    counts = [[2, 1, 0], [0, 3, 0], [1, 0, 2], [0, 0, 3]]
    by_rows = free_marginal_kappa(rows)
    assert by_rows.value == pytest.approx(free_marginal_kappa(counts=counts).value)
    # P_o = (1/3 + 1 + 1/3 + 1) / 4 = 2/3; chance 1/3 -> (2/3 - 1/3) / (2/3) = 0.5
    assert by_rows.value == pytest.approx(0.5)
    # A scheme of five categories lowers chance to 1/5.
    assert free_marginal_kappa(rows, n_categories=5).value == pytest.approx(
        (2 / 3 - 1 / 5) / (4 / 5)
    )
    # Two raters: kappa_free is Bennett's S (Brennan & Prediger's kappa_n).
    table = [[20, 10], [20, 50]]
    pairs = [["y", "y"]] * 20 + [["y", "n"]] * 10 + [["n", "y"]] * 20 + [["n", "n"]] * 50
    assert free_marginal_kappa(pairs).value == pytest.approx(bennett_s(table).value)
    with pytest.raises(ValueError, match="smaller"):
        free_marginal_kappa(rows, n_categories=2)
    with pytest.raises(ValueError, match="either"):
        free_marginal_kappa()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_gamma_best_alignment_matches_pygamma(fixture: dict) -> None:
    p = fixture["params"]
    units = [tuple(u) for u in fixture["units"]]
    ours = best_alignment(units, alpha=p["alpha"], beta=p["beta"], delta_empty=p["delta_empty"])
    # pygamma solves the same integer programme in float32: agree to its precision.
    assert ours.disorder == pytest.approx(fixture["observed_disorder"], abs=2e-5)
    aligned = [u for tup in ours.unitary for u in tup if u is not None]
    assert len(aligned) == len(units)  # every unit is in exactly one unitary alignment


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if f["name"].startswith("two")], ids=lambda f: f["name"]
)
def test_gamma_expected_disorder_matches_pygamma_within_sampling_error(fixture: dict) -> None:
    p = fixture["params"]
    units = [tuple(u) for u in fixture["units"]]
    res = gamma_agreement(units, alpha=p["alpha"], beta=p["beta"], n_samples=300, seed=3)
    se = np.std(res.sample_disorders, ddof=1) / math.sqrt(300)
    # Both estimates have about this standard error; 4 combined SEs is a wide margin
    # for chance and still far below the gap a wrong sampler or dissimilarity gives.
    assert res.expected_disorder == pytest.approx(
        fixture["expected_disorder"], abs=4 * math.sqrt(2) * se
    )
    assert res.value == pytest.approx(fixture["gamma"], abs=0.03)


def _brute_force_two(units: list[tuple[str, float, float, str]]) -> float:
    a = [u for u in units if u[0] == "A"]
    b = [u for u in units if u[0] == "B"]

    def d(u: tuple, v: tuple) -> float:
        pos = ((abs(u[1] - v[1]) + abs(u[2] - v[2])) / ((u[2] - u[1]) + (v[2] - v[1]))) ** 2
        return pos + (u[3] != v[3])

    best = math.inf
    for k in range(min(len(a), len(b)) + 1):
        for ia in itertools.combinations(range(len(a)), k):
            for ib in itertools.permutations(range(len(b)), k):
                cost = sum(d(a[i], b[j]) for i, j in zip(ia, ib, strict=True))
                best = min(best, cost + (len(a) - k) + (len(b) - k))
    return best / ((len(a) + len(b)) / 2)


def test_gamma_best_alignment_is_optimal_by_brute_force() -> None:
    rnd = random.Random(5)
    for _ in range(40):
        units = []
        for coder in "AB":
            for _k in range(rnd.randint(1, 5)):
                s = rnd.randint(0, 40)
                units.append((coder, s, s + rnd.randint(1, 12), rnd.choice("xy")))
        assert best_alignment(units).disorder == pytest.approx(_brute_force_two(units))


def test_gamma_three_coders_match_an_exhaustive_search() -> None:
    rnd = random.Random(9)
    for _ in range(8):
        units = []
        for coder in "ABC":
            for _k in range(rnd.randint(1, 3)):
                s = rnd.randint(0, 30)
                units.append((coder, s, s + rnd.randint(2, 10), rnd.choice("xy")))
        expected = _exhaustive_many(units)
        assert best_alignment(units).disorder == pytest.approx(expected)


def _exhaustive_many(units: list[tuple[str, float, float, str]]) -> float:
    """Every partition into unitary alignments (tiny inputs only)."""
    coders = sorted({u[0] for u in units})
    n = len(coders)
    pairs = n * (n - 1) / 2

    def d(u: tuple | None, v: tuple | None) -> float:
        if u is None or v is None:
            return 1.0
        pos = ((abs(u[1] - v[1]) + abs(u[2] - v[2])) / ((u[2] - u[1]) + (v[2] - v[1]))) ** 2
        return pos + (u[3] != v[3])

    def disorder(tup: tuple) -> float:
        return sum(d(x, y) for x, y in itertools.combinations(tup, 2)) / pairs

    best = math.inf

    def search(remaining: list[tuple], cost: float) -> None:
        nonlocal best
        if not remaining:
            best = min(best, cost)
            return
        first = remaining[0]
        others = [[None] + [u for u in remaining[1:] if u[0] == c] for c in coders]
        slot = coders.index(first[0])
        others[slot] = [first]
        for tup in itertools.product(*others):
            rest = [u for u in remaining if u not in tup]
            search(rest, cost + disorder(tup))

    search(list(units), 0.0)
    return best / (len(units) / n)


def test_gamma_is_reproducible_and_reports_its_sampling() -> None:
    units = [tuple(u) for u in FIXTURES[1]["units"]]
    first = gamma_agreement(units, seed=11)
    again = gamma_agreement(units, seed=11)
    other = gamma_agreement(units, seed=12)
    assert first.value == again.value
    assert first.value != other.value
    assert first.n_samples == 30 and first.seed == 11 and "shuffle" in first.sampler
    assert first.ci is not None and first.ci.low <= first.value <= first.ci.high
    value = first.as_value()
    assert value.measure == "gamma" and value.ci == first.ci and value.value == first.value


def test_gamma_perfect_agreement_and_cancel() -> None:
    same = [(c, s, s + 5, cat) for c in "AB" for s, cat in [(0, "x"), (10, "y"), (20, "x")]]
    res = gamma_agreement(same, n_samples=10)
    assert res.observed_disorder == 0.0 and res.value == pytest.approx(1.0)
    seen: list[tuple[int, int]] = []
    with pytest.raises(GammaCancelledError):
        gamma_agreement(
            same,
            n_samples=10,
            progress=lambda d, t: seen.append((d, t)),
            cancelled=lambda: len(seen) > 3,
        )
    assert seen[0] == (1, 11)


def test_gamma_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="start < end"):
        gamma_agreement([("A", 5, 5, "x"), ("B", 1, 2, "x")])
    with pytest.raises(ValueError, match="two or more coders"):
        gamma_agreement([("A", 1, 5, "x")])
