"""Coders over time: which documents fall in which bin, and agreement per bin.

Rules (documented in docs/agreement.md, "Coders over time"):

* A document enters a series only when two or more of the series' coders coded it (for
  "X vs others": X and at least one other), so uncoded documents never inflate agreement.
* A document's time is the median creation time of the series' coders' codings on it
  (for "X vs others", of X's codings: X's own pace of work).
* ``by="week"``: bins are ISO weeks of that time (``2026-W49``); ``by="codings"``:
  documents in order of time, a new bin starting once the current one holds at least
  ``every`` codings; ``by="version"``: the codebook version most of the document's
  codings were made under (frozen versions in order, then "unversioned" for codings
  made before the first freeze).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median_low
from typing import TYPE_CHECKING

from annotator.agreement import AgreementCancelledError, CodedSpan
from annotator.agreement.drift import DriftBin, DriftSeries, DriftWarning, drift_series
from annotator.domain.codebook import tree_order
from annotator.domain.codebook_paths import code_paths
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding
from annotator.services.agreement import AgreementService, document_labels

if TYPE_CHECKING:
    from annotator.services.project import Project

BY = ("week", "codings", "version")
UNVERSIONED = "unversioned"


@dataclass(frozen=True)
class DriftRequest:
    """What to follow over time; ``coders`` are names or UUIDs (two or more)."""

    coders: tuple[str, ...]
    by: str = "week"
    every: int = 50
    codes: tuple[str, ...] = ()
    threshold: float = 0.1


@dataclass(frozen=True)
class DriftResult:
    """Series (all coders first, then each coder vs the others) and the drops flagged."""

    by: str
    series: tuple[DriftSeries, ...]
    warnings: tuple[DriftWarning, ...]
    threshold: float


class DriftService:
    """Agreement by week, by N codings or by codebook version (read-only)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def compute(
        self,
        request: DriftRequest,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> DriftResult:
        """Compute every series; raises :class:`ValidationError` for bad requests.

        ``cancelled`` is polled between the coders' series; when it returns True the
        computation stops by raising
        :class:`annotator.agreement.AgreementCancelledError`.
        """
        if request.by not in BY:
            raise ValidationError(f"Bin by one of: {', '.join(BY)}.")
        if request.by == "codings" and request.every < 1:
            raise ValidationError("Bins of N codings need N of 1 or more.")
        if not 0 <= request.threshold <= 2:
            raise ValidationError("The warning threshold must be between 0 and 2.")
        agreement = AgreementService(self._project)
        coders = agreement.resolve_coders(request.coders)
        wanted = agreement.resolve_codes(request.codes)
        documents = self._project.documents.list()
        labels = document_labels(documents)
        names = {c.id: c.name for c in coders}
        every_code = self._project.codebook.list()
        paths = code_paths(every_code)
        wanted_ids = None if wanted is None else {c.id for c in wanted}
        codings = [
            c
            for c in self._project.codings.all(set(names))
            if wanted_ids is None or c.code_id in wanted_ids
        ]
        used = {c.code_id for c in codings}
        codes = [paths[c.id] for c in tree_order(every_code) if c.id in used]
        versions = self._version_order()
        bins: dict[str | None, list[DriftBin]] = {None: []}
        bins[None] = self._bins(codings, set(names), request, labels, versions)
        for i, coder in enumerate(coders):
            if cancelled is not None and cancelled():
                raise AgreementCancelledError("agreement over time cancelled")
            bins[coder.name] = self._bins(
                codings, set(names), request, labels, versions, focus=coder.id
            )
            if progress is not None:
                progress(i + 1, len(coders) + 1)
        spans = [
            CodedSpan(names[c.coder_id], labels[c.document_id], paths[c.code_id], c.start, c.end)
            for c in codings
        ]
        lengths = {labels[d.id]: d.length for d in documents}
        series, warnings = drift_series(
            spans, lengths, [c.name for c in coders], codes, bins, request.threshold
        )
        if progress is not None:
            progress(len(coders) + 1, len(coders) + 1)
        return DriftResult(request.by, tuple(series), tuple(warnings), request.threshold)

    def _version_order(self) -> dict[uuid.UUID | None, tuple[int, str]]:
        listed = sorted(self._project.codebook.versions.list(), key=lambda v: v.created_at)
        order: dict[uuid.UUID | None, tuple[int, str]] = {None: (-1, UNVERSIONED)}
        order.update({v.id: (i, v.name) for i, v in enumerate(listed)})
        return order

    def _bins(
        self,
        codings: Sequence[Coding],
        coders: set[uuid.UUID],
        request: DriftRequest,
        labels: dict[uuid.UUID, str],
        versions: dict[uuid.UUID | None, tuple[int, str]],
        focus: uuid.UUID | None = None,
    ) -> list[DriftBin]:
        by_doc: dict[uuid.UUID, list[Coding]] = {}
        for c in codings:
            by_doc.setdefault(c.document_id, []).append(c)
        docs: list[tuple[datetime, tuple[int, str], str, int]] = []
        for doc_id, items in by_doc.items():
            who = {c.coder_id for c in items} & coders
            if len(who) < 2 or (focus is not None and focus not in who):
                continue
            own = [c for c in items if focus is None or c.coder_id == focus]
            when = median_low([c.created_at for c in own])
            version = Counter(c.codebook_version_id for c in own).most_common(1)[0][0]
            docs.append((when, versions.get(version, (-1, UNVERSIONED)), labels[doc_id], len(own)))
        docs.sort()
        return _group(docs, request)


def _group(
    docs: list[tuple[datetime, tuple[int, str], str, int]], request: DriftRequest
) -> list[DriftBin]:
    groups: dict[tuple[object, str], list[tuple[str, int]]] = {}
    if request.by == "week":
        for when, _, label, n in docs:
            year, week, _ = when.isocalendar()
            groups.setdefault(((year, week), f"{year}-W{week:02d}"), []).append((label, n))
    elif request.by == "version":
        for _, (rank, name), label, n in docs:
            groups.setdefault((rank, name), []).append((label, n))
    else:
        current: list[tuple[str, int]] = []
        start = 1
        for _, _, label, n in docs:
            current.append((label, n))
            total = sum(k for _, k in current)
            if total >= request.every:
                groups[(start, f"codings {start}-{start + total - 1}")] = current
                start += total
                current = []
        if current:
            total = sum(k for _, k in current)
            groups[(start, f"codings {start}-{start + total - 1}")] = current
    return [
        DriftBin(name, tuple(label for label, _ in items), sum(n for _, n in items))
        for (_, name), items in sorted(groups.items(), key=lambda kv: kv[0][0])  # type: ignore[arg-type]
    ]
