"""Segment matching (MAXQDA style) and disagreement lists for two coders.

Overlap rule: a coding ``x`` of coder A is *matched* by coder B when B applied the same
code, in the same document, to one span ``y`` with ``|x ∩ y| > 0`` and
``|x ∩ y| / |x| >= overlap`` (the fraction is taken of the length of the coding being
checked, so a short coding inside a long one is matched, but not the other way round at
high thresholds). Matching is not one-to-one: one span may match several codings.

With A as reference: recall = A's codings matched by B / A's codings, precision = B's
codings matched by A / B's codings, F1 their harmonic mean. Pooling sums the counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from annotator.agreement.results import AgreementValue, defined, undefined
from annotator.agreement.spans import CodedSpan, select

__all__ = ["Disagreement", "SegmentTable", "find_disagreements", "match_segments"]

_CHUNK = 4_000_000  # cells per intersection block, bounds memory on huge groups


@dataclass(frozen=True, slots=True)
class SegmentTable:
    """Counts per (document, code, coder i, coder j).

    ``codings[d, c, i]`` is the number of codings of coder i; ``matched[d, c, i, j]`` how
    many of them coder j matched. Use :func:`segment_values` or :meth:`pair` to get figures.
    """

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    documents: tuple[str, ...]
    overlap: float
    codings: NDArray[np.float64]
    matched: NDArray[np.float64]

    def pair(
        self, reference: str, other: str, code: str | None = None, document: str | None = None
    ) -> dict[str, AgreementValue]:
        """Precision, recall, F1 and matched share of ``other`` against ``reference``."""
        a, b = self.coders.index(reference), self.coders.index(other)
        codings, matched = self.counts(code, document)
        n = codings.sum(axis=(0, 1))
        hit = matched.sum(axis=(0, 1))
        return segment_values(n[a], hit[a, b], n[b], hit[b, a], self.overlap)

    def group(self, code: str | None = None, document: str | None = None) -> AgreementValue:
        """Matched share over all ordered coder pairs (symmetric in the coders)."""
        codings, matched = self.counts(code, document)
        n = codings.sum(axis=(0, 1))
        hit = matched.sum(axis=(0, 1))
        m = len(self.coders)
        total = float(n.sum()) * (m - 1)
        return _share(float(hit.sum()), total, self.overlap, "all ordered coder pairs")

    def counts(
        self, code: str | None, document: str | None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(codings, matched)`` restricted to a code and/or a document (None = all)."""
        codings, matched = self.codings, self.matched
        if document is not None:
            d = self.documents.index(document)
            codings, matched = codings[d : d + 1], matched[d : d + 1]
        if code is not None:
            c = self.codes.index(code)
            codings, matched = codings[:, c : c + 1], matched[:, c : c + 1]
        return codings, matched


def _share(hit: float, total: float, overlap: float, scope: str) -> AgreementValue:
    variant = f"overlap >= {overlap:g} of the coding's length, {scope}"
    if total <= 0:
        return undefined("no codings to compare", "segment_agreement", variant, 0, "segment")
    return defined(hit / total, "segment_agreement", variant, round(total), "segment")


def segment_values(
    n_ref: float, hit_ref: float, n_other: float, hit_other: float, overlap: float
) -> dict[str, AgreementValue]:
    """Precision/recall/F1/matched share from the counts of one coder pair."""
    variant = f"overlap >= {overlap:g} of the coding's length, first coder as reference"
    out: dict[str, AgreementValue] = {}
    recall = hit_ref / n_ref if n_ref else None
    precision = hit_other / n_other if n_other else None
    for name, val, n, reason in (
        ("precision", precision, n_other, "the second coder made no codings"),
        ("recall", recall, n_ref, "the first coder made no codings"),
    ):
        out[name] = (
            defined(val, name, variant, round(n), "segment")
            if val is not None
            else undefined(reason, name, variant, 0, "segment")
        )
    n_all = round(n_ref + n_other)
    if precision is None or recall is None:
        out["f1"] = undefined("one coder made no codings", "f1", variant, n_all, "segment")
    elif precision + recall == 0:
        out["f1"] = defined(0.0, "f1", variant, n_all, "segment")
    else:
        f1 = 2 * precision * recall / (precision + recall)
        out["f1"] = defined(f1, "f1", variant, n_all, "segment")
    out["segment_agreement"] = _share(hit_ref + hit_other, n_ref + n_other, overlap, "both ways")
    return out


