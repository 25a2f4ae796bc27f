"""Menus, actions and keyboard shortcuts of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMenu

from annotator.domain.codebook import tree_order
from annotator.domain.model import Code
from annotator.gui.codebook import codebook_actions
from annotator.gui.coding import coding_actions
from annotator.gui.controller import ShowMode
from annotator.gui.exchange import exchange_actions
from annotator.gui.help import help_windows
from annotator.gui.project import backup_action, project_actions

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SK = QKeySequence.StandardKey


def _action(
    w: MainWindow,
    key: str,
    text: str,
    slot,
    shortcut=None,
    menu: QMenu | None = None,
    checkable: bool = False,
) -> QAction:
    act = QAction(text, w)
    act.setObjectName(key)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    act.setCheckable(checkable)
    act.triggered.connect(slot)
    w.addAction(act)  # shortcuts work whichever panel has focus
    if menu is not None:
        menu.addAction(act)
    w.actions[key] = act
    return act


def _connect_team(w: MainWindow) -> None:
    from annotator.gui.team.actions import connect_team  # psycopg loads only when used

    connect_team(w)


def build(w: MainWindow) -> None:
    """Create every menu and action of ``w``."""
    bar = w.menuBar()
    file = bar.addMenu("&File")
    _action(w, "new", "&New project…", lambda: project_actions.new_project(w), SK.New, file)
    _action(w, "open", "&Open project…", lambda: project_actions.open_project(w), SK.Open, file)
    _action(w, "connect_team", "Connect to &team project…", lambda: _connect_team(w), None, file)
    w.recent_menu = file.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: project_actions.fill_recent(w))
    file.addSeparator()
    _action(
        w, "import", "&Import documents…", lambda: coding_actions.import_dialog(w), "Ctrl+I", file
    )
    _action(w, "export", "&Export…", lambda: exchange_actions.export(w), "Ctrl+Shift+E", file)
    _action(w, "merge", "&Merge a coder's work…", lambda: exchange_actions.merge(w), None, file)
    _action(w, "backup", "&Back up project…", lambda: backup_action.back_up_project(w), None, file)
    _action(
        w,
        "properties",
        "Document &properties…",
        lambda: coding_actions.edit_properties(w),
        "Alt+Return",
        file,
    )
    file.addSeparator()
    _action(
        w, "switch_coder", "Switch &coder…", lambda: project_actions.switch_coder(w), None, file
    )
    file.addSeparator()
    _action(w, "quit", "&Quit", w.close, SK.Quit, file)

    edit = bar.addMenu("&Edit")
    w.edit_menu = edit
    edit.addSeparator()
    _action(
        w, "code_picker", "&Code selection as…", lambda: coding_actions.pick_code(w), "Ctrl+E", edit
    )
    _action(
        w,
        "remove_coding",
        "&Remove selected codings",
        lambda: coding_actions.remove_selected(w),
        SK.Delete,
        edit,
    )
    _action(
        w,
        "change_code",
        "C&hange code of coding…",
        lambda: coding_actions.change_code(w),
        None,
        edit,
    )
    _action(
        w,
        "adjust_extent",
        "&Adjust extent of coding…",
        lambda: coding_actions.adjust_extent(w),
        None,
        edit,
    )
    _action(
        w, "edit_memo", "Edit &memo of coding…", lambda: coding_actions.edit_memo(w), "Ctrl+M", edit
    )
    edit.addSeparator()
    _action(w, "find", "&Find in document…", w.find_bar.open_bar, SK.Find, edit)
    _action(w, "find_next", "Find next", lambda: w._find_step(1), SK.FindNext, edit)
    _action(w, "find_previous", "Find previous", lambda: w._find_step(-1), SK.FindPrevious, edit)
    edit.addSeparator()
    snap = _action(w, "snap", "&Snap selection to whole words", _toggle_snap(w), None, edit, True)
    snap.setChecked(w.view.snap_to_words)

    view = bar.addMenu("&View")
    group = QActionGroup(w)
    for key, text, mode in (
        ("show_mine", "Show &my codings", ShowMode.MINE),
        ("show_all", "Show &all coders", ShowMode.ALL),
    ):
        act = _action(
            w, key, text, lambda _=False, m=mode: w.controller.set_show_mode(m), None, view, True
        )
        group.addAction(act)
    chosen = _action(
        w,
        "show_chosen",
        "Show &chosen coders…",
        lambda: project_actions.choose_coders(w),
        None,
        view,
        True,
    )
    group.addAction(chosen)
    w.actions["show_mine"].setChecked(True)
    _action(
        w,
        "blind",
        "&Blind mode (hide other coders)",
        lambda on: w.controller.set_blind(on),
        "Ctrl+Shift+B",
        view,
        True,
    )
    view.addSeparator()
    _action(w, "next_coding", "&Next coding", lambda: w.step_coding(1), "Alt+Down", view)
    _action(w, "previous_coding", "&Previous coding", lambda: w.step_coding(-1), "Alt+Up", view)
    view.addSeparator()
    for dock_name in ("documentsDock", "codebookDock", "codingsDock"):
        dock = w.findChild(QDockWidget, dock_name)
        if dock is not None:
            view.addAction(dock.toggleViewAction())

    _build_codebook_menu(w, bar.addMenu("&Codebook"))
    table = w.codings_panel.table
    for key in ("remove_coding", "change_code", "adjust_extent", "edit_memo"):
        table.addAction(w.actions[key])

    help_menu = bar.addMenu("&Help")
    _action(
        w,
        "user_guide",
        "&User guide",
        lambda: help_windows.show_user_guide(w),
        SK.HelpContents,
        help_menu,
    )
    _action(
        w,
        "shortcut_reference",
        "&Keyboard shortcuts",
        lambda: help_windows.show_shortcuts(w),
        None,
        help_menu,
    )
    help_menu.addSeparator()
    _action(w, "about", "&About annotator", lambda: project_actions.about(w), None, help_menu)


CODEBOOK_EDITS = (
    "add_code",
    "add_child_code",
    "edit_code",
    "rename_code",
    "recolour_code",
    "shortcut_code",
    "move_code_up",
    "move_code_down",
    "move_code_out",
    "move_code_in",
    "merge_code",
    "split_code",
    "delete_code",
)


def _build_codebook_menu(w: MainWindow, codebook: QMenu) -> None:
    """The Codebook menu; the tree's context menu offers the same actions.

    Del, Insert and Ctrl+arrows are keys of the codebook tree only (see CodebookPanel), so
    they are shown in the menu after a tab rather than registered as window shortcuts.
    """
    ca = codebook_actions
    _action(
        w, "add_code", "&Add code…", lambda: ca.add_code(w, child=False), "Ctrl+Shift+N", codebook
    )
    _action(
        w,
        "add_child_code",
        "Add c&hild code…\tShift+Ins",
        lambda: ca.add_code(w, child=True),
        None,
        codebook,
    )
    _action(w, "edit_code", "&Edit code…", lambda: ca.edit_code(w), None, codebook)
    _action(w, "rename_code", "&Rename code", lambda: ca.rename_code(w), "F2", codebook)
    _action(w, "recolour_code", "Re&colour code…", lambda: ca.recolour_code(w), None, codebook)
    _action(w, "shortcut_code", "Set &shortcut…", lambda: ca.set_shortcut(w), None, codebook)
    codebook.addSeparator()
    for key, text, step in (
        ("move_code_up", "Move &up\tCtrl+Up", "up"),
        ("move_code_down", "Move do&wn\tCtrl+Down", "down"),
        ("move_code_out", "Move &out of its parent\tCtrl+Left", "out"),
        ("move_code_in", "Move i&nto the code above\tCtrl+Right", "in"),
    ):
        _action(w, key, text, lambda _=False, s=step: ca.step_code(w, s), None, codebook)
    codebook.addSeparator()
    _action(w, "merge_code", "&Merge into…", lambda: ca.merge_code(w), None, codebook)
    _action(w, "split_code", "S&plit…", lambda: ca.split_code(w), None, codebook)
    _action(w, "delete_code", "&Delete code…\tDel", lambda: ca.delete_code(w), None, codebook)
    codebook.addSeparator()
    _action(w, "versions", "&Versions and change log…", lambda: ca.show_versions(w), None, codebook)
    _action(
        w,
        "freeze_version",
        "&Freeze version…",
        lambda: ca.show_versions(w, freeze=True),
        None,
        codebook,
    )
    codebook.addSeparator()
    _action(
        w,
        "import_codebook",
        "&Import codebook…",
        lambda: exchange_actions.import_codebook(w),
        None,
        codebook,
    )
    _action(
        w,
        "export_codebook",
        "E&xport codebook…",
        lambda: exchange_actions.export(w, preset="codebook-html"),
        None,
        codebook,
    )
    entry = w.findChild(QDockWidget, "codeEntryDock")
    if entry is not None:
        codebook.addSeparator()
        codebook.addAction(entry.toggleViewAction())
    tree = w.codebook_panel.tree
    for group in (
        (
            "add_code",
            "add_child_code",
            "edit_code",
            "rename_code",
            "recolour_code",
            "shortcut_code",
        ),
        ("move_code_up", "move_code_down", "move_code_out", "move_code_in"),
        ("merge_code", "split_code", "delete_code"),
    ):
        if tree.actions():
            separator = QAction(tree)
            separator.setSeparator(True)
            tree.addAction(separator)
        tree.addActions([w.actions[key] for key in group])
    ca.install(w)


def _toggle_snap(w: MainWindow):
    def toggle(on: bool) -> None:
        w.view.snap_to_words = on
        w.settings.snap_to_words = on

    return toggle


def attach_undo(w: MainWindow, stack: QUndoStack) -> None:
    """Put the undo stack's Undo/Redo actions at the top of the Edit menu."""
    for key in ("undo", "redo"):
        old = w.actions.pop(key, None)
        if old is not None:
            w.edit_menu.removeAction(old)
            w.removeAction(old)
    undo = stack.createUndoAction(w, "&Undo")
    undo.setShortcut(QKeySequence(SK.Undo))
    redo = stack.createRedoAction(w, "&Redo")
    redo.setShortcuts(redo_keys())
    first = w.edit_menu.actions()[0] if w.edit_menu.actions() else None
    w.edit_menu.insertAction(first, undo)
    w.edit_menu.insertAction(first, redo)
    for key, act in (("undo", undo), ("redo", redo)):
        act.setObjectName(key)
        w.addAction(act)
        w.actions[key] = act


