"""``annotator query`` and ``annotator search``: retrieval and full-text search for scripts."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli import command, project_location

TABLE_FORMATS = ("csv", "jsonl", "xlsx", "html", "docx")


def _scope_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("query", nargs="?", default="", help="the query (or use --saved NAME)")
    p.add_argument("--saved", metavar="NAME", help="run the query saved under NAME")
    p.add_argument("--save", metavar="NAME", help="also save the query under NAME")
    p.add_argument("--format", choices=TABLE_FORMATS, default="csv", help="default: csv")
    p.add_argument("--out", type=Path, help="the file to write (default: print CSV)")
    p.add_argument("--document", action="append", default=[], help="title or UUID; repeatable")
    p.add_argument("--group", action="append", default=[], help="a document group; repeatable")
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a document attribute (or date, author, publisher) equal to VALUE; repeatable",
    )
    p.add_argument("--date-from", help="documents dated on or after (ISO date or year)")
    p.add_argument("--date-to", help="documents dated on or before (ISO date or year)")


def _filters(args: argparse.Namespace, coders: tuple[str, ...] = (), version: str | None = None):
    from annotator.domain.errors import ValidationError
    from annotator.services.analysis_scope import AnalysisFilters, AttributeFilter

    attributes = []
    for item in args.attribute:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--attribute wants KEY=VALUE, not '{item}'.")
        attributes.append(AttributeFilter(key.strip(), equals=value))
    if args.date_from or args.date_to:
        attributes.append(AttributeFilter("date", low=args.date_from, high=args.date_to))
    return AnalysisFilters(
        coders=coders,
        documents=tuple(args.document),
        groups=tuple(args.group),
        attributes=tuple(attributes),
        codebook_version=version,
    )


def _query_args(p: argparse.ArgumentParser) -> None:
    _scope_args(p)
    p.add_argument("--coder", action="append", default=[], help="name or UUID; repeatable")
    p.add_argument("--codebook-version", help="only codings stamped with this version")
    p.add_argument("--context", choices=("sentence", "paragraph"), default="sentence")


def _the_query(project, args: argparse.Namespace, kind) -> tuple[str, dict]:
    from annotator.domain.errors import ValidationError

    if args.saved:
        saved = project.saved_queries.get(kind, args.saved)
        return saved.query, saved.options
    if not args.query.strip():
        raise ValidationError("Give a query, or --saved NAME.")
    return args.query, {}


def _emit(args: argparse.Namespace, write, rows_for_stdout) -> None:
    import sys

    from annotator.exchange.analysis_tables import TableFormat

    if args.out is None:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        for row in rows_for_stdout():
            writer.writerow(["" if v is None else v for v in row])
        return
    count = write(args.out, TableFormat(args.format))
    print(f"{count} rows written to {args.out}")


@command("query", "retrieve coded passages across documents: annotator query P 'A AND NOT B'")(
    _query_args
)
def _run_query(args: argparse.Namespace) -> int:
    from annotator.services.analysis_export import PASSAGE_HEADER, passage_rows, write_passages
    from annotator.services.project import Project
    from annotator.services.retrieval import Context
    from annotator.services.saved_queries import QueryKind, SavedQuery

    project = Project.open(args.project)
    try:
        query, options = _the_query(project, args, QueryKind.RETRIEVAL)
        coders = tuple(args.coder) or tuple(options.get("coders", ()))
        filters = _filters(args, coders, args.codebook_version)
        passages = project.retrieval.retrieve(query, filters, Context(args.context))
        if args.save:
            project.saved_queries.save(
                SavedQuery(QueryKind.RETRIEVAL, args.save, query, {"coders": list(coders)})
            )
        _emit(
            args,
            lambda path, fmt: write_passages(path, fmt, f"Query: {query}", passages),
            lambda: [PASSAGE_HEADER, *passage_rows(passages)],
        )
    finally:
        project.close()
    return 0


def _search_args(p: argparse.ArgumentParser) -> None:
    _scope_args(p)
    p.add_argument("--kwic", action="store_true", help="one line per hit (default: counts)")
    p.add_argument("--regex", action="store_true", help="the query is a regular expression")
    p.add_argument("--case-sensitive", action="store_true")
    p.add_argument("--accent-sensitive", action="store_true")
    p.add_argument("--width", type=int, default=60, help="context characters each side")


@command("search", "full-text search of every document: annotator search P 'we recommend' --kwic")(
    _search_args
)
def _run_search(args: argparse.Namespace) -> int:
    from annotator.domain.text_search import SearchOptions
    from annotator.exchange.analysis_tables import write_table
    from annotator.services.analysis_export import KWIC_HEADER, kwic_rows, write_kwic
    from annotator.services.exporting import atomic_path
    from annotator.services.project import Project
    from annotator.services.saved_queries import QueryKind, SavedQuery

    project = Project.open(args.project)
    try:
        query, saved = _the_query(project, args, QueryKind.SEARCH)
        options = SearchOptions(
            regex=args.regex or saved.get("regex", False),
            case_sensitive=args.case_sensitive or saved.get("case_sensitive", False),
            accent_sensitive=args.accent_sensitive or saved.get("accent_sensitive", False),
        )
        filters = _filters(args)
        if args.save:
            project.saved_queries.save(
                SavedQuery(QueryKind.SEARCH, args.save, query, {
                    "regex": options.regex, "case_sensitive": options.case_sensitive,
                    "accent_sensitive": options.accent_sensitive,
                })
            )  # fmt: skip
        if args.kwic:
            hits = list(project.search.hits(query, options, filters, width=args.width))
            _emit(
                args,
                lambda path, fmt: write_kwic(path, fmt, f"Search: {query}", hits),
                lambda: [KWIC_HEADER, *kwic_rows(hits)],
            )
        else:
            counts = project.search.counts(query, options, filters)
            titles = {d.id: d.title for d in project.documents.list()}
            header = ("document_title", "document_id", "hits")
            rows = [(titles[d], str(d), n) for d, n in counts.items()]

            def write(path: Path, fmt) -> int:
                with atomic_path(path) as tmp:
                    return write_table(tmp, fmt, f"Search: {query}", header, rows)

            _emit(args, write, lambda: [header, *rows])
    finally:
        project.close()
    return 0
