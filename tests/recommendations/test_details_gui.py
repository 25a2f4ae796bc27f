"""The Coding details panel, the fields dialog and the conversion, driven as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.domain.fields import FieldChoice, FieldKind
from annotator.gui.controller import ShowMode
from annotator.gui.recommendations import details_actions
from annotator.gui.recommendations.field_dialog import FieldsDialog
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_phrase

REC = starter_code_id("Recommendations/Recommendation")


def _open(qtbot, path: Path):
    """The real main window, active (so window-wide shortcuts reach it, as for a user)."""
    window = open_window(qtbot, path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _values(path: Path, coder: str = "Tester"):
    """{field name: (label(s), suggested, coder name)} of the coder's Recommendation codings."""
    p = Project.open(path)
    try:
        me = p.coders.find(coder)
        codings = [c for c in p.codings.all({me.id}) if c.code_id == REC]
        fields = {f.id: f for f in p.fields.fields_for_code(REC)}
        names = {c.id: c.name for c in p.coders.list()}
        out = []
        for c in codings:
            vals = p.fields.values_for_codings([c.id]).get(c.id, {})
            out.append(
                {
                    fields[fid].name: (
                        [fields[fid].choice(x).label for x in v.value]
                        if isinstance(v.value, list)
                        else fields[fid].choice(v.value).label,
                        v.suggested,
                        names.get(v.coder_id),
                    )
                    for fid, v in vals.items()
                }
            )
        return out
    finally:
        p.close()


