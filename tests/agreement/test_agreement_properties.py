"""Property tests: invariances, equivalences with per-character matrices, degenerate data."""

from __future__ import annotations

import dataclasses

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import (
    AgreementValue,
    CodedSpan,
    binary_u_alpha,
    bootstrap_alpha,
    character_units,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    text_units,
    u_alpha,
    unit_matrices,
)

FAST = settings(max_examples=60, deadline=None, derandomize=True)
LEVELS = ["nominal", "ordinal", "interval", "ratio"]


def random_spans(
    rng: np.random.Generator, coders: list[str], docs: dict[str, int], codes: list[str], n: int
) -> list[CodedSpan]:
    spans = []
    for _ in range(n):
        doc = str(rng.choice(list(docs)))
        start = int(rng.integers(0, docs[doc] - 1))
        end = int(rng.integers(start + 1, min(docs[doc], start + 30) + 1))
        spans.append(CodedSpan(str(rng.choice(coders)), doc, str(rng.choice(codes)), start, end))
    return spans


def char_matrix(
    spans: list[CodedSpan], docs: dict[str, int], coders: list[str], code: str
) -> np.ndarray:
    """Per-character 0/1 matrix, documents side by side: the slow, obvious construction."""
    blocks = []
    for doc, length in docs.items():
        block = np.zeros((len(coders), length))
        for s in spans:
            if s.document == doc and s.code == code:
                block[coders.index(s.coder), s.start : s.end] = 1
        blocks.append(block)
    return np.concatenate(blocks, axis=1)


# --- coder order ----------------------------------------------------------------------------


@FAST
@given(seed=st.integers(0, 2**32 - 1), coders=st.integers(2, 5), units=st.integers(3, 20))
def test_coder_order_does_not_matter_for_matrix_measures(
    seed: int, coders: int, units: int
) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, 4, size=(coders, units)).astype(object)
    matrix[rng.random(matrix.shape) < 0.15] = None
    shuffled = matrix[rng.permutation(coders)]
    for level in LEVELS:
        a, b = (
            krippendorff_alpha(matrix.tolist(), level),
            krippendorff_alpha(shuffled.tolist(), level),
        )
        assert a.undefined_reason == b.undefined_reason
        assert a.value == pytest.approx(b.value, abs=1e-12) if a.is_defined else b.value is None
    p, q = percent_agreement(matrix.tolist()), percent_agreement(shuffled.tolist())
    assert p.value == pytest.approx(q.value, abs=1e-12) if p.is_defined else q.value is None


@FAST
@given(table=st.lists(st.lists(st.integers(0, 20), min_size=3, max_size=3), min_size=3, max_size=3))
def test_swapping_two_coders_transposes_the_table_without_changing_values(
    table: list[list[int]],
) -> None:
    transposed = [list(col) for col in zip(*table, strict=True)]
    for func in (cohen_kappa, scott_pi, gwet_ac1):
        a, b = func(table), func(transposed)
        assert (a.value is None) == (b.value is None)
        if a.value is not None:
            assert a.value == pytest.approx(b.value, abs=1e-12)


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_coder_order_does_not_matter_for_span_units(seed: int) -> None:
    rng = np.random.default_rng(seed)
    coders, docs = ["ann", "bob", "cy"], {"d1": 120, "d2": 80}
    spans = random_spans(rng, coders, docs, ["x", "y"], 40)
    t1 = character_units(spans, docs, coders)
    t2 = character_units(spans, docs, coders[::-1])
    for code in t1.codes:
        for measure in ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement"):
            a, b = t1.agreement(measure, code), t2.agreement(measure, code)
            assert (a.value is None) == (b.value is None)
            if a.value is not None:
                assert a.value == pytest.approx(b.value, abs=1e-12)


# --- equivalences ---------------------------------------------------------------------------


@FAST
@given(seed=st.integers(0, 2**32 - 1), n_coders=st.integers(2, 4), n_spans=st.integers(0, 60))
def test_character_alpha_equals_krippendorff_on_the_character_matrix(
    seed: int, n_coders: int, n_spans: int
) -> None:
    rng = np.random.default_rng(seed)
    coders = [f"c{i}" for i in range(n_coders)]
    docs = {"a": 90, "b": 150, "c": 40}
    spans = random_spans(rng, coders, docs, ["p", "q"], n_spans)
    table = character_units(spans, docs, coders, codes=["p", "q"])
    for code in ("p", "q"):
        matrix = char_matrix(spans, docs, coders, code)
        ours = table.agreement("krippendorff_alpha", code)
        if np.unique(matrix).size < 2:
            assert not ours.is_defined
            continue
        theirs = krippendorff.alpha(matrix, level_of_measurement="nominal", value_domain=[0.0, 1.0])
        assert ours.value == pytest.approx(theirs, abs=1e-9)
        assert ours.n_units == matrix.shape[1]


