"""CSV, JSON and self-contained HTML exports of an agreement report, and a methods paragraph.

Every export carries the settings, the app version and the date, and every figure names
its measure, variant and unit. HTML cells of chance-corrected coefficients are coloured by
Krippendorff's (2004) thresholds: >= .800 reliable, >= .667 tentative, below that not.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from annotator.agreement.report import AgreementReport, ReportRow
from annotator.agreement.results import MEASURE_LABELS, AgreementValue

__all__ = ["fixed", "methods_paragraph", "report_to_csv", "report_to_html", "report_to_json"]

_CSV_COLUMNS = (
    "scope", "document", "code", "coders", "unit", "measure", "measure_label", "variant",
    "value", "undefined_reason", "n_units", "ci_low", "ci_high", "confidence",
    "p_below_667", "p_below_800", "resampled", "coded_by",
)  # fmt: skip

_UNIT_TEXT = {
    "character": "single characters",
    "sentence": "sentences",
    "paragraph": "paragraphs",
    "segment": "coded segments",
}


def _settings(report: AgreementReport) -> dict[str, Any]:
    s = report.settings
    return {
        "unit": s.unit,
        "coders": list(s.coders),
        "codes": list(s.codes),
        "documents": list(s.documents),
        "overlap": s.overlap,
        "bootstrap_resamples": s.bootstrap,
        "seed": s.seed,
        "confidence": s.confidence,
        "resampled": s.resample,
        "notes": list(s.notes),
        "frame": s.frame,
        "gamma": None
        if report.gamma_settings is None
        else {
            "n_samples": report.gamma_settings.n_samples,
            "seed": report.gamma_settings.seed,
            "alpha": report.gamma_settings.alpha,
            "beta": report.gamma_settings.beta,
            "delta_empty": report.gamma_settings.delta_empty,
            "sampler": "shuffle (Mathet et al. 2015, section 5.2)",
        },
    }


def _value_dict(v: AgreementValue) -> dict[str, Any]:
    out: dict[str, Any] = {
        "measure": v.measure,
        "measure_label": v.label,
        "variant": v.variant,
        "unit": v.unit,
        "value": v.value,
        "undefined_reason": v.undefined_reason,
        "n_units": v.n_units,
    }
    if v.ci is not None:
        out["ci"] = {
            "low": v.ci.low,
            "high": v.ci.high,
            "confidence": v.ci.confidence,
            "n_resamples": v.ci.n_resamples,
            "n_undefined": v.ci.n_undefined,
            "p_below_667": v.ci.p_below_667,
            "p_below_800": v.ci.p_below_800,
            "resampled": v.ci.resampled,
            "seed": v.ci.seed,
        }
    return out


def _row_dict(r: ReportRow) -> dict[str, Any]:
    return {
        "scope": r.scope,
        "document": r.document,
        "code": r.code,
        "coders": list(r.coders),
        "unit": r.unit,
        "n_units": r.n_units,
        "coded_by": dict(r.coded_by),
        "values": [_value_dict(v) for v in r.values],
    }


def report_to_json(report: AgreementReport, indent: int | None = 2) -> str:
    """The whole report as JSON (``None`` values are JSON ``null``)."""
    doc = {
        "app": "annotator",
        "app_version": report.app_version,
        "created": report.created.isoformat(),
        "settings": _settings(report),
        "methods": methods_paragraph(report),
        "rows": [_row_dict(r) for r in report.rows],
    }
    return json.dumps(doc, indent=indent, ensure_ascii=False)


def report_to_csv(report: AgreementReport) -> str:
    """Long-format CSV, one line per figure, after ``#`` comment lines with the settings.

    Read it with ``pandas.read_csv(path, comment="#")``.
    """
    buf = io.StringIO()
    buf.write(f"# annotator {report.app_version} agreement report, {report.created.isoformat()}\n")
    for key, val in _settings(report).items():
        if isinstance(val, dict):
            text = "; ".join(f"{k}={v}" for k, v in val.items())
        else:
            text = "; ".join(map(str, val)) if isinstance(val, list) else val
        buf.write(f"# {key}: {text}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for r in report.rows:
        coded = "; ".join(f"{c}={n}" for c, n in r.coded_by.items())
        for v in r.values:
            ci = v.ci
            writer.writerow(
                [
                    r.scope, r.document or "", r.code or "", "; ".join(r.coders), v.unit,
                    v.measure, v.label, v.variant,
                    "" if v.value is None else repr(v.value), v.undefined_reason or "",
                    v.n_units,
                    "" if ci is None else repr(ci.low), "" if ci is None else repr(ci.high),
                    "" if ci is None else ci.confidence,
                    "" if ci is None else repr(ci.p_below_667),
                    "" if ci is None else repr(ci.p_below_800),
                    "" if ci is None else ci.resampled,
                    coded,
                ]
            )  # fmt: skip
    return buf.getvalue()


def fixed(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` decimals, never a negative zero ("-0.000" reads as a sign)."""
    text = f"{x:.{digits}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text


