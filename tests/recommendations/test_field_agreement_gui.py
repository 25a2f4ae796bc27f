"""The per-field agreement window: compute, open a disagreement, adjudicate, undo."""

from __future__ import annotations

from annotator.gui.recommendations import details_actions
from annotator.services.adjudication import CONSENSUS_CODER
from annotator.services.starter import starter_code_id

REC = starter_code_id("Recommendations/Recommendation")


def test_compute_open_and_adjudicate_a_value(qtbot, window) -> None:
    fw = details_actions.field_agreement(window)
    qtbot.addWidget(fw)
    fw.coder_a.setCurrentIndex(fw.coder_a.findText("Sample coder A"))
    fw.coder_b.setCurrentIndex(fw.coder_b.findText("Sample coder B"))
    report = fw.compute()
    assert report is not None and fw.table.rowCount() == 4
    fields = [fw.table.item(i, 1).text() for i in range(4)]
    assert fields == ["Addressee", "Instrument", "Instrument type (Hood)", "Strength"]
    row = next(i for i in range(fw.list.count()) if "Strength" in fw.list.item(i).text())
    fw.list.setCurrentRow(row)
    d = fw.list.item(row).data(0x0100)
    fw.list.itemActivated.emit(fw.list.item(row))
    assert window.current_document == d.coding_a.document_id
    assert fw.decide("b")
    p = window.controller.project
    consensus = p.coders.find(CONSENSUS_CODER)
    made = [c for c in p.codings.all({consensus.id}) if c.code_id == REC]
    assert len(made) == 1 and (made[0].start, made[0].end) == (d.coding_b.start, d.coding_b.end)
    value = p.fields.values_for_codings([made[0].id])[made[0].id][d.field.id]
    assert value.value == d.value_b and not value.suggested
    assert value.coder_id == window.controller.coder.id
    window.controller.undo_stack.undo()
    assert [c for c in p.codings.all({consensus.id}) if c.code_id == REC] == []
    window.controller.undo_stack.redo()
    again = p.fields.values_for_codings([made[0].id])[made[0].id][d.field.id]
    assert again.value == d.value_b
