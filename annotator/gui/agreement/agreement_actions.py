"""The Tools menu: the agreement window and the disagreement viewer, one of each per window."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

# The windows (and the statistics with numpy behind them) are imported when first opened,
# not when the main window starts.
if TYPE_CHECKING:
    from annotator.gui.agreement.agreement_window import AgreementWindow
    from annotator.gui.agreement.disagreement_view import DisagreementViewer
    from annotator.gui.main_window import MainWindow
    from annotator.services.agreement import AgreementResult

_AGREEMENT = "_agreement_window"
_VIEWER = "_disagreement_viewer"


def install_agreement_menu(w: MainWindow) -> None:
    """Add Tools → Agreement… and Disagreements… to ``w`` (called once, after the menus)."""
    bar = w.menuBar()
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    tools = QMenu("&Tools", w)
    if help_menu is not None:
        bar.insertMenu(help_menu, tools)  # Help stays last, as users expect
    else:
        bar.addMenu(tools)
    for key, text, slot in (
        ("agreement", "&Agreement…", lambda: show_agreement(w)),
        ("disagreements", "&Disagreements…", lambda: show_disagreements(w)),
    ):
        act = QAction(text, w)
        act.setObjectName(key)
        act.triggered.connect(slot)
        tools.addAction(act)
        w.addAction(act)
        w.actions[key] = act


def _alive(w: MainWindow, attr: str):
    window = getattr(w, attr, None)
    # A window made for an earlier project (File → Open since) is not reused.
    if window is not None and window.property("controller_id") != id(w.controller):
        window.close()
        window.deleteLater()
        window = None
    return window


def show_agreement(w: MainWindow) -> AgreementWindow:
    """Open (or raise) the agreement window."""
    from annotator.gui.agreement.agreement_window import AgreementWindow

    window = _alive(w, _AGREEMENT)
    if window is None:
        window = AgreementWindow(lambda: w.controller, w)
        window.setProperty("controller_id", id(w.controller))
        window.code_activated.connect(lambda result, code: _open_code(w, result, code))
        setattr(w, _AGREEMENT, window)
    else:
        window.reload_choices()
    _present(window)
    return window


def show_disagreements(w: MainWindow) -> DisagreementViewer:
    """Open (or raise) the disagreement viewer."""
    from annotator.gui.agreement.disagreement_view import DisagreementViewer

    viewer = _alive(w, _VIEWER)
    if viewer is None:
        viewer = DisagreementViewer(w)
        viewer.setProperty("controller_id", id(w.controller))
        setattr(w, _VIEWER, viewer)
    _present(viewer)
    return viewer


def _present(window: QWidget) -> None:
    if window.isVisible():
        window.raise_()  # already open: bring it forward rather than open a second one
        window.activateWindow()
    else:
        window.show()


def _open_code(w: MainWindow, result: AgreementResult, code: str) -> DisagreementViewer:
    """The disagreements of the report's first two coders on one code."""
    coders = result.report.settings.coders
    viewer = show_disagreements(w)
    documents: list[uuid.UUID] = [result.document_ids[d] for d in result.report.settings.documents]
    viewer.set_filter(
        result.coder_ids[coders[0]],
        result.coder_ids[coders[1]],
        result.code_ids.get(code),
        documents=documents,
    )
    return viewer
