"""Export, merge and REFI-QDA import from the window, each run off the GUI thread."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.domain.model import Coding, new_id
from annotator.gui.exchange import exchange_actions
from annotator.gui.exchange.export_dialog import ExportDialog
from annotator.services import refi
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window


def test_export_csv_from_the_dialog(qtbot, window, tmp_path: Path):
    c = window.controller
    dialog = ExportDialog(c.coders(), None, window.current_document, tmp_path, window)
    qtbot.addWidget(dialog)
    dialog.set_format("csv")
    out = tmp_path / "codings.csv"
    dialog.path.setText(str(out))
    assert dialog.coders.isEnabled()
    message = exchange_actions.export(window, dialog)
    assert message and "21 codings" in message
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 21
    dialog.set_format("qdc")
    assert not dialog.coders.isEnabled()  # a codebook has no coders to filter
    assert dialog.path.text().endswith(".qdc")


def test_merge_a_coders_work_then_again_changes_nothing(qtbot, sample_path: Path, tmp_path: Path):
    # A second coder works on a copy of the project and sends a .qdpx.
    theirs = tmp_path / "theirs.annotator"
    shutil.copy(sample_path, theirs)
    project = Project.open(theirs)
    coder = project.coders.ensure("Remote coder")
    doc = project.documents.list()[2]
    project.codings.add(
        Coding(new_id(), doc.id, starter_code_id("Themes/Prevention"), coder.id, 0, 7, "")
    )
    packet = tmp_path / "remote.qdpx"
    refi.export_project(project, packet)
    project.close()

    window = open_window(qtbot, sample_path, coder="Sample coder A")
    asked: list[str] = []
    window.confirm = lambda _w, _t, text: asked.append(text) or True
    report = exchange_actions.merge(window, packet)
    assert report is not None and asked  # the new coder was unmatched, and the user agreed
    again = exchange_actions.merge(window, packet)
    assert again.codings_added == 0
    window.close()
    lead = Project.open(sample_path)
    remote = lead.coders.find("Remote coder")
    assert remote is not None
    assert [c.quote for c in lead.codings.all({remote.id})] == [
        lead.documents.get(doc.id).text[0:7]
    ]
    lead.close()


def test_dropping_a_qdpx_imports_it(qtbot, sample_path: Path, tmp_path: Path):
    packet = tmp_path / "sample.qdpx"
    project = Project.open(sample_path)
    refi.export_project(project, packet)
    project.close()
    empty = tmp_path / "empty.annotator"
    Project.create(empty, starter=False).close()
    window = open_window(qtbot, empty)
    from annotator.gui.coding.coding_actions import import_paths

    import_paths(window, [packet])
    assert window.documents_panel.model.rowCount() == 5
    assert "Imported" in window.last_message.text() or "imported" in window.last_message.text()


def test_import_codebook_table_updates_and_adds(qtbot, window, tmp_path: Path):
    import csv as csv_module

    from annotator.services.codebook_exchange import export_codebook_table

    table = tmp_path / "codebook.csv"
    export_codebook_table(window.controller.project, table, "csv")
    with table.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv_module.DictReader(fh))
        fields = list(rows[0].keys())
    prevention = next(r for r in rows if r["path"] == "Themes/Prevention")
    prevention["definition"] = "Acting early: revised after the pilot."
    new_row = {k: "" for k in fields}
    new_row.update(path="Themes/Housing", name="Housing", parent_path="Themes", colour="#336699")
    with table.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv_module.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows([*rows, new_row])
    exchange_actions.import_codebook(window, table)
    codes = {c.name: c for c in window.controller.codes()}
    assert codes["Prevention"].definition == "Acting early: revised after the pilot."
    assert "Housing" in codes
    assert "added: Themes/Housing" in window.last_message.detailedText()


def test_export_filters_by_code_and_codebook_version(qtbot, window, tmp_path: Path):
    c = window.controller
    version = c.project.codebook.versions.freeze("v1", c.coder.id, "after the pilot")
    doc = c.project.documents.list()[0]
    later = c.project.codings.add(
        Coding(new_id(), doc.id, starter_code_id("Themes/Prevention"), c.coder.id, 0, 9, "")
    )
    assert later.codebook_version_id == version.id

    def export_with(tick_code: str | None, version_name: str | None) -> list[dict]:
        dialog = ExportDialog(
            c.coders(), None, None, tmp_path, window,
            codes=c.codes(), versions=c.project.codebook.versions.list(),
        )  # fmt: skip
        qtbot.addWidget(dialog)
        dialog.set_format("csv")
        for i in range(dialog.codes.count()):
            item = dialog.codes.item(i)
            if item.text() == tick_code:
                item.setCheckState(Qt.CheckState.Checked)
        if version_name:
            dialog.version.setCurrentIndex(
                dialog.version.findText(version_name, Qt.MatchFlag.MatchContains)
            )
        out = tmp_path / f"x{time.perf_counter_ns()}.csv"
        dialog.path.setText(str(out))
        exchange_actions.export(window, dialog)
        with out.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    prevention = export_with("Themes/Prevention", None)
    assert {r["code_path"] for r in prevention} == {"Themes/Prevention"}
    assert len(prevention) == 3  # two sample codings and the new one
    assert [r["quote"] for r in export_with(None, "v1")] == ["Whitehall"]
