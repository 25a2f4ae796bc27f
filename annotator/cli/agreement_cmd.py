"""``annotator agreement``: inter-coder agreement of a project, as a table or a report file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli import command, project_location

if TYPE_CHECKING:
    from annotator.agreement import AgreementReport, AgreementValue, ReportRow

FORMATS = ("table", "csv", "json", "html")
UNITS = ("character", "sentence", "paragraph", "segment")
MEASURE_CHOICES = ("standard", "gamma")

SHORT_LABELS = {
    "percent_agreement": "Agreement",
    "krippendorff_alpha": "Alpha",
    "cohen_kappa": "Kappa",
    "scott_pi": "Pi",
    "fleiss_kappa": "Fleiss k",
    "bennett_s": "S",
    "gwet_ac1": "AC1",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "segment_agreement": "Matched",
    "gamma": "Gamma",
}
"""Column headers of the printed table (the files carry the full measure names)."""


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument(
        "--coders", nargs="+", required=True, metavar="CODER", help="two or more coder names/UUIDs"
    )
    p.add_argument("--codes", nargs="+", default=[], metavar="CODE", help="code paths or UUIDs")
    p.add_argument(
        "--no-descendants", action="store_true", help="compare only the named codes, no sub-codes"
    )
    p.add_argument(
        "--documents", nargs="+", default=[], metavar="DOC", help="document titles or UUIDs"
    )
    p.add_argument("--unit", choices=UNITS, default="character", help="default: character")
    p.add_argument(
        "--frame",
        choices=("coded-by-all", "coded-by-any", "all"),
        default="coded-by-all",
        help="which of the documents are compared: those every compared coder coded "
        "(default), those any of them coded, or all",
    )
    p.add_argument(
        "--overlap",
        type=_fraction,
        default=0.5,
        help="segment unit: minimum overlap as a share of the coding's length (default 0.5)",
    )
    p.add_argument("--bootstrap", type=int, default=0, metavar="N", help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="bootstrap random seed")
    p.add_argument(
        "--measure",
        choices=MEASURE_CHOICES,
        default="standard",
        help="standard: alpha, kappa, pi, S, AC1 (default); gamma: also gamma (Mathet et "
        "al. 2015), pooled, per code and per document",
    )
    p.add_argument(
        "--gamma-samples",
        type=int,
        default=30,
        metavar="N",
        help="random continua for gamma's expected disorder (default 30; seed: --seed or 0)",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="default: table")
    p.add_argument("--out", type=Path, help="write to this file instead of standard output")


def format_value(v: AgreementValue | None) -> str:
    """A figure as printed: three decimals, "undefined", and the interval when there is one."""
    if v is None:
        return ""
    if v.value is None:
        return "undefined"
    from annotator.agreement.render import fixed

    text = fixed(v.value)
    if v.ci is not None:
        text += f" [{fixed(v.ci.low)}, {fixed(v.ci.high)}]"
    return text


def _label(row: ReportRow) -> str:
    if row.scope == "pair":
        return f"{' vs '.join(row.coders)}: {row.code or 'all codes'}"
    return row.code or "All codes (pooled)"


def render_table(report: AgreementReport) -> str:
    """The per-code and pooled rows as an aligned plain-text table, with the settings."""
    s = report.settings
    rows = [*report.code_rows, report.pooled]
    measures = list(dict.fromkeys(v.measure for r in rows for v in r.values))
    header = ["Code", "Units", *(f"coded: {c}" for c in s.coders)]
    header += [SHORT_LABELS.get(m, m) for m in measures]
    body = [
        [
            _label(r),
            f"{r.n_units:,}",
            *(f"{r.coded_by.get(c, 0):,}" for c in s.coders),
            *(format_value(r.value(m)) for m in measures),
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [cell.rjust(w) for cell, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    out = [
        f"Inter-coder agreement ({s.unit} units; coders: {', '.join(s.coders)}; "
        f"{len(s.documents)} documents; {len(s.codes)} codes)",
    ]
    if s.frame:
        out.append(s.frame)
    if s.overlap is not None:
        out.append(f"Minimum overlap: {s.overlap:g} of the coding's length")
    if s.bootstrap:
        out.append(
            f"Alpha intervals: {s.confidence:.0%} percentile bootstrap, {s.bootstrap} "
            f"resamples of {s.resample}, seed {s.seed}"
        )
    out.extend(f"Note: {n}" for n in s.notes)
    out += ["", line(header), "  ".join("-" * w for w in widths)]
    out += [line(cells) for cells in body[:-1]]
    out += ["  ".join("-" * w for w in widths), line(body[-1])]
    only = "krippendorff_alpha" if s.unit != "segment" else None
    reasons = [
        f"  {_label(r)}: {SHORT_LABELS.get(v.measure, v.measure)}: {v.undefined_reason}"
        for r in rows
        for v in r.values
        if v.value is None and only in (None, v.measure)
    ]
    if reasons:
        out += ["", "Undefined values:", *reasons]
    if s.unit != "segment":
        out += ["", "Reliable: alpha >= .800; tentative: >= .667 (Krippendorff 2004)."]
    out += _gamma_lines(report)
    return "\n".join(out) + "\n"


def _gamma_lines(report: AgreementReport) -> list[str]:
    """Gamma's rows, when computed: value, interval and disorder per scope."""
    g = report.gamma_settings
    if g is None:
        return []
    out = [
        "",
        f"Gamma (Mathet et al. 2015; {g.n_samples} random continua, shuffle sampler, "
        f"seed {g.seed}; alpha {g.alpha:g}, beta {g.beta:g}, delta-empty {g.delta_empty:g}):",
    ]
    for r in report.gamma_rows:
        scope = (
            f"document {r.document}"
            if r.document is not None
            else r.code
            if r.code is not None
            else "All codes (pooled)"
        )
        v = r.values[0]
        text = format_value(v) if v.value is not None else f"undefined ({v.undefined_reason})"
        out.append(f"  {scope}: {text}  [{r.n_units:,} passages]")
    return out


@command("agreement", "inter-coder agreement: a table, or a CSV/JSON/HTML report")(_args)
def _run(args: argparse.Namespace) -> int:
    from annotator.services.agreement import AgreementRequest, AgreementService, render_report
    from annotator.services.project import Project

    if args.bootstrap < 0:
        print("annotator: --bootstrap must be 0 or more", file=sys.stderr)
        return 2
    if args.gamma_samples < 2:
        print("annotator: --gamma-samples must be 2 or more", file=sys.stderr)
        return 2
    request = AgreementRequest(
        coders=tuple(args.coders),
        documents=tuple(args.documents),
        codes=tuple(args.codes),
        descendants=not args.no_descendants,
        unit=args.unit,
        overlap=args.overlap,
        bootstrap=args.bootstrap,
        seed=args.seed,
        frame=args.frame,
        gamma_samples=args.gamma_samples if args.measure == "gamma" else 0,
    )
    project = Project.open(args.project)
    try:
        result = AgreementService(project).compute(request)
    finally:
        project.close()
    report = result.report
    text = render_table(report) if args.format == "table" else render_report(report, args.format)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    try:
        args.out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        print(f"annotator: could not write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.format} agreement report to {args.out}.", file=sys.stderr)
    return 0
