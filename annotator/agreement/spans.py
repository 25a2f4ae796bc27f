"""From coded spans to units: the character unit and sentence/paragraph units.

Every code is a binary variable per unit (the code applied / not applied), NVivo style.
Both unit kinds reduce the data to the same sparse table: for each (document, code) group,
how many units carry each *coder mask* (bit i set = coder i applied the code). Everything
else (histograms for multi-coder measures, 2 x 2 tables per coder pair, counts per coder)
is a sum over that table, so pooling over documents or codes is summing, never averaging.

The character table is built with interval sweeps over sorted span boundaries: its cost
grows with the number of codings, not with the length of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from annotator.agreement import core
from annotator.agreement.results import AgreementValue, UndefinedAgreementError, defined, undefined

__all__ = ["CodedSpan", "UnitTable", "character_units", "text_units", "unit_matrices"]

Int = NDArray[np.int64]
MAX_CODERS = 62  # coder masks are int64 bit sets


@dataclass(frozen=True, slots=True)
class CodedSpan:
    """One coding: ``coder`` applied ``code`` to ``[start, end)`` of ``document``.

    Offsets are Python code points, half-open; ids are strings.
    """

    coder: str
    document: str
    code: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"a coded span needs 0 <= start < end, got {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class _Selection:
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    documents: tuple[str, ...]
    doc: Int
    code: Int
    coder: Int
    start: Int
    end: Int


def select(
    spans: Iterable[CodedSpan],
    coders: Sequence[str],
    codes: Sequence[str] | None,
    documents: Sequence[str],
    doc_lengths: Mapping[str, int] | None,
) -> _Selection:
    """Keep spans of the chosen coders, codes and documents as index arrays."""
    coders = tuple(dict.fromkeys(coders))
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    if len(coders) > MAX_CODERS:
        raise ValueError(f"at most {MAX_CODERS} coders are supported")
    documents = tuple(dict.fromkeys(documents))
    coder_ix = {c: i for i, c in enumerate(coders)}
    doc_ix = {d: i for i, d in enumerate(documents)}
    kept = [s for s in spans if s.coder in coder_ix and s.document in doc_ix]
    if codes is None:
        codes = sorted({s.code for s in kept})
    codes = tuple(dict.fromkeys(codes))
    code_ix = {c: i for i, c in enumerate(codes)}
    kept = [s for s in kept if s.code in code_ix]
    if doc_lengths is not None:
        for s in kept:
            if s.end > doc_lengths[s.document]:
                raise ValueError(
                    f"span {s.start}-{s.end} of {s.coder!r} ends after document "
                    f"{s.document!r} (length {doc_lengths[s.document]})"
                )

    def arr(values: Iterable[int]) -> Int:
        return np.fromiter(values, dtype=np.int64, count=len(kept))

    return _Selection(
        coders,
        codes,
        documents,
        arr(doc_ix[s.document] for s in kept),
        arr(code_ix[s.code] for s in kept),
        arr(coder_ix[s.coder] for s in kept),
        arr(s.start for s in kept),
        arr(s.end for s in kept),
    )


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Sparse unit counts per (document, code, coder mask); see the module docstring.

    ``n_units[d]`` is the number of units of document ``d`` (characters or text units).
    Rows with mask 0 (nobody applied the code) are included.
    """

    kind: str
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    documents: tuple[str, ...]
    n_units: Int
    doc: Int
    code: Int
    mask: Int
    weight: Int

    def _rows(self, code: str | None, document: str | None) -> NDArray[np.bool_]:
        keep = np.ones(self.mask.shape[0], dtype=bool)
        if code is not None:
            keep &= self.code == self.codes.index(code)
        if document is not None:
            keep &= self.doc == self.documents.index(document)
        return keep

    def histograms(self) -> NDArray[np.float64]:
        """``(documents, codes, m + 1)``: units to which exactly k coders applied the code."""
        m = len(self.coders)
        out = np.zeros((len(self.documents), len(self.codes), m + 1))
        np.add.at(out, (self.doc, self.code, _popcount(self.mask, m)), self.weight)
        return out

    def coded_counts(self) -> NDArray[np.float64]:
        """``(documents, codes, coders)``: units to which each coder applied the code."""
        m = len(self.coders)
        out = np.zeros((len(self.documents), len(self.codes), m))
        for i in range(m):
            bit = (self.mask >> i) & 1
            np.add.at(out[:, :, i], (self.doc, self.code), self.weight * bit)
        return out

    def pair_tables(self) -> NDArray[np.float64]:
        """``(documents, codes, pairs, 2, 2)`` tables; pairs in ``combinations`` order."""
        pairs = list(combinations(range(len(self.coders)), 2))
        out = np.zeros((len(self.documents), len(self.codes), len(pairs), 2, 2))
        for p, (a, b) in enumerate(pairs):
            ia, ib = (self.mask >> a) & 1, (self.mask >> b) & 1
            np.add.at(out[:, :, p], (self.doc, self.code, ia, ib), self.weight)
        return out

    def agreement(
        self,
        measure: str = "krippendorff_alpha",
        code: str | None = None,
        document: str | None = None,
    ) -> AgreementValue:
        """One multi-coder measure on a code (or all codes pooled) in one or all documents."""
        keep = self._rows(code, document)
        hist = np.zeros(len(self.coders) + 1)
        np.add.at(hist, _popcount(self.mask[keep], len(self.coders)), self.weight[keep])
        return multi_coder_value(measure, hist, self.kind)


