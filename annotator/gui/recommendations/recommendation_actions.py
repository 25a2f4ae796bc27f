"""The Recommendations menu, the Links panel and navigation between linked passages.

Installed on the main window by :func:`install_links` (one call after its menus; the
Recommendations menu is shared with the fields' entries): *Link to...* (Ctrl+L) for the
selected coding, the Links dock that follows the selected coding, the register
(Ctrl+Alt+R) and the side-by-side view (Ctrl+Shift+L).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.domain.links import CodingLink, LinkEnd, LinkView
from annotator.domain.model import new_id
from annotator.gui.recommendations.details_actions import recommendations_menu
from annotator.gui.recommendations.link_commands import (
    AddLinkCommand,
    RemoveLinksCommand,
    SetLinkListsCommand,
    UpdateLinkCommand,
)
from annotator.gui.recommendations.link_dialog import LinkDialog
from annotator.gui.recommendations.links_panel import LinksPanel

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

_REGISTER = "_register_window"
_SIDE = "_side_by_side_window"


def install_links(w: MainWindow) -> None:
    """Add the link entries to the Recommendations menu and the Links dock to ``w``."""
    menu = recommendations_menu(w)
    menu.addSeparator()
    panel = LinksPanel(lambda: w.controller.project.links.statuses(), w)
    w.links_panel = panel
    dock = w._dock("Links", "linksDock", panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    w.links_dock = dock
    entry = w.findChild(QDockWidget, "codeEntryDock")
    if entry is not None:  # a tab beside the code entry: the codings list keeps its room
        w.tabifyDockWidget(entry, dock)
        entry.raise_()
    for key, text, shortcut, slot in (
        ("link_to", "&Link to…", "Ctrl+L", lambda: link_to(w)),
        ("register", "&Register…", "Ctrl+Alt+R", lambda: show_register(w)),
        ("side_by_side", "Report and response &side by side…", "Ctrl+Shift+L",
         lambda: show_side_by_side(w)),
    ):  # fmt: skip
        act = QAction(text, w)
        act.setObjectName(key)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        w.addAction(act)
        w.actions[key] = act
    lists = QAction("Link &types and statuses…", w)
    lists.setObjectName("link_lists")
    lists.triggered.connect(lambda: edit_link_lists(w))
    menu.addAction(lists)
    w.actions["link_lists"] = lists
    menu.addSeparator()
    menu.addAction(dock.toggleViewAction())
    w.codings_panel.table.addAction(w.actions["link_to"])  # in the list's context menu
    panel.end_activated.connect(lambda end: go_to(w, end))
    panel.link_requested.connect(lambda: link_to(w))
    panel.remove_requested.connect(lambda views: _remove(w, views))
    panel.status_chosen.connect(lambda row, status: _set_status(w, row, status))
    w.codings_panel.table.selectionModel().selectionChanged.connect(lambda *_: refresh_links(w))
    w.codings_panel.model.modelReset.connect(lambda: refresh_links(w))


def current_coding_id(w: MainWindow) -> uuid.UUID | None:
    """The coding selected in the codings list (the first, if several)."""
    ids = w.codings_panel.selected_ids()
    return ids[0] if ids else None


def refresh_links(w: MainWindow) -> None:
    """Show the links of the selected coding in the Links panel."""
    coding_id = current_coding_id(w)
    panel: LinksPanel = w.links_panel
    if coding_id is None:
        panel.show_links(None, [], "Select a coding to see its links.")
        return
    try:
        views = w.controller.project.links.views(coding_id)
    except AnnotatorError as exc:
        panel.show_links(None, [], str(exc))
        return
    n = len(views)
    caption = (
        f"{n} link{'s' if n != 1 else ''} of the selected coding."
        if n
        else ("No links yet: Link to… (Ctrl+L) links it to another coding.")
    )
    panel.show_links(coding_id, views, caption)


def go_to(w: MainWindow, end: LinkEnd) -> None:
    """Open the document of ``end`` and select its passage and coding."""
    if w.current_document != end.document_id:
        w.open_document(end.document_id)
    w.view.select_span(end.start, end.end)
    w.codings_panel.select_ids([end.coding_id])
    w.view.set_selected_codings({end.coding_id})
    w.view.setFocus()


def link_to(w: MainWindow) -> bool:
    """*Link to...* for the selected coding; True when a link was made."""
    coding_id = current_coding_id(w)
    if coding_id is None:
        w.statusBar().showMessage("Select a coding first (click a highlight or a row).", 4000)
        return False
    links = w.controller.project.links
    ends = links.all_ends()
    source = next((e for e in ends if e.coding_id == coding_id), None)
    if source is None:
        return False
    dialog = LinkDialog(source, ends, links.link_types(), links.statuses(), w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return make_link(w, dialog.chosen())


def make_link(w: MainWindow, chosen: tuple | None) -> bool:
    """Store the link ``(source, target, type, status)`` as an undoable command."""
    if chosen is None:
        return False
    source, target, link_type, status = chosen
    links = w.controller.project.links
    try:
        if link_type and link_type not in links.link_types():
            links.add_type(link_type)
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return False
    link = CodingLink(new_id(), source, target, link_type, status, coder_id=w.controller.coder.id)
    return w.controller.run(AddLinkCommand(w.controller, link))


def edit_link_lists(w: MainWindow) -> bool:
    """Edit the project's link types and statuses (one undoable command)."""
    from annotator.gui.recommendations.link_lists_dialog import LinkListsDialog

    links = w.controller.project.links
    dialog = LinkListsDialog(links.link_types(), links.statuses(), w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    types, statuses = dialog.chosen()
    return w.controller.run(SetLinkListsCommand(w.controller, types, statuses))


def _remove(w: MainWindow, views: list[LinkView]) -> None:
    w.controller.run(RemoveLinksCommand(w.controller, [v.link for v in views]))


def _set_status(w: MainWindow, row: int, status: str) -> None:
    views = w.links_panel.model.views
    if 0 <= row < len(views) and views[row].link.status != status:
        before = views[row].link
        w.controller.run(
            UpdateLinkCommand(w.controller, before, before.with_changes(status=status))
        )


def _alive(w: MainWindow, attr: str) -> QWidget | None:
    window = getattr(w, attr, None)
    if window is not None and window.property("controller_id") != id(w.controller):
        window.close()
        window.deleteLater()
        window = None
    return window


def _present(window: QWidget) -> None:
    if window.isVisible():
        window.raise_()  # already open: bring it forward rather than open a second one
        window.activateWindow()
    else:
        window.show()


def show_register(w: MainWindow):
    """Open (or raise and reload) the recommendations register."""
    from annotator.gui.recommendations.register_view import RegisterWindow

    window = _alive(w, _REGISTER)
    if window is None:
        window = RegisterWindow(w.controller, w)
        window.setProperty("controller_id", id(w.controller))
        window.passage_activated.connect(lambda end: go_to(w, end))
        setattr(w, _REGISTER, window)
    else:
        window.reload()
    _present(window)
    return window


def show_side_by_side(w: MainWindow):
    """Open (or raise) the side-by-side view of a report and its response."""
    from annotator.gui.recommendations.side_by_side import SideBySideWindow

    window = _alive(w, _SIDE)
    if window is None:
        window = SideBySideWindow(w.controller, w)
        window.setProperty("controller_id", id(w.controller))
        setattr(w, _SIDE, window)
    _present(window)
    return window
