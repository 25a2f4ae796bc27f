"""Subcommand for REFI-QDA exchange between coders: ``merge``.

``annotator import`` (in :mod:`annotator.cli.project_cmds`) also accepts ``.qdpx`` and
``.qdc`` files; ``annotator export`` writes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import command, project_location
from annotator.cli.text import shown


def _merge_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the lead's project file")
    p.add_argument("other", type=Path, help="a coder's REFI-QDA project (.qdpx)")
    p.add_argument(
        "--add-unmatched",
        action="store_true",
        help="also add documents, codes and coders the project lacks (default: report them)",
    )
    p.add_argument(
        "--no-new-coders",
        action="store_true",
        help="do not add coders the project lacks (default: add them with their codings)",
    )
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="import what is valid when the file has problems (default: refuse it)",
    )


@command("merge", "merge a coder's .qdpx into this project (codings matched by UUID)")(_merge_args)
def _run_merge(args: argparse.Namespace) -> int:
    from annotator.services.project import Project
    from annotator.services.refi import merge

    project = Project.open(args.project)
    try:
        report = merge(
            project,
            args.other,
            add_unmatched=args.add_unmatched,
            accept_partial=args.accept_partial,
            add_coders=not args.no_new_coders,
        )
    finally:
        project.close()
    for line in report.lines():
        print(shown(line))
    if report.unmatched:
        # Something was left out: a script must not take this for a complete merge.
        print(
            f"annotator: {len(report.unmatched)} item(s) of {args.other.name} were not merged "
            "(listed above); rerun with --add-unmatched to add them.",
            file=sys.stderr,
        )
        return 3
    return 0
