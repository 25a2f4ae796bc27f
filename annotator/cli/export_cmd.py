"""Subcommands that take data out of a project, or a codebook table in: ``export`` and
``codebook-import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import command
from annotator.domain.errors import AnnotatorError

CODED_SET_FORMATS = ("csv", "xlsx", "jsonl", "html")
REFI_FORMATS = ("qdpx", "qdc")
UNIT_FORMATS = ("units-csv", "units-xlsx")
CODEBOOK_TABLE_FORMATS = ("codebook-csv", "codebook-xlsx")
CODEBOOK_PRINT_FORMATS = ("codebook-html", "codebook-docx")
FORMATS = (
    *CODED_SET_FORMATS,
    *REFI_FORMATS,
    *UNIT_FORMATS,
    *CODEBOOK_TABLE_FORMATS,
    *CODEBOOK_PRINT_FORMATS,
)


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file")
    p.add_argument("--format", required=True, choices=FORMATS, help="what to write")
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
        "--examples",
        type=int,
        default=3,
        help="coded examples per code in the printable codebook (default 3)",
    )


def _refused_filters(args: argparse.Namespace, allowed: set[str]) -> list[str]:
    given = {
        "coder": bool(args.coder),
        "document": bool(args.document),
        "code": bool(args.code),
        "codebook-version": args.codebook_version is not None,
    }
    return [f"--{name}" for name, on in given.items() if on and name not in allowed]


def _run_refi(project: object, args: argparse.Namespace) -> str:
    try:
        # Loaded only when asked for, so the other formats never depend on it.
        from annotator.services import refi
    except ImportError as exc:
        raise AnnotatorError(f"REFI-QDA export is not available in this build ({exc}).") from exc

    if args.format == "qdc":
        refi.export_codebook(project, args.out)
        return f"Wrote the codebook to {args.out}."
    refi.export_project(
        project,
        args.out,
        coders=args.coder or None,
        documents=args.document or None,
        codes=args.code or None,
    )
    return f"Wrote {args.out}."


@command("export", "export codings, the unit table or the codebook (CSV, XLSX, QDPX...)")(
    _export_args
)
def _run_export(args: argparse.Namespace) -> int:
    from annotator.services.exporting import (
        ExportFilters,
        export_codings,
        export_unit_table,
    )
    from annotator.services.project import Project

    fmt: str = args.format
    allowed = {"coder", "document", "code", "codebook-version"}
    if fmt == "qdpx":
        allowed = {"coder", "document", "code"}
    elif fmt in CODEBOOK_TABLE_FORMATS or fmt in CODEBOOK_PRINT_FORMATS or fmt == "qdc":
        allowed = set()
    refused = _refused_filters(args, allowed)
    if refused:
        print(
            f"annotator: {', '.join(refused)} cannot be used with --format {fmt}", file=sys.stderr
        )
        return 2
    filters = ExportFilters(
        coders=tuple(args.coder),
        documents=tuple(args.document),
        codes=tuple(args.code),
        codebook_version=args.codebook_version,
    )
    project = Project.open(args.project)
    try:
        if fmt in CODED_SET_FORMATS:
            extra = {"context": args.context} if args.context is not None else {}
            summary = export_codings(project, args.out, fmt, filters, **extra)
            message = f"Wrote {summary.rows} codings from {summary.documents} documents."
        elif fmt in UNIT_FORMATS:
            summary = export_unit_table(
                project, args.out, args.unit, filters, fmt.removeprefix("units-")
            )
            message = f"Wrote {summary.rows} {args.unit}s from {summary.documents} documents."
        elif fmt in CODEBOOK_TABLE_FORMATS:
            from annotator.services.codebook_exchange import export_codebook_table

            n = export_codebook_table(project, args.out, fmt.removeprefix("codebook-"))
            message = f"Wrote {n} codes."
        elif fmt in CODEBOOK_PRINT_FORMATS:
            from annotator.services.codebook_exchange import print_codebook

            n = print_codebook(project, args.out, fmt.removeprefix("codebook-"), args.examples)
            message = f"Wrote {n} codes."
        else:
            message = _run_refi(project, args)
    finally:
        project.close()
    print(f"{message} ({args.out})")
    return 0


def _codebook_import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file")
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
            print(f"{label:8} {path}")
    print(report.summary())
    return 0
