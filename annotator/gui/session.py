"""Opening a project for the GUI: the file, the coder, and the controller over both."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from annotator.gui.controller import ProjectController, ShowMode
from annotator.gui.project.coder_dialog import CoderDialog
from annotator.services.paths import sample_project_path
from annotator.services.project import Project
from annotator.services.settings import Settings, default_coder_name, save_settings


def ask_coder_name(settings: Settings, names: list[str], parent: QWidget | None) -> str | None:
    """Ask who is coding (prefilled with the last coder or the operating-system user)."""
    dialog = CoderDialog(names, settings.coder_name or default_coder_name(), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.name()
    finally:
        dialog.deleteLater()  # a parentless dialog would otherwise live as long as the app


def open_controller(
    path: Path, settings: Settings, parent: QWidget | None = None, *, ask: bool = False
) -> ProjectController | None:
    """Open ``path`` and make a controller for it; None if the user cancelled the coder prompt.

    Raises :class:`~annotator.domain.errors.AnnotatorError` for a file that cannot be opened.
    """
    project = Project.open(path)
    # A window waits briefly for another program's write, then says so (never freezes 10 s).
    project.use_short_lock_waits()
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
    controller = ProjectController(project, coder)
    restore_view(controller, settings)
    return controller


def _view_key(controller: ProjectController) -> str:
    return str(Path(controller.project.path).absolute())


def restore_view(controller: ProjectController, settings: Settings) -> None:
    """Show whose codings this project showed last time.

    Without a remembered choice, the built-in sample project shows all coders (its point
    is the two sample coders' codings); any other project shows the current coder's own.
    """
    saved = settings.views.get(_view_key(controller))
    if saved is None:
        if Path(controller.project.path).absolute() == sample_project_path().absolute():
            controller.show_mode = ShowMode.ALL
        return
    try:
        mode = ShowMode(saved.get("mode", "mine"))
        chosen = {uuid.UUID(i) for i in saved.get("chosen", [])}
    except (ValueError, TypeError, AttributeError):
        return  # a hand-edited or older settings file: keep the default
    controller.show_mode = mode
    controller.chosen_coders = chosen
    controller.blind = bool(saved.get("blind", False))


def remember_view(controller: ProjectController, settings: Settings) -> None:
    """Store whose codings are shown, for :func:`restore_view` next time."""
    settings.views[_view_key(controller)] = {
        "mode": controller.show_mode.value,
        "chosen": sorted(str(i) for i in controller.chosen_coders),
        "blind": controller.blind,
    }
