"""Codebook versions: freeze the codebook under a name, look back, compare and export."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import tree_order
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Code, CodebookVersion
from annotator.gui.coding.commands import FreezeVersionCommand
from annotator.gui.controller import ProjectController
from annotator.gui.screen_fit import fit_size

EXPORT_FILTER = "CSV (*.csv);;Markdown (*.md);;Plain text (*.txt)"


def _cell(text: object) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setToolTip(str(text))
    return item


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def outline(codes: list[Code]) -> str:
    """The codebook as an indented outline (name, kind, key, definition)."""
    depth: dict[uuid.UUID, int] = {}
    lines = []
    for code in tree_order(codes):
        level = depth[code.parent_id] + 1 if code.parent_id in depth else 0
        depth[code.id] = level
        key = f" [{code.shortcut}]" if code.shortcut else ""
        folder = ", folder" if not code.codable else ""
        lines.append(f"{'  ' * level}- {code.name} ({code.kind}{folder}){key}")
        if code.definition:
            lines.append(f"{'  ' * (level + 1)}{' '.join(code.definition.split())}")
    return "\n".join(lines)


class VersionsDialog(QDialog):
    """Versions of the codebook and the change log between any two of them."""

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Codebook versions and change log")
        fit_size(self, 860, 560)
        self._versions: list[CodebookVersion] = []
        self.tabs = QTabWidget(self)

        # -- versions tab
        page = QWidget(self)
        self.versions = _table(["Version", "Frozen (UTC)", "By", "Codings", "Note"], page)
        self.versions.itemSelectionChanged.connect(self._show_snapshot)
        self.snapshot = QPlainTextEdit(page)
        self.snapshot.setReadOnly(True)
        self.snapshot.setPlaceholderText("Choose a version to see its codebook.")
        self.name = QLineEdit(page)
        self.name.setPlaceholderText("e.g. pilot, v1")
        self.note = QLineEdit(page)
        self.note.setPlaceholderText("optional: what this version is for")
        self.freeze_button = QPushButton("&Freeze current codebook", page)
        self.freeze_button.clicked.connect(self.freeze)
        self.name.returnPressed.connect(self.freeze)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("N&ote", self.note)
        form.addRow("", self.freeze_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.versions, 2)
        layout.addWidget(QLabel("Codebook at the chosen version:", page))
        layout.addWidget(self.snapshot, 2)
        layout.addLayout(form)
        self.tabs.addTab(page, "&Versions")

        # -- change log tab
        page = QWidget(self)
        self.since = QComboBox(page)
        self.until = QComboBox(page)
        self.since.currentIndexChanged.connect(self.show_changes)
        self.until.currentIndexChanged.connect(self.show_changes)
        self.changes = _table(["When (UTC)", "Coder", "Action", "What changed"], page)
        self.export_button = QPushButton("&Export…", page)
        self.export_button.clicked.connect(self._export_clicked)
        row = QHBoxLayout()
        row.addWidget(QLabel("From", page))
        row.addWidget(self.since, 1)
        row.addWidget(QLabel("to", page))
        row.addWidget(self.until, 1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.changes)
        self.tabs.addTab(page, "&Change log")

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        outer.addWidget(self.message)
        outer.addWidget(buttons)
        controller.codebook_changed.connect(self.refresh)
        controller.error.connect(self._on_error)
        self.refresh()

    def _on_error(self, message: str) -> None:
        if self.isVisible():
            self.message.setText(message)

    # -- versions ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the versions and the change log."""
        service = self.controller.project.codebook.versions
        self._versions = service.list()
        counts = service.coding_counts()
        coders = {c.id: c.name for c in self.controller.coders()}
        self.versions.setRowCount(len(self._versions))
        for row, v in enumerate(self._versions):
            values = [
                v.name,
                v.created_at.strftime("%Y-%m-%d %H:%M"),
                coders.get(v.coder_id, "") if v.coder_id else "",
                counts.get(v.id, 0),
                v.note,
            ]
            for col, value in enumerate(values):
                self.versions.setItem(row, col, _cell(value))
        self.versions.resizeColumnsToContents()
        for combo, first in ((self.since, "the beginning"), (self.until, "now")):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for v in self._versions:
                combo.addItem(f"version {v.name}", v.id)
            found = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self.show_changes()

    def freeze(self) -> bool:
        """Freeze the codebook under the typed name (undoable); False if refused."""
        name = self.name.text()
        command = FreezeVersionCommand(self.controller, name, self.note.text())
        if not self.controller.run(command):
            return False  # the refusal reached _on_error, and the window shows it too
        self.message.setText(f"Froze the codebook as version '{name.strip()}'.")
        self.name.clear()
        self.note.clear()
        return True

    def _show_snapshot(self) -> None:
        rows = self.versions.selectionModel().selectedRows()
        if not rows:
            self.snapshot.clear()
            return
        version = self._versions[rows[0].row()]
        codes = self.controller.project.codebook.versions.snapshot(version.id)
        self.snapshot.setPlainText(outline(codes))

    # -- the change log ---------------------------------------------------------------------
    def show_changes(self) -> None:
        """Show the log between the two chosen versions."""
        try:
            entries = self.controller.project.codebook.versions.changes(
                self.since.currentData(), self.until.currentData()
            )
        except AnnotatorError as exc:
            self.changes.setRowCount(0)
            self.message.setText(str(exc))
            return
        self.changes.setRowCount(len(entries))
        for row, e in enumerate(entries):
            values = [e.at.strftime("%Y-%m-%d %H:%M:%S"), e.coder_name, e.action, e.summary]
            for col, value in enumerate(values):
                self.changes.setItem(row, col, _cell(value))
        self.changes.resizeColumnToContents(0)

    def export_to(self, path: Path) -> int:
        """Write the shown change log to ``path`` (.csv, .md or .txt); how many entries."""
        try:
            n = self.controller.project.codebook.versions.export_changes(
                path, self.since.currentData(), self.until.currentData()
            )
        except (AnnotatorError, OSError) as exc:
            self.message.setText(f"Could not export: {exc}")
            return -1
        self.message.setText(f"Wrote {n} change(s) to {path}.")
        return n

    def _export_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export change log", "codebook-changes.csv", EXPORT_FILTER
        )
        if path:
            self.export_to(Path(path))
