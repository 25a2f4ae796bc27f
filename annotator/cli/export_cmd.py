"""Subcommands that take data out of a project, or a codebook table in: ``export`` and
``codebook-import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import command, project_location
from annotator.cli.text import shown, shown_lines


def _export_args(p: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: loading the CLI must not load the services.
    from annotator.services.export_dispatch import FORMATS

    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("--format", required=True, choices=list(FORMATS), help="what to write")
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    p.add_argument(
        "--coder", action="append", default=[], help="only this coder (name or UUID; repeatable)"
    )
    p.add_argument(
        "--document",
        action="append",
        default=[],
        help="only this document (title or UUID; repeatable)",
    )
    p.add_argument(
        "--code",
        action="append",
        default=[],
        help="only this code and its descendants (path or UUID; repeatable)",
    )
    p.add_argument("--codebook-version", help="only codings stamped with this codebook version")
    p.add_argument(
        "--group", action="append", default=[], help="only documents of this group (repeatable)"
    )
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only documents whose attribute (or date, author...) KEY is VALUE (repeatable)",
    )
    p.add_argument(
        "--unit",
        choices=("sentence", "paragraph"),
        default="sentence",
        help="rows of the unit-by-coder table (default: sentence)",
    )
    p.add_argument(
        "--context",
        type=int,
        default=None,
        help="characters of context around each quote (default 100)",
    )
    p.add_argument(
        "--csv-raw",
        action="store_true",
        help="CSV: write text exactly, without the apostrophe that stops spreadsheets from "
        "running cells that start with = + - @ (for R and pandas)",
    )
    p.add_argument(
        "--examples",
        type=int,
        default=3,
        help="coded examples per code in the printable codebook (default 3)",
    )
    p.add_argument(
        "--uncoded-text",
        action="store_true",
        help="HTML report: also print the text of documents without codings",
    )


def _pairs(entries: list[str]) -> list[tuple[str, str]]:
    from annotator.domain.errors import ValidationError

    pairs = []
    for entry in entries:
        key, sep, value = entry.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--attribute wants KEY=VALUE, not '{entry}'.")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _refused_filters(args: argparse.Namespace, allowed: set[str]) -> list[str]:
    given = {
        "coder": bool(args.coder),
        "document": bool(args.document),
        "code": bool(args.code),
        "codebook-version": args.codebook_version is not None,
        "group": bool(args.group),
        "attribute": bool(args.attribute),
    }
    return [f"--{name}" for name, on in given.items() if on and name not in allowed]


@command("export", "export codings, the unit table or the codebook (CSV, XLSX, QDPX...)")(
    _export_args
)
def _run_export(args: argparse.Namespace) -> int:
    from annotator.services.export_dispatch import ExportRequest, allowed_filters, run_export
    from annotator.services.exporting import ExportFilters
    from annotator.services.project import Project

    refused = _refused_filters(args, allowed_filters(args.format))
    if refused:
        print(
            f"annotator: {', '.join(refused)} cannot be used with --format {args.format}",
            file=sys.stderr,
        )
        return 2
    request = ExportRequest(
        fmt=args.format,
        out=args.out,
        filters=ExportFilters(
            coders=tuple(args.coder),
            documents=tuple(args.document),
            codes=tuple(args.code),
            codebook_version=args.codebook_version,
            groups=tuple(args.group),
            attributes=tuple(_pairs(args.attribute)),
        ),
        unit=args.unit,
        context=args.context,
        examples=args.examples,
        csv_protect=not args.csv_raw,
        uncoded_text=args.uncoded_text,
    )
    project = Project.open(args.project)
    try:
        print(shown_lines(run_export(project, request)))
    finally:
        project.close()
    return 0


def _codebook_import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("file", type=Path, help="a codebook table (.csv or .xlsx)")
    p.add_argument("--coder", help="the coder recorded in the change log for these edits")


@command("codebook-import", "merge a codebook table (CSV or XLSX) into a project's codebook")(
    _codebook_import_args
)
def _run_codebook_import(args: argparse.Namespace) -> int:
    from annotator.services.codebook_exchange import import_codebook_table
    from annotator.services.project import Project

    project = Project.open(args.project)
    try:
        coder_id = project.coders.ensure(args.coder).id if args.coder else None
        report = import_codebook_table(project, args.file, coder_id)
    finally:
        project.close()
    for label, paths in (("added", report.added), ("updated", report.updated)):
        for path in paths:
            print(f"{label:8} {shown(path)}")
    print(shown_lines(report.summary()))
    return 0
