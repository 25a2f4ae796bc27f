"""The agreement window, the disagreement viewer and adjudication, driven like a user."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.gui.agreement.agreement_model import RELIABILITY_ROLE, AgreementModel
from annotator.gui.agreement.agreement_window import AgreementWindow
from annotator.gui.agreement.agreement_worker import AgreementRun
from annotator.gui.agreement.disagreement_view import DisagreementViewer
from annotator.gui.controller import ShowMode
from annotator.services.adjudication import CONSENSUS_CODER, AdjudicationService, DecisionKind
from annotator.services.agreement import AgreementRequest, AgreementService
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

FISCAL = "Themes/Fiscal devolution"
UNUSED = "Themes/Levelling up and inequality"


def _open_agreement(qtbot, window) -> AgreementWindow:
    window.actions["agreement"].trigger()
    aw = window.findChild(AgreementWindow)
    assert aw is not None and aw.isVisible()
    return aw


def _compute(qtbot, aw: AgreementWindow) -> None:
    with qtbot.waitSignal(aw.computed, timeout=20_000):
        qtbot.mouseClick(aw.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: aw.run is None, timeout=10_000)


def _cell(model: AgreementModel, label: str, measure: str):
    col = model.column_of(measure)
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == label:
            return model.index(row, col)
    raise AssertionError(f"no row {label}")


def test_menu_opens_window_that_computes_in_a_worker(qtbot, window):
    aw = _open_agreement(qtbot, window)
    checked = [aw.coders.item(i) for i in range(aw.coders.count())]
    assert {i.text() for i in checked if i.checkState() == Qt.CheckState.Checked} == {
        "Sample coder A",
        "Sample coder B",
    }
    aw.set_checked(aw.codes, {FISCAL, UNUSED, "Themes/Centralisation critique"})
    aw.bootstrap.setValue(200)
    progress: list[int] = []
    aw.progress.valueChanged.connect(progress.append)
    _compute(qtbot, aw)
    assert progress and aw.progress.value() == aw.progress.maximum()
    model = aw.code_model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels == [FISCAL, "Themes/Centralisation critique", UNUSED, "All codes (pooled)"]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "Code"
    # Two-line headers (narrow columns); the full names are the tooltips.
    headers = [h.replace("\n", " ") for h in headers]
    assert headers[-3:] == ["Units", "Coded by Sample co…", "Coded by Sample co…"]
    tips = [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(model.columnCount())]  # fmt: skip
    assert tips[-2:] == ["Units coded by Sample coder A", "Units coded by Sample coder B"]
    assert "Alpha CI" in headers and "Cohen's kappa" in headers
    fiscal = _cell(model, FISCAL, "krippendorff_alpha")
    assert fiscal.data() == "0.814"
    assert fiscal.data(RELIABILITY_ROLE) == "reliable"
    assert fiscal.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#b7e1b0")
    low = _cell(model, "Themes/Centralisation critique", "krippendorff_alpha")
    assert low.data(RELIABILITY_ROLE) == "unreliable"
    assert low.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#f2b8b5")
    undefined = _cell(model, UNUSED, "krippendorff_alpha")
    assert undefined.data() == "undefined"
    assert "only one value" in undefined.data(Qt.ItemDataRole.ToolTipRole)
    percent = _cell(model, FISCAL, "percent_agreement")
    assert percent.data(Qt.ItemDataRole.BackgroundRole) is None  # no thresholds for it
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == FISCAL)
    coded_a = tips.index("Units coded by Sample coder A")
    assert model.index(row, coded_a).data() == "32"
    assert model.index(row, coded_a + 1).data() == "22"
    ci = model.index(row, headers.index("Alpha CI")).data()
    assert ci.startswith("[") and ci.endswith("]")
    assert "Krippendorff's alpha" in aw.methods.toPlainText()


def test_document_and_pair_views(qtbot, window):
    aw = _open_agreement(qtbot, window)
    _compute(qtbot, aw)
    report = aw.result.report
    docs = aw.document_model
    assert docs.rowCount() == len(report.settings.documents)
    aw.document_choice.setCurrentIndex(1)
    assert docs.rowCount() == len(report.settings.codes) + 1
    assert docs.index(0, 0).data() == "All codes (pooled)"
    pairs = aw.pair_model
    assert aw.pair_choice.currentText() == "Sample coder A vs Sample coder B"
    assert pairs.rowCount() == len(report.settings.codes) + 1


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, sample):
    result = AgreementService(sample).compute(
        AgreementRequest(("Sample coder A", "Sample coder B"), bootstrap=50, seed=1)
    )
    model = AgreementModel(lambda r: r.code or "pooled")
    model.set_rows(result.report.rows)
    qtmodeltester.check(model)


def test_exports_write_files_with_settings(qtbot, window, tmp_path: Path):
    aw = _open_agreement(qtbot, window)
    assert not aw.export_buttons["html"].isEnabled()
    aw.unit.setCurrentText("sentence")
    _compute(qtbot, aw)
    aw.save_path = lambda fmt: tmp_path / f"agreement.{fmt}"
    for fmt in ("html", "csv", "json"):
        qtbot.mouseClick(aw.export_buttons[fmt], Qt.MouseButton.LeftButton)
    html = (tmp_path / "agreement.html").read_text(encoding="utf-8")
    assert "sentences" in html and "Methods" in html
    csv_text = (tmp_path / "agreement.csv").read_text(encoding="utf-8")
    assert "# unit: sentence" in csv_text and "krippendorff_alpha" in csv_text
    json_text = (tmp_path / "agreement.json").read_text(encoding="utf-8")
    assert '"app_version"' in json_text and aw.methods.toPlainText()[:40] in json_text
    qtbot.mouseClick(aw.copy_button, Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == aw.methods.toPlainText()


def test_cancel_stops_the_worker(qtbot, sample):
    run = AgreementRun(
        AgreementService(sample), AgreementRequest(("Sample coder A", "Sample coder B"))
    )
    finished: list[object] = []
    run.finished.connect(finished.append)
    run.cancel()  # before the worker starts: its first check stops it
    with qtbot.waitSignals([run.cancelled, run.done], timeout=10_000):
        run.start()
    assert finished == [] and run.result is None and not run.is_running()


def test_cancel_button_leaves_a_consistent_window(qtbot, window):
    aw = _open_agreement(qtbot, window)
    aw.bootstrap.setValue(5000)
    qtbot.mouseClick(aw.compute_button, Qt.MouseButton.LeftButton)
    assert aw.cancel_button.isEnabled() and not aw.compute_button.isEnabled()
    qtbot.mouseClick(aw.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: aw.run is None, timeout=20_000)
    assert aw.compute_button.isEnabled() and not aw.cancel_button.isEnabled()
    assert (aw.status.text() == "Cancelled.") == (aw.result is None)


def _viewer_from_code(qtbot, window, code: str) -> DisagreementViewer:
    aw = _open_agreement(qtbot, window)
    _compute(qtbot, aw)
    row = next(
        r for r in range(aw.code_model.rowCount()) if aw.code_model.index(r, 0).data() == code
    )
    index = aw.code_model.index(row, 0)
    rect = aw.code_table.visualRect(index)
    qtbot.waitExposed(aw)
    # Qt 6's double-click event needs the press before it, as a real double click has.
    qtbot.mouseClick(aw.code_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(aw.code_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = window.findChild(DisagreementViewer)
    assert viewer is not None and viewer.isVisible()
    return viewer


def test_double_click_opens_viewer_that_shows_the_passage(qtbot, window):
    viewer = _viewer_from_code(qtbot, window, "Themes/Centralisation critique")
    code_id = starter_code_id("Themes/Centralisation critique")
    assert viewer.selected_code() == code_id
    items = viewer.model.items()
    assert items and all(code_id in i.code_ids for i in items)
    assert window.controller.show_mode is ShowMode.ALL
    viewer.select_row(0)
    item = viewer.current()
    cursor = window.view.textCursor()
    assert window.current_document == item.document_id
    assert window.view.from_qt(cursor.selectionStart()) == item.start
    assert window.view.from_qt(cursor.selectionEnd()) == item.end
    # Both coders' codings are visible in the view while adjudicating.
    shown = {c.id for c in window.view.index.all()}
    assert {c.id for c in (*item.codings_a, *item.codings_b)} <= shown
    viewer.code.setCurrentIndex(0)  # all codes
    assert viewer.model.rowCount() >= len(items)
    viewer.select_row(0)
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    assert viewer.table.currentIndex().row() == 1
    second = viewer.current()
    assert window.view.from_qt(window.view.textCursor().selectionStart()) == second.start
    viewer.step(-1)
    assert viewer.table.currentIndex().row() == 0
    viewer.close()
    assert window.controller.show_mode is ShowMode.MINE


def _stored_consensus(path: Path):
    project = Project.open(path)
    try:
        coder = project.coders.find(CONSENSUS_CODER)
        return [] if coder is None else project.codings.all({coder.id})
    finally:
        project.close()


def test_adjudicate_undo_redo_and_reopen(qtbot, window, sample_path: Path):
    window.actions["disagreements"].trigger()
    viewer = window.findChild(DisagreementViewer)
    assert viewer.coder_a.currentText() == "Sample coder A"
    assert viewer.coder_b.currentText() == "Sample coder B"
    total = viewer.model.rowCount()
    assert f"This document: 0 of {total} settled" in viewer.progress.text()
    viewer.select_row(0)
    item = viewer.current()
    qtbot.mouseClick(viewer.decision_buttons["accept_a"], Qt.MouseButton.LeftButton)
    assert f"This document: 1 of {total} settled" in viewer.progress.text()
    assert viewer.current().settled and "Decided by Tester" in viewer.model.index(0, 6).data()
    stored = _stored_consensus(sample_path)
    assert [(c.code_id, c.start, c.end) for c in stored] == [
        (c.code_id, c.start, c.end) for c in item.codings_a
    ]
    assert "Decided by Tester" in stored[0].memo
    window.actions["undo"].trigger()
    assert _stored_consensus(sample_path) == []
    assert f"This document: 0 of {total} settled" in viewer.progress.text()
    window.actions["redo"].trigger()
    assert [c.id for c in _stored_consensus(sample_path)] == [c.id for c in stored]
    # The consensus is drawn in the view like any coder's codings.
    assert stored[0].id in {c.id for c in window.view.index.all()}


def test_edit_decision_uses_the_chosen_extent(qtbot, window, sample_path: Path):
    window.actions["disagreements"].trigger()
    viewer = window.findChild(DisagreementViewer)
    viewer.select_row(0)
    item = viewer.current()
    source = item.codings_a[0]
    viewer.ask_edit = lambda it: (source, (source.start, source.start + 9))
    qtbot.mouseClick(viewer.decision_buttons["edit"], Qt.MouseButton.LeftButton)
    stored = _stored_consensus(sample_path)
    assert [(c.start, c.end, c.quote) for c in stored] == [
        (source.start, source.start + 9, source.quote[:9])
    ]
    viewer.ask_edit = lambda it: None  # cancelled dialog: nothing changes
    assert not viewer.decide(DecisionKind.EDIT)
    assert len(_stored_consensus(sample_path)) == 1


@pytest.mark.parametrize("kind", ["neither", "both", "accept_b"])
def test_other_decisions_settle_and_survive_reopening(qtbot, window, sample_path: Path, kind):
    window.actions["disagreements"].trigger()
    viewer = window.findChild(DisagreementViewer)
    viewer.select_row(viewer.model.rowCount() - 1)
    row = viewer.table.currentIndex().row()
    qtbot.mouseClick(viewer.decision_buttons[kind], Qt.MouseButton.LeftButton)
    assert viewer.model.item(row).settled
    viewer.close()
    window.close()
    project = Project.open(sample_path)
    try:
        a, b = (project.coders.find(n) for n in ("Sample coder A", "Sample coder B"))
        docs = [d.id for d in project.documents.list()]
        assert AdjudicationService(project).progress(docs, a.id, b.id)[0] == 1
    finally:
        project.close()


def test_viewer_starts_on_the_document_being_read(qtbot, window):
    third = window.controller.documents()[2]
    window.open_document(third.id)
    window.actions["disagreements"].trigger()
    viewer = window.findChild(DisagreementViewer)
    assert viewer.document.currentText() == third.title
    assert all(i.document_id == third.id for i in viewer.model.items())
    assert window.current_document == third.id
