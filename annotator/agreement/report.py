"""The agreement report: every figure per code, pooled, per document and per coder pair.

Pooling rule: a pooled figure is computed from the unit counts (coincidences, 2 x 2 tables,
matched codings) *summed* over the documents and/or codes it covers; it is never an
average of the per-document or per-code values. The pooled row covers every (code, unit)
decision of every selected document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from annotator.agreement import coefficients, core
from annotator.agreement.bootstrap import bootstrap_binary
from annotator.agreement.gamma_report import GAMMA_SCOPE, GammaSettings, gamma_rows
from annotator.agreement.results import AgreementValue, UndefinedAgreementError, defined, undefined
from annotator.agreement.segments import SegmentTable, match_segments
from annotator.agreement.spans import (
    MULTI_MEASURES,
    CodedSpan,
    UnitTable,
    character_units,
    multi_coder_value,
    text_units,
)

__all__ = [
    "AgreementCancelledError",
    "AgreementReport",
    "ReportRow",
    "ReportSettings",
    "build_report",
]

UNITS = ("character", "sentence", "paragraph", "segment")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class AgreementCancelledError(Exception):
    """Raised by :func:`build_report` when its ``cancelled`` callback returns True."""


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """What the report was computed on; rendered into every export."""

    unit: str
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    documents: tuple[str, ...]
    overlap: float | None
    bootstrap: int
    seed: int | None
    confidence: float
    resample: str | None
    notes: tuple[str, ...] = ()
    # Which documents were compared and why (a sentence for the methods paragraph).
    frame: str = ""


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row of figures.

    ``scope`` is ``"code"``, ``"pooled"``, ``"document"`` or ``"pair"``; ``code`` and
    ``document`` are ``None`` when the row pools all codes / all documents. ``coded_by``
    gives, per coder, how many units (characters, sentences, paragraphs or codings) the
    coder coded within the row's scope.
    """

    scope: str
    code: str | None
    document: str | None
    coders: tuple[str, ...]
    unit: str
    n_units: int
    coded_by: Mapping[str, int]
    values: tuple[AgreementValue, ...]

    def value(self, measure: str) -> AgreementValue | None:
        """The figure for a measure id, or None if the row does not have that measure."""
        return next((v for v in self.values if v.measure == measure), None)


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Everything :func:`build_report` computed, ready for the renderers."""

    settings: ReportSettings
    code_rows: tuple[ReportRow, ...]
    pooled: ReportRow
    document_rows: tuple[ReportRow, ...]
    pair_rows: tuple[ReportRow, ...]
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    app_version: str = ""
    gamma_rows: tuple[ReportRow, ...] = ()
    gamma_settings: GammaSettings | None = None

    @property
    def rows(self) -> tuple[ReportRow, ...]:
        """All rows: per code, pooled, per document, per coder pair, then gamma rows."""
        return (
            *self.code_rows,
            self.pooled,
            *self.document_rows,
            *self.pair_rows,
            *self.gamma_rows,
        )


class _Steps:
    """Progress reporting and cancellation checks for the GUI thread."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None):
        self.total, self.done = max(total, 1), 0
        self.progress, self.cancelled = progress, cancelled

    def tick(self, n: int = 1) -> None:
        if self.cancelled is not None and self.cancelled():
            raise AgreementCancelledError("agreement report cancelled")
        self.done = min(self.done + n, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total)


_PAIR_MEASURES: tuple[tuple[str, Callable[[NDArray[np.float64]], AgreementValue]], ...] = (
    ("cohen_kappa", coefficients.cohen_kappa),
    ("scott_pi", coefficients.scott_pi),
    ("bennett_s", coefficients.bennett_s),
    ("gwet_ac1", coefficients.gwet_ac1),
)


def pair_values(table: NDArray[np.float64], unit: str) -> tuple[AgreementValue, ...]:
    """Two-coder measures of a binary code from its 2 x 2 table (rows = first coder)."""
    n = round(float(table.sum()))
    profile = core.profile_from_table(table)
    out: list[AgreementValue] = []
    basic: tuple[tuple[str, Callable[[core.CountProfile], float]], ...] = (
        ("percent_agreement", core.pairwise_agreement),
        ("krippendorff_alpha", core.alpha),
    )
    for measure, func in basic:
        variant = "binary (code applied / not), " + (
            "nominal" if measure != "percent_agreement" else "two coders"
        )
        try:
            out.append(defined(func(profile), measure, variant, n, unit))
        except UndefinedAgreementError as exc:
            out.append(undefined(exc.reason, measure, variant, n, unit))
    for _, table_func in _PAIR_MEASURES:
        value = table_func(table)
        out.append(
            replace(value, unit=unit, variant="binary (code applied / not), " + value.variant)
        )
    return tuple(out)


