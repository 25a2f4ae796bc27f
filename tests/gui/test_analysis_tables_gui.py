"""Matrices, charts, memos and documents as cases, driven through the real windows."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from annotator.gui.analysis.matrix_view import MatrixModel, MatrixWindow
from annotator.gui.analysis.memos_view import MemosWindow
from annotator.gui.project.cases_window import CasesWindow
from annotator.services.matrices import MatrixRequest, build_matrix


def _matrix_window(window) -> MatrixWindow:
    window.actions["matrices"].trigger()
    mw = window.findChild(MatrixWindow)
    assert mw is not None and mw.isVisible()
    assert mw.width() <= 1366 and mw.height() <= 768
    hint = mw.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    return mw


def _click(qtbot, view, row, column, double=False):
    index = view.model().index(row, column)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:  # an item view opens on a double click only where the press landed
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_matrix_cells_open_their_passages_in_the_document_view(qtbot, window, tmp_path):
    mw = _matrix_window(window)
    menu = window.menuBar().findChild(QMenu, "analysisMenu")
    assert menu is not None and window.actions["matrices"] in menu.actions()
    mw.columns.setCurrentText("documents")
    mw.compute()
    project = window.controller.project
    expected = build_matrix(project, MatrixRequest(columns="documents", hide_empty_codes=True))
    model = mw.model
    assert model.rowCount() == len(expected.rows) + 1
    assert model.columnCount() == len(expected.columns) + 1
    # The busiest cell: click it in the table, its codings are listed.
    r, c = max(
        ((r, c) for r in range(len(expected.rows)) for c in range(len(expected.columns))),
        key=lambda rc: expected.values[rc[0]][rc[1]],
    )
    assert model.index(r, c).data() == f"{expected.values[r][c]:g}"
    _click(qtbot, mw.table, r, c)
    assert mw.passage_list.rowCount() == expected.values[r][c] >= 2
    assert {p.code_path for p in mw.shown} == {expected.rows[r].label}
    # Double-click the first coding: the main window shows it, selected.
    first = mw.shown[0]
    _click(qtbot, mw.passage_list, 0, 0, double=True)
    assert window.current_document == first.document_id
    assert window.view.selected_span() == (first.start, first.end)
    # Sorting by a column keeps the total row last.
    mw.table.sortByColumn(c, Qt.SortOrder.AscendingOrder)
    last = mw.proxy.rowCount() - 1
    assert mw.proxy.headerData(last, Qt.Orientation.Vertical) == "Total"
    mw.table.sortByColumn(c, Qt.SortOrder.DescendingOrder)
    assert mw.proxy.headerData(last, Qt.Orientation.Vertical) == "Total"
    total_column = mw.proxy.columnCount() - 1
    mw.table.sortByColumn(total_column, Qt.SortOrder.DescendingOrder)  # by the row totals
    assert mw.proxy.headerData(last, Qt.Orientation.Vertical) == "Total"
    first_row = mw.proxy.mapToSource(mw.proxy.index(0, 0)).row()
    assert expected.row_totals[first_row] == max(expected.row_totals)
    mw.table.sortByColumn(c, Qt.SortOrder.DescendingOrder)
    top = mw.proxy.mapToSource(mw.proxy.index(0, c)).row()
    assert expected.values[top][c] == max(line[c] for line in expected.values)
    # Copy, export and the chart.
    mw.copy()
    pasted = QGuiApplication.clipboard().text().splitlines()
    assert pasted[0].split("\t")[0] == "code" and len(pasted) == len(expected.rows) + 2
    tidy = mw.export(tmp_path / "m.xlsx", "tidy")
    frame = pd.read_excel(tidy)
    assert len(frame) == len(expected.rows) * len(expected.columns)
    assert frame.value.sum() == expected.grand_total
    png = mw.save_chart("png", tmp_path / "chart.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    mw.grab().save(str(tmp_path / "matrix_window.png"))


def test_cooccurrence_by_paragraph_and_heatmap_tab(qtbot, window, tmp_path):
    mw = _matrix_window(window)
    mw.columns.setCurrentText("codes")
    mw.mode.setCurrentText("paragraph")
    matrix = mw.compute()
    assert matrix is not None and matrix.kind == "codes x codes (same paragraph)"
    mw.tabs.setCurrentIndex(1)
    assert mw.canvas is not None and mw.canvas.isVisible()
    drawn = mw.canvas
    mw.chart_kind.setCurrentText("frequencies")  # any matrix, any chart
    assert mw.canvas is not drawn and mw.canvas.figure.axes[0].get_title().startswith("Code")
    mw.grab().save(str(tmp_path / "heatmap_tab.png"))


def test_unknown_attribute_is_reported_not_raised(qtbot, window):
    mw = _matrix_window(window)
    mw.columns.setEditable(True)
    mw.columns.setCurrentText("no-such-attribute")
    assert mw.compute() is None
    assert "no-such-attribute" in mw.status.text()


def test_matrix_model_passes_the_model_tester(qtmodeltester, sample):
    model = MatrixModel()
    model.set_matrix(build_matrix(sample, MatrixRequest(columns="groups")))
    qtmodeltester.check(model)


def test_memos_window_edits_the_project_memo_with_undo(qtbot, window, tmp_path):
    window.actions["memos"].trigger()
    memos = window.findChild(MemosWindow)
    assert memos is not None and memos.isVisible()
    with_coding_memos = memos.list.rowCount()
    assert with_coding_memos > 0  # the sample project has coding memos
    memos.project_memo.setPlainText("Aim: compare responses.")
    memos.save_memo()
    project = window.controller.project
    assert project.memos.project_memo() == "Aim: compare responses."
    assert memos.list.rowCount() == with_coding_memos + 1
    memos.search.setText("compare responses")
    assert memos.list.rowCount() == 1 and memos.list.item(0, 0).text() == "project"
    window.controller.undo_stack.undo()
    assert project.memos.project_memo() == ""
    path = memos.export("md", tmp_path / "memos.md")
    assert path.read_text(encoding="utf-8").startswith("# Memos")
    # A document's memo, chosen in the same editor.
    memos.memo_of.setCurrentIndex(2)
    doc = memos.memo_of.currentData()
    memos.project_memo.setPlainText("Second report: weak on funding.")
    memos.save_memo()
    assert project.memos.document_memo(doc) == "Second report: weak on funding."
    memos.search.setText("weak on funding")
    assert memos.list.rowCount() == 1 and memos.list.item(0, 0).text() == "document"
    memos.search.clear()
    combo = memos.document_filter  # (findData cannot compare Python objects)
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemData(i) == doc))
    assert {m.document_id for m in memos.memos} == {doc}
    assert memos.list.item(0, 0).text() == "document"
    window.controller.undo_stack.undo()
    assert project.memos.document_memo(doc) == ""


def test_cases_window_groups_and_attribute_cells_with_undo(qtbot, window):
    window.actions["cases"].trigger()
    cases = window.findChild(CasesWindow)
    assert cases is not None and cases.isVisible()
    project = window.controller.project
    stack = window.controller.undo_stack
    assert cases.create_group("Think tanks")
    gid = next(g.id for g in project.cases.groups() if g.name == "Think tanks")
    cases.groups_list.setCurrentRow(0)
    cases.table.selectRow(0)
    cases.table.setRangeSelected(cases.table.selectedRanges()[0], True)
    assert cases.add_selected(gid)
    first = cases.cases[0].id
    assert next(g for g in project.cases.groups() if g.id == gid).members == (first,)
    assert "Think tanks" in cases.table.item(0, 1).text()
    stack.undo()
    assert next(g for g in project.cases.groups() if g.id == gid).members == ()
    stack.redo()
    # Edit an attribute cell as a user types into it.
    column = cases.columns.index("publisher")
    cases.table.item(1, column).setText("Edited publisher")
    doc = cases.cases[1].id
    assert next(c for c in project.cases.cases() if c.id == doc).publisher == "Edited publisher"
    stack.undo()
    assert next(c for c in project.cases.cases() if c.id == doc).publisher != "Edited publisher"
    # The group is usable as matrix columns at once.
    m = build_matrix(project, MatrixRequest(columns="groups"))
    assert "Think tanks" in [a.label for a in m.columns]
    assert cases.rename_group(gid, "Think-tank reports")
    stack.undo()
    assert any(g.name == "Think tanks" for g in project.cases.groups())


def test_matrix_filters_limit_the_codings(qtbot, window):
    mw = _matrix_window(window)
    project = window.controller.project
    docs = [d.id for d in project.documents.list()]
    group = project.cases.create_group("First two")
    project.cases.add_members(group.id, docs[:2])
    mw.reload_choices()
    mw.group_filter.setCurrentText("First two")
    mw.coder_filter.setCurrentText("Sample coder A")
    matrix = mw.compute()
    assert [a.key for a in matrix.columns] == docs[:2]
    ann = next(c.id for c in project.coders.list() if c.name == "Sample coder A")
    expected = sum(
        1 for c in project.codings.all() if c.coder_id == ann and c.document_id in docs[:2]
    )
    assert matrix.grand_total == expected > 0
    mw.group_filter.setCurrentIndex(0)
    mw.coder_filter.setCurrentIndex(0)
    mw.date_from.setText("2023")
    matrix = mw.compute()
    dates = {d.id: d.metadata.date for d in project.documents.list()}
    assert all(dates[a.key][:4] >= "2023" for a in matrix.columns) and matrix.columns


def test_documents_dragged_onto_a_group_join_it_and_csv_attributes_import(qtbot, window, tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    window.actions["cases"].trigger()
    cases = window.findChild(CasesWindow)
    project = window.controller.project
    assert cases.create_group("Dropped")
    gid = next(g.id for g in project.cases.groups() if g.name == "Dropped")
    cases.table.clearSelection()
    cases.table.selectRow(2)
    mime = cases.table.model().mimeData(cases.table.selectedIndexes())
    item = cases.groups_list.item(0)
    where = QPointF(cases.groups_list.visualItemRect(item).center())
    drop = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    cases.groups_list.dropEvent(drop)
    assert next(g for g in project.cases.groups() if g.id == gid).members == (cases.cases[2].id,)
    title = cases.cases[0].title
    table = tmp_path / "attributes.csv"
    table.write_text(f'title,attr_country,date\n"{title}",UK,2020-01-02\n', encoding="utf-8")
    assert cases.import_attributes(table)
    case = next(c for c in project.cases.cases() if c.title == title)
    assert case.attributes["country"] == "UK" and case.date == "2020-01-02"
    assert "country" in cases.columns
    window.controller.undo_stack.undo()
    case = next(c for c in project.cases.cases() if c.title == title)
    assert "country" not in case.attributes and case.date != "2020-01-02"
    bad = tmp_path / "bad.csv"
    bad.write_text("title,country\nNo such report,UK\n", encoding="utf-8")
    assert not cases.import_attributes(bad)
    assert "bad.csv, row 2" in window.last_message.text()


def test_attribute_table_pastes_a_block_and_deletes_cells_in_one_undo_step(qtbot, window):
    from PySide6.QtGui import QKeySequence

    window.actions["cases"].trigger()
    cases = window.findChild(CasesWindow)
    project = window.controller.project
    stack = window.controller.undo_stack
    column = cases.columns.index("author")
    cases.table.setCurrentCell(0, column)
    QGuiApplication.clipboard().setText("A. One\tPub One\nA. Two\tPub Two\n")
    steps = stack.count()
    qtbot.keySequence(cases.table, QKeySequence.StandardKey.Paste)
    assert stack.count() == steps + 1
    by_id = {c.id: c for c in project.cases.cases()}
    first, second = (by_id[cases.cases[i].id] for i in (0, 1))
    assert (first.author, first.publisher) == ("A. One", "Pub One")
    assert (second.author, second.publisher) == ("A. Two", "Pub Two")
    cases.table.clearSelection()
    cases.table.setCurrentCell(0, column)
    qtbot.keyClick(cases.table, Qt.Key.Key_Delete)
    assert next(c for c in project.cases.cases() if c.id == first.id).author is None
    stack.undo()
    stack.undo()
    assert next(c for c in project.cases.cases() if c.id == first.id).author != "A. One"