def _popcount(mask: Int, m: int) -> Int:
    count = np.zeros_like(mask)
    for i in range(m):
        count += (mask >> i) & 1
    return count


MULTI_MEASURES = (
    "percent_agreement",
    "krippendorff_alpha",
    "fleiss_kappa",
    "bennett_s",
    "gwet_ac1",
)
_MULTI = {
    "percent_agreement": (core.pairwise_agreement, "pairwise, mean over units"),
    "krippendorff_alpha": (core.alpha, "nominal"),
    "fleiss_kappa": (core.fleiss, "multi-rater Scott's pi"),
    "bennett_s": (core.bennett_s_profile, "q = 2"),
    "gwet_ac1": (core.gwet_ac1_profile, "multi-rater (Gwet 2008), q = 2"),
}


def multi_coder_value(measure: str, histogram: NDArray[np.float64], unit: str) -> AgreementValue:
    """A multi-coder measure of a binary code from its histogram h[k]."""
    func, detail = _MULTI[measure]
    variant = f"binary (code applied / not), {detail}"
    n = round(float(histogram.sum()))
    try:
        return defined(func(core.binary_profile(histogram)), measure, variant, n, unit)
    except UndefinedAgreementError as exc:
        return undefined(exc.reason, measure, variant, n, unit)