def _multi_values(
    hist: NDArray[np.float64], pair_table: NDArray[np.float64], unit: str, m: int
) -> tuple[AgreementValue, ...]:
    if m == 2:
        return pair_values(pair_table, unit)
    return tuple(multi_coder_value(measure, hist, unit) for measure in MULTI_MEASURES)


def _with_ci(
    values: tuple[AgreementValue, ...],
    clusters: NDArray[np.float64],
    settings: ReportSettings,
    rng: np.random.Generator,
) -> tuple[AgreementValue, ...]:
    out = []
    for v in values:
        if v.measure == "krippendorff_alpha" and v.is_defined and settings.bootstrap > 0:
            try:
                ci = bootstrap_binary(
                    clusters,
                    settings.bootstrap,
                    rng,
                    settings.confidence,
                    settings.resample or "documents",
                    settings.seed,
                )
                v = replace(v, ci=ci)
            except UndefinedAgreementError:
                pass  # no interval; the point value stands
        out.append(v)
    return tuple(out)


def _unit_report(
    table: UnitTable, settings: ReportSettings, steps: _Steps
) -> tuple[list[ReportRow], ...]:
    hist, coded, pairs = table.histograms(), table.coded_counts(), table.pair_tables()
    coders, unit, m = table.coders, table.kind, len(table.coders)
    rng = np.random.default_rng(settings.seed)

    def row(scope: str, code: int | None, doc: int | None, ci: bool) -> ReportRow:
        sl_d = slice(None) if doc is None else slice(doc, doc + 1)
        sl_c = slice(None) if code is None else slice(code, code + 1)
        h = hist[sl_d, sl_c]
        values = _multi_values(h.sum(axis=(0, 1)), pairs[sl_d, sl_c, 0].sum(axis=(0, 1)), unit, m)
        if ci:
            # Documents as clusters: one histogram per document, codes summed within it.
            values = _with_ci(values, h.sum(axis=1), settings, rng)
        counts = coded[sl_d, sl_c].sum(axis=(0, 1))
        steps.tick()
        return ReportRow(
            scope,
            None if code is None else table.codes[code],
            None if doc is None else table.documents[doc],
            coders,
            unit,
            round(float(h.sum())),
            {c: round(float(x)) for c, x in zip(coders, counts, strict=True)},
            values,
        )

    code_rows = [row("code", c, None, True) for c in range(len(table.codes))]
    pooled = [row("pooled", None, None, True)]
    doc_rows = []
    for d in range(len(table.documents)):
        doc_rows.append(row("document", None, d, False))
        doc_rows.extend(row("document", c, d, False) for c in range(len(table.codes)))
    pair_rows = []
    for p, (a, b) in enumerate(combinations(range(m), 2)):
        for c in [*range(len(table.codes)), None]:
            sl_c = slice(None) if c is None else slice(c, c + 1)
            tab = pairs[:, sl_c, p].sum(axis=(0, 1))
            counts = coded[:, sl_c][..., [a, b]].sum(axis=(0, 1))
            pair_rows.append(
                ReportRow(
                    "pair",
                    None if c is None else table.codes[c],
                    None,
                    (coders[a], coders[b]),
                    unit,
                    round(float(tab.sum())),
                    {coders[a]: round(float(counts[0])), coders[b]: round(float(counts[1]))},
                    pair_values(tab, unit),
                )
            )
            steps.tick()
    return code_rows, pooled, doc_rows, pair_rows


def _segment_report(table: SegmentTable, steps: _Steps) -> tuple[list[ReportRow], ...]:
    coders, m = table.coders, len(table.coders)

    def row(
        scope: str, code: str | None, doc: str | None, pair: tuple[str, str] | None
    ) -> ReportRow:
        codings, _ = table.counts(code, doc)
        n = codings.sum(axis=(0, 1))
        # Precision/recall/F1 need a coder pair: the row's pair, or the only pair there is.
        who = pair if pair is not None else (coders[0], coders[1]) if m == 2 else None
        if who is not None:
            values = tuple(table.pair(who[0], who[1], code, doc).values())
        else:
            values = (table.group(code, doc),)
        names = who or coders
        counts = {c: round(float(n[coders.index(c)])) for c in names}
        steps.tick()
        return ReportRow(
            scope, code, doc, tuple(names), "segment", sum(counts.values()), counts, values
        )

    code_rows = [row("code", c, None, None) for c in table.codes]
    pooled = [row("pooled", None, None, None)]
    doc_rows = []
    for d in table.documents:
        doc_rows.append(row("document", None, d, None))
        doc_rows.extend(row("document", c, d, None) for c in table.codes)
    pair_rows = [
        row("pair", c, None, (a, b))
        for a, b in combinations(coders, 2)
        for c in [*table.codes, None]
    ]
    return code_rows, pooled, doc_rows, pair_rows


