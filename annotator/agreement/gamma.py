"""Gamma: agreement on unitizing and categorizing together (Mathet, Widlöcher & Métivier 2015).

Coders both cut a text into passages and label them. Gamma aligns the passages of all
coders at once, each passage with at most one passage of every other coder or with
nothing, so that the total *disorder* of the alignment is as small as it can be, and
compares that disorder with the disorder expected by chance:
``gamma = 1 - observed disorder / expected disorder``.

Definitions (Mathet et al. 2015, sections 3-5; the same as pygamma-agreement and DKPro
Statistics):

* positional dissimilarity of two units ``u``, ``v``:
  ``d_pos = ((|start_u - start_v| + |end_u - end_v|) / (len_u + len_v))^2 * delta_empty``;
* categorical dissimilarity: ``d_cat = dist(cat_u, cat_v) * delta_empty``, ``dist`` 0 for
  equal categories and 1 otherwise unless a category distance matrix is given;
* combined: ``d = alpha * d_pos + beta * d_cat`` (defaults ``alpha = beta = 1``,
  ``delta_empty = 1`` as in the paper);
* a unitary alignment holds one unit or nothing per coder; its disorder is the mean of
  ``d`` over its pairs of coders, a pair with nothing costing ``delta_empty``;
* an alignment's disorder is the sum over its unitary alignments divided by the average
  number of units per coder; the *best* alignment minimises it (found exactly: for two
  coders as a sparse minimum-cost bipartite matching, for more coders as an integer
  programme over the unitary alignments that can be part of an optimum);
* the expected disorder is the mean best-alignment disorder of random continua drawn by
  the paper's shuffle sampler (section 5.2, as in the Gamma software): each sampled
  coder takes the units of a randomly chosen observed coder, shifted circularly along the
  continuum by a random pivot. The sample size and seed are parameters, so results
  reproduce; the interval reported is a normal-approximation interval on the mean
  expected disorder, carried through to gamma.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from annotator.agreement.results import AgreementValue, BootstrapCI, defined, undefined

__all__ = [
    "GammaAlignment",
    "GammaCancelledError",
    "GammaResult",
    "GammaUnit",
    "best_alignment",
    "gamma_agreement",
    "shuffle_continuum",
]

SAMPLER = "shuffle (Mathet et al. 2015, section 5.2)"


class GammaCancelledError(Exception):
    """Raised when the caller's ``cancelled()`` callback asks the computation to stop."""


