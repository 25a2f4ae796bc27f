"""Subcommands that make and fill projects: ``new`` and ``import``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli import command, project_location
from annotator.cli.text import shown

if TYPE_CHECKING:
    from annotator.services.project import Project


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file to create (.annotator)")
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
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument("files", type=Path, nargs="+", help="files or folders to import")
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="for a .qdpx with problems, import what is valid (default: refuse the file)",
    )
    p.add_argument(
        "--password",
        help="the password of password-protected PDFs (without it, a terminal is asked); "
        "it is used to open the files and never stored",
    )
    p.add_argument(
        "--ocr",
        action="store_true",
        help="read PDFs with Tesseract OCR instead of their text layer (scans, junk text)",
    )
    p.add_argument(
        "--ocr-language",
        default="eng",
        help="Tesseract language(s) for --ocr, e.g. eng or eng+fra (default: eng)",
    )
    p.add_argument(
        "--html-whole-page",
        action="store_true",
        help="import web pages whole instead of only their main content",
    )


REFI_SUFFIXES = {".qdpx", ".qde", ".qdc"}


def _terminal_password(path: Path, wrong: bool) -> str | None:
    """Ask for a PDF's password on the terminal (not echoed); None when there is none."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        return None
    prompt = "Wrong password; try again" if wrong else "Password"
    try:
        return getpass.getpass(f"{prompt} for {path.name} (Enter to skip): ") or None
    except (EOFError, KeyboardInterrupt):
        return None


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
    from annotator.exchange.importers import ImportOptions
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
        options = ImportOptions(
            password=args.password or None,
            ocr=args.ocr,
            ocr_language=args.ocr_language,
            html_whole_page=args.html_whole_page,
            progress=_ocr_progress if args.ocr else None,
        )
        report = (
            import_files(
                project.documents,
                others,
                options=options,
                ask_password=None if args.password else _terminal_password,
            )
            if others
            else None
        )
    finally:
        project.close()
    if report is not None:
        for result in report.results:
            reason = f": {result.reason}" if result.reason else ""
            print(f"{result.outcome.value:9} {shown(result.path)}{shown(reason)}")
            for warning in result.warnings:
                print(f"warning   {shown(result.path)}: {shown(warning)}")
            if result.needs_ocr:
                hint = "import it again with --ocr to read it with OCR"
                print(f"hint      {shown(result.path)}: {hint}")
        print(report.summary())
        failed += report.count(Outcome.FAILED)
    return 1 if failed else 0


def _ocr_progress(done: int, total: int) -> None:
    """OCR progress on standard error, one line rewritten per page."""
    import sys

    end = "\n" if done >= total else ""
    print(f"\rOCR: page {done} of {total}", end=end, file=sys.stderr, flush=True)
