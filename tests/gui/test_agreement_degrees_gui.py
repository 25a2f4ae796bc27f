"""The agreement window's gamma option and its "Over time" tab, driven like a user."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.agreement import gamma_agreement
from annotator.gui.agreement.agreement_window import AgreementWindow
from annotator.services.agreement import AgreementRequest, AgreementService


def _open(window) -> AgreementWindow:
    window.actions["agreement"].trigger()
    aw = window.findChild(AgreementWindow)
    assert aw is not None
    return aw


def test_gamma_tab_shows_the_services_figures(qtbot, window, tmp_path: Path):
    aw = _open(window)
    aw.gamma.setChecked(True)
    aw.gamma_samples.setValue(12)
    with qtbot.waitSignal(aw.computed, timeout=60_000):
        qtbot.mouseClick(aw.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: aw.run is None, timeout=10_000)
    model = aw.gamma_model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels[0] == "All codes (pooled)"
    assert any(label.startswith("Document: ") for label in labels)
    shown = model.index(0, model.column_of("gamma")).data()
    # Independently: the same request through the service, and gamma from the raw units.
    request = AgreementRequest(
        coders=("Sample coder A", "Sample coder B"), gamma_samples=12, seed=aw.seed.value()
    )
    report = AgreementService(window.controller.project).compute(request).report
    pooled = report.gamma_rows[0].values[0]
    assert shown == f"{pooled.value:.3f}"
    assert "gamma" in aw.methods.toPlainText()
    aw.tabs.setCurrentWidget(aw.gamma_table)
    aw.grab().save(str(tmp_path / "gamma-tab.png"))


def test_gamma_of_the_report_equals_gamma_of_its_units(window):
    project = window.controller.project
    request = AgreementRequest(coders=("Sample coder A", "Sample coder B"), gamma_samples=8)
    report = AgreementService(project).compute(request).report
    docs = {d.title: d for d in project.documents.list()}
    first = next(r for r in report.gamma_rows if r.document is not None and r.n_units)
    doc = docs[first.document]
    names = {c.id: c.name for c in project.coders.list()}
    codes = {c.id: c for c in project.codebook.list()}
    units = [
        (names[c.coder_id], c.start, c.end, codes[c.code_id].name)
        for c in project.codings.all()
        if c.document_id == doc.id and names[c.coder_id] in request.coders
    ]
    expected = gamma_agreement(
        units,
        coders=request.coders,
        bounds=(0, doc.length),
        n_samples=8,
        seed=0,
    )
    assert first.values[0].value == expected.value


def test_over_time_tab_draws_and_exports(qtbot, window, tmp_path: Path):
    aw = _open(window)
    aw.tabs.setCurrentWidget(aw.drift)
    panel = aw.drift
    panel.by.setCurrentIndex(panel.by.findData("codings"))
    assert panel.every.isEnabled()
    panel.every.setValue(8)
    qtbot.mouseClick(panel.compute_button, Qt.MouseButton.LeftButton)
    assert panel.result is not None
    names = [s.name for s in panel.result.series]
    assert names[0] == "All coders" and "Sample coder A vs others" in names
    assert len(panel.result.series[0].points) >= 2
    assert panel.findChild(object, "driftCanvas") is not None
    assert panel.warnings.text()
    out = panel.export_to(tmp_path / "drift.svg")
    assert out is not None and out.read_text().lstrip().startswith("<?xml")
    png = panel.export_to(tmp_path / "drift.png")
    assert png is not None and png.read_bytes()[:4] == b"\x89PNG"
    aw.resize(1300, 720)
    qtbot.waitUntil(lambda: panel.findChild(object, "driftCanvas").height() > 200)
    qtbot.wait(300)  # matplotlib redraws after the resize on its own timer
    aw.grab().save(str(tmp_path / "over-time.png"))
