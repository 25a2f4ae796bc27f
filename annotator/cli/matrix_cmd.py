"""``annotator matrix`` (code matrices, crosstabs, co-occurrence) and ``annotator memos``."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli import command, project_location


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", action="append", default=[], help="only this coder (repeatable)")
    p.add_argument("--document", action="append", default=[], help="only this document")
    p.add_argument("--group", action="append", default=[], help="only documents of this group")
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only documents whose attribute KEY is VALUE (repeatable; all must hold)",
    )
    p.add_argument("--date-from", help="only documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--date-to", help="only documents dated on or before (YYYY[-MM[-DD]])")
    p.add_argument("--code", action="append", default=[], help="only this code and its subtree")


def _matrix_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("--rows", choices=("codes",), default="codes", help="rows (codes)")
    p.add_argument(
        "--cols",
        default="documents",
        help="documents, codes (co-occurrence), groups, year, date, author, publisher, "
        "source or a document attribute (crosstab)",
    )
    p.add_argument(
        "--measure", choices=("count", "coverage", "presence"), default="count", help="cells"
    )
    p.add_argument(
        "--cooccurrence",
        choices=("overlap", "sentence", "paragraph"),
        default="overlap",
        help="with --cols codes: when two codes occur together (default overlap)",
    )
    p.add_argument("--by-coder", action="store_true", help="one row per code and coder")
    p.add_argument("--hide-empty", action="store_true", help="leave out codes never applied")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="file format")
    p.add_argument("--layout", choices=("wide", "tidy"), default="wide", help="table layout")
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    _filter_args(p)


def _filters(args: argparse.Namespace):
    from annotator.domain.errors import ValidationError
    from annotator.services.matrices import MatrixFilters

    pairs = []
    for entry in args.attribute:
        key, sep, value = entry.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--attribute wants KEY=VALUE, not '{entry}'.")
        pairs.append((key.strip(), value.strip()))
    return MatrixFilters(
        coders=tuple(args.coder),
        documents=tuple(args.document),
        groups=tuple(args.group),
        attributes=tuple(pairs),
        date_from=args.date_from,
        date_to=args.date_to,
        codes=tuple(args.code),
    )


@command("matrix", "write a code x document, crosstab or co-occurrence matrix (CSV, XLSX)")(
    _matrix_args
)
def _run_matrix(args: argparse.Namespace) -> int:
    from annotator.exchange.matrix_table import write_matrix
    from annotator.services.exporting import atomic_path
    from annotator.services.matrices import MatrixRequest, build_matrix
    from annotator.services.project import Project

    request = MatrixRequest(
        columns=args.cols,
        measure=args.measure,
        mode=args.cooccurrence,
        by_coder=args.by_coder,
        filters=_filters(args),
        hide_empty_codes=args.hide_empty,
    )
    project = Project.open(args.project)
    try:
        matrix = build_matrix(project, request)
    finally:
        project.close()
    with atomic_path(args.out) as tmp:
        write_matrix(tmp, matrix, args.format, args.layout)
    print(
        f"Wrote a {len(matrix.rows)} x {len(matrix.columns)} matrix ({matrix.kind}, "
        f"{matrix.measure}) to {args.out}."
    )
    return 0


def _memos_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("--format", choices=("md", "docx", "html"), default="md", help="file format")
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    p.add_argument(
        "--kind",
        action="append",
        choices=("project", "document", "code", "coding"),
        default=[],
        help="only memos of this kind (repeatable)",
    )
    p.add_argument("--search", default="", help="only memos containing this text")


@command("memos", "export every memo (project, document, code, coding) as Markdown/Word/HTML")(
    _memos_args
)
def _run_memos(args: argparse.Namespace) -> int:
    from annotator.domain.memos import MemoKind
    from annotator.exchange.memo_export import write_memos
    from annotator.services.exporting import atomic_path
    from annotator.services.project import Project

    project = Project.open(args.project)
    try:
        kinds = [MemoKind(k) for k in args.kind] or None
        memos = project.memos.all(kinds, args.search)
        name = project.info().name
    finally:
        project.close()
    with atomic_path(args.out) as tmp:
        write_memos(tmp, memos, args.format, f"Memos: {name}")
    print(f"Wrote {len(memos)} memos to {args.out}.")
    return 0
