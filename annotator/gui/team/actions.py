"""Connecting the window to a team project (File menu and Open recent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from annotator.domain.errors import AnnotatorError
from annotator.domain.server import ServerUnavailableError
from annotator.gui.controller import ProjectController
from annotator.gui.team.connect_dialog import ConnectDialog
from annotator.gui.team.live import LiveBridge
from annotator.services.project import Project
from annotator.services.settings import save_settings
from annotator.services.team import membership
from annotator.services.team_credentials import (
    forget_password,
    keyring_available,
    remember_password,
    stored_password,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def connect_team(w: MainWindow, url: str = "") -> bool:
    """Ask where and who (prefilled from ``url``), then open the team project."""
    if url:
        password = stored_password(url)
        if password is not None and open_team(w, url, password, quiet_refusal=True):
            return True
    dialog = ConnectDialog(w, url=url, keyring_available=keyring_available())
    w.team_dialog = dialog  # tests reach the open dialog here
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        password = dialog.password.text()
        return open_team(w, dialog.url(), password, remember=dialog.remember.isChecked())
    finally:
        w.team_dialog = None


def open_team(
    w: MainWindow,
    url: str,
    password: str | None,
    *,
    remember: bool = False,
    quiet_refusal: bool = False,
) -> bool:
    """Open the team project at ``url`` in ``w``; errors are shown, the old project stays."""
    try:
        project = Project.open(url, password=password or None)
    except ServerUnavailableError as exc:
        if "password" in exc.problem:
            forget_password(url)  # a remembered password that no longer works
        if not quiet_refusal:
            w.show_error(str(exc))
        return False
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return False
    try:
        me = membership(project)
        # A member codes as the coder their login belongs to: the server decides, not a
        # local setting. The project's owner (no membership) codes under the usual name.
        name = me.coder if me else (w.settings.coder_name or "Administrator")
        coder = project.coders.ensure(name)
    except AnnotatorError as exc:
        project.close()
        w.show_error(str(exc))
        return False
    if remember and password:
        remember_password(url, password)
    w.settings.add_recent(project.path)  # the address without the password
    save_settings(w.settings)
    old = w.controller.project
    controller = ProjectController(project, coder)
    w.attach(controller)
    if old is not project:
        old.close()
    w.team_live = LiveBridge(w, controller)
    if me and me.blind:
        w.statusBar().showMessage("Blind phase: you see only your own codings.", 8000)
    return True
