"""Ask who is coding: a name, prefilled from the operating-system user or a known coder."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class CoderDialog(QDialog):
    """An editable list of the project's coders; the choice is the coder's name."""

    def __init__(self, names: list[str], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.addItems(names)
        self.combo.setCurrentText(current)
        self.combo.lineEdit().selectAll()
        label = QLabel(
            "Every coding you make is recorded under this name. Each coder of a team "
            "should use their own name.",
            self,
        )
        label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_named)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.combo.editTextChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.ok_button.setEnabled(bool(current.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def name(self) -> str:
        """The chosen name, trimmed."""
        return self.combo.currentText().strip()

    def _accept_if_named(self) -> None:
        if self.name():
            self.accept()
