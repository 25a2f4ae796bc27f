"""Document properties: title, author, publisher, date, source and free attributes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Document
from annotator.domain.structure import DocumentMetadata
from annotator.gui.screen_fit import fit_size


class PropertiesDialog(QDialog):
    """Edit a document's metadata; the text itself is never editable."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Properties of {document.title}")
        fit_size(self, 560, 480)
        meta = document.metadata
        self.title = QLineEdit(document.title, self)
        self.author = QLineEdit(meta.author or "", self)
        self.publisher = QLineEdit(meta.publisher or "", self)
        self.date = QLineEdit(meta.date or "", self)
        self.date.setPlaceholderText("e.g. 2024-09-12 or 2024")
        self._source = meta.source
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Author", self.author)
        form.addRow("&Publisher", self.publisher)
        form.addRow("&Date", self.date)
        source = QLabel(meta.source or "—", self)
        source.setWordWrap(True)
        form.addRow("Source", source)
        facts = QLabel(
            f"{len(document.text):,} characters · {document.source_format} · "
            f"SHA-256 {document.sha256[:16]}…",
            self,
        )
        form.addRow("Text", facts)
        self.attributes = QTableWidget(0, 2, self)
        self.attributes.setHorizontalHeaderLabels(["Attribute", "Value"])
        self.attributes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.attributes.verticalHeader().hide()
        for key, value in sorted(meta.attributes.items()):
            self.add_attribute(key, value)
        add = QPushButton("Add attribute", self)
        add.clicked.connect(lambda: self.add_attribute("", ""))
        remove = QPushButton("Remove attribute", self)
        remove.clicked.connect(self._remove_current)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Attributes (filter the document list by them):", self))
        layout.addWidget(self.attributes)
        row = QVBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def add_attribute(self, key: str, value: str) -> None:
        """Append an attribute row."""
        r = self.attributes.rowCount()
        self.attributes.insertRow(r)
        self.attributes.setItem(r, 0, QTableWidgetItem(key))
        self.attributes.setItem(r, 1, QTableWidgetItem(value))

    def _remove_current(self) -> None:
        if self.attributes.currentRow() >= 0:
            self.attributes.removeRow(self.attributes.currentRow())

    def metadata(self) -> DocumentMetadata:
        """The metadata as edited (empty attribute names are dropped)."""
        attrs: dict[str, str] = {}
        for r in range(self.attributes.rowCount()):
            key_item, value_item = self.attributes.item(r, 0), self.attributes.item(r, 1)
            key = key_item.text().strip() if key_item else ""
            if key:
                attrs[key] = value_item.text() if value_item else ""
        return DocumentMetadata(
            title=self.title.text().strip(),
            author=self.author.text().strip() or None,
            publisher=self.publisher.text().strip() or None,
            date=self.date.text().strip() or None,
            source=self._source,
            attributes=attrs,
        )