def test_pooling_sums_coincidences_rather_than_averaging_documents() -> None:
    coders, docs = ["a", "b"], {"d1": 100, "d2": 100}
    spans = [
        CodedSpan("a", "d1", "x", 0, 50),
        CodedSpan("b", "d1", "x", 0, 50),
        CodedSpan("a", "d2", "x", 0, 10),
        CodedSpan("b", "d2", "x", 60, 70),
    ]
    table = character_units(spans, docs, coders)
    pooled = table.agreement("krippendorff_alpha", "x").value
    per_doc = [table.agreement("krippendorff_alpha", "x", d).value or 0.0 for d in docs]
    matrix = char_matrix(spans, docs, coders, "x")
    assert pooled == pytest.approx(
        krippendorff.alpha(matrix, level_of_measurement="nominal"), abs=1e-12
    )
    assert pooled != pytest.approx(sum(per_doc) / 2, abs=1e-3)


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_sentence_units_follow_the_overlap_rule(seed: int) -> None:
    rng = np.random.default_rng(seed)
    coders, docs = ["a", "b", "c"], {"d1": 200, "d2": 120}
    spans = random_spans(rng, coders, docs, ["x", "y"], 30)
    units = {"d1": [(0, 40), (40, 90), (100, 200)], "d2": [(5, 60), (60, 120)]}
    mats = unit_matrices(spans, units, coders, codes=["x", "y"])
    table = text_units(spans, units, coders, codes=["x", "y"])
    for code in ("x", "y"):
        expected = []  # the rule, spelled out: a unit is coded if any span overlaps it
        for doc, bounds in units.items():
            for b, e in bounds:
                expected.append(
                    [
                        int(
                            any(
                                s.coder == c
                                and s.document == doc
                                and s.code == code
                                and s.start < e
                                and s.end > b
                                for s in spans
                            )
                        )
                        for c in coders
                    ]
                )
        assert mats[code] == np.array(expected).T.tolist()
        ours = table.agreement("krippendorff_alpha", code)
        matrix = np.array(mats[code], dtype=float)
        if np.unique(matrix).size < 2:
            assert not ours.is_defined
        else:
            theirs = krippendorff.alpha(
                matrix, level_of_measurement="nominal", value_domain=[0.0, 1.0]
            )
            assert ours.value == pytest.approx(theirs, abs=1e-9)


@FAST
@given(seed=st.integers(0, 2**32 - 1), n_coders=st.integers(2, 4), length=st.integers(2, 40))
def test_u_alpha_on_single_character_units_equals_nominal_alpha(
    seed: int, n_coders: int, length: int
) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 3, size=(n_coders, length))
    units = [
        {"coder": f"c{i}", "begin": j, "length": 1, "category": f"v{values[i, j]}"}
        for i in range(n_coders)
        for j in range(length)
    ]
    ours = u_alpha(units, {"begin": 0, "length": length})
    if np.unique(values).size < 2:
        assert not ours.is_defined
    else:
        theirs = krippendorff.alpha(values.astype(float), level_of_measurement="nominal")
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@FAST
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(2, 40))
def test_binary_u_alpha_of_single_character_units_equals_character_alpha(
    seed: int, length: int
) -> None:
    rng = np.random.default_rng(seed)
    coded = rng.random((3, length)) < 0.4
    units = [
        {"coder": f"c{i}", "begin": j, "length": 1, "category": "k"}
        for i in range(3)
        for j in range(length)
        if coded[i, j]
    ]
    ours = binary_u_alpha(units, (0, length), category="k", coders=["c0", "c1", "c2"])
    if np.unique(coded).size < 2:
        assert not ours.is_defined
    else:
        theirs = krippendorff.alpha(coded.astype(float), level_of_measurement="nominal")
        assert ours.value == pytest.approx(theirs, abs=1e-9)


# --- degenerate data and result design -------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "fragment"),
    [
        (krippendorff_alpha([[2, 2, 2], [2, 2, 2]]), "only one value"),
        (krippendorff_alpha([[1, None, 3], [None, 2, None]]), "two or more coders"),
        (krippendorff_alpha([[None], [None]]), "two or more coders"),
        (percent_agreement([[1, None], [None, 1]]), "two or more coders"),
        (cohen_kappa([[5, 0], [0, 0]]), "only one category"),
        (cohen_kappa([[0, 0], [0, 0]]), "empty"),
        (scott_pi([[0, 0], [0, 7]]), "only one category"),
        (gwet_ac1([[3, 0], [0, 0]]), "only one category"),
        (fleiss_kappa([[1, 1, 1], [1, 1, 1]]), "only one value"),
        (u_alpha([], {"begin": 0, "length": 10}, coders=["a", "b"]), "only one value"),
    ],
)
def test_degenerate_data_is_undefined_with_a_reason(result: AgreementValue, fragment: str) -> None:
    assert result.value is None
    assert result.undefined_reason is not None and fragment in result.undefined_reason


