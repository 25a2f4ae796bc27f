"""Unitizing coefficients: agreement on where units are (and what they are) in a continuum.

Two generations are implemented and labelled separately:

* ``form="2004"``: Krippendorff's alpha-U (1995; Content Analysis 2nd ed. 2004), one binary
  coefficient per category, computed as DKPro Statistics and INCEpTION compute it
  (``KrippendorffAlphaUnitizingAgreement``); the overall value is ``1 - sum D_o / sum D_e``.
* ``form="2016"``: the family of Krippendorff, Mathet, Bouvry & Widlöcher (2016), "On the
  reliability of unitizing textual continua", Quality & Quantity 50: u-alpha
  (:func:`u_alpha`, unitizing and coding together), |u-alpha (:func:`binary_u_alpha`,
  relevant vs. irrelevant matter) and cu-alpha (:func:`cu_alpha`, coding of the matter that
  coders placed in units, gaps omitted).

Units are mappings with ``coder``, ``begin``, ``length`` and ``category`` (the reference-file
form); the continuum is ``{"begin": b, "length": L}``; intervals are half-open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from annotator.agreement.results import AgreementValue, UndefinedAgreementError, defined, undefined

__all__ = [
    "UnitizingResult",
    "binary_u_alpha",
    "cu_alpha",
    "spans_to_units",
    "u_alpha",
    "unitizing_alpha",
]

_V2004 = "Krippendorff 1995/2004 alpha-U, binary per category (DKPro/INCEpTION form)"
_V2016 = "Krippendorff, Mathet, Bouvry & Widlöcher 2016"


class _Unit(NamedTuple):
    coder: str
    begin: int
    end: int
    category: str


@dataclass(frozen=True, slots=True)
class UnitizingResult:
    """Result of :func:`unitizing_alpha`.

    ``overall`` is the 2004 pooled alpha-U (``1 - sum D_o / sum D_e``) or the 2016 u-alpha;
    ``by_category`` holds the 2004 per-category alpha-U or the 2016 |u-alpha per category.
    """

    form: str
    overall: AgreementValue
    by_category: Mapping[str, AgreementValue] = field(default_factory=dict)


def _continuum(continuum: Mapping[str, int] | Sequence[int]) -> tuple[int, int]:
    if isinstance(continuum, Mapping):
        begin, length = int(continuum["begin"]), int(continuum["length"])
    else:
        begin, length = int(continuum[0]), int(continuum[1])
    if length <= 0:
        raise ValueError("the continuum must have a positive length")
    return begin, begin + length


def _parse(
    units: Iterable[Mapping[str, Any]], lo: int, hi: int, coders: Iterable[str] | None
) -> tuple[list[_Unit], list[str]]:
    parsed = []
    for u in units:
        begin, length = int(u["begin"]), int(u["length"])
        unit = _Unit(str(u["coder"]), begin, begin + length, str(u["category"]))
        if length <= 0 or begin < lo or unit.end > hi:
            raise ValueError(f"unit {dict(u)!r} is empty or lies outside the continuum")
        parsed.append(unit)
    names = set(coders or ()) | {u.coder for u in parsed}
    return parsed, sorted(names)


def _by_coder(units: Iterable[_Unit], coders: Sequence[str]) -> dict[str, list[_Unit]]:
    out: dict[str, list[_Unit]] = {c: [] for c in coders}
    for u in units:
        out[u.coder].append(u)
    for coder, items in out.items():
        items.sort(key=lambda u: (u.begin, u.end))
        for prev, nxt in pairwise(items):
            if nxt.begin < prev.end:
                raise UndefinedAgreementError(
                    f"coder {coder!r} has overlapping units at {prev.begin}-{prev.end} and "
                    f"{nxt.begin}-{nxt.end}; each coder's units must not overlap here"
                )
    return out


def _sections(units: Sequence[_Unit], lo: int, hi: int) -> list[tuple[int, int, str | None]]:
    """A coder's partition of the continuum: its units plus the gaps (category None)."""
    out: list[tuple[int, int, str | None]] = []
    pos = lo
    for u in units:
        if u.begin > pos:
            out.append((pos, u.begin, None))
        out.append((u.begin, u.end, u.category))
        pos = u.end
    if pos < hi:
        out.append((pos, hi, None))
    return out


# --- 1995/2004 alpha-U --------------------------------------------------------------------


