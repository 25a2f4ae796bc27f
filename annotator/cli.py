"""Command line: ``annotator [PROJECT_FILE]`` opens the GUI; subcommands work headless.

Each subcommand is a small function registered in :data:`COMMANDS`, so later ones
(``export``, ``merge``, ``agreement``) slot in without touching the dispatcher.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator import __version__
from annotator.domain.errors import AnnotatorError


@dataclass(frozen=True)
class Command:
    """A subcommand: how to declare its arguments and how to run it."""

    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str) -> Callable:
    """Register ``configure`` + ``run`` functions as a subcommand (decorates ``run``)."""

    def wrap(configure: Callable[[argparse.ArgumentParser], None]) -> Callable:
        def register(run: Callable[[argparse.Namespace], int]) -> Callable:
            COMMANDS[name] = Command(help, configure, run)
            return run

        return register

    return wrap


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


def _top_parser() -> argparse.ArgumentParser:
    lines = "\n".join(f"  {name:10} {cmd.help}" for name, cmd in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Hand-code policy texts: open a project in the coding workbench.",
        epilog=f"subcommands (annotator SUBCOMMAND --help for details):\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="a project file to open (default: the last one, or the built-in sample project)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``annotator`` command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMANDS:
            name = args_list[0]
            cmd = COMMANDS[name]
            sub = argparse.ArgumentParser(prog=f"annotator {name}", description=cmd.help)
            cmd.configure(sub)
            return cmd.run(sub.parse_args(args_list[1:]))
        args = _top_parser().parse_args(args_list)
        from annotator.gui.app import run_gui  # Qt is only loaded for the GUI

        return run_gui(args.project)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