def test_percent_agreement_stays_defined_when_only_one_value_is_used() -> None:
    # Raw agreement is meaningful without variation; only chance-corrected figures are not.
    assert percent_agreement([[0, 0, 0], [0, 0, 0]]).value == 1.0


def test_agreement_value_has_either_a_value_or_a_reason() -> None:
    with pytest.raises(ValueError):
        AgreementValue(None, "krippendorff_alpha", "nominal", 3)
    with pytest.raises(ValueError):
        AgreementValue(0.5, "krippendorff_alpha", "nominal", 3, undefined_reason="x")
    with pytest.raises(ValueError):
        AgreementValue(float("nan"), "krippendorff_alpha", "nominal", 3)
    value = AgreementValue(0.5, "krippendorff_alpha", "nominal", 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.value = 1.0  # type: ignore[misc]


def test_malformed_input_raises_value_error() -> None:
    with pytest.raises(ValueError):
        cohen_kappa([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError):
        krippendorff_alpha([[1, 2], [1, 2]], level="circular")
    with pytest.raises(ValueError):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")
    with pytest.raises(ValueError):
        fleiss_kappa([[1, 2, 3], [1, 2]])
    with pytest.raises(ValueError):
        CodedSpan("a", "d", "x", 5, 5)


# --- bootstrap ----------------------------------------------------------------------------


def test_bootstrap_is_reproducible_for_a_seed_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 3, size=60)
    matrix = [truth.tolist()] + [
        [int(v) if rng.random() < 0.8 else int(rng.integers(0, 3)) for v in truth] for _ in range(2)
    ]
    a = bootstrap_alpha(matrix, n_resamples=300, seed=11)
    b = bootstrap_alpha(matrix, n_resamples=300, seed=11)
    c = bootstrap_alpha(matrix, n_resamples=300, seed=12)
    assert a.ci is not None and b.ci is not None and c.ci is not None
    assert a.ci == b.ci
    assert (a.ci.low, a.ci.high) != (c.ci.low, c.ci.high)
    assert a.value is not None and a.ci.low <= a.value <= a.ci.high
    assert 0.0 <= a.ci.p_below_800 <= 1.0 and a.ci.p_below_667 <= a.ci.p_below_800
    assert a.ci.n_resamples == 300 and a.ci.resampled == "units" and a.ci.seed == 11


def test_bootstrap_failure_probabilities_track_the_thresholds() -> None:
    perfect_but_one = [[1, 2, 3, 1, 2, 3] * 10, [1, 2, 3, 1, 2, 3] * 9 + [1, 2, 3, 1, 2, 1]]
    high = bootstrap_alpha(perfect_but_one, n_resamples=200, seed=1)
    noisy = bootstrap_alpha(
        [[1, 2, 3, 1, 2, 3] * 5, [3, 1, 2, 2, 3, 1] * 5], n_resamples=200, seed=1
    )
    assert high.ci is not None and noisy.ci is not None
    assert high.ci.p_below_800 < 0.5 < noisy.ci.p_below_667


def test_bootstrap_of_undefined_alpha_has_no_interval() -> None:
    result = bootstrap_alpha([[1, 1], [1, 1]], n_resamples=10, seed=0)
    assert result.value is None and result.ci is None


def _multi_rater_by_definition(matrix: np.ndarray) -> dict[str, float]:
    """Fleiss' P-bar, Fleiss' kappa, Bennett's S (q = 2) and Gwet's (2008) AC1, spelled out."""
    m, _ = matrix.shape
    ones = matrix.sum(axis=0)
    counts = np.stack([m - ones, ones], axis=1)  # units x (value 0, value 1)
    p_bar = float(((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))).mean())
    p = counts.sum(axis=0) / counts.sum()
    p_e_fleiss = float((p**2).sum())
    pi = (counts / m).mean(axis=0)
    p_e_gwet = float((pi * (1 - pi)).sum()) / (2 - 1)
    return {
        "percent_agreement": p_bar,
        "fleiss_kappa": (p_bar - p_e_fleiss) / (1 - p_e_fleiss),
        "bennett_s": (p_bar - 0.5) / 0.5,
        "gwet_ac1": (p_bar - p_e_gwet) / (1 - p_e_gwet),
    }


@FAST
@given(seed=st.integers(0, 2**32 - 1), n_coders=st.integers(3, 5))
def test_multi_coder_span_measures_match_their_definitions(seed: int, n_coders: int) -> None:
    rng = np.random.default_rng(seed)
    coders = [f"c{i}" for i in range(n_coders)]
    docs = {"a": 70, "b": 110}
    spans = random_spans(rng, coders, docs, ["p"], int(rng.integers(5, 40)))
    matrix = char_matrix(spans, docs, coders, "p")
    if np.unique(matrix).size < 2:
        return
    table = character_units(spans, docs, coders, codes=["p"])
    for measure, expected in _multi_rater_by_definition(matrix).items():
        ours = table.agreement(measure, "p")
        assert ours.value == pytest.approx(expected, abs=1e-9), measure
