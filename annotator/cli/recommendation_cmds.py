"""Subcommands for recommendations: ``match-responses`` and ``register``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator.cli import command


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _match_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path, help="the project file")
    p.add_argument("--report", required=True, help="the report (title or UUID)")
    p.add_argument("--response", required=True, help="the response document (title or UUID)")
    p.add_argument(
        "--code",
        action="append",
        default=[],
        help="the code whose codings in the report are the recommendations (name, path or "
        "UUID; repeatable; default: every code of kind recommendation)",
    )
    p.add_argument("--top", type=int, default=5, help="candidates per recommendation (default 5)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")


@command("match-responses", "propose the response passages that answer each recommendation")(
    _match_args
)
def _run_match(args: argparse.Namespace) -> int:
    from annotator.services.project import Project
    from annotator.services.response_matching import (
        find_document,
        match_document,
        recommendation_codes,
    )

    project = Project.open(args.project)
    try:
        report = find_document(project, args.report)
        response = find_document(project, args.response)
        codes = [c.id for c in recommendation_codes(project, args.code)]
        matches = match_document(project, report.id, response.id, codes, top=args.top)
    finally:
        project.close()
    if args.format == "json":
        json.dump([m.as_json() for m in matches], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not matches:
        print(f"No recommendation codings in '{report.title}'.")
    for m in matches:
        label = f"Recommendation {m.number}" if m.number else "Recommendation"
        print(f"{label} [{m.coding.start}-{m.coding.end}]: {_short(m.coding.quote, 90)}")
        for rank, c in enumerate(m.candidates, 1):
            status = c.status or "-"
            print(f"  {rank}. {c.score:.2f}  {status:22} [{c.start}-{c.end}] {_short(c.text, 70)}")
    return 0