def redo_keys() -> list[QKeySequence]:
    """Ctrl+Shift+Z, Ctrl+Y and the platform's Redo keys, each once.

    On X11 the platform's Redo *is* Ctrl+Shift+Z: listing it twice makes Qt report an
    "ambiguous shortcut overload" and do nothing, so duplicates are dropped.
    """
    keys: list[QKeySequence] = []
    candidates = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    for seq in candidates + QKeySequence.keyBindings(SK.Redo):
        if not seq.isEmpty() and all(seq != k for k in keys):
            keys.append(seq)
    return keys


def rebuild_code_shortcuts(w: MainWindow, codes: list[Code]) -> None:
    """One window-wide action per code shortcut (1-9 by default, or any assigned key)."""
    for act in w._code_shortcuts:
        w.removeAction(act)
        act.deleteLater()
    w._code_shortcuts = []
    for code in tree_order(codes):
        if code.shortcut and code.codable:
            act = QAction(f"Code as {code.name}", w)
            act.setShortcut(QKeySequence(code.shortcut))
            act.triggered.connect(lambda _=False, cid=code.id: w.apply_code(cid))
            w.addAction(act)
            w._code_shortcuts.append(act)


def update_enabled(w: MainWindow) -> None:
    """Disable every change when the project is read-only; show the visibility mode."""
    writable = not w.controller.project.read_only
    for key in (
        "import",
        "merge",
        "import_codebook",
        "properties",
        "code_picker",
        "remove_coding",
        "change_code",
        "adjust_extent",
        "edit_memo",
        *CODEBOOK_EDITS,
        "freeze_version",
    ):
        w.actions[key].setEnabled(writable)
    c = w.controller
    w.actions["blind"].setChecked(c.blind)
    for key in ("show_mine", "show_all", "show_chosen"):
        w.actions[key].setEnabled(not c.blind)
    w.actions[
        {ShowMode.MINE: "show_mine", ShowMode.ALL: "show_all", ShowMode.CHOSEN: "show_chosen"}[
            c.show_mode
        ]
    ].setChecked(True)