def _distance_2004(a: tuple[int, int, str | None], b: tuple[int, int, str | None]) -> int:
    """Squared distance of two overlapping sections (Krippendorff 2004, p. 253)."""
    (b1, e1, c1), (b2, e2, c2) = a, b
    if c1 is not None and c2 is not None:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if c1 is not None and b2 <= b1 and e1 <= e2:
        return (e1 - b1) ** 2  # a unit lying wholly inside the other coder's gap
    if c2 is not None and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def _alpha_u_2004_parts(
    by_coder: Mapping[str, Sequence[_Unit]], lo: int, hi: int
) -> tuple[float, float]:
    """Return (D_o, D_e) of one category."""
    coders = list(by_coder)
    r, length = len(coders), hi - lo
    parts = [_sections(by_coder[c], lo, hi) for c in coders]
    observed = 0
    for i in range(r):
        for j in range(i + 1, r):
            s1, s2 = parts[i], parts[j]
            p = q = 0
            # Two-pointer walk: every pair of overlapping sections is visited once.
            while p < len(s1) and q < len(s2):
                observed += _distance_2004(s1[p], s2[q])
                e1, e2 = s1[p][1], s2[q][1]
                p += e1 <= e2
                q += e2 <= e1
    d_o = 2.0 * observed / (r * (r - 1) * length * length)

    lengths = [u.end - u.begin for c in coders for u in by_coder[c]]
    gaps = np.sort([e - b for sec in parts for (b, e, cat) in sec if cat is None])
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0]]).astype(object)
    n_c = len(lengths)
    total = 0
    for ell in lengths:
        within = (n_c - 1) * (2 * ell**3 - 3 * ell**2 + ell) // 3  # always divisible by 3
        first = int(np.searchsorted(gaps, ell, side="left"))
        n_ge = len(gaps) - first
        # sum over gaps g >= ell of (g - ell + 1)
        fits = int(suffix[first]) - (ell - 1) * n_ge
        total += within + ell * ell * fits
    denom = r * length * (r * length - 1) - sum(ell * (ell - 1) for ell in lengths)
    d_e = (2.0 / length) * total / denom if denom > 0 else 0.0
    return d_o, d_e


def _unitizing_2004(units: list[_Unit], coders: list[str], lo: int, hi: int) -> UnitizingResult:
    categories = sorted({u.category for u in units})
    n = hi - lo
    by_category: dict[str, AgreementValue] = {}
    sum_o = sum_e = 0.0
    overall_reason = None
    for cat in categories:
        try:
            if len(coders) < 2:
                raise UndefinedAgreementError("alpha-U needs at least two coders")
            d_o, d_e = _alpha_u_2004_parts(
                _by_coder([u for u in units if u.category == cat], coders), lo, hi
            )
            sum_o, sum_e = sum_o + d_o, sum_e + d_e
            if d_e <= 0:
                raise UndefinedAgreementError("expected disagreement is 0 for this category")
            by_category[cat] = defined(
                1.0 - d_o / d_e, "unitizing_alpha_2004", _V2004, n, "position"
            )
        except UndefinedAgreementError as exc:
            overall_reason = overall_reason or f"category {cat!r}: {exc.reason}"
            by_category[cat] = undefined(exc.reason, "unitizing_alpha_2004", _V2004, n, "position")
    variant = "Krippendorff 1995/2004 alpha-U, all categories (1 - sum D_o / sum D_e)"
    if not categories:
        overall_reason = "no units were coded"
    if overall_reason is None and sum_e > 0:
        overall = defined(1.0 - sum_o / sum_e, "unitizing_alpha_2004", variant, n, "position")
    else:
        reason = overall_reason or "expected disagreement is 0"
        overall = undefined(reason, "unitizing_alpha_2004", variant, n, "position")
    return UnitizingResult("2004", overall, by_category)


# --- 2016 family --------------------------------------------------------------------------


@dataclass
class _Coincidences2016:
    values: list[str | None]  # index 0 is the gap
    ell: NDArray[np.float64]  # observed coincidences of positions
    corr: NDArray[np.float64]  # per-value self-pairing correction (l^2 units, l gaps)
    pairable_sq: NDArray[np.float64]  # per-value sum of (pairable length)^2 for cu-alpha


