"""Differential tests on random data against independent implementations.

krippendorff (alpha, four levels), statsmodels (Cohen's and Fleiss' kappa) and nltk's
AnnotationTask (Scott's pi, Cohen's kappa, Bennett's S, alpha) are test-only references.
Gwet's AC1 has no packaged reference here, so it is checked against Gwet's (2008)
multi-rater formula written out below from the raw ratings.
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.agreement import (
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

FAST = settings(max_examples=120, deadline=None, derandomize=True)


@st.composite
def reliability_matrices(draw: st.DrawFn, max_value: int = 5) -> list[list[int | None]]:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 25))
    cell = (
        st.one_of(st.none(), st.integers(1, max_value))
        if draw(st.booleans())
        else st.integers(1, max_value)
    )
    return draw(
        st.lists(st.lists(cell, min_size=units, max_size=units), min_size=coders, max_size=coders)
    )


def _reference_alpha(matrix: list[list[int | None]], level: str) -> float | None:
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in matrix])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = krippendorff.alpha(data, level_of_measurement=level)  # type: ignore[arg-type]
    except ValueError:
        return None  # krippendorff refuses data with a single value
    return None if math.isnan(value) else float(value)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@FAST
@given(matrix=reliability_matrices())
def test_alpha_matches_krippendorff_package(level: str, matrix: list[list[int | None]]) -> None:
    ours = krippendorff_alpha(matrix, level=level)
    theirs = _reference_alpha(matrix, level)
    if theirs is None:
        assert not ours.is_defined
        assert ours.undefined_reason
    else:
        assert ours.is_defined, ours.undefined_reason
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    q = draw(st.integers(2, 5))
    cells = st.lists(st.lists(st.integers(0, 40), min_size=q, max_size=q), min_size=q, max_size=q)
    return draw(cells.filter(lambda t: sum(map(sum, t)) > 0))


def _used_categories(table: list[list[int]]) -> int:
    arr = np.asarray(table)
    return int(((arr.sum(0) + arr.sum(1)) > 0).sum())


@FAST
@given(table=tables())
def test_cohen_kappa_matches_statsmodels(table: list[list[int]]) -> None:
    ours = cohen_kappa(table)
    if _used_categories(table) < 2:
        assert not ours.is_defined
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohens_kappa(np.asarray(table, dtype=float)).kappa
    if not math.isfinite(theirs):
        assert not ours.is_defined
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@FAST
@given(
    subjects=st.integers(2, 30),
    raters=st.integers(2, 7),
    categories=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_fleiss_kappa_matches_statsmodels(
    subjects: int, raters: int, categories: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    ratings = rng.integers(1, categories + 1, size=(subjects, raters))
    ours = fleiss_kappa(ratings.tolist())
    if np.unique(ratings).size < 2:
        assert not ours.is_defined
        return
    counts, _ = aggregate_raters(ratings)
    assert ours.value == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=1e-9)


def _table_from(a: list[int], b: list[int], labels: list[int]) -> list[list[int]]:
    index = {v: i for i, v in enumerate(labels)}
    table = [[0] * len(labels) for _ in labels]
    for x, y in zip(a, b, strict=True):
        table[index[x]][index[y]] += 1
    return table


@FAST
@given(
    units=st.integers(3, 40),
    categories=st.integers(2, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_two_coder_measures_match_nltk(units: int, categories: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, categories, size=units).tolist()
    # Coder b agrees with a most of the time so that values spread over the whole range.
    b = [x if rng.random() < 0.6 else int(rng.integers(0, categories)) for x in a]
    labels = sorted(set(a) | set(b))
    if len(labels) < 2:
        return
    task = AnnotationTask(
        data=[("a", str(u), str(x)) for u, x in enumerate(a)]
        + [("b", str(u), str(y)) for u, y in enumerate(b)]
    )
    table = _table_from(a, b, labels)
    assert scott_pi(table).value == pytest.approx(task.pi(), abs=1e-9)
    assert bennett_s(table).value == pytest.approx(task.S(), abs=1e-9)
    assert krippendorff_alpha([a, b]).value == pytest.approx(task.alpha(), abs=1e-9)
    kappa = cohen_kappa(table)
    if kappa.is_defined:
        assert kappa.value == pytest.approx(task.kappa(), abs=1e-9)
    assert percent_agreement([a, b]).value == pytest.approx(task.avg_Ao(), abs=1e-9)


@FAST
@given(coders=st.integers(3, 5), units=st.integers(3, 25), seed=st.integers(0, 2**32 - 1))
def test_multi_coder_alpha_matches_nltk(coders: int, units: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 3, size=(coders, units))
    if np.unique(matrix).size < 2:
        return
    task = AnnotationTask(
        data=[(f"c{c}", str(u), str(matrix[c, u])) for c in range(coders) for u in range(units)]
    )
    assert krippendorff_alpha(matrix.tolist()).value == pytest.approx(task.alpha(), abs=1e-9)


def _gwet_ac1_by_definition(a: list[int], b: list[int], q: int) -> float:
    """Gwet (2008), eqs. for r raters: p_a over units, pi_k = mean share of raters per unit."""
    pairs = list(zip(a, b, strict=True))
    n = len(pairs)
    p_a = sum(1.0 for x, y in pairs if x == y) / n
    pi = [sum(((x == k) + (y == k)) / 2.0 for x, y in pairs) / n for k in range(q)]
    p_e = sum(p * (1 - p) for p in pi) / (q - 1)
    return (p_a - p_e) / (1 - p_e)


@FAST
@given(units=st.integers(2, 40), q=st.integers(2, 5), seed=st.integers(0, 2**32 - 1))
def test_gwet_ac1_matches_definition(units: int, q: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, q, size=units).tolist()
    b = [x if rng.random() < 0.5 else int(rng.integers(0, q)) for x in a]
    table = _table_from(a, b, list(range(q)))
    ours = gwet_ac1(table)
    if len(set(a) | set(b)) < 2:
        assert not ours.is_defined
    else:
        assert ours.value == pytest.approx(_gwet_ac1_by_definition(a, b, q), abs=1e-12)


def test_gwet_ac1_reproduces_the_reference_file_cross_check() -> None:
    # agreement_reference.json notes that irrCAC gives AC1 = 0.5760 on Cohen's (1960) table
    # (an independent implementation; not a published value, hence 4 decimals only).
    value = gwet_ac1([[88, 14, 18], [10, 40, 10], [2, 6, 12]]).value
    assert value == pytest.approx(0.5760, abs=5e-5)
