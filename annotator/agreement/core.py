"""Sufficient statistics and the formulas every multi-coder measure is built on.

Reliability data are summarised as a :class:`CountProfile`: distinct rows of "how many
coders gave value v to the unit" with a multiplicity (weight) per row. A coders-by-units
matrix gives one row per unit; a binary code over a million characters gives only
``m + 1`` rows (k coders applied the code, m - k did not), which is what keeps the
character unit cheap. Pooling over documents is adding weights; bootstrapping units is
redrawing the weights. All functions here raise :class:`UndefinedAgreementError` for
degenerate data; the public wrappers turn that into an undefined result.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from annotator.agreement.results import UndefinedAgreementError

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

NO_PAIRABLE = "no unit has values from two or more coders, so nothing can be compared"
ONE_VALUE = "only one value ({value!r}) was observed, so agreement cannot be told from chance"


@dataclass(frozen=True, slots=True)
class CountProfile:
    """Units as value-count rows with multiplicities.

    Attributes:
        counts: ``(rows, values)`` integer array, coders giving each value per unit.
        weights: ``(rows,)`` number of units sharing that row.
        values: the value labels, in the column order of ``counts``.
    """

    counts: NDArray[np.int64]
    weights: NDArray[np.float64]
    values: tuple[Hashable, ...]

    @property
    def coders_per_row(self) -> NDArray[np.int64]:
        """Number of values (coders) per row."""
        return np.asarray(self.counts.sum(axis=1), dtype=np.int64)

    @property
    def n_pairable(self) -> int:
        """Number of units with at least two values."""
        return round(float(self.weights[self.coders_per_row >= 2].sum()))


def is_missing(value: object) -> bool:
    """None and float NaN mark a missing value (the krippendorff package's convention)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def profile_from_matrix(matrix: Sequence[Sequence[object]] | NDArray[np.generic]) -> CountProfile:
    """Summarise a coders x units matrix (None or NaN = missing)."""
    rows = [list(r) for r in matrix]
    if not rows:
        raise ValueError("the reliability matrix has no coders")
    n_units = len(rows[0])
    if any(len(r) != n_units for r in rows):
        raise ValueError("every coder row must have one entry per unit")
    index: dict[Hashable, int] = {}
    for row in rows:
        for v in row:
            if not is_missing(v):
                index.setdefault(_plain(v), len(index))
    counts = np.zeros((n_units, len(index)), dtype=np.int64)
    for row in rows:
        for u, v in enumerate(row):
            if not is_missing(v):
                counts[u, index[_plain(v)]] += 1
    return CountProfile(counts, np.ones(n_units), tuple(index))


def profile_from_table(table: NDArray[np.float64]) -> CountProfile:
    """Two coders' contingency table as a profile: cell (i, j) is a unit valued i and j."""
    q = table.shape[0]
    rows = []
    weights = []
    for i in range(q):
        for j in range(q):
            if table[i, j] > 0:
                row = np.zeros(q, dtype=np.int64)
                row[i] += 1
                row[j] += 1
                rows.append(row)
                weights.append(table[i, j])
    counts = np.array(rows, dtype=np.int64).reshape(len(rows), q)
    return CountProfile(counts, np.asarray(weights, dtype=np.float64), tuple(range(q)))


def _plain(value: object) -> Hashable:
    # numpy scalars hash like Python numbers but print differently; normalise them.
    if isinstance(value, np.generic):
        item: Hashable = value.item()
        return item
    if not isinstance(value, Hashable):
        raise ValueError(f"values must be hashable, got {value!r}")
    return value


def coincidences(profile: CountProfile) -> NDArray[np.float64]:
    """Krippendorff's coincidence matrix o_ck (pairable units only)."""
    m = profile.coders_per_row
    keep = m >= 2
    if not keep.any() or profile.weights[keep].sum() <= 0:
        raise UndefinedAgreementError(NO_PAIRABLE)
    c = profile.counts[keep].astype(np.float64)
    # Each unit contributes its ordered pairs of values, divided by m_u - 1 so that a
    # unit with m_u values contributes exactly m_u pairable values.
    w = profile.weights[keep] / (m[keep] - 1)
    weighted = c * w[:, None]
    return weighted.T @ c - np.diag(weighted.sum(axis=0))


def delta_squared(
    level: str, values: Sequence[Hashable], marginals: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Krippendorff's squared difference function for a level of measurement."""
    q = len(values)
    if level == "nominal":
        return 1.0 - np.eye(q)
    numbers = np.array([_number(v, level) for v in values], dtype=np.float64)
    if level == "interval":
        return (numbers[:, None] - numbers[None, :]) ** 2
    if level == "ratio":
        if (numbers < 0).any():
            raise ValueError("ratio-level values must not be negative")
        total = numbers[:, None] + numbers[None, :]
        diff = numbers[:, None] - numbers[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total > 0, (diff / np.where(total > 0, total, 1.0)) ** 2, 0.0)
        return out
    if level == "ordinal":
        # Values ranked; delta(c, k) = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2, written as the
        # squared difference of "mid-ranks" a_i = cumsum_i - n_i / 2 over sorted values.
        order = np.argsort(numbers, kind="stable")
        n_sorted = marginals[order]
        mid = np.cumsum(n_sorted) - n_sorted / 2.0
        a = np.empty(q)
        a[order] = mid
        return (a[:, None] - a[None, :]) ** 2
    raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")


def _number(value: Hashable, level: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{level} level needs numeric values, got {value!r}")
    return float(value)


def alpha_from_coincidences(
    o: NDArray[np.float64], values: Sequence[Hashable], level: str
) -> float:
    """Krippendorff's alpha = 1 - D_o / D_e from a coincidence matrix."""
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    present = np.flatnonzero(n_c > 1e-12)
    if n <= 1 or present.size == 0:
        raise UndefinedAgreementError(NO_PAIRABLE)
    if present.size < 2:
        raise UndefinedAgreementError(ONE_VALUE.format(value=values[int(present[0])]))
    return alpha_with_delta(o, values, delta_squared(level, values, n_c))


def alpha_with_delta(
    o: NDArray[np.float64], values: Sequence[Hashable], delta: NDArray[np.float64]
) -> float:
    """Krippendorff's alpha from a coincidence matrix and a difference matrix ``delta``."""
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    present = np.flatnonzero(n_c > 1e-12)
    if n <= 1 or present.size == 0:
        raise UndefinedAgreementError(NO_PAIRABLE)
    if present.size < 2:
        raise UndefinedAgreementError(ONE_VALUE.format(value=values[int(present[0])]))
    observed = float((o * delta).sum())
    expected = float((np.outer(n_c, n_c) * delta).sum()) / (n - 1.0)
    if expected <= 0:
        raise UndefinedAgreementError("the values observed do not differ on this metric")
    return 1.0 - observed / expected


def alpha(profile: CountProfile, level: str = "nominal") -> float:
    """Krippendorff's alpha for a profile."""
    return alpha_from_coincidences(coincidences(profile), profile.values, level)


def _observed_values(profile: CountProfile) -> NDArray[np.intp]:
    used = (profile.counts * profile.weights[:, None]).sum(axis=0)
    return np.flatnonzero(used > 0)


def _require_two_values(profile: CountProfile) -> int:
    present = _observed_values(profile)
    if present.size == 0:
        raise UndefinedAgreementError(NO_PAIRABLE)
    if present.size < 2:
        raise UndefinedAgreementError(ONE_VALUE.format(value=profile.values[int(present[0])]))
    return int(present.size)


def pairwise_agreement(profile: CountProfile) -> float:
    """Mean over pairable units of the share of agreeing coder pairs in the unit.

    For two coders this is the share of units on which they agree.
    """
    m = profile.coders_per_row
    keep = m >= 2
    w = profile.weights[keep]
    if not keep.any() or w.sum() <= 0:
        raise UndefinedAgreementError(NO_PAIRABLE)
    c = profile.counts[keep].astype(np.float64)
    mk = m[keep].astype(np.float64)
    per_unit = (c * (c - 1.0)).sum(axis=1) / (mk * (mk - 1.0))
    return float((per_unit * w).sum() / w.sum())


def fleiss(profile: CountProfile) -> float:
    """Fleiss' (1971) kappa; every unit must have the same number of ratings."""
    m = profile.coders_per_row
    active = profile.weights > 0
    if len(set(m[active].tolist())) > 1:
        raise ValueError(
            "Fleiss' kappa needs the same number of ratings per subject; "
            "use krippendorff_alpha for missing or unequal ratings"
        )
    _require_two_values(profile)
    p_bar = pairwise_agreement(profile)
    c = profile.counts.astype(np.float64)
    p = (c * profile.weights[:, None]).sum(axis=0)
    p /= p.sum()
    p_e = float((p**2).sum())
    return (p_bar - p_e) / (1.0 - p_e)


def gwet_ac1_profile(profile: CountProfile, n_categories: int | None = None) -> float:
    """Gwet's (2008) multi-rater AC1; q = number of categories observed unless given."""
    q_seen = _require_two_values(profile)
    q = n_categories if n_categories is not None else q_seen
    p_a = pairwise_agreement(profile)
    m = profile.coders_per_row
    rated = m >= 1
    shares = profile.counts[rated] / m[rated][:, None]
    w = profile.weights[rated]
    pi = (shares * w[:, None]).sum(axis=0) / w.sum()
    p_e = float((pi * (1.0 - pi)).sum()) / (q - 1)
    return (p_a - p_e) / (1.0 - p_e)


def bennett_s_profile(profile: CountProfile, n_categories: int | None = None) -> float:
    """Bennett et al.'s S (Brennan-Prediger kappa_n): chance agreement fixed at 1/q."""
    q_seen = _require_two_values(profile)
    q = n_categories if n_categories is not None else q_seen
    p_o = pairwise_agreement(profile)
    return (p_o - 1.0 / q) / (1.0 - 1.0 / q)


def binary_profile(histogram: NDArray[np.float64]) -> CountProfile:
    """Profile of a binary variable from h[k] = units to which k of m coders said 1."""
    m = histogram.shape[0] - 1
    k = np.arange(m + 1, dtype=np.int64)
    counts = np.stack([m - k, k], axis=1)
    return CountProfile(counts, np.asarray(histogram, dtype=np.float64), (0, 1))


def binary_alpha_batch(histograms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Nominal alpha for many binary histograms at once (rows = replicates); NaN if undefined.

    Used by the bootstrap only, where a closed form over ``(replicates, m + 1)`` beats a
    loop: with m coders per unit, o_01 = sum_k h_k k (m - k) / (m - 1),
    n_1 = sum_k h_k k, n_0 = sum_k h_k (m - k) and alpha = 1 - (n - 1) o_01 / (n_0 n_1).
    """
    m = histograms.shape[1] - 1
    k = np.arange(m + 1, dtype=np.float64)
    o01 = histograms @ (k * (m - k) / (m - 1))
    n1 = histograms @ k
    n0 = histograms @ (m - k)
    n = n0 + n1
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 1.0 - (n - 1.0) * o01 / (n0 * n1)
    out[(n0 <= 0) | (n1 <= 0)] = np.nan
    return np.asarray(out, dtype=np.float64)