def _coincidences_2016(
    units: list[_Unit], coders: list[str], lo: int, hi: int
) -> _Coincidences2016:
    if len(coders) < 2:
        raise UndefinedAgreementError("the 2016 coefficients need at least two coders")
    by_coder = _by_coder(units, coders)
    values: list[str | None] = [None, *sorted({u.category for u in units})]
    index = {v: i for i, v in enumerate(values)}
    parts = [_sections(by_coder[c], lo, hi) for c in coders]
    m, v = len(coders), len(values)
    corr = np.zeros(v)
    for sections in parts:
        for b, e, cat in sections:
            # Units are indivisible wholes that cannot pair with themselves (l^2); gap
            # positions are pairable one by one (l) - the 2016 expected-coincidence rule.
            corr[index[cat]] += (e - b) ** 2 if cat is not None else e - b
    ell = np.zeros((v, v))
    pairable = [np.zeros(len(s)) for s in parts]
    cursor = [0] * m
    cuts = sorted({b for s in parts for (b, _, _) in s} | {hi})
    for x, y in pairwise(cuts):
        vals = []
        for i in range(m):
            while parts[i][cursor[i]][1] <= x:
                cursor[i] += 1
            vals.append(index[parts[i][cursor[i]][2]])
        counts = np.bincount(vals, minlength=v).astype(np.float64)
        ell += (y - x) * (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
        unit_coders = sum(1 for k in vals if k != 0)
        for i, k in enumerate(vals):
            if k != 0 and unit_coders >= 2:  # another coder has a unit here too
                pairable[i][cursor[i]] += y - x
    pairable_sq = np.zeros(v)
    for sections, lengths in zip(parts, pairable, strict=True):
        for (_, _, cat), pl in zip(sections, lengths, strict=True):
            if cat is not None:
                pairable_sq[index[cat]] += pl * pl
    return _Coincidences2016(values, ell, corr, pairable_sq)


def _expected(ell: NDArray[np.float64], corr: NDArray[np.float64]) -> NDArray[np.float64]:
    tot = float(ell.sum())
    row = ell.sum(axis=1)
    denom = tot - float(corr.sum()) / tot
    if denom <= 0:
        raise UndefinedAgreementError("no pairs of positions are available to estimate chance")
    return (np.outer(row, row) - np.diag(corr)) / denom


def _alpha_from(observed_off: float, expected_off: float) -> float:
    if expected_off <= 0:
        raise UndefinedAgreementError("expected disagreement is 0")
    return 1.0 - observed_off / expected_off


def _two_values(ell: NDArray[np.float64], values: Sequence[Hashable]) -> None:
    present = np.flatnonzero(ell.sum(axis=1) > 0)
    if present.size == 0:
        raise UndefinedAgreementError("no positions were coded")
    if present.size < 2:
        name = values[int(present[0])]
        label = "gap (no unit)" if name is None else repr(name)
        raise UndefinedAgreementError(f"only one value ({label}) was observed")


def _u_alpha_value(co: _Coincidences2016) -> float:
    _two_values(co.ell, co.values)
    eps = _expected(co.ell, co.corr)
    return _alpha_from(co.ell.sum() - np.trace(co.ell), eps.sum() - np.trace(eps))


def _prepare(
    units: Iterable[Mapping[str, Any]],
    continuum: Mapping[str, int] | Sequence[int],
    coders: Iterable[str] | None,
) -> tuple[list[_Unit], list[str], int, int]:
    lo, hi = _continuum(continuum)
    parsed, names = _parse(units, lo, hi, coders)
    return parsed, names, lo, hi


def u_alpha(
    units: Iterable[Mapping[str, Any]],
    continuum: Mapping[str, int] | Sequence[int],
    coders: Iterable[str] | None = None,
) -> AgreementValue:
    """2016 u-alpha: agreement on unitizing and coding together (nominal categories).

    Observed coincidences pair every position of every coder with the same position of
    every other coder (gaps count as a value); expected coincidences treat units as
    indivisible wholes (self-pairing correction ``l^2``) and gap positions as individually
    pairable (``l``). Each coder's units must not overlap (one value per position).
    """
    parsed, names, lo, hi = _prepare(units, continuum, coders)
    variant = f"{_V2016}, u-alpha (nominal)"
    try:
        value = _u_alpha_value(_coincidences_2016(parsed, names, lo, hi))
        return defined(value, "u_alpha", variant, hi - lo, "position")
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, "u_alpha", variant, hi - lo, "position")


