"""File → Export: choose a format, the coders and documents, and where to write."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import code_path, tree_order
from annotator.domain.model import Code, CodebookVersion, Coder
from annotator.gui.screen_fit import fit_size
from annotator.services.export_dispatch import FORMATS, ExportRequest, allowed_filters
from annotator.services.exporting import ExportFilters


class ExportDialog(QDialog):
    """Builds an :class:`ExportRequest`; filters a format cannot honour are disabled."""

    def __init__(
        self,
        coders: list[Coder],
        visible: set[uuid.UUID] | None,
        current_document: uuid.UUID | None,
        folder: Path,
        parent: QWidget | None = None,
        *,
        codes: Sequence[Code] = (),
        versions: Sequence[CodebookVersion] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        fit_size(self, 600, 620)
        self._folder = folder
        self._current_document = current_document
        self.format = QComboBox(self)
        for key, (label, _suffix) in FORMATS.items():
            self.format.addItem(label, key)
        self.unit = QComboBox(self)
        self.unit.addItem("Sentences", "sentence")
        self.unit.addItem("Paragraphs", "paragraph")
        self.coders = QListWidget(self)
        for coder in coders:
            item = QListWidgetItem(coder.name)
            item.setData(Qt.ItemDataRole.UserRole, str(coder.id))
            shown = visible is None or coder.id in visible
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
            self.coders.addItem(item)
        self.codes = QListWidget(self)
        by_id = {c.id: c for c in codes}
        for code in tree_order(list(codes)):
            item = QListWidgetItem(code_path(code, by_id))
            item.setData(Qt.ItemDataRole.UserRole, str(code.id))
            item.setCheckState(Qt.CheckState.Unchecked)
            self.codes.addItem(item)
        self.codes.setToolTip("Tick codes to export only them (with their sub-codes); none: all.")
        self.version = QComboBox(self)
        self.version.addItem("Any codebook version", None)
        for version in versions:
            self.version.addItem(f"Only codings made under '{version.name}'", str(version.id))
        self.all_documents = QRadioButton("All documents", self)
        self.this_document = QRadioButton("Only the current document", self)
        self.all_documents.setChecked(True)
        self.this_document.setEnabled(current_document is not None)
        self.uncoded_text = QCheckBox("Print the text of documents without codings", self)
        self.uncoded_text.setToolTip("HTML report: off, an uncoded document shows its title only.")
        self.path = QLineEdit(self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        docs = QVBoxLayout()
        docs.addWidget(self.all_documents)
        docs.addWidget(self.this_document)
        form = QFormLayout()
        form.addRow("&Format", self.format)
        form.addRow("&Units", self.unit)
        form.addRow("&Coders", self.coders)
        form.addRow("Co&des", self.codes)
        form.addRow("Codebook &version", self.version)
        form.addRow("Documents", docs)
        form.addRow("", self.uncoded_text)
        # A row holding a layout has no buddy, so QFormLayout would print "&Save to" with its
        # ampersand: a real label with the path box as buddy gives Alt+T instead.
        save_label = QLabel("Save &to", self)
        save_label.setBuddy(self.path)
        form.addRow(save_label, row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._on_format)
        self.path.textChanged.connect(self._update_ok)
        self._on_format()

    def fmt(self) -> str:
        """The chosen format key."""
        return str(self.format.currentData())

    def set_format(self, fmt: str) -> None:
        """Choose a format by key."""
        self.format.setCurrentIndex(self.format.findData(fmt))

    def _on_format(self) -> None:
        allowed = allowed_filters(self.fmt())
        self.coders.setEnabled("coder" in allowed)
        self.codes.setEnabled("code" in allowed)
        self.version.setEnabled("codebook-version" in allowed)
        self.all_documents.setEnabled("document" in allowed)
        self.this_document.setEnabled("document" in allowed and self._current_document is not None)
        self.unit.setEnabled(self.fmt().startswith("units-"))
        self.uncoded_text.setEnabled(self.fmt() == "html")
        suffix = FORMATS[self.fmt()][1]
        current = Path(self.path.text()) if self.path.text() else self._folder / "export"
        self.path.setText(str(current.with_suffix(suffix)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if name:
            self.path.setText(name)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.path.text()))

    def request(self) -> ExportRequest:
        """The export as chosen."""
        allowed = allowed_filters(self.fmt())
        coders: tuple[str, ...] = ()
        if "coder" in allowed:
            coders = tuple(
                self.coders.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.coders.count())
                if self.coders.item(i).checkState() == Qt.CheckState.Checked
            )
        codes: tuple[str, ...] = ()
        if "code" in allowed:
            codes = tuple(
                self.codes.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.codes.count())
                if self.codes.item(i).checkState() == Qt.CheckState.Checked
            )
        version = self.version.currentData() if "codebook-version" in allowed else None
        documents: tuple[str, ...] = ()
        if "document" in allowed and self.this_document.isChecked() and self._current_document:
            documents = (str(self._current_document),)
        return ExportRequest(
            fmt=self.fmt(),
            out=Path(self.path.text()),
            filters=ExportFilters(
                coders=coders, documents=documents, codes=codes, codebook_version=version
            ),
            unit=str(self.unit.currentData()),
            uncoded_text=self.uncoded_text.isChecked() and self.fmt() == "html",
        )