@dataclass(frozen=True, slots=True)
class GammaUnit:
    """One unit of the continuum: ``coder`` labelled ``[start, end)`` with ``category``."""

    coder: str
    start: float
    end: float
    category: Hashable

    def __post_init__(self) -> None:
        if not self.end > self.start:
            raise ValueError(f"a unit needs start < end, got {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class GammaAlignment:
    """The best alignment: each unitary alignment as one unit index (or None) per coder."""

    coders: tuple[str, ...]
    unitary: tuple[tuple[int | None, ...], ...]
    disorder: float


@dataclass(frozen=True, slots=True)
class GammaResult:
    """Gamma with everything needed to report and reproduce it."""

    value: float | None
    observed_disorder: float
    expected_disorder: float | None
    alignment: GammaAlignment
    n_samples: int
    seed: int
    sampler: str
    ci: BootstrapCI | None
    undefined_reason: str | None
    n_units: int
    sample_disorders: tuple[float, ...] = field(default=())

    def as_value(self) -> AgreementValue:
        """The result as an :class:`AgreementValue` for reports and tables."""
        variant = f"{SAMPLER}, {self.n_samples} samples, seed {self.seed}"
        if self.value is None:
            reason = self.undefined_reason or "undefined"
            return undefined(reason, "gamma", variant, self.n_units, "unit")
        return replace(defined(self.value, "gamma", variant, self.n_units, "unit"), ci=self.ci)


@dataclass(frozen=True, slots=True)
class _Params:
    alpha: float
    beta: float
    delta_empty: float
    cat_index: dict[Hashable, int]
    cat_dist: NDArray[np.float64]


class _Continuum:
    """Units grouped by coder as arrays (starts, ends, category indices)."""

    def __init__(self, coders: Sequence[str], per_coder: Sequence[NDArray[np.float64]]):
        self.coders = tuple(coders)
        self.arrays = list(per_coder)  # each (n, 3): start, end, category index

    @property
    def n_units(self) -> int:
        return sum(a.shape[0] for a in self.arrays)


def _params(
    units: Sequence[GammaUnit],
    alpha: float,
    beta: float,
    delta_empty: float,
    category_distance: ArrayLike | Mapping[tuple[Hashable, Hashable], float] | None,
    categories: Sequence[Hashable] | None,
) -> _Params:
    if alpha < 0 or beta < 0 or delta_empty <= 0:
        raise ValueError("alpha and beta must be >= 0 and delta_empty > 0")
    seen = sorted({u.category for u in units}, key=repr)
    cats = list(categories) if categories is not None else seen
    missing = [c for c in seen if c not in cats]
    if missing:
        raise ValueError(f"categories {missing!r} are not in the category list")
    index = {c: i for i, c in enumerate(cats)}
    q = len(cats)
    if category_distance is None:
        dist = 1.0 - np.eye(q)
    else:
        from annotator.agreement.weighted import distance_matrix

        dist = distance_matrix(cats, category_distance)
        if (dist > 1).any():
            raise ValueError("category distances must lie between 0 and 1")
    return _Params(alpha, beta, delta_empty, index, dist)


def _continuum(
    units: Sequence[GammaUnit], params: _Params, coders: Sequence[str] | None = None
) -> _Continuum:
    present = sorted({u.coder for u in units})
    if coders is None:
        coders = present
    else:
        coders = list(dict.fromkeys(coders))
        stray = [c for c in present if c not in coders]
        if stray:
            raise ValueError(f"units of coders {stray!r} who are not in the coder list")
    per = []
    for c in coders:
        rows = [(u.start, u.end, params.cat_index[u.category]) for u in units if u.coder == c]
        rows.sort()
        per.append(np.asarray(rows, dtype=np.float64).reshape(len(rows), 3))
    return _Continuum(coders, per)


def _pair_costs(
    a: NDArray[np.float64], b: NDArray[np.float64], params: _Params, bound: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Candidate pairs (i in a, j in b) whose combined dissimilarity is below ``bound``.

    A pair can only be that close if its starts are within ``sqrt(bound / alpha)`` times
    the sum of the two lengths, so only those are computed (``b`` is sorted by start).
    """
    if a.shape[0] == 0 or b.shape[0] == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    len_a = a[:, 1] - a[:, 0]
    len_b = b[:, 1] - b[:, 0]
    if params.alpha > 0:
        reach = math.sqrt(bound / (params.alpha * params.delta_empty)) * (len_a + len_b.max())
    else:
        reach = np.full(a.shape[0], np.inf)
    starts = b[:, 0]
    lo = np.searchsorted(starts, a[:, 0] - reach, side="left")
    hi = np.searchsorted(starts, a[:, 0] + reach, side="right")
    counts = hi - lo
    ii = np.repeat(np.arange(a.shape[0]), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    jj = np.repeat(lo, counts) + offsets
    pos = (
        (np.abs(a[ii, 0] - b[jj, 0]) + np.abs(a[ii, 1] - b[jj, 1])) / (len_a[ii] + len_b[jj])
    ) ** 2
    cat = params.cat_dist[a[ii, 2].astype(np.intp), b[jj, 2].astype(np.intp)]
    cost = (params.alpha * pos + params.beta * cat) * params.delta_empty
    keep = cost < bound
    return ii[keep], jj[keep], cost[keep]


def _best_two(cont: _Continuum, params: _Params) -> GammaAlignment:
    """Exact best alignment for two coders as a minimum-cost perfect bipartite matching.

    Rows: A's units, then a "nothing" slot for each of B's units; columns: B's units, then
    a "nothing" slot for each of A's units. A unit matched to its own nothing slot stays
    unaligned (cost delta_empty); nothing-to-nothing edges exist only between candidate
    pairs, which keeps the graph sparse and still admits every partial matching.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    a, b = cont.arrays
    na, nb = a.shape[0], b.shape[0]
    dempty = params.delta_empty
    ii, jj, cost = _pair_costs(a, b, params, 2.0 * dempty)
    shift = 1.0  # every perfect matching has na + nb edges; no edge may weigh 0 (sparse)
    rows = np.concatenate([ii, np.arange(na), na + np.arange(nb), na + jj])
    cols = np.concatenate([jj, nb + np.arange(na), np.arange(nb), nb + ii])
    weights = np.concatenate(
        [
            cost + shift,
            np.full(na, dempty + shift),
            np.full(nb, dempty + shift),
            np.full(ii.size, shift),
        ]
    )
    size = na + nb
    if size == 0:
        return GammaAlignment(cont.coders, (), 0.0)
    graph = coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()
    _, match = min_weight_full_bipartite_matching(graph)
    pair_cost = dict(zip(zip(ii.tolist(), jj.tolist(), strict=True), cost.tolist(), strict=True))
    unitary: list[tuple[int | None, ...]] = []
    total = 0.0
    matched_b: set[int] = set()
    for i in range(na):
        j = int(match[i])
        if j < nb:
            unitary.append((i, j))
            total += pair_cost[(i, j)]
            matched_b.add(j)
        else:
            unitary.append((i, None))
            total += dempty
    for j in range(nb):
        if j not in matched_b:
            unitary.append((None, j))
            total += dempty
    return GammaAlignment(cont.coders, tuple(unitary), total / (size / 2.0))


def _best_many(cont: _Continuum, params: _Params) -> GammaAlignment:
    """Exact best alignment for three or more coders as an integer programme (HiGHS).

    Candidate unitary alignments are those whose disorder is below ``k * delta_empty``
    for their ``k`` units: any other is beaten by leaving its units unaligned, so it is
    never part of an optimum. Each unit must be covered exactly once.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    n = len(cont.coders)
    pairs_total = n * (n - 1) // 2
    dempty = params.delta_empty
    bound = n * pairs_total * dempty
    near: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    for x, y in combinations(range(n), 2):
        ii, jj, cost = _pair_costs(cont.arrays[x], cont.arrays[y], params, bound)
        near[(x, y)] = {(int(i), int(j)): float(c) for i, j, c in zip(ii, jj, cost, strict=True)}

    reach: dict[tuple[int, int], dict[int, list[int]]] = {}
    for (x, y), pairs in near.items():
        forward: dict[int, list[int]] = {}
        for i, j in pairs:
            forward.setdefault(i, []).append(j)
        reach[(x, y)] = forward

    def pair_cost(x: int, i: int | None, y: int, j: int | None) -> float | None:
        if i is None or j is None:
            return dempty
        return near[(x, y)].get((i, j))

    candidates: list[tuple[tuple[int | None, ...], float]] = []

    def extend(partial: list[int | None], cost: float) -> None:
        x = len(partial)
        if x == n:
            k = sum(u is not None for u in partial)
            disorder = cost / pairs_total
            if k > 0 and (k == 1 or disorder < k * dempty):
                candidates.append((tuple(partial), disorder))
            return
        # Only units within reach of the first unit already chosen can join the tuple.
        first = next(((y, w) for y, w in enumerate(partial) if w is not None), None)
        if first is None:
            options: list[int | None] = [None, *range(cont.arrays[x].shape[0])]
        else:
            options = [None, *reach[(first[0], x)].get(first[1], ())]
        for u in options:
            added = 0.0
            ok = True
            for y, w in enumerate(partial):
                c = pair_cost(y, w, x, u)
                if c is None:
                    ok = False
                    break
                added += c
            if ok:
                partial.append(u)
                extend(partial, cost + added)
                partial.pop()

    extend([], 0.0)
    offsets = np.cumsum([0] + [a.shape[0] for a in cont.arrays])
    rows, cols = [], []
    for col, (tup, _) in enumerate(candidates):
        for x, u in enumerate(tup):
            if u is not None:
                rows.append(int(offsets[x]) + u)
                cols.append(col)
    n_units = int(offsets[-1])
    a_eq = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_units, len(candidates)))
    costs = np.array([d for _, d in candidates])
    res = milp(
        costs,
        constraints=LinearConstraint(a_eq.tocsr(), 1, 1),
        integrality=np.ones(len(candidates)),
        bounds=Bounds(0, 1),
    )
    if res.x is None:  # pragma: no cover - singletons always give a feasible solution
        raise RuntimeError(f"the alignment solver failed: {res.message}")
    chosen = [candidates[k] for k in np.flatnonzero(res.x > 0.5)]
    total = sum(d for _, d in chosen)
    return GammaAlignment(cont.coders, tuple(t for t, _ in chosen), total / (n_units / n))


def _best(cont: _Continuum, params: _Params) -> GammaAlignment:
    if len(cont.coders) == 2:
        return _best_two(cont, params)
    return _best_many(cont, params)


def _as_units(units: Iterable[GammaUnit | tuple[str, float, float, Hashable]]) -> list[GammaUnit]:
    out = [u if isinstance(u, GammaUnit) else GammaUnit(*u) for u in units]
    return out


def best_alignment(
    units: Iterable[GammaUnit | tuple[str, float, float, Hashable]],
    *,
    alpha: float = 1.0,
    beta: float = 1.0,
    delta_empty: float = 1.0,
    category_distance: ArrayLike | Mapping[tuple[Hashable, Hashable], float] | None = None,
    categories: Sequence[Hashable] | None = None,
    coders: Sequence[str] | None = None,
) -> GammaAlignment:
    """The best alignment of the units and its disorder (the observed disorder).

    Unit indices in the result count each coder's units in order of (start, end).
    ``coders`` lists every coder (in order), including any who coded nothing.
    """
    items = _as_units(units)
    params = _params(items, alpha, beta, delta_empty, category_distance, categories)
    cont = _continuum(items, params, coders)
    if len(cont.coders) < 2:
        raise ValueError("gamma needs units from two or more coders")
    return _best(cont, params)


def shuffle_continuum(
    cont: _Continuum, rng: np.random.Generator, bounds: tuple[float, float] | None = None
) -> _Continuum:
    """One random continuum by the shuffle sampler (see the module docstring).

    As in the Gamma software (and pygamma-agreement's ShuffleContinuumSampler): for each
    coder a whole-number pivot is drawn uniformly between the continuum's bounds, at
    least half a mean unit length away from the pivots already drawn; the units of a
    randomly chosen observed coder are moved forward by the pivot, and a unit whose start
    passes the upper bound is moved back by the continuum's length. ``bounds`` is the
    continuum (for a text, ``(0, len(text))``); by default it runs from 0 (or the first
    start, if negative) to the last end, as in the Gamma software.
    """
    lo, hi = bounds if bounds is not None else _default_bounds(cont)
    span = hi - lo
    lengths = np.concatenate([a[:, 1] - a[:, 0] for a in cont.arrays])
    min_gap = float(lengths.mean()) / 2.0
    pivots: list[float] = []
    new = []
    for _ in cont.coders:
        pivot = float(rng.uniform(lo, hi))
        for _try in range(1000):  # rejection: uniform over what the earlier pivots leave
            if all(abs(pivot - p) > min_gap for p in pivots):
                break
            pivot = float(rng.uniform(lo, hi))
        pivots.append(pivot)
        source = cont.arrays[int(rng.integers(len(cont.arrays)))].copy()
        shift = np.where(source[:, 0] + int(pivot) > hi, int(pivot) - span, int(pivot))
        source[:, :2] += shift[:, None]
        new.append(source[np.lexsort((source[:, 1], source[:, 0]))])
    return _Continuum(cont.coders, new)


def _default_bounds(cont: _Continuum) -> tuple[float, float]:
    lo = min([0.0] + [float(a[:, 0].min()) for a in cont.arrays if a.shape[0]])
    hi = max(float(a[:, 1].max()) for a in cont.arrays if a.shape[0])
    return lo, hi


def gamma_agreement(
    units: Iterable[GammaUnit | tuple[str, float, float, Hashable]],
    *,
    alpha: float = 1.0,
    beta: float = 1.0,
    delta_empty: float = 1.0,
    category_distance: ArrayLike | Mapping[tuple[Hashable, Hashable], float] | None = None,
    categories: Sequence[Hashable] | None = None,
    coders: Sequence[str] | None = None,
    bounds: tuple[float, float] | None = None,
    n_samples: int = 30,
    seed: int = 0,
    confidence: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> GammaResult:
    """Gamma (Mathet et al. 2015) for units given as :class:`GammaUnit` or tuples.

    ``units`` holds ``(coder, start, end, category)``; ``coders`` lists every coder
    compared, including any who coded nothing (default: the coders of the units).
    ``alpha``/``beta`` weight the positional and categorical dissimilarities,
    ``delta_empty`` is the cost of a unit aligned with nothing, ``category_distance`` an
    optional matrix or ``{(a, b): d}`` mapping of distances in [0, 1] between categories.
    ``n_samples`` random continua (shuffle sampler, ``seed``) estimate the expected
    disorder; ``bounds`` is the continuum they are drawn on (for a text, ``(0, len(text))``;
    by default from 0 to the last unit's end). ``progress(done, total)`` is called after
    each alignment, and ``cancelled()`` is polled in between (raising
    :class:`GammaCancelledError`).
    """
    if n_samples < 2:
        raise ValueError("n_samples must be at least 2")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    items = _as_units(units)
    if not items:
        raise ValueError("gamma needs at least one unit")
    params = _params(items, alpha, beta, delta_empty, category_distance, categories)
    cont = _continuum(items, params, coders)
    if len(cont.coders) < 2:
        raise ValueError("gamma needs units from two or more coders")
    total = n_samples + 1
    observed = _best(cont, params)
    if progress is not None:
        progress(1, total)
    rng = np.random.Generator(np.random.PCG64(seed))
    disorders: list[float] = []
    for k in range(n_samples):
        if cancelled is not None and cancelled():
            raise GammaCancelledError("gamma was cancelled")
        disorders.append(_best(shuffle_continuum(cont, rng, bounds), params).disorder)
        if progress is not None:
            progress(k + 2, total)
    expected = float(np.mean(disorders))
    common = dict(
        observed_disorder=observed.disorder,
        alignment=observed,
        n_samples=n_samples,
        seed=seed,
        sampler=SAMPLER,
        n_units=cont.n_units,
        sample_disorders=tuple(disorders),
    )
    if expected <= 0:
        return GammaResult(
            value=None,
            expected_disorder=expected,
            ci=None,
            undefined_reason="the random continua have no disorder, so chance cannot be told apart",
            **common,  # type: ignore[arg-type]
        )
    value = 1.0 - observed.disorder / expected
    return GammaResult(
        value=value,
        expected_disorder=expected,
        ci=_interval(observed.disorder, disorders, confidence, seed),
        undefined_reason=None,
        **common,  # type: ignore[arg-type]
    )


def _interval(observed: float, disorders: list[float], confidence: float, seed: int) -> BootstrapCI:
    """Normal-approximation interval on the mean expected disorder, carried to gamma."""
    from statistics import NormalDist

    arr = np.asarray(disorders)
    se = float(arr.std(ddof=1)) / math.sqrt(arr.size)
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    mean = float(arr.mean())
    low_e, high_e = max(mean - z * se, 1e-12), mean + z * se
    low, high = 1.0 - observed / low_e, 1.0 - observed / high_e
    # Shares of the sampled expected disorders for which gamma would fall below
    # Krippendorff's thresholds: a rough guide, reported as for bootstrap intervals.
    gammas = 1.0 - observed / np.maximum(arr, 1e-12)
    return BootstrapCI(
        low=min(low, high),
        high=max(low, high),
        confidence=confidence,
        n_resamples=arr.size,
        n_undefined=0,
        p_below_667=float((gammas < 0.667).mean()),
        p_below_800=float((gammas < 0.800).mean()),
        resampled="random continua (expected disorder)",
        seed=seed,
    )
