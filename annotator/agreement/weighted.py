"""Agreement on degrees: weighted kappa, alpha with a distance matrix, free-marginal kappa.

Ordinal judgements (a recommendation's strength: must > should > could) disagree by
degrees: "should" against "must" is a smaller disagreement than "could" against "must".
Cohen's (1968) weighted kappa and Krippendorff's alpha with a user-given distance matrix
credit near misses; Randolph's (2005) free-marginal multi-rater kappa fixes chance at
``1/q`` for studies whose raters were not bound to category frequencies.

Every function returns an :class:`~annotator.agreement.results.AgreementValue`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from annotator.agreement import core
from annotator.agreement.results import AgreementValue, UndefinedAgreementError, defined, undefined

__all__ = [
    "distance_matrix",
    "free_marginal_kappa",
    "krippendorff_alpha_distance",
    "weighted_kappa",
]

WeightScheme = Literal["linear", "quadratic"]
Matrix = Sequence[Sequence[object]] | NDArray[np.generic]


def _square(matrix: ArrayLike, q: int, what: str) -> NDArray[np.float64]:
    arr = np.asarray(matrix, dtype=np.float64)
    if arr.shape != (q, q):
        raise ValueError(f"the {what} matrix must be {q} x {q}, one row per category")
    if not np.isfinite(arr).all():
        raise ValueError(f"the {what} matrix must hold finite numbers")
    return arr


def kappa_disagreement_weights(
    q: int,
    weights: WeightScheme | ArrayLike = "linear",
    distance: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], str]:
    """Disagreement weights ``v_ij`` (0 on the diagonal) and a label for the variant.

    ``weights="linear"`` gives ``v = |i - j| / (q - 1)``, ``"quadratic"`` gives
    ``v = ((i - j) / (q - 1))^2`` (Cohen 1968; Fleiss & Cohen 1973). A matrix passed as
    ``weights`` holds *agreement* weights (1 on the diagonal), so ``v = 1 - w``; a matrix
    passed as ``distance`` holds disagreement weights directly.
    """
    if distance is not None:
        v = _square(distance, q, "distance")
        label = "user-given distances"
    elif isinstance(weights, str):
        if weights not in ("linear", "quadratic"):
            raise ValueError("weights must be 'linear', 'quadratic' or a matrix")
        if q < 2:
            raise ValueError("a weighted kappa needs at least two categories")
        i = np.arange(q, dtype=np.float64)
        gap = np.abs(i[:, None] - i[None, :]) / (q - 1)
        v = gap if weights == "linear" else gap**2
        label = f"{weights} weights"
    else:
        w = _square(weights, q, "weight")
        v = 1.0 - w
        label = "user-given weights"
    if (v < 0).any() or np.abs(np.diag(v)).max(initial=0.0) > 1e-12:
        raise ValueError("disagreement weights must be non-negative and 0 on the diagonal")
    return v, label


def weighted_kappa(
    table: ArrayLike,
    weights: WeightScheme | ArrayLike = "linear",
    *,
    distance: ArrayLike | None = None,
) -> AgreementValue:
    """Cohen's (1968) weighted kappa for two coders from a contingency table.

    ``table[i][j]`` counts units the first coder put in category ``i`` and the second in
    ``j``, categories in their scale order. ``kappa_w = 1 - sum(v * O) / sum(v * E)`` with
    ``O`` the observed proportions, ``E`` the product of the two coders' marginal
    proportions and ``v`` the disagreement weights (see
    :func:`kappa_disagreement_weights`). With nominal weights (``v = 1`` off the
    diagonal) it is Cohen's (1960) kappa.

    >>> round(weighted_kappa([[10, 2, 0], [1, 8, 3], [0, 2, 9]], "quadratic").value, 4)
    0.8263
    """
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError("a contingency table must be a non-empty square array of counts")
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise ValueError("contingency table counts must be finite and non-negative")
    q = arr.shape[0]
    v, label = kappa_disagreement_weights(q, weights, distance)

    def compute() -> float:
        total = float(arr.sum())
        if total <= 0:
            raise UndefinedAgreementError("the table is empty")
        observed = arr / total
        expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
        d_e = float((v * expected).sum())
        if d_e <= 0:
            raise UndefinedAgreementError(
                "chance disagreement is 0 (one category, or weights that make every "
                "disagreement free), so the coefficient is 0/0"
            )
        return 1.0 - float((v * observed).sum()) / d_e

    return _guard(compute, "weighted_kappa", f"two coders, {label}", int(arr.sum()), "table count")


def distance_matrix(
    categories: Sequence[Hashable],
    distances: Mapping[tuple[Hashable, Hashable], float] | ArrayLike,
    default: float = 1.0,
) -> NDArray[np.float64]:
    """A symmetric ``q x q`` distance matrix over ``categories``.

    ``distances`` is either a square array in the order of ``categories`` or a mapping
    ``{(a, b): d}`` naming only the pairs that differ from ``default`` (either order);
    the diagonal is 0. ``distance_matrix(["must", "should", "could"], {("must",
    "should"): 0.5})`` makes "must" and "should" half as far apart as any other pair.
    """
    q = len(categories)
    if len(set(categories)) != q:
        raise ValueError("categories must be distinct")
    if isinstance(distances, Mapping):
        index = {c: i for i, c in enumerate(categories)}
        out = np.full((q, q), float(default))
        for (a, b), d in distances.items():
            if a not in index or b not in index:
                raise ValueError(f"the distance for ({a!r}, {b!r}) names an unknown category")
            out[index[a], index[b]] = out[index[b], index[a]] = float(d)
    else:
        out = _square(distances, q, "distance")
    np.fill_diagonal(out, 0.0)
    if (out < 0).any():
        raise ValueError("distances must not be negative")
    return out


def krippendorff_alpha_distance(
    matrix: Matrix,
    distance: ArrayLike | Mapping[tuple[Hashable, Hashable], float],
    categories: Sequence[Hashable] | None = None,
) -> AgreementValue:
    """Krippendorff's alpha with a user-given distance (difference) function.

    The distance ``d(c, k)`` takes the place of the metric ``delta^2(c, k)`` in
    ``D_o = sum o_ck d_ck / n`` and ``D_e = sum n_c n_k d_ck / (n (n - 1))``: a distance
    of 1 between every pair of different values is nominal alpha; 0.5 between two related
    categories and 1 elsewhere credits half a disagreement between those two. ``distance``
    is a square array in the order of ``categories`` (by default the sorted values seen)
    or a mapping ``{(a, b): d}`` (pairs not named are 1).
    """
    profile = core.profile_from_matrix(matrix)
    cats = list(categories) if categories is not None else sorted(profile.values, key=repr)
    unknown = [v for v in profile.values if v not in cats]
    if unknown:
        raise ValueError(f"values {unknown!r} are not among the distance matrix's categories")
    full = distance_matrix(cats, distance)
    order = [cats.index(v) for v in profile.values]
    delta = full[np.ix_(order, order)]

    def compute() -> float:
        o = core.coincidences(profile)
        return core.alpha_with_delta(o, profile.values, delta)

    return _guard(compute, "krippendorff_alpha", "user-given distances", profile.n_pairable, "unit")


def free_marginal_kappa(
    ratings: Matrix | None = None,
    *,
    counts: ArrayLike | None = None,
    n_categories: int | None = None,
) -> AgreementValue:
    """Randolph's (2005) free-marginal multi-rater kappa (kappa_free).

    ``kappa_free = (P_o - 1/q) / (1 - 1/q)`` where ``P_o`` is Fleiss' mean pairwise
    agreement over subjects and ``q`` the number of categories the raters could choose
    from (not only those they used: raters were free to use any). Give either
    ``ratings``, subject-by-rater labels (one row per subject; ``None`` = no rating), or
    ``counts``, a subject-by-category table of how many raters chose each category.
    ``n_categories`` defaults to the number of categories in the data; pass the size of
    the scheme when some category went unused. Every subject needs two or more ratings;
    unlike Fleiss' kappa the number may vary.

    >>> free_marginal_kappa([["Yes", "Yes", "Yes"], ["Yes", "Yes", "No"],
    ...                      ["No", "No", "Yes"], ["No", "No", "No"]]).value
    0.33333333333333326
    """
    if (ratings is None) == (counts is None):
        raise ValueError("give either ratings (subject-by-rater) or counts (subject-by-category)")
    if counts is not None:
        table = np.asarray(counts, dtype=np.float64)
        if table.ndim != 2 or (table < 0).any() or not np.isfinite(table).all():
            raise ValueError("counts must be a subject-by-category table of non-negative counts")
        if (table != np.round(table)).any():
            raise ValueError("counts must be whole numbers")
        profile = core.CountProfile(
            table.astype(np.int64), np.ones(table.shape[0]), tuple(range(table.shape[1]))
        )
        seen = table.shape[1]
    else:
        rows = [list(r) for r in ratings or []]
        if not rows:
            raise ValueError("no subjects")
        width = max(len(r) for r in rows)
        padded = [r + [None] * (width - len(r)) for r in rows]
        profile = core.profile_from_matrix([list(col) for col in zip(*padded, strict=True)])
        seen = len(profile.values)
    q = n_categories if n_categories is not None else seen
    if q < seen:
        raise ValueError(f"n_categories ({q}) is smaller than the {seen} categories in the data")
    n_subjects = int(profile.counts.shape[0])

    def compute() -> float:
        if q < 2:
            raise UndefinedAgreementError("with one category chance agreement is 1")
        if (profile.coders_per_row < 2).any():
            raise ValueError("every subject needs two or more ratings")
        p_o = core.pairwise_agreement(profile)
        return (p_o - 1.0 / q) / (1.0 - 1.0 / q)

    return _guard(compute, "free_marginal_kappa", f"free marginals, q = {q}", n_subjects, "subject")


def _guard(
    compute: Callable[[], float], measure: str, variant: str, n_units: int, unit: str
) -> AgreementValue:
    try:
        return defined(compute(), measure, variant, n_units, unit)
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, measure, variant, n_units, unit)
