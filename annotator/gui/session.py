"""Opening a project for the GUI: the file, the coder, and the controller over both."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from annotator.gui.controller import ProjectController
from annotator.gui.project.coder_dialog import CoderDialog
from annotator.services.project import Project
from annotator.services.settings import Settings, default_coder_name, save_settings


def ask_coder_name(settings: Settings, names: list[str], parent: QWidget | None) -> str | None:
    """Ask who is coding (prefilled with the last coder or the operating-system user)."""
    dialog = CoderDialog(names, settings.coder_name or default_coder_name(), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.name()


def open_controller(
    path: Path, settings: Settings, parent: QWidget | None = None, *, ask: bool = False
) -> ProjectController | None:
    """Open ``path`` and make a controller for it; None if the user cancelled the coder prompt.

    Raises :class:`~annotator.domain.errors.AnnotatorError` for a file that cannot be opened.
    """
    project = Project.open(path)
    name = settings.coder_name
    if ask or not name:
        name = ask_coder_name(settings, [c.name for c in project.coders.list()], parent)
        if not name:
            project.close()
            return None
    coder = project.coders.ensure(name)
    settings.coder_name = coder.name
    settings.add_recent(project.path)
    save_settings(settings)
    return ProjectController(project, coder)
