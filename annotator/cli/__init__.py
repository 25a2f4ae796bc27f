"""Command line: ``annotator [PROJECT_FILE]`` opens the GUI; subcommands work headless.

Each subcommand lives in its own module of this package and registers itself in
:data:`COMMANDS` with the :func:`command` decorator; :data:`SUBCOMMAND_MODULES` lists the
modules to load. Adding a subcommand is a new module plus one line there.
"""

from __future__ import annotations

import argparse
import importlib
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


def project_location(text: str) -> Path | str:
    """A project argument: a file path, or a team server's address kept as typed.

    ``Path("postgresql://host/db")`` would fold the ``//``; the services take either.
    """
    from annotator.domain.server import is_server_url

    return text if is_server_url(text) else Path(text)


def command(name: str, help: str) -> Callable:
    """Register ``configure`` + ``run`` functions as a subcommand (decorates ``run``)."""

    def wrap(configure: Callable[[argparse.ArgumentParser], None]) -> Callable:
        def register(run: Callable[[argparse.Namespace], int]) -> Callable:
            COMMANDS[name] = Command(help, configure, run)
            return run

        return register

    return wrap


SUBCOMMAND_MODULES = [
    "annotator.cli.project_cmds",
    "annotator.cli.screenshot_cmd",
    "annotator.cli.export_cmd",
    "annotator.cli.refi_cmds",
    "annotator.cli.agreement_cmd",
    "annotator.cli.backup_cmd",
    "annotator.cli.team_cmds",
    "annotator.cli.recommendation_cmds",
    "annotator.cli.field_agreement_cmd",
    "annotator.cli.matrix_cmd",
    "annotator.cli.analysis_cmds",
]


def _load_subcommands() -> None:
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name)


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
    _load_subcommands()
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
        from annotator.cli.text import shown_lines

        print(f"annotator: {shown_lines(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave cannot be read or written
        from annotator.cli.text import shown

        where = f"{shown(exc.filename)}: " if exc.filename else ""
        print(f"annotator: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
