"""Subcommands that make and fill projects: ``new`` and ``import``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli import command
from annotator.cli.text import shown

if TYPE_CHECKING:
    from annotator.services.project import Project


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file to create (.annotator)")
    p.add_argument("--empty", action="store_true", help="no starter codebook")
    p.add_argument("--name", help="the project's display name (default: the file name)")


@command("new", "create a new project (with the starter codebook unless --empty)")(_new_args)
def _run_new(args: argparse.Namespace) -> int:
    from annotator.services.project import Project

    path: Path = args.project
    if not path.suffix:
        path = path.with_suffix(".annotator")
    project = Project.create(path, name=args.name, starter=not args.empty)
    print(f"Created {shown(project.path)} ({len(project.codebook.list())} codes).")
    project.close()
    return 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file")
    p.add_argument("files", type=Path, nargs="+", help="files or folders to import")
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="for a .qdpx with problems, import what is valid (default: refuse the file)",
    )


REFI_SUFFIXES = {".qdpx", ".qde", ".qdc"}


def _import_refi(project: Project, path: Path, accept_partial: bool) -> list[str]:
    """Import one REFI-QDA project or codebook; return the report's lines."""
    from annotator.services.refi import import_qdc, import_qdpx

    if path.suffix.lower() == ".qdc":
        return import_qdc(project, path).lines()
    return import_qdpx(project, path, accept_partial=accept_partial).lines()


@command(
    "import",
    "import documents (text, Markdown, PDF, Word, ODT, HTML, RTF) or REFI-QDA .qdpx/.qdc",
)(_import_args)
def _run_import(args: argparse.Namespace) -> int:
    from annotator.domain.errors import AnnotatorError
    from annotator.services.importing import Outcome, import_files
    from annotator.services.project import Project

    refi = [f for f in args.files if f.suffix.lower() in REFI_SUFFIXES and not f.is_dir()]
    others = [f for f in args.files if f not in refi]
    failed = 0
    project = Project.open(args.project)
    try:
        for path in refi:
            try:
                for line in _import_refi(project, path, args.accept_partial):
                    print(shown(line))
            except AnnotatorError as exc:
                print(f"failed    {shown(path)}: {shown(exc)}")
                failed += 1
        report = import_files(project.documents, others) if others else None
    finally:
        project.close()
    if report is not None:
        for result in report.results:
            reason = f": {result.reason}" if result.reason else ""
            print(f"{result.outcome.value:9} {shown(result.path)}{shown(reason)}")
        print(report.summary())
        failed += report.count(Outcome.FAILED)
    return 1 if failed else 0
