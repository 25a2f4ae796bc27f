"""Subcommands that make and fill projects: ``new`` and ``import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli import command


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
    print(f"Created {project.path} ({len(project.codebook.list())} codes).")
    project.close()
    return 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file")
    p.add_argument("files", type=Path, nargs="+", help="files or folders to import")


@command("import", "import documents (text, Markdown, PDF, Word, ODT, HTML, RTF)")(_import_args)
def _run_import(args: argparse.Namespace) -> int:
    from annotator.services.importing import Outcome, import_files
    from annotator.services.project import Project

    project = Project.open(args.project)
    try:
        report = import_files(project.documents, args.files)
    finally:
        project.close()
    for result in report.results:
        reason = f": {result.reason}" if result.reason else ""
        print(f"{result.outcome.value:9} {result.path}{reason}")
    print(report.summary())
    return 1 if report.count(Outcome.FAILED) else 0