def _fmt(x: float) -> str:
    # Reliability figures are conventionally printed without the leading zero (".812").
    text = fixed(x)
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def methods_paragraph(report: AgreementReport) -> str:
    """A short paragraph describing how agreement was computed, to paste into a paper."""
    s = report.settings
    n_docs, n_codes, m = len(s.documents), len(s.codes), len(s.coders)
    unit_text = _UNIT_TEXT[s.unit]
    parts = [
        f"Inter-coder agreement among {m} coders was assessed on {n_docs} document"
        f"{'s' if n_docs != 1 else ''} for {n_codes} code{'s' if n_codes != 1 else ''} "
        f"with annotator {report.app_version}."
    ]
    if s.frame:
        parts.append(s.frame)
    if s.unit == "segment":
        parts.append(
            "Codings were compared segment by segment: a coding counted as matched when the "
            "other coder applied the same code to a span overlapping at least "
            f"{s.overlap:.0%} of its length; precision, recall and F1 are reported per coder "
            "pair, with counts summed over documents and codes for pooled figures."
        )
    else:
        parts.append(
            f"Each code was treated as a binary variable (applied or not) on {unit_text} as "
            "units. Krippendorff's alpha (nominal) was computed from coincidences summed over "
            "documents (and over codes for the pooled value), never by averaging per-document "
            "values; percent agreement, "
            + ("Cohen's kappa, Scott's pi" if m == 2 else "Fleiss' kappa")
            + (
                ", Bennett's S and Gwet's AC1"
                if m == 2
                else ", Bennett's S (Randolph's 2005 free-marginal kappa) and Gwet's AC1"
            )
            + " are reported alongside."
        )
        if s.unit in ("sentence", "paragraph"):
            parts.append(
                f"A {s.unit} counted as coded by a coder when one of the coder's spans with "
                "that code overlapped it by at least one character."
            )
    alpha = report.pooled.value("krippendorff_alpha")
    if alpha is not None and alpha.value is not None:
        text = f"Pooled over all codes, alpha = {_fmt(alpha.value)}"
        if alpha.ci is not None:
            text += (
                f" ({alpha.ci.confidence:.0%} CI {_fmt(alpha.ci.low)} to {_fmt(alpha.ci.high)}, "
                f"{alpha.ci.n_resamples} bootstrap resamples of {alpha.ci.resampled}, "
                f"seed {alpha.ci.seed}; probability of alpha < .800: {alpha.ci.p_below_800:.2f})"
            )
        parts.append(text + ".")
    if s.unit != "segment":
        parts.append(
            "Following Krippendorff (2004), alpha >= .800 was considered reliable and "
            ">= .667 acceptable for tentative conclusions."
        )
    gamma = _gamma_sentence(report)
    if gamma:
        parts.append(gamma)
    return " ".join(parts)


GAMMA_REFERENCE = (
    "Mathet, Y., Widlöcher, A., & Métivier, J.-P. (2015). The unified and holistic method "
    "gamma for inter-annotator agreement measure and alignment. Computational Linguistics, "
    "41(3), 437-479."
)


