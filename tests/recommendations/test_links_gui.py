"""Links, side-by-side linking and the register, driven through the real main window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.domain.links import RESPONSE_TO
from annotator.gui.recommendations.link_dialog import LinkDialog
from annotator.gui.recommendations.recommendation_actions import (
    show_register,
    show_side_by_side,
)
from annotator.services.project import Project
from tests.gui.conftest import open_window
from tests.recommendations.pair_helpers import make_pair

REC1 = "Councils should be allowed to borrow against rental income to build new homes."
REC2 = "The Treasury must publish a ten-year funding settlement for local government."
ANSWER = "The government accepts this recommendation"


def _project(tmp_path, *, answer: bool = True):
    pair = make_pair(tmp_path / "links.annotator")
    recs = [pair.code(pair.report, REC1), pair.code(pair.report, REC2)]
    ans = pair.code(pair.response, ANSWER, pair.reply) if answer else None
    path = pair.project.path
    ids = (pair.report.id, pair.response.id)
    pair.project.close()
    return path, ids, recs, ans


def _links(path):
    project = Project.open(path)
    try:
        return project.links.all()
    finally:
        project.close()


def _select_coding(window, coding_id):
    window.codings_panel.select_ids([coding_id])
    QApplication.processEvents()


def test_link_to_dialog_links_lists_both_ends_navigates_and_undoes(qtbot, tmp_path):
    path, (report, response), recs, ans = _project(tmp_path)
    window = open_window(qtbot, path, coder="Ada")
    window.open_document(report)
    _select_coding(window, recs[0].id)

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LinkDialog)
        dialog.search.setText("government accepts")
        assert dialog.model.rowCount() == 1
        dialog.type_box.setCurrentText(RESPONSE_TO)
        dialog.status_box.setCurrentText("accepted in part")
        dialog.reverse.setChecked(True)  # the response is the source of "response to"
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.actions["link_to"].trigger()
    links = _links(path)
    assert [(lk.source_id, lk.target_id, lk.link_type, lk.status) for lk in links] == [
        (ans.id, recs[0].id, RESPONSE_TO, "accepted in part")
    ]
    panel = window.links_panel
    assert panel.model.rowCount() == 1
    assert panel.model.views[0].other.coding_id == ans.id

    panel._activate(panel.model.index(0, 0))  # double-click: go to the other end
    assert window.current_document == response
    assert window.view.selected_span() == (ans.start, ans.end)
    assert panel.model.rowCount() == 1  # listed on the response's end too
    assert panel.model.views[0].other.coding_id == recs[0].id

    window.actions["undo"].trigger()
    assert _links(path) == []
    assert panel.model.rowCount() == 0
    window.actions["redo"].trigger()
    assert [lk.id for lk in _links(path)] == [links[0].id]


def test_status_edit_and_removal_are_undoable(qtbot, tmp_path):
    path, (report, _response), recs, ans = _project(tmp_path)
    window = open_window(qtbot, path, coder="Ada")
    window.open_document(report)
    _select_coding(window, recs[0].id)
    from annotator.gui.recommendations.recommendation_actions import make_link

    assert make_link(window, (ans.id, recs[0].id, RESPONSE_TO, "accepted"))
    window.links_panel.status_chosen.emit(0, "not accepted")
    assert [lk.status for lk in _links(path)] == ["not accepted"]
    window.actions["undo"].trigger()
    assert [lk.status for lk in _links(path)] == ["accepted"]
    window.links_panel.table.selectRow(0)
    window.links_panel._remove()
    assert _links(path) == []
    window.actions["undo"].trigger()
    assert [lk.status for lk in _links(path)] == ["accepted"]


def test_deleting_a_coding_removes_its_links_undoably(qtbot, tmp_path):
    path, (report, _response), recs, ans = _project(tmp_path)
    window = open_window(qtbot, path, coder="Ada")
    window.open_document(report)
    _select_coding(window, recs[0].id)
    from annotator.gui.coding import coding_actions
    from annotator.gui.recommendations.recommendation_actions import make_link

    assert make_link(window, (ans.id, recs[0].id, RESPONSE_TO, "accepted"))
    coding_actions.remove_codings(window, [recs[0].id])
    assert _links(path) == []
    window.actions["undo"].trigger()
    assert [(lk.source_id, lk.target_id) for lk in _links(path)] == [(ans.id, recs[0].id)]


def test_side_by_side_accepts_a_candidate_and_links_selections_from_the_keyboard(qtbot, tmp_path):
    path, (report, response), recs, _ans = _project(tmp_path, answer=False)
    window = open_window(qtbot, path, coder="Ada")
    side = show_side_by_side(window)
    qtbot.waitExposed(side)
    # findData cannot compare Python objects: look the documents up by item.
    for box, wanted in ((side.left_doc, report), (side.right_doc, response)):
        box.setCurrentIndex(next(i for i in range(box.count()) if box.itemData(i) == wanted))
    assert len(side.matches) == 2
    assert side.model.candidates[0].text.startswith(ANSWER)
    assert side.status.currentText() == "accepted"
    side.activateWindow()  # shortcuts act in the active window, as for a user
    qtbot.waitUntil(side.isActiveWindow)
    side.table.setFocus()
    qtbot.keyClick(side.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    links = _links(path)
    assert [(lk.target_id, lk.status) for lk in links] == [(recs[0].id, "accepted")]

    qtbot.keyClick(side.left, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert side.current == 1
    assert side.model.candidates[0].text.startswith("The government does not accept")
    assert side.status.currentText() == "not accepted"
    qtbot.keyClick(side.right, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert sorted(lk.status for lk in _links(path)) == ["accepted", "not accepted"]

    # Keyboard linking of two selections: a new recommendation and a new response passage.
    text = side.left.text
    start = text.index("Combined authorities")
    side.left.select_span(start, start + len("Combined authorities should run their own bus"))
    rtext = side.right.text
    rstart = rtext.index("The government notes")
    side.right.select_span(rstart, rstart + len("The government notes the recommendation"))
    side.status.setCurrentText("noted")
    qtbot.keyClick(side.left, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert len(_links(path)) == 3
    window.actions["undo"].trigger()
    assert len(_links(path)) == 2
    project = Project.open(path)
    try:  # undo also removed the two codings made for that link
        assert not any(c.quote.startswith("Combined") for c in project.codings.for_document(report))
    finally:
        project.close()


def test_register_window_filters_groups_opens_and_exports(qtbot, tmp_path):
    path, (report, _response), recs, ans = _project(tmp_path)
    window = open_window(qtbot, path, coder="Ada")
    from annotator.gui.recommendations.recommendation_actions import make_link

    window.open_document(report)
    assert make_link(window, (ans.id, recs[0].id, RESPONSE_TO, "accepted"))
    register = show_register(window)
    qtbot.waitExposed(register)
    model = register.model
    assert model.rowCount() == 2
    headers = list(model.headers)
    assert model.index(0, headers.index("Status")).data() == "accepted"
    assert model.index(0, headers.index("No.")).data() == "1"
    register.filter.setText("treasury")
    assert model.rowCount() == 1
    register.filter.setText("")
    register.group.setCurrentText("Status")
    assert model.rowCount() == 4  # two group headers, two rows
    assert register.table.columnSpan(0, 0) == len(headers)
    register.group.setCurrentText("(nothing)")
    register.table.sortByColumn(headers.index("Text"), Qt.SortOrder.DescendingOrder)
    assert model.row_at(0).coding_id == recs[1].id  # "The Treasury..." after "Councils..."
    window.open_document(None)
    register._open(model.index(0, 0))
    assert window.current_document == report
    assert window.view.selected_span() == (recs[1].start, recs[1].end)
    out = register.export(tmp_path / "shown.csv", "csv")
    assert out is not None and "Treasury" in out.read_text("utf-8-sig")


def test_link_types_and_statuses_are_edited_undoably(qtbot, tmp_path):
    from annotator.gui.recommendations.link_lists_dialog import LinkListsDialog
    from annotator.gui.recommendations.recommendation_actions import make_link

    path, (report, _response), recs, ans = _project(tmp_path)
    window = open_window(qtbot, path, coder="Ada")
    window.open_document(report)
    assert make_link(window, (ans.id, recs[0].id, RESPONSE_TO, "accepted"))

    def edit(types: str, statuses: str):
        def fill():
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, LinkListsDialog)
            dialog.types.setPlainText(types)
            dialog.statuses.setPlainText(statuses)
            dialog.accept()

        QTimer.singleShot(0, fill)
        window.actions["link_lists"].trigger()

    edit("response to\nechoes", "accepted\nimplemented")
    project = Project.open(path)
    try:
        assert project.links.statuses() == ["accepted", "implemented"]
        assert "echoes" in project.links.link_types() and "implements" in project.links.link_types()
    finally:
        project.close()
    messages = []
    window.controller.error.connect(messages.append)
    edit("response to", "implemented")  # "accepted" is still used by a link: refused
    assert messages and "accepted" in messages[-1]
    window.actions["undo"].trigger()
    project = Project.open(path)
    try:
        assert "noted" in project.links.statuses()  # the defaults are back
        assert "echoes" not in project.links.link_types()
    finally:
        project.close()
