"""*Recommendations → Link types and statuses…*: edit the project's two lists, one name a
line. The built-in link types are always kept; a name that links still use cannot be
removed (the message names it). Saving is one undoable command."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class LinkListsDialog(QDialog):
    """Two editable lists: link types and response statuses."""

    def __init__(self, types: list[str], statuses: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Link types and statuses")
        self.resize(560, 380)
        self.types = QPlainTextEdit("\n".join(types), self)
        self.statuses = QPlainTextEdit("\n".join(statuses), self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QGridLayout(self)
        layout.addWidget(QLabel("Link types (one a line; the built-in four are kept):"), 0, 0)
        layout.addWidget(QLabel("Statuses of a response, in order:"), 0, 1)
        layout.addWidget(self.types, 1, 0)
        layout.addWidget(self.statuses, 1, 1)
        layout.addWidget(buttons, 2, 0, 1, 2)

    def chosen(self) -> tuple[list[str], list[str]]:
        """The edited lists (types, statuses)."""
        return _lines(self.types), _lines(self.statuses)