def _best_overlap(
    start: NDArray[np.int64], end: NDArray[np.int64], coder: NDArray[np.int64], m: int
) -> NDArray[np.float64]:
    """For each span, its largest intersection with a span of each coder: ``(n, m)``."""
    n = start.size
    best = np.zeros((n, m))
    rows = max(1, _CHUNK // max(n, 1))
    for lo in range(0, n, rows):
        s, e = start[lo : lo + rows, None], end[lo : lo + rows, None]
        inter = np.clip(np.minimum(e, end[None, :]) - np.maximum(s, start[None, :]), 0, None)
        for j in range(m):
            cols = coder == j
            if cols.any():
                best[lo : lo + rows, j] = inter[:, cols].max(axis=1)
    return best


def match_segments(
    spans: Iterable[CodedSpan],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    overlap: float = 0.5,
) -> SegmentTable:
    """Count matched codings per document, code and ordered coder pair (see module doc)."""
    if not 0.0 <= overlap <= 1.0:
        raise ValueError("overlap must be between 0 and 1")
    spans = list(spans)
    if documents is None:
        documents = sorted({s.document for s in spans})
    sel = select(spans, coders, codes, documents, None)
    m, n_codes = len(sel.coders), len(sel.codes)
    shape = (len(sel.documents), n_codes)
    codings = np.zeros((*shape, m))
    matched = np.zeros((*shape, m, m))
    np.add.at(codings, (sel.doc, sel.code, sel.coder), 1.0)
    group = sel.doc * n_codes + sel.code
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    for idx in np.split(order, bounds) if order.size else []:
        st, en, co = sel.start[idx], sel.end[idx], sel.coder[idx]
        best = _best_overlap(st, en, co, m)
        need = np.maximum(overlap * (en - st), 1e-9)[:, None]
        ok = (best > 0) & (best >= need - 1e-9)
        ok[np.arange(idx.size), co] = False  # a coder does not match itself
        d, c = int(sel.doc[idx[0]]), int(sel.code[idx[0]])
        np.add.at(matched[d, c], co, ok.astype(np.float64))
    return SegmentTable(sel.coders, sel.codes, sel.documents, overlap, codings, matched)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One disagreement between two coders in one document.

    ``kind`` is ``"boundary"`` (same code, overlapping spans, different extent),
    ``"code"`` (same extent, different codes) or ``"missing"`` (only one coder coded
    there: ``spans_a`` or ``spans_b`` is empty). ``start``/``end`` cover every span involved.
    """

    kind: str
    document: str
    start: int
    end: int
    codes: tuple[str, ...]
    spans_a: tuple[CodedSpan, ...]
    spans_b: tuple[CodedSpan, ...]


_KIND_ORDER = {"boundary": 0, "code": 1, "missing": 2}


def _components(items: list[CodedSpan]) -> list[list[CodedSpan]]:
    """Groups of spans connected by overlap (sharing at least one character)."""
    items = sorted(items, key=lambda s: (s.start, s.end, s.coder))
    out: list[list[CodedSpan]] = []
    reach = -1
    for s in items:
        if out and s.start < reach:
            out[-1].append(s)
            reach = max(reach, s.end)
        else:
            out.append([s])
            reach = s.end
    return out


def find_disagreements(
    spans: Iterable[CodedSpan],
    coder_a: str,
    coder_b: str,
    document: str,
    codes: Iterable[str] | None = None,
) -> list[Disagreement]:
    """List where two coders disagree in one document, sorted by position.

    Per code, spans of both coders are grouped by overlap. A group whose A and B spans
    have identical extents is agreement; a group with spans of both coders otherwise is a
    ``"boundary"`` disagreement. Groups with one coder only are then matched across codes:
    groups of A and B with the same extent form a ``"code"`` disagreement; the rest are
    ``"missing"`` (coded by one coder only).
    """
    wanted = set(codes) if codes is not None else None
    chosen = {
        s
        for s in spans
        if s.document == document
        and s.coder in (coder_a, coder_b)
        and (wanted is None or s.code in wanted)
    }
    by_code: Mapping[str, list[CodedSpan]] = defaultdict(list)
    for s in chosen:
        by_code[s.code].append(s)
    found: list[Disagreement] = []
    lonely: dict[tuple[int, int], list[list[CodedSpan]]] = defaultdict(list)
    for code, items in by_code.items():
        for comp in _components(items):
            a = tuple(s for s in comp if s.coder == coder_a)
            b = tuple(s for s in comp if s.coder == coder_b)
            extent = (min(s.start for s in comp), max(s.end for s in comp))
            if a and b:
                if sorted((s.start, s.end) for s in a) != sorted((s.start, s.end) for s in b):
                    found.append(Disagreement("boundary", document, *extent, (code,), a, b))
            else:
                lonely[extent].append(comp)
    for extent, comps in lonely.items():
        a = tuple(s for comp in comps for s in comp if s.coder == coder_a)
        b = tuple(s for comp in comps for s in comp if s.coder == coder_b)
        if a and b:
            codes_here = tuple(sorted({s.code for s in a + b}))
            found.append(Disagreement("code", document, *extent, codes_here, a, b))
            continue
        for comp in comps:
            ca = tuple(s for s in comp if s.coder == coder_a)
            cb = tuple(s for s in comp if s.coder == coder_b)
            found.append(Disagreement("missing", document, *extent, (comp[0].code,), ca, cb))
    found.sort(key=lambda d: (d.start, d.end, _KIND_ORDER[d.kind], d.codes))
    return found
