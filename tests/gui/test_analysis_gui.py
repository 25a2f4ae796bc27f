"""The Analysis menu's Retrieval and Search windows, driven as a user would, on a real
project: results shown, a click opens the passage, coding all results and auto-coding are
stored and undone in one step, exports are written, and the windows fit a small screen."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt

from annotator.gui.analysis.analysis_actions import show_retrieval, show_search
from annotator.gui.main_window import MainWindow
from annotator.services.saved_queries import QueryKind

A = "Themes/Fiscal devolution"
B = "Themes/Partnership working"


def _codings_of(window: MainWindow, code_name: str) -> list:
    codes = {c.id: c.name for c in window.controller.codes()}
    return [c for c in window.controller.project.codings.all() if codes[c.code_id] == code_name]


def test_retrieval_window_runs_opens_codes_all_and_exports(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    assert window.actions["retrieval"].text().startswith("&Retrieve")
    view = show_retrieval(window)
    qtbot.waitExposed(view)
    assert view.width() <= 1366 and view.height() <= 768
    view.query.setText(f'"{A}" OR "{B}"')
    assert view.run_query()
    # The window shows what the service finds (its numbers are checked against the JSON
    # Lines export by the property tests).
    n = len(window.controller.project.retrieval.run(f'"{A}" OR "{B}"').refs)
    assert n > 1 and view.model.rowCount() == n
    assert f"{n} passages" in view.summary.text()
    row = view.model.passages[0]
    assert row.text in view.model.index(0, 5).data()
    view.grab().save(str(tmp_path / "retrieval.png"))

    # filters: one document, then an attribute nobody has
    view.document.setCurrentIndex(view.document.findText(row.document_title))
    assert view.run_query()
    assert {p.document_id for p in view.model.passages} == {row.document_id}
    view.attribute.setText("type=nothing")
    assert view.run_query()
    assert view.model.rowCount() == 0
    view.attribute.clear()
    view.document.setCurrentIndex(0)
    assert view.run_query()
    assert view.model.rowCount() == n

    # a double-click opens the passage in the document view
    view.table.doubleClicked.emit(view.model.index(0, 0))
    assert window.current_document == row.document_id
    assert window.view.selected_span() == (row.start, row.end)

    # code every result with one code, then undo it in one step
    target = view.code.findText("Prevention")
    view.code.setCurrentIndex(target)
    before = len(_codings_of(window, "Prevention"))
    assert view.code_all()
    assert len(_codings_of(window, "Prevention")) == before + n
    window.controller.undo_stack.undo()
    assert len(_codings_of(window, "Prevention")) == before
    window.controller.undo_stack.redo()
    assert len(_codings_of(window, "Prevention")) == before + n

    out = tmp_path / "passages.xlsx"
    assert view.export(out) == n
    assert pd.read_excel(out).passage.iloc[0] == view.model.passages[0].text

    # sorting by coders reads every passage and reorders them
    view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    coders = [view.model.index(r, 4).data() for r in range(view.model.rowCount())]
    assert coders == sorted(coders, key=str.casefold, reverse=True)


def test_a_bad_query_says_why(window: MainWindow, qtbot, monkeypatch) -> None:
    view = show_retrieval(window)
    said = []
    monkeypatch.setattr(
        "annotator.gui.analysis.retrieval_view.QMessageBox.warning",
        lambda _parent, _title, text: said.append(text),
    )
    view.query.setText("Nope AND")
    assert not view.run_query()
    assert "code name" in said[0]


def test_search_window_kwic_counts_autocode_and_undo(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    assert window.actions["search_all"].text().startswith("&Search")
    view = show_search(window)
    qtbot.waitExposed(view)
    assert view.width() <= 1366 and view.height() <= 768
    names = [view.saved.itemText(i) for i in range(view.saved.count())]
    view.saved.setCurrentIndex(names.index("candidate recommendations"))
    view.saved.activated.emit(names.index("candidate recommendations"))
    assert "we recommend" in view.query.text()
    view.query.setText("councils")
    assert view.run_search()
    hits = view.model.hits
    assert hits and {h.line.hit.casefold() for h in hits} == {"councils"}
    total = sum(
        view.counts.item(r, 1).data(Qt.ItemDataRole.DisplayRole)
        for r in range(view.counts.rowCount())
    )
    assert total == len(hits)
    view.grab().save(str(tmp_path / "search.png"))

    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    lefts = [re.findall(r"\w+", h.line.left)[-1:] for h in view.model.hits]
    lefts = [words[0].casefold() if words else "" for words in lefts]
    assert lefts == sorted(lefts)

    view.table.doubleClicked.emit(view.model.index(0, 2))
    first = view.model.hits[0]
    assert window.view.selected_span() == (first.start, first.end)

    view.code.setCurrentIndex(view.code.findText("Prevention"))
    view.unit.setCurrentText("sentence")
    before = len(_codings_of(window, "Prevention"))
    shown = []
    assert view.autocode(confirm=lambda codings: shown.append(codings) or True)
    assert len(_codings_of(window, "Prevention")) == before + len(shown[0])
    assert all("councils" in c.quote.casefold() for c in shown[0])
    window.controller.undo_stack.undo()
    assert len(_codings_of(window, "Prevention")) == before
    # declining the preview stores nothing
    assert not view.autocode(confirm=lambda _codings: False)
    assert len(_codings_of(window, "Prevention")) == before

    out = tmp_path / "kwic.csv"
    assert view.export(out) == len(hits)
    assert len(pd.read_csv(out)) == len(hits)
    assert window.controller.project.saved_queries.list(QueryKind.SEARCH)


def test_passages_beyond_the_first_page_are_read_off_the_gui_thread(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    # a page of 2 passages: the others arrive when scrolled to, sorted or exported
    monkeypatch.setattr("annotator.gui.analysis.result_models.PAGE", 2)
    monkeypatch.setattr("annotator.gui.analysis.retrieval_view.PAGE", 2)
    view = show_retrieval(window)
    view.query.setText(f'"{A}" OR "{B}"')
    assert view.run_query()
    n = len(window.controller.project.retrieval.run(f'"{A}" OR "{B}"').refs)
    assert n > 2 and view.model.rowCount() == 2 and len(view.model.refs) == n
    assert view.model.canFetchMore()
    view.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # reads the rest, then sorts
    assert view.model.rowCount() == n
    texts = [p.text.casefold() for p in view.model.passages]
    assert texts == sorted(texts)