def _merge_intervals(key: Int, start: Int, end: Int) -> tuple[Int, Int, Int]:
    """Union of overlapping or touching intervals within each key (vectorised)."""
    if key.size == 0:
        return key, start, end
    order = np.lexsort((start, key))
    key, start, end = key[order], start[order], end[order]
    # Offsetting by key keeps the running maximum of ends from leaking across keys
    # (keys are sorted, so every earlier key's offset ends are smaller).
    offset = int(end.max()) + 1
    run_max = np.maximum.accumulate(end + key * offset) - key * offset
    new = np.ones(key.size, dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (start[1:] > run_max[:-1])
    first = np.flatnonzero(new)
    return key[first], start[first], np.maximum.reduceat(end, first)


def _group_masks(group: Int, mask: Int, length: Int) -> tuple[Int, Int, Int]:
    """Sum ``length`` per distinct (group, mask), dropping zero-length pieces."""
    keep = length > 0
    group, mask, length = group[keep], mask[keep], length[keep]
    if group.size == 0:
        return group, mask, length
    order = np.lexsort((mask, group))
    group, mask, length = group[order], mask[order], length[order]
    new = np.ones(group.size, dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (mask[1:] != mask[:-1])
    first = np.flatnonzero(new)
    return group[first], mask[first], np.add.reduceat(length, first)


def _table(
    sel: _Selection, kind: str, n_units: Int, group: Int, mask: Int, weight: Int
) -> UnitTable:
    """Add the mask-0 rows (units nobody coded) and wrap the sparse counts."""
    n_codes = len(sel.codes)
    n_groups = len(sel.documents) * n_codes
    covered = np.bincount(group, weights=weight, minlength=n_groups).astype(np.int64)
    all_groups = np.arange(n_groups, dtype=np.int64)
    zero = n_units[all_groups // n_codes] - covered
    group = np.concatenate([group, all_groups])
    mask = np.concatenate([mask, np.zeros(n_groups, dtype=np.int64)])
    weight = np.concatenate([weight, zero])
    keep = weight > 0
    return UnitTable(
        kind,
        sel.coders,
        sel.codes,
        sel.documents,
        n_units,
        group[keep] // n_codes,
        group[keep] % n_codes,
        mask[keep],
        weight[keep],
    )


def character_units(
    spans: Iterable[CodedSpan],
    doc_lengths: Mapping[str, int],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> UnitTable:
    """Character units: each character of each document is a unit, per code.

    A coder applied code C to a character if any of the coder's C spans covers it, so
    overlapping spans of one coder count once. Every selected coder is taken to have
    read every selected document in full (no missing values).
    """
    documents = tuple(documents if documents is not None else doc_lengths)
    sel = select(spans, coders, codes, documents, doc_lengths)
    n_codes, m = len(sel.codes), len(sel.coders)
    key = (sel.doc * n_codes + sel.code) * m + sel.coder
    key, start, end = _merge_intervals(key, sel.start, sel.end)
    group, bit = key // m, np.left_shift(np.int64(1), key % m)
    # Sweep: +bit where a coder's interval opens, -bit where it closes. Within a group the
    # running sum is the set of coders covering the stretch up to the next boundary, and
    # because every group's deltas sum to zero one global cumulative sum serves all groups.
    ev_group = np.concatenate([group, group])
    ev_pos = np.concatenate([start, end])
    ev_delta = np.concatenate([bit, -bit])
    order = np.lexsort((ev_pos, ev_group))
    ev_group, ev_pos, ev_delta = ev_group[order], ev_pos[order], ev_delta[order]
    mask = np.cumsum(ev_delta)
    length = np.zeros_like(ev_pos)
    same = ev_group[1:] == ev_group[:-1]
    length[:-1] = np.where(same, ev_pos[1:] - ev_pos[:-1], 0)
    group, mask, length = _group_masks(ev_group, mask, length)
    n_units = np.array([doc_lengths[d] for d in sel.documents], dtype=np.int64)
    return _table(sel, "character", n_units, group, mask, length)


def _unit_bounds(
    unit_spans: Mapping[str, Sequence[tuple[int, int]]], document: str
) -> tuple[Int, Int]:
    bounds = sorted((int(b), int(e)) for b, e in unit_spans.get(document, ()))
    starts = np.array([b for b, _ in bounds], dtype=np.int64)
    ends = np.array([e for _, e in bounds], dtype=np.int64)
    if (ends <= starts).any() or (starts[1:] < ends[:-1]).any():
        raise ValueError(f"text units of document {document!r} must be non-empty and disjoint")
    return starts, ends


def text_units(
    spans: Iterable[CodedSpan],
    unit_spans: Mapping[str, Sequence[tuple[int, int]]],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    kind: str = "sentence",
) -> UnitTable:
    """Sentence or paragraph units given as disjoint ``(start, end)`` spans per document.

    Rule: a unit counts as coded with C by a coder if at least one of that coder's C
    spans overlaps it by one character or more (``span.start < unit.end`` and
    ``span.end > unit.start``). Characters outside every unit are ignored.
    """
    documents = tuple(documents if documents is not None else unit_spans)
    sel = select(spans, coders, codes, documents, None)
    bounds = [_unit_bounds(unit_spans, d) for d in sel.documents]
    n_units = np.array([b[0].size for b in bounds], dtype=np.int64)
    first_unit = np.concatenate([[0], np.cumsum(n_units)[:-1]]).astype(np.int64)
    lo = np.empty_like(sel.start)
    hi = np.empty_like(sel.start)
    for d, (starts, ends) in enumerate(bounds):
        here = sel.doc == d
        lo[here] = np.searchsorted(ends, sel.start[here], side="right")
        hi[here] = np.searchsorted(starts, sel.end[here], side="left")
    count = np.maximum(hi - lo, 0)
    # Expand each span into the global indices of the units it overlaps.
    owner = np.repeat(np.arange(count.size), count)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)
    unit = first_unit[sel.doc[owner]] + lo[owner] + offsets
    n_codes = len(sel.codes)
    group = sel.doc[owner] * n_codes + sel.code[owner]
    # One bit per (group, unit, coder), however many spans overlap: OR via unique.
    triple = np.unique(np.stack([group, unit, sel.coder[owner]], axis=1), axis=0)
    gu = np.unique(triple[:, :2], axis=0, return_inverse=True)[1].ravel()
    mask = np.bincount(gu, weights=np.left_shift(1, triple[:, 2]).astype(np.float64))
    group_of = np.zeros(mask.size, dtype=np.int64)
    group_of[gu] = triple[:, 0]
    group, mask, weight = _group_masks(
        group_of, mask.astype(np.int64), np.ones(mask.size, np.int64)
    )
    return _table(sel, kind, n_units, group, mask, weight)


def unit_matrices(
    spans: Iterable[CodedSpan],
    unit_spans: Mapping[str, Sequence[tuple[int, int]]],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> dict[str, list[list[int]]]:
    """Coders x units 0/1 matrices per code (units ordered by document, then position).

    Same overlap rule as :func:`text_units`; feed a matrix to any matrix-form measure.
    """
    documents = tuple(documents if documents is not None else unit_spans)
    sel = select(spans, coders, codes, documents, None)
    bounds = [_unit_bounds(unit_spans, d) for d in sel.documents]
    first = np.concatenate([[0], np.cumsum([b[0].size for b in bounds])]).astype(np.int64)
    out = {c: np.zeros((len(sel.coders), int(first[-1])), dtype=np.int64) for c in sel.codes}
    for i in range(sel.start.size):
        starts, ends = bounds[sel.doc[i]]
        lo = int(np.searchsorted(ends, sel.start[i], side="right"))
        hi = int(np.searchsorted(starts, sel.end[i], side="left"))
        base = int(first[sel.doc[i]])
        out[sel.codes[sel.code[i]]][sel.coder[i], base + lo : base + hi] = 1
    return {c: mat.tolist() for c, mat in out.items()}
