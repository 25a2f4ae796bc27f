"""Coders over time: agreement per bin of documents, for all coders and each coder vs the rest.

A team lead watches for drift: agreement that falls as coding goes on, after a codebook
change, or for one coder. The caller (``services.agreement_drift``) decides which
documents fall in which bin (by week of coding, by every N codings, by codebook version);
this module computes, for each bin, Krippendorff's alpha on character units with each code
as a binary variable, pooled over the bin's documents and the codes as in the main report
(coincidences summed, never values averaged), and flags drops between consecutive bins.

* The "all coders" series uses, in each document, the values of the compared coders who
  coded it (the others are missing values, as Krippendorff's alpha allows).
* "X vs others" pools the 2 x 2 tables of every coder pair that includes X, so it answers
  "how well does X agree with the rest of the team" on the bins of X's own coding time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
from numpy.typing import NDArray

from annotator.agreement import core
from annotator.agreement.report import pair_values
from annotator.agreement.results import (
    AgreementValue,
    UndefinedAgreementError,
    defined,
    undefined,
)
from annotator.agreement.spans import CodedSpan, character_units

__all__ = ["ALL_CODERS", "DriftBin", "DriftPoint", "DriftSeries", "DriftWarning", "drift_series"]

ALL_CODERS = "All coders"


@dataclass(frozen=True, slots=True)
class DriftBin:
    """A bin of one series: a label (e.g. ``2026-W49``) and its documents."""

    label: str
    documents: tuple[str, ...]
    n_codings: int = 0


@dataclass(frozen=True, slots=True)
class DriftPoint:
    """Agreement in one bin."""

    label: str
    documents: tuple[str, ...]
    n_codings: int
    value: AgreementValue


@dataclass(frozen=True, slots=True)
class DriftSeries:
    """One line of the chart: ``ALL_CODERS`` or ``"<coder> vs others"``."""

    name: str
    coder: str | None
    points: tuple[DriftPoint, ...]


@dataclass(frozen=True, slots=True)
class DriftWarning:
    """Agreement fell by more than the threshold between two consecutive defined bins."""

    series: str
    before: str
    after: str
    drop: float

    def __str__(self) -> str:
        return f"{self.series}: alpha fell by {self.drop:.3f} from {self.before} to {self.after}"


@dataclass(frozen=True, slots=True)
class _DocUnits:
    """One document's character units among the coders who coded it."""

    coders: tuple[str, ...]
    histogram: NDArray[np.float64]  # (m + 1,): characters x codes that k coders applied
    pairs: NDArray[np.float64]  # (pairs, 2, 2) in combinations order of ``coders``


def _doc_units(
    spans: list[CodedSpan], length: int, coders: Sequence[str], codes: Sequence[str], doc: str
) -> _DocUnits:
    table = character_units(spans, {doc: length}, list(coders), list(codes), [doc])
    return _DocUnits(
        tuple(table.coders), table.histograms()[0].sum(axis=0), table.pair_tables()[0].sum(axis=0)
    )


def _alpha_all(units: Sequence[_DocUnits]) -> AgreementValue:
    """Alpha with each document's own coders: a coder who did not code it is missing."""
    rows, weights = [], []
    for u in units:
        m = len(u.coders)
        for k, w in enumerate(u.histogram):
            if w > 0:
                rows.append((m - k, k))
                weights.append(w)
    variant = "binary (code applied / not), nominal, coders who coded each document"
    n = round(float(sum(weights)))
    if not rows:
        return undefined("no document in this bin", "krippendorff_alpha", variant, 0, "character")
    profile = core.CountProfile(
        np.asarray(rows, dtype=np.int64), np.asarray(weights, dtype=np.float64), (0, 1)
    )
    try:
        return defined(core.alpha(profile), "krippendorff_alpha", variant, n, "character")
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, "krippendorff_alpha", variant, n, "character")


def _alpha_vs_others(units: Sequence[_DocUnits], coder: str) -> AgreementValue:
    pooled = np.zeros((2, 2))
    for u in units:
        for p, (a, b) in enumerate(combinations(u.coders, 2)):
            if coder in (a, b):
                # Orient every table as (this coder, the other): rows are always X's values.
                pooled += u.pairs[p] if a == coder else u.pairs[p].T
    values = pair_values(pooled, "character")
    return next(v for v in values if v.measure == "krippendorff_alpha")


def drift_series(
    spans: Iterable[CodedSpan],
    doc_lengths: Mapping[str, int],
    coders: Sequence[str],
    codes: Sequence[str],
    bins: Mapping[str | None, Sequence[DriftBin]],
    threshold: float = 0.1,
) -> tuple[list[DriftSeries], list[DriftWarning]]:
    """Alpha per bin for each series, and the drops larger than ``threshold``.

    ``bins`` maps ``None`` to the bins of the all-coders series and each coder name to
    the bins of that coder's "vs others" series (a coder absent from ``bins`` gets no
    series). In each document only the coders who coded it (among ``coders``) count; the
    others are missing, not "did not apply the code".
    """
    wanted = set(coders)
    by_doc: dict[str, list[CodedSpan]] = {}
    for s in spans:
        if s.coder in wanted:
            by_doc.setdefault(s.document, []).append(s)
    cache: dict[str, _DocUnits | None] = {}

    def units(doc: str) -> _DocUnits | None:
        if doc not in cache:
            chosen = by_doc.get(doc, [])
            present = [c for c in coders if any(s.coder == c for s in chosen)]
            cache[doc] = (
                _doc_units(chosen, doc_lengths[doc], present, codes, doc)
                if len(present) >= 2
                else None
            )
        return cache[doc]

    out: list[DriftSeries] = []
    for who, series_bins in bins.items():
        points = []
        for b in series_bins:
            found = [u for u in (units(d) for d in b.documents) if u is not None]
            if who is not None:
                found = [u for u in found if who in u.coders]
            if not found:
                value = undefined("no document in this bin", "krippendorff_alpha", "", 0)
            elif who is None:
                value = _alpha_all(found)
            else:
                value = _alpha_vs_others(found, who)
            points.append(DriftPoint(b.label, b.documents, b.n_codings, value))
        name = ALL_CODERS if who is None else f"{who} vs others"
        out.append(DriftSeries(name, who, tuple(points)))
    return out, drops(out, threshold)


def drops(series: Sequence[DriftSeries], threshold: float) -> list[DriftWarning]:
    """Every fall of more than ``threshold`` between consecutive defined points."""
    warnings: list[DriftWarning] = []
    for s in series:
        defined = [p for p in s.points if p.value.value is not None]
        for before, after in pairwise(defined):
            fall = float(before.value.value) - float(after.value.value)  # type: ignore[arg-type]
            if fall > threshold:
                warnings.append(DriftWarning(s.name, before.label, after.label, fall))
    return warnings