def _gamma_sentence(report: AgreementReport) -> str:
    g = report.gamma_settings
    pooled = next((r for r in report.gamma_rows if r.code is None and r.document is None), None)
    if g is None or pooled is None:
        return ""
    text = (
        "Unitizing and categorization together were assessed with gamma (Mathet, Widlöcher "
        "& Métivier 2015): the coders' passages were aligned so that the total disorder "
        f"(positional dissimilarity weighted {g.alpha:g}, categorical {g.beta:g}, an "
        f"unaligned passage costing {g.delta_empty:g}) was smallest, and that disorder was "
        f"compared with the mean disorder of {g.n_samples} random continua drawn by the "
        f"paper's shuffle sampler (seed {g.seed})"
    )
    v = pooled.values[0]
    if v.value is not None:
        text += f"; pooled over all codes, gamma = {_fmt(v.value)}"
        if v.ci is not None:
            text += (
                f" ({v.ci.confidence:.0%} interval {_fmt(v.ci.low)} to {_fmt(v.ci.high)} "
                "from the sampling error of the expected disorder)"
            )
    return text + "."


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:3px 7px}
th{background:#eee;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.reliable{background:#b7e1b0}.tentative{background:#f6e7a1}.low{background:#f2b8b5}
.undef{background:#e4e4e4;color:#666}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px}
.meta td{border:none;padding:1px 8px}
"""


def _cell(v: AgreementValue | None) -> str:
    if v is None:
        return "<td></td>"
    if v.value is None:
        reason = html.escape(v.undefined_reason or "", quote=True)
        return f'<td class="num undef" title="{reason}">undefined</td>'
    cls = ""
    if v.chance_corrected:
        cls = "reliable" if v.value >= 0.8 else "tentative" if v.value >= 0.667 else "low"
    text = _fmt(v.value)
    if v.ci is not None:
        text += f"<br><small>[{_fmt(v.ci.low)}, {_fmt(v.ci.high)}]</small>"
    title = html.escape(f"{v.label}; {v.variant}; n = {v.n_units} {v.unit} units", quote=True)
    return f'<td class="num {cls}" title="{title}">{text}</td>'


def _table(rows: Sequence[ReportRow], first: str, label: Callable[[ReportRow], str]) -> str:
    if not rows:
        return "<p>(none)</p>"
    measures = list(dict.fromkeys(v.measure for r in rows for v in r.values))
    head = "".join(f"<th>{html.escape(MEASURE_LABELS.get(m, m))}</th>" for m in measures)
    out = [f"<table><tr><th>{html.escape(first)}</th><th>units</th><th>coded by</th>{head}</tr>"]
    for r in rows:
        coded = ", ".join(f"{html.escape(c)}: {n:,}" for c, n in r.coded_by.items())
        cells = "".join(_cell(r.value(m)) for m in measures)
        out.append(
            f"<tr><td>{html.escape(label(r))}</td><td class='num'>{r.n_units:,}</td>"
            f"<td>{coded}</td>{cells}</tr>"
        )
    out.append("</table>")
    return "".join(out)


def _code_label(row: ReportRow) -> str:
    return row.code if row.code is not None else "all codes (pooled)"


def _pair_label(row: ReportRow) -> str:
    return f"{' vs '.join(row.coders)}: {_code_label(row)}"


def _document_label(row: ReportRow) -> str:
    return row.document or ""


def _gamma_html(report: AgreementReport) -> list[str]:
    if not report.gamma_rows:
        return []

    def label(row: ReportRow) -> str:
        if row.document is not None:
            return f"document: {row.document}"
        return row.code if row.code is not None else "all codes (pooled)"

    return [
        "<h2>Gamma: unitizing and categorizing (Mathet et al. 2015)</h2>",
        _table(list(report.gamma_rows), "Scope", label),
        f"<p><small>{html.escape(GAMMA_REFERENCE)}</small></p>",
    ]


def report_to_html(report: AgreementReport) -> str:
    """A self-contained HTML page (inline CSS, no scripts or external resources)."""
    s = report.settings
    meta = [
        ("App version", f"annotator {report.app_version}"),
        ("Created", report.created.isoformat(timespec="seconds")),
        ("Unit", _UNIT_TEXT[s.unit]),
        ("Coders", ", ".join(s.coders)),
        ("Documents", str(len(s.documents)) + (f" ({s.frame})" if s.frame else "")),
        ("Codes", str(len(s.codes))),
    ]
    if s.overlap is not None:
        meta.append(("Minimum overlap", f"{s.overlap:g} of the coding's length"))
    if s.bootstrap:
        meta.append(
            ("Bootstrap", f"{s.bootstrap} resamples of {s.resample}, seed {s.seed}, "
             f"{s.confidence:.0%} percentile interval")
        )  # fmt: skip
    meta.extend(("Note", n) for n in s.notes)
    meta_html = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in meta
    )
    doc_rows = [r for r in report.document_rows if r.code is None]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Inter-coder agreement report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Inter-coder agreement report</h1>",
        f"<table class='meta'>{meta_html}</table>",
        "<p class='legend'>Chance-corrected coefficients: "
        "<span class='reliable'>&ge; .800 reliable</span>"
        "<span class='tentative'>&ge; .667 tentative</span>"
        "<span class='low'>&lt; .667 unreliable</span>"
        "<span class='undef'>undefined (hover for the reason)</span> "
        "(Krippendorff 2004).</p>",
        f"<h2>Methods</h2><p>{html.escape(methods_paragraph(report))}</p>",
        "<h2>Per code (pooled over documents)</h2>",
        _table([*report.code_rows, report.pooled], "Code", _code_label),
        "<h2>Per coder pair</h2>",
        _table(report.pair_rows, "Pair / code", _pair_label),
        "<h2>Per document (all codes pooled)</h2>",
        _table(doc_rows, "Document", _document_label),
        "<p>Per-code values per document are in the CSV and JSON exports.</p>",
        *_gamma_html(report),
        "</body></html>",
    ]
    return "\n".join(parts)
