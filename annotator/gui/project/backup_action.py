"""File -> Back up project...: a complete copy of the open project, made while it stays open.

The copy is SQLite's online backup (see ``Project.backup``): every committed coding, even
those still in the write-ahead log, in one self-contained file; an existing file is never
overwritten. It runs off the GUI thread, so a large project does not freeze the window.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from annotator.domain.errors import AnnotatorError
from annotator.gui.background import run_in_background
from annotator.services.project import PROJECT_SUFFIX

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def suggested_backup_path(project_path: Path, now: datetime | None = None) -> Path:
    """``NAME-backup-YYYYMMDD-HHMMSS.annotator`` beside the project."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return project_path.with_name(f"{project_path.stem}-backup-{stamp}{PROJECT_SUFFIX}")


def backup_to(w: MainWindow, dest: Path) -> Path | None:
    """Back the open project up to ``dest``; show the outcome; return the file written."""
    project = w.controller.project
    try:
        written = run_in_background(
            w,
            "Back up project",
            f"Copying {project.path.name}…",
            lambda _p, _c: project.backup(dest),
        )
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return None
    w.statusBar().showMessage(f"Backed up to {written}.", 8000)
    return written


def back_up_project(w: MainWindow) -> None:
    """Ask where to put the copy, then make it."""
    suggested = suggested_backup_path(w.controller.project.path)
    name, _ = QFileDialog.getSaveFileName(
        w, "Back up project", str(suggested), f"annotator projects (*{PROJECT_SUFFIX})"
    )
    if not name:
        return
    dest = Path(name)
    if dest.suffix != PROJECT_SUFFIX:
        dest = dest.with_name(dest.name + PROJECT_SUFFIX)
    backup_to(w, dest)