def binary_u_alpha(
    units: Iterable[Mapping[str, Any]],
    continuum: Mapping[str, int] | Sequence[int],
    category: str | None = None,
    coders: Iterable[str] | None = None,
) -> AgreementValue:
    """2016 |u-alpha: agreement on relevant (in a unit) vs. irrelevant (gap) matter.

    With ``category`` given (the per-code use in this app), the data are first reduced to
    units of that category, everything else becoming gap, and u-alpha is computed on the
    two values. With ``category=None`` the paper's form is used: the coincidences of all
    categories are collapsed into "any unit" vs. "gap".
    """
    parsed, names, lo, hi = _prepare(units, continuum, coders)
    if category is not None:
        parsed = [u for u in parsed if u.category == category]
    scope = f"category {category!r} vs. rest" if category is not None else "any unit vs. gap"
    variant = f"{_V2016}, |u-alpha ({scope})"
    try:
        co = _coincidences_2016(parsed, names, lo, hi)
        eps = _expected(co.ell, co.corr)

        def off(mat: NDArray[np.float64]) -> float:
            # Collapse to 2 x 2: row/column 0 is the gap, the rest is relevant matter.
            return float(mat[0, 1:].sum() + mat[1:, 0].sum())

        if co.ell[0].sum() <= 0 or co.ell[1:].sum() <= 0:
            only = "units" if co.ell[0].sum() <= 0 else "gaps (no units)"
            raise UndefinedAgreementError(f"only {only} were observed")
        value = _alpha_from(off(co.ell), off(eps))
        return defined(value, "binary_u_alpha", variant, hi - lo, "position")
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, "binary_u_alpha", variant, hi - lo, "position")


def cu_alpha(
    units: Iterable[Mapping[str, Any]],
    continuum: Mapping[str, int] | Sequence[int],
    categories: Iterable[str] | None = None,
    coders: Iterable[str] | None = None,
) -> AgreementValue:
    """2016 cu-alpha: agreement on coding the matter that coders placed in units.

    Only units whose category is in ``categories`` (default: all) are considered; they
    must be mutually exclusive (no coder's units overlap). Gaps are omitted: the observed
    coincidences are those of positions that two coders both placed in units, and the
    self-pairing correction of a unit is its *pairable* length squared (its positions
    that some other coder also placed in a unit).
    """
    parsed, names, lo, hi = _prepare(units, continuum, coders)
    if categories is not None:
        group = set(categories)
        parsed = [u for u in parsed if u.category in group]
    variant = f"{_V2016}, cu-alpha (nominal, gaps omitted)"
    try:
        co = _coincidences_2016(parsed, names, lo, hi)
        star = co.ell[1:, 1:]
        if star.sum() <= 0:
            raise UndefinedAgreementError("no position was placed in units by two coders")
        _two_values(star, co.values[1:])
        eps = _expected(star, co.pairable_sq[1:])
        value = _alpha_from(star.sum() - np.trace(star), eps.sum() - np.trace(eps))
        return defined(value, "cu_alpha", variant, hi - lo, "position")
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, "cu_alpha", variant, hi - lo, "position")


def unitizing_alpha(
    units: Iterable[Mapping[str, Any]],
    continuum: Mapping[str, int] | Sequence[int],
    form: str = "2004",
    coders: Iterable[str] | None = None,
) -> UnitizingResult:
    """Unitizing agreement in the 1995/2004 (``form="2004"``) or 2016 (``"2016"``) form.

    ``coders`` adds coders who coded nothing (they count, with one gap each).

    * ``"2004"``: ``by_category`` = alpha-U per category (DKPro/INCEpTION), ``overall`` =
      ``1 - sum_c D_o(c) / sum_c D_e(c)``.
    * ``"2016"``: ``overall`` = u-alpha, ``by_category`` = |u-alpha of each category.
    """
    units = list(units)
    parsed, names, lo, hi = _prepare(units, continuum, coders)
    if form == "2004":
        return _unitizing_2004(parsed, names, lo, hi)
    if form == "2016":
        by_category = {
            cat: binary_u_alpha(units, continuum, category=cat, coders=names)
            for cat in sorted({u.category for u in parsed})
        }
        return UnitizingResult("2016", u_alpha(units, continuum, coders=names), by_category)
    raise ValueError("form must be '2004' or '2016'")


def spans_to_units(spans: Iterable[Any], document: str) -> list[dict[str, Any]]:
    """Turn :class:`~annotator.agreement.spans.CodedSpan` objects of one document into units.

    Overlapping or touching spans of one coder with the same code are merged first,
    because both unitizing forms require a coder's units of a category to be disjoint.
    """
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        if s.document == document:
            groups[(s.coder, s.code)].append((s.start, s.end))
    out = []
    for (coder, code), items in sorted(groups.items()):
        items.sort()
        cur_b, cur_e = items[0]
        for b, e in items[1:]:
            if b <= cur_e:
                cur_e = max(cur_e, e)
                continue
            out.append({"coder": coder, "begin": cur_b, "length": cur_e - cur_b, "category": code})
            cur_b, cur_e = b, e
        out.append({"coder": coder, "begin": cur_b, "length": cur_e - cur_b, "category": code})
    return out
