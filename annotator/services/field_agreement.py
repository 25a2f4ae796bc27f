"""Agreement per field between two coders, and the value disagreements behind it.

Codings of each code with fields are matched across the two coders by overlap
(:func:`annotator.agreement.fields.match_by_overlap`); per field, the matched pairs where
both values are confirmed (suggestions never count) are compared at the field's level.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from annotator.agreement.fields import (
    DEFAULT_MIN_OVERLAP,
    FieldAgreement,
    SpanRef,
    field_agreement,
    match_by_overlap,
)
from annotator.domain.codebook import code_path
from annotator.domain.errors import ValidationError
from annotator.domain.fields import FieldDef, FieldValueData, format_value
from annotator.domain.model import Coder, Coding
from annotator.services.fields import FieldService


@dataclass(frozen=True)
class ValueDisagreement:
    """Two matched codings whose values for one field differ (or one coder left it empty)."""

    field: FieldDef
    coding_a: Coding
    coding_b: Coding
    value_a: FieldValueData | None
    value_b: FieldValueData | None

    def describe(self) -> str:
        """E.g. ``Strength: must ≠ should``."""
        a = format_value(self.field, self.value_a) or "(empty)"
        b = format_value(self.field, self.value_b) or "(empty)"
        return f"{self.field.name}: {a} ≠ {b}"


@dataclass(frozen=True)
class FieldAgreementReport:
    """Per-field agreement of two coders, with the disagreements to settle."""

    coders: tuple[Coder, Coder]
    rows: tuple[tuple[str, FieldAgreement], ...]  # (code path, agreement of one field)
    disagreements: tuple[ValueDisagreement, ...]
    min_overlap: float


def _coder(project: Any, given: str | uuid.UUID) -> Coder:
    for c in project.coders.list():
        if str(c.id) == str(given) or c.name.casefold() == str(given).strip().casefold():
            return c
    raise ValidationError(f"There is no coder '{given}' in this project.")


class FieldAgreementService:
    """Field agreement for one project."""

    def __init__(self, project: Any) -> None:
        self._project = project
        self._fields = FieldService(project)

    def compute(
        self,
        coder_a: str | uuid.UUID,
        coder_b: str | uuid.UUID,
        code_ids: Collection[uuid.UUID] | None = None,
        document_ids: Collection[uuid.UUID] | None = None,
        min_overlap: float = DEFAULT_MIN_OVERLAP,
    ) -> FieldAgreementReport:
        """Agreement per field of every code with fields (or of ``code_ids``)."""
        a, b = _coder(self._project, coder_a), _coder(self._project, coder_b)
        if a.id == b.id:
            raise ValidationError("Choose two different coders.")
        by_code = self._fields.fields_by_code()
        if code_ids is not None:
            by_code = {k: v for k, v in by_code.items() if k in set(code_ids)}
        codes = {c.id: c for c in self._project.codebook.list()}
        codings = self._project.codings.all({a.id, b.id})
        if document_ids is not None:
            codings = [c for c in codings if c.document_id in set(document_ids)]
        values = self._fields.values_for_codings(c.id for c in codings if c.code_id in by_code)
        rows: list[tuple[str, FieldAgreement]] = []
        disagreements: list[ValueDisagreement] = []
        for code_id, fields in by_code.items():
            if code_id not in codes:
                continue
            mine = [c for c in codings if c.code_id == code_id]
            side_a = [c for c in mine if c.coder_id == a.id]
            side_b = [c for c in mine if c.coder_id == b.id]
            by_id = {c.id: c for c in mine}
            pairs = match_by_overlap(
                [SpanRef(c.id, c.document_id, c.start, c.end) for c in side_a],
                [SpanRef(c.id, c.document_id, c.start, c.end) for c in side_b],
                min_overlap,
            )
            for f in fields:
                compared = []
                for ia, ib in pairs:
                    va = values.get(ia, {}).get(f.id)  # type: ignore[call-overload]
                    vb = values.get(ib, {}).get(f.id)  # type: ignore[call-overload]
                    va = None if va is None or va.suggested else va.value
                    vb = None if vb is None or vb.suggested else vb.value
                    if va is not None and vb is not None:
                        compared.append((va, vb))
                    if va != vb and (va is not None or vb is not None):
                        disagreements.append(
                            ValueDisagreement(f, by_id[ia], by_id[ib], va, vb)  # type: ignore[index]
                        )
                result = field_agreement(
                    f.name, str(f.kind), len(pairs), compared, [c.id for c in f.choices]
                )
                rows.append((code_path(codes[code_id], codes), result))
        return FieldAgreementReport((a, b), tuple(rows), tuple(disagreements), min_overlap)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.3f}"


def report_rows(report: FieldAgreementReport) -> list[dict[str, object]]:
    """One plain dictionary per field (for CSV, JSON and the agreement window)."""
    out = []
    for path, r in report.rows:
        out.append(
            {
                "code": path,
                "field": r.field,
                "level": r.level,
                "matched_codings": r.matched,
                "compared": r.compared,
                "percent_agreement": r.percent.value,
                "alpha": r.alpha.value if r.alpha else None,
                "alpha_undefined_reason": r.alpha.undefined_reason if r.alpha else "not computed",
                "mean_jaccard": r.mean_jaccard,
                "mean_masi": r.mean_masi,
                "weighted_kappa_linear": r.weighted[0].value if r.weighted else None,
                "weighted_kappa_quadratic": r.weighted[1].value if r.weighted else None,
            }
        )
    return out


FIELD_METHODS_REFERENCES = (
    "Krippendorff, K. (2004). Content Analysis (2nd ed.). Sage.",
    "Cohen, J. (1968). Weighted kappa. Psychological Bulletin 70(4), 213-220.",
    "Passonneau, R. (2006). Measuring agreement on set-valued items (MASI). LREC 2006.",
)


def methods_text(report: FieldAgreementReport) -> str:
    """A methods paragraph for agreement on recommendation fields, with its references."""
    ordinal = any(r.level == "ordinal" for _, r in report.rows)
    text = (
        f"Agreement on the values of {len(report.rows)} field"
        f"{'s' if len(report.rows) != 1 else ''} was computed on the codings both coders "
        f"made (paired one to one when they shared at least {report.min_overlap:.0%} of the "
        "shorter span; suggested, unconfirmed values were left out): Krippendorff's alpha at "
        "each field's level (nominal for choices, ordinal for scales, interval for numbers; "
        "Krippendorff 2004), MASI-weighted alpha and mean Jaccard for multiple choice "
        "(Passonneau 2006)"
    )
    if ordinal:
        text += (
            ", and for ordinal scales Cohen's (1968) weighted kappa with linear and quadratic "
            "weights, so that a near miss counts as a smaller disagreement"
        )
    return text + ". References: " + " ".join(FIELD_METHODS_REFERENCES)


def report_text(report: FieldAgreementReport, fmt: str = "table") -> str:
    """The report as an aligned table, CSV or JSON."""
    rows = report_rows(report)
    if fmt == "json":
        return json.dumps(
            {
                "coders": [c.name for c in report.coders],
                "min_overlap": report.min_overlap,
                "methods": methods_text(report),
                "fields": rows,
                "disagreements": [
                    {
                        "field": d.field.name,
                        "coding_a": str(d.coding_a.id),
                        "coding_b": str(d.coding_b.id),
                        "value_a": format_value(d.field, d.value_a),
                        "value_b": format_value(d.field, d.value_b),
                    }
                    for d in report.disagreements
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["code"])
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    header = ("Code", "Field", "Level", "Matched", "Compared", "Agreement", "Alpha", "MASI")
    table = [header] + [
        (
            str(r["code"]),
            str(r["field"]),
            str(r["level"]),
            str(r["matched_codings"]),
            str(r["compared"]),
            _num(r["percent_agreement"]),  # type: ignore[arg-type]
            _num(r["alpha"]) or "—",  # type: ignore[arg-type]
            _num(r["mean_masi"]),  # type: ignore[arg-type]
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [
        f"Agreement per field: {report.coders[0].name} vs {report.coders[1].name} "
        f"(codings matched when they share at least {report.min_overlap:.0%} of the shorter "
        "span; suggested values are not counted)",
        "",
    ]
    for i, row in enumerate(table):
        lines.append(
            "  ".join(
                c.ljust(w) if j < 3 else c.rjust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{len(report.disagreements)} value disagreements to settle.")
    kappas = [
        f"  {r['field']}: weighted kappa linear {_num(r['weighted_kappa_linear'])}, "  # type: ignore[arg-type]
        f"quadratic {_num(r['weighted_kappa_quadratic'])}"  # type: ignore[arg-type]
        for r in rows
        if r["weighted_kappa_linear"] is not None
    ]
    if kappas:
        lines += ["", "Ordinal fields:", *kappas]
    lines += ["", methods_text(report)]
    return "\n".join(lines) + "\n"
