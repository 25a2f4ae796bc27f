"""Agreement coefficients on reliability matrices and contingency tables.

Input forms follow ``tests/data/agreement_reference.json``:

* reliability matrix: rows = coders, columns = units, ``None`` (or float NaN) = missing;
* contingency table: square counts, rows = first coder, columns = second coder;
* subject-by-ratings labels (Fleiss): one row per subject holding the labels it received.

Every function returns an :class:`~annotator.agreement.results.AgreementValue`; see
:mod:`annotator.agreement.results` for how undefined cases are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from annotator.agreement import core, weighted
from annotator.agreement.results import AgreementValue, UndefinedAgreementError, defined, undefined

Matrix = Sequence[Sequence[object]] | NDArray[np.generic]

__all__ = [
    "bennett_s",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
]


def _guard(
    compute: Callable[[], float], measure: str, variant: str, n_units: int, unit: str
) -> AgreementValue:
    try:
        return defined(compute(), measure, variant, n_units, unit)
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, measure, variant, n_units, unit)


def percent_agreement(matrix: Matrix) -> AgreementValue:
    """Share of agreeing coder pairs, averaged over units coded by two or more coders.

    For two coders this is simply the share of jointly coded units on which they agree.
    For more coders each pairable unit scores (agreeing pairs / all pairs of its values),
    and the scores are averaged with equal weight per unit (Fleiss' P-bar).

    >>> percent_agreement([[1, 1, 0], [1, 0, 0]]).value
    0.6666666666666666
    """
    profile = core.profile_from_matrix(matrix)
    return _guard(
        lambda: core.pairwise_agreement(profile),
        "percent_agreement",
        "pairwise, mean over pairable units",
        profile.n_pairable,
        "unit",
    )


def krippendorff_alpha(
    matrix: Matrix,
    level: str = "nominal",
    *,
    distance: ArrayLike | Mapping[tuple[Hashable, Hashable], float] | None = None,
    categories: Sequence[Hashable] | None = None,
) -> AgreementValue:
    """Krippendorff's alpha for any number of coders, with missing values.

    ``alpha = 1 - D_o / D_e`` computed from the coincidence matrix of pairable values
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"); units with fewer
    than two values drop out. ``level`` is ``"nominal"``, ``"ordinal"`` (frequency-based
    ranks, Krippendorff's ordinal metric), ``"interval"`` or ``"ratio"``.

    >>> krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], level="interval").value
    0.9047619047619048

    ``distance`` replaces the level's metric with a user-given distance matrix (see
    :func:`annotator.agreement.weighted.krippendorff_alpha_distance`), for example 0.5
    between two related categories and 1 elsewhere; ``categories`` gives its row order.
    """
    if distance is not None:
        if level != "nominal":
            raise ValueError("give either a level or a distance matrix, not both")
        return weighted.krippendorff_alpha_distance(matrix, distance, categories)
    if level not in core.LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(core.LEVELS)}")
    profile = core.profile_from_matrix(matrix)
    return _guard(
        lambda: core.alpha(profile, level),
        "krippendorff_alpha",
        level,
        profile.n_pairable,
        "unit",
    )


def _table(table: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError("a contingency table must be a non-empty square array of counts")
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise ValueError("contingency table counts must be finite and non-negative")
    return arr


def _table_basics(arr: NDArray[np.float64]) -> tuple[float, NDArray[np.float64], float]:
    """Return (total, joint marginal shares per category, observed agreement)."""
    total = float(arr.sum())
    if total <= 0:
        raise UndefinedAgreementError("the table is empty")
    marg = arr.sum(axis=1) + arr.sum(axis=0)
    present = np.flatnonzero(marg > 0)
    if present.size < 2:
        raise UndefinedAgreementError(
            f"only one category (row/column {int(present[0])}) was used by either coder, "
            "so agreement cannot be told from chance"
        )
    return total, marg / (2.0 * total), float(np.trace(arr)) / total


def _kappa_like(p_o: float, p_e: float) -> float:
    if p_e >= 1.0:
        raise UndefinedAgreementError("chance agreement is 1, so the coefficient is 0/0")
    return (p_o - p_e) / (1.0 - p_e)


def cohen_kappa(table: ArrayLike) -> AgreementValue:
    """Cohen's (1960) kappa; chance from each coder's own marginal distribution.

    ``p_e = sum_k (row_k / N) (col_k / N)``.
    """
    arr = _table(table)

    def compute() -> float:
        total, _, p_o = _table_basics(arr)
        p_e = float((arr.sum(axis=1) * arr.sum(axis=0)).sum()) / total**2
        return _kappa_like(p_o, p_e)

    return _guard(compute, "cohen_kappa", "nominal, two coders", int(arr.sum()), "table count")


def scott_pi(table: ArrayLike) -> AgreementValue:
    """Scott's (1955) pi; chance from the pooled marginal distribution of both coders.

    ``p_e = sum_k ((row_k + col_k) / 2N)^2``.
    """
    arr = _table(table)

    def compute() -> float:
        _, pi, p_o = _table_basics(arr)
        return _kappa_like(p_o, float((pi**2).sum()))

    return _guard(compute, "scott_pi", "nominal, two coders", int(arr.sum()), "table count")


def bennett_s(table: ArrayLike) -> AgreementValue:
    """Bennett, Alpert & Goldstein's S = Brennan & Prediger's free-marginal kappa_n.

    Chance agreement is ``1/q`` with ``q`` the number of rows (categories) of the table,
    whether or not every category was used.
    """
    arr = _table(table)
    q = arr.shape[0]

    def compute() -> float:
        _, _, p_o = _table_basics(arr)
        return _kappa_like(p_o, 1.0 / q)

    variant = f"nominal, two coders, q = {q}"
    return _guard(compute, "bennett_s", variant, int(arr.sum()), "table count")


def gwet_ac1(table: ArrayLike) -> AgreementValue:
    """Gwet's (2008) AC1 from a two-coder contingency table (the reference-file form).

    ``pi_k = (row_k + col_k) / 2N``, ``p_e = sum_k pi_k (1 - pi_k) / (q - 1)`` with ``q``
    the number of rows of the table, ``AC1 = (p_o - p_e) / (1 - p_e)``. The report uses
    Gwet's multi-rater form of the same coefficient for more than two coders.
    """
    arr = _table(table)
    q = arr.shape[0]

    def compute() -> float:
        _, pi, p_o = _table_basics(arr)
        return _kappa_like(p_o, float((pi * (1.0 - pi)).sum()) / (q - 1))

    variant = f"nominal, two coders, q = {q}"
    return _guard(compute, "gwet_ac1", variant, int(arr.sum()), "table count")


def fleiss_kappa(ratings: Matrix) -> AgreementValue:
    """Fleiss' (1971) kappa from subject-by-ratings labels.

    Each row is one subject and holds the labels it received (raters need not be the
    same people across subjects). ``None`` entries are ignored, but every subject must
    end up with the same number of ratings; use :func:`krippendorff_alpha` otherwise.
    """
    rows = [list(r) for r in ratings]
    if not rows:
        raise ValueError("no subjects")
    width = max(len(r) for r in rows)
    # Transposing (padding short rows with None) turns the subjects into the units of a
    # reliability matrix, so the same profile machinery serves both input forms.
    padded = [r + [None] * (width - len(r)) for r in rows]
    matrix = [list(col) for col in zip(*padded, strict=True)]
    profile = core.profile_from_matrix(matrix)
    return _guard(
        lambda: core.fleiss(profile),
        "fleiss_kappa",
        "nominal, fixed number of ratings per subject",
        len(rows),
        "subject",
    )
