"""``annotator backup``: a safe copy of a project, even while it is open elsewhere."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from annotator.cli import command, project_location
from annotator.cli.text import shown


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=project_location, help="the project file")
    p.add_argument(
        "dest",
        type=Path,
        nargs="?",
        help="the new file (default: NAME-backup-YYYYMMDD-HHMMSS.annotator beside it)",
    )


def default_backup_path(project: Path, now: datetime | None = None) -> Path:
    """``NAME-backup-YYYYMMDD-HHMMSS.annotator`` in the project's folder."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return project.with_name(f"{project.stem}-backup-{stamp}{project.suffix or '.annotator'}")


@command("backup", "copy a project safely (SQLite online backup; works while it is open)")(_args)
def _run(args: argparse.Namespace) -> int:
    from annotator.services.project import Project

    project = Project.open(args.project)
    try:
        written = project.backup(args.dest or default_backup_path(project.path))
    finally:
        project.close()
    print(f"Backed up {shown(project.path.name)} to {shown(str(written))}.")
    return 0
