"""``annotator field-agreement``: agreement per field of recommendation codings (issue 10)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import command, project_location


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("--coders", nargs=2, required=True, metavar="CODER", help="two coder names")
    p.add_argument("--code", action="append", default=[], metavar="CODE", help="code path(s)")
    p.add_argument(
        "--overlap", type=float, default=0.5, help="minimum shared share of the shorter span"
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--out", type=Path, help="write here instead of standard output")


@command("field-agreement", "agreement per field of codings two coders share")(_args)
def run(args: argparse.Namespace) -> int:
    """Print or write the per-field agreement."""
    from annotator.domain.codebook import code_path
    from annotator.domain.errors import ValidationError
    from annotator.services.field_agreement import FieldAgreementService, report_text
    from annotator.services.project import Project

    project = Project.open(args.project)
    try:
        code_ids = None
        if args.code:
            codes = {c.id: c for c in project.codebook.list()}
            paths = {code_path(c, codes).casefold(): c.id for c in codes.values()}
            try:
                code_ids = [paths[c.strip().casefold()] for c in args.code]
            except KeyError as exc:
                raise ValidationError(f"There is no code {exc} in this codebook.") from None
        report = FieldAgreementService(project).compute(
            args.coders[0], args.coders[1], code_ids, min_overlap=args.overlap
        )
        text = report_text(report, args.format)
    finally:
        project.close()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
