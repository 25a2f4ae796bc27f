"""Subcommands for recommendations: ``match-responses`` and ``register``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator.cli import command, project_location


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _match_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
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


def _register_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument(
        "--format", required=True, choices=("csv", "xlsx", "jsonl", "html"), help="what to write"
    )
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    p.add_argument(
        "--coder", action="append", default=[], help="only this coder (name; repeatable)"
    )


@command("register", "export the recommendations register (CSV, XLSX, JSON Lines, HTML)")(
    _register_args
)
def _run_register(args: argparse.Namespace) -> int:
    from annotator.domain.errors import ValidationError
    from annotator.exchange.register_export import write_register
    from annotator.services.project import Project
    from annotator.services.register import build_register

    project = Project.open(args.project)
    try:
        coder_ids = None
        if args.coder:
            known = {c.name.casefold(): c.id for c in project.coders.list()}
            missing = [n for n in args.coder if n.casefold() not in known]
            if missing:
                raise ValidationError(f"There is no coder '{missing[0]}' in this project.")
            coder_ids = [known[n.casefold()] for n in args.coder]
        register = build_register(project, coder_ids=coder_ids)
        title = f"Recommendations register: {project.info().name}"
    finally:
        project.close()
    try:
        count = write_register(register, args.out, args.format, title=title)
    except OSError as exc:
        print(f"annotator: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Wrote {count} recommendations to {args.out}.")
    return 0