def build_report(
    spans: Iterable[CodedSpan],
    doc_lengths: Mapping[str, int],
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    unit: str = "character",
    unit_spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    overlap: float = 0.5,
    bootstrap: int = 0,
    seed: int | None = None,
    *,
    confidence: float = 0.95,
    resample: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    created: datetime | None = None,
    frame: str = "",
    gamma: GammaSettings | None = None,
) -> AgreementReport:
    """Compute the full agreement report for coded spans.

    Args:
        spans: the codings; spans of other coders, codes or documents are ignored.
        doc_lengths: document id -> length in code points (character unit; bounds check).
        coders: the coders to compare (two or more); each is assumed to have coded every
            selected document completely.
        codes: codes to report (default: every code used by the selected coders).
        documents: documents to include (default: all keys of ``doc_lengths``).
        unit: ``"character"``, ``"sentence"``, ``"paragraph"`` (both need ``unit_spans``:
            document id -> disjoint ``(start, end)`` units) or ``"segment"``.
        overlap: minimum overlap fraction for the segment unit (see ``segments``).
        bootstrap: number of bootstrap resamples for alpha's interval (0 = none); per-code
            and pooled rows get one.
        seed: seed of the bootstrap's random generator (reproducible figures).
        confidence: confidence level of the bootstrap interval.
        resample: ``"documents"`` or ``"units"``; default documents for the character unit
            (neighbouring characters are not independent) and units otherwise.
        progress: called as ``progress(done, total)`` while rows are computed.
        cancelled: polled between rows; returning True raises :class:`AgreementCancelledError`.
        created: timestamp to record (default: now, UTC).
        frame: a sentence saying which documents were compared and why (the rule the
            caller used to choose ``documents``); printed in the methods paragraph.
        gamma: when given, gamma (Mathet et al. 2015) is added, pooled over codes, per
            code and per document, as rows of scope ``"gamma"`` (unit ``"passage"``).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}")
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 or a positive number of resamples")
    if resample not in (None, "documents", "units"):
        raise ValueError("resample must be 'documents' or 'units'")
    spans = list(spans)
    documents = tuple(documents if documents is not None else doc_lengths)
    notes: list[str] = []
    if unit == "segment" and bootstrap:
        notes.append("bootstrap skipped: the segment unit reports no alpha")
        bootstrap = 0
    if resample is None and unit != "segment":
        resample = "documents" if unit == "character" else "units"
    if bootstrap and resample == "documents" and len(documents) < 2:
        notes.append("no bootstrap interval: resampling documents needs two or more documents")
    if unit in ("sentence", "paragraph"):
        if unit_spans is None:
            raise ValueError(f"the {unit} unit needs unit_spans")
        table: UnitTable | SegmentTable = text_units(
            spans, unit_spans, coders, codes, documents, unit
        )
    elif unit == "character":
        table = character_units(spans, doc_lengths, coders, codes, documents)
    else:
        table = match_segments(spans, coders, codes, documents, overlap)
    settings = ReportSettings(
        unit,
        table.coders,
        table.codes,
        table.documents,
        overlap if unit == "segment" else None,
        bootstrap,
        seed,
        confidence,
        resample if unit != "segment" else None,
        tuple(notes),
        frame,
    )
    n_codes, n_docs, m = len(table.codes), len(table.documents), len(table.coders)
    total = n_codes + 1 + n_docs * (n_codes + 1) + (m * (m - 1) // 2) * (n_codes + 1)
    steps = _Steps(total, progress, cancelled)
    steps.tick(0)
    if isinstance(table, UnitTable):
        code_rows, pooled, doc_rows, pair_rows = _unit_report(table, settings, steps)
    else:
        code_rows, pooled, doc_rows, pair_rows = _segment_report(table, steps)
    from annotator import __version__  # the root package; imported late to avoid cycles

    extra: tuple[ReportRow, ...] = ()
    if gamma is not None:
        extra = _gamma_report_rows(
            spans, doc_lengths, table.coders, table.codes, table.documents, gamma, cancelled
        )
    return AgreementReport(
        settings,
        tuple(code_rows),
        pooled[0],
        tuple(doc_rows),
        tuple(pair_rows),
        created or datetime.now(UTC),
        __version__,
        extra,
        gamma,
    )


def _gamma_report_rows(
    spans: list[CodedSpan],
    doc_lengths: Mapping[str, int],
    coders: Sequence[str],
    codes: Sequence[str],
    documents: Sequence[str],
    gamma: GammaSettings,
    cancelled: Cancelled | None,
) -> tuple[ReportRow, ...]:
    from annotator.agreement.gamma import GammaCancelledError

    try:
        data = gamma_rows(spans, doc_lengths, coders, codes, documents, gamma, cancelled=cancelled)
    except GammaCancelledError as exc:
        raise AgreementCancelledError("agreement report cancelled") from exc
    return tuple(
        ReportRow(
            GAMMA_SCOPE,
            g.code,
            g.document,
            tuple(coders),
            "passage",
            sum(g.coded_by.values()),
            dict(g.coded_by),
            (g.value,),
        )
        for g in data
    )
