"""What the File and Help menus do: new, open, recent, switch coder, choose coders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
)

from annotator import __version__
from annotator.domain.errors import AnnotatorError
from annotator.gui.controller import ShowMode
from annotator.gui.session import ask_coder_name, open_controller
from annotator.services.project import PROJECT_SUFFIX, Project
from annotator.services.settings import save_settings

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PROJECT_FILTER = f"annotator projects (*{PROJECT_SUFFIX});;All files (*)"


def load(w: MainWindow, path: Path) -> bool:
    """Open ``path`` in the window; errors are shown, and the current project stays open."""
    try:
        controller = open_controller(path, w.settings, w)
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return False
    if controller is None:
        return False
    old = w.controller.project
    w.attach(controller)
    if old is not controller.project:
        old.close()
    if controller.project.read_only:
        w.show_error(f"{path.name} is read-only: you can read and browse it, but not change it.")
    return True


def new_project(w: MainWindow) -> None:
    """Create a project with the starter codebook and open it."""
    name, _ = QFileDialog.getSaveFileName(w, "New project", "", PROJECT_FILTER)
    if not name:
        return
    path = Path(name)
    if path.suffix != PROJECT_SUFFIX:
        path = path.with_name(path.name + PROJECT_SUFFIX)
    try:
        Project.create(path).close()
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return
    load(w, path)


def open_project(w: MainWindow) -> None:
    """Choose a project file and open it."""
    name, _ = QFileDialog.getOpenFileName(w, "Open project", "", PROJECT_FILTER)
    if name:
        load(w, Path(name))


def fill_recent(w: MainWindow) -> None:
    """Fill File → Open recent from the settings."""
    menu = w.recent_menu
    menu.clear()
    for recent in w.settings.recent_projects:
        act = menu.addAction(recent)
        act.setEnabled(Path(recent).exists())
        act.triggered.connect(lambda _=False, p=recent: load(w, Path(p)))
    if not w.settings.recent_projects:
        menu.addAction("(none yet)").setEnabled(False)


def switch_coder(w: MainWindow) -> None:
    """File → Switch coder: code as someone else from now on."""
    names = [c.name for c in w.controller.coders()]
    name = ask_coder_name(w.settings, names, w)
    if not name:
        return
    try:
        coder = w.controller.project.coders.ensure(name)
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return
    w.settings.coder_name = coder.name
    save_settings(w.settings)
    w.controller.set_coder(coder)


def choose_coders(w: MainWindow) -> None:
    """View → Show chosen coders: tick the coders whose codings to show."""
    dialog = QDialog(w)
    dialog.setWindowTitle("Show codings of")
    listing = QListWidget(dialog)
    current = w.controller.chosen_coders or {w.controller.coder.id}
    for coder in w.controller.coders():
        item = QListWidgetItem(coder.name)
        item.setData(Qt.ItemDataRole.UserRole, coder.id)
        item.setCheckState(
            Qt.CheckState.Checked if coder.id in current else Qt.CheckState.Unchecked
        )
        listing.addItem(item)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(listing)
    layout.addWidget(buttons)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        chosen = {
            listing.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(listing.count())
            if listing.item(i).checkState() == Qt.CheckState.Checked
        }
        w.controller.set_show_mode(ShowMode.CHOSEN, chosen)
    else:
        w._update_status()  # put the radio check back where it was


def about(w: MainWindow) -> None:
    """Help → About."""
    QMessageBox.about(
        w,
        "About annotator",
        f"<b>annotator {__version__}</b><p>Hand-code policy texts with a structured codebook, "
        "several coders, exports and inter-coder agreement.</p>"
        f"<p>Project file: {w.controller.project.path}</p>",
    )