def test_keyboard_filling_with_suggestions_undo_and_reopen(qtbot, sample_path: Path) -> None:
    window = _open(qtbot, sample_path)
    select_phrase(window, "Central government must wake up to the nature of the challenges")
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # Recommendation
    qtbot.wait(20)  # the new rows are shown on the next turn of the event loop
    panel = window.details_panel
    assert [r.field.name for r in panel.rows.values()] == [
        "Addressee",
        "Instrument",
        "Instrument type (Hood)",
        "Strength",
    ]
    [suggested] = _values(sample_path)
    assert suggested == {
        "Addressee": ("Central government", True, None),
        "Strength": ("must", True, None),
    }
    rows = {r.field.name: r for r in panel.rows.values()}
    assert not rows["Strength"].confirm.isHidden()
    assert "suggested" in rows["Strength"].status.text()
    first = rows["Addressee"].editor
    assert QApplication.focusWidget() is first  # the keyboard moved to the first field
    qtbot.keyClick(first, Qt.Key.Key_Return)  # confirm the suggested addressee
    qtbot.keyClick(rows["Instrument"].editor, Qt.Key.Key_3)  # Prevention and service reform
    qtbot.keyClick(rows["Instrument"].editor, Qt.Key.Key_5)  # Capacity and leadership
    qtbot.keyClick(rows["Instrument type (Hood)"].editor, Qt.Key.Key_4)  # Organisation
    qtbot.keyClick(rows["Strength"].editor, Qt.Key.Key_2)  # should, overriding the suggestion
    [stored] = _values(sample_path)
    assert stored == {
        "Addressee": ("Central government", False, "Tester"),
        "Instrument": (
            ["Prevention and service reform", "Capacity and leadership"],
            False,
            "Tester",
        ),
        "Instrument type (Hood)": ("Organisation", False, "Tester"),
        "Strength": ("should", False, "Tester"),
    }
    window.controller.undo_stack.undo()  # strength back to the suggestion
    assert _values(sample_path)[0]["Strength"] == ("must", True, None)
    assert not rows["Strength"].confirm.isHidden()
    window.controller.undo_stack.redo()
    assert _values(sample_path)[0]["Strength"] == ("should", False, "Tester")
    qtbot.keyClick(rows["Strength"].editor, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.view
    window.controller.undo_stack.undo()
    assert _values(sample_path)[0]["Strength"] == ("must", True, None)


def test_tab_moves_from_field_to_field(qtbot, sample_path: Path) -> None:
    window = _open(qtbot, sample_path)
    select_phrase(window, "strengthening local public health")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    qtbot.wait(20)
    editors = [r.editor for r in window.details_panel.rows.values()]
    assert QApplication.focusWidget() is editors[0]
    for nxt in editors[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is nxt


def test_blind_mode_hides_other_coders_values_and_missing_is_listed(qtbot, sample_path) -> None:
    window = _open(qtbot, sample_path)
    panel = window.details_panel
    p = window.controller.project
    a = p.coders.find("Sample coder A")
    theirs = next(
        c for c in p.codings.all({a.id}) if c.code_id == REC and c.quote.startswith("Whitehall")
    )
    window.controller.set_show_mode(ShowMode.ALL)
    panel.show_coding(theirs)
    rows = {r.field.name: r for r in panel.rows.values()}
    assert rows["Addressee"].editor.currentText().endswith("Central government")
    assert "Sample coder A" in rows["Addressee"].status.text()
    assert "1 recommendation lacks a strength" in panel.missing.text()
    window.controller.set_blind(True)
    panel.show_coding(theirs)
    assert not panel.rows and "hidden" in panel.header.text()
    assert "No required value is missing" in panel.missing.text()
    window.controller.set_blind(False)
    dialog = details_actions.missing(window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    dialog.list.itemActivated.emit(dialog.list.item(0))
    assert window.details_panel.coding is not None
    assert window.current_document == window.details_panel.coding.document_id


def test_fields_dialog_adds_asks_before_dropping_values_and_undoes(qtbot, sample_path) -> None:
    window = _open(qtbot, sample_path)
    code = window.controller.project.codebook.get(REC)
    answers: list[bool] = []
    dialog = FieldsDialog(window.controller, code, lambda *_a: answers.pop(0), window)
    qtbot.addWidget(dialog)
    dialog._new()
    dialog.name.setText("Deadline")
    dialog.kind.setCurrentIndex(list(FieldKind).index(FieldKind.DATE))
    assert dialog.save()
    assert "Deadline" in [f.name for f in window.controller.project.fields.fields_for_code(REC)]
    dialog.list.setCurrentRow([f.name for f in dialog.fields].index("Strength"))
    dialog.choices.setPlainText("1 | could | weak\n2 | should | firm")  # 'must' removed
    answers.append(False)
    assert not dialog.save()  # asked, said no: nothing changed
    strength = next(f for f in dialog.fields if f.name == "Strength")
    assert len(window.controller.project.fields.get_field(strength.id).choices) == 3
    answers.append(True)
    assert dialog.save()
    assert len(window.controller.project.fields.get_field(strength.id).choices) == 2
    used = window.controller.project.fields.value_count(strength.id)
    window.controller.undo_stack.undo()
    field = window.controller.project.fields.get_field(strength.id)
    assert [c.label for c in field.choices] == ["could", "should", "must"]
    assert window.controller.project.fields.value_count(strength.id) > used
    dialog.reload()
    dialog.list.setCurrentRow([f.name for f in dialog.fields].index("Strength"))
    answers.append(True)
    assert dialog.delete()
    assert "Strength" not in [f.name for f in window.controller.project.fields.fields_for_code(REC)]
    window.controller.undo_stack.undo()
    assert window.controller.project.fields.value_count(strength.id) > 0


def test_convert_dialog_turns_child_codes_into_a_field_undoably(qtbot, sample_path) -> None:
    from annotator.domain.model import Code, Coding, new_id

    p = Project.open(sample_path)
    folder = p.codebook.add(
        Code(new_id(), "Stage", "#777777", starter_code_id("Recommendations"), -1, "group",
             codable=False)
    )  # fmt: skip
    kids = [p.codebook.add(Code(new_id(), n, "#888888", folder.id, -1)) for n in ("Now", "Later")]
    doc = p.documents.list()[0]
    text = p.documents.get(doc.id).text
    a = p.coders.find("Sample coder A")
    p.codings.add(Coding(new_id(), doc.id, kids[1].id, a.id, 0, 20, text[:20]))
    p.close()
    window = _open(qtbot, sample_path)
    dialog = details_actions.ConvertDialog(window)
    qtbot.addWidget(dialog)
    dialog.source.setCurrentIndex(dialog.source.findText("Recommendations/Stage"))
    dialog.target.setCurrentIndex(dialog.target.findText("Recommendations/Recommendation"))
    assert details_actions.convert(window, dialog)
    fields = window.controller.project.fields.fields_for_code(REC)
    stage = next(f for f in fields if f.name == "Stage")
    assert stage.choices == (
        FieldChoice(stage.choices[0].id, "Now", "", "1"),
        FieldChoice(stage.choices[1].id, "Later", "", "2"),
    )
    assert window.controller.project.fields.value_count(stage.id) == 1
    assert folder.id not in window._codes
    window.controller.undo_stack.undo()
    assert folder.id in window._codes and kids[1].id in window._codes
    assert "Stage" not in [f.name for f in window.controller.project.fields.fields_for_code(REC)]
