"""Edit a coding's memo, with the passage, code, coder and place it belongs to in sight."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.screen_fit import fit_size

QUOTE_CHARS = 500


class MemoDialog(QDialog):
    """A memo editor headed by what the memo is about."""

    def __init__(
        self, memo: str, code: str, coder: str, where: str, quote: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Memo: {code}")
        fit_size(self, 560, 420)
        shown = " ".join(quote.split())
        if len(shown) > QUOTE_CHARS:
            shown = shown[:QUOTE_CHARS] + "…"
        self.about = QLabel(self)
        self.about.setObjectName("memoAbout")
        self.about.setWordWrap(True)
        self.about.setText(
            f"<b>{_esc(code)}</b> — {_esc(coder)}"
            + (f" · {_esc(where)}" if where else "")
            + f"<br><i>“{_esc(shown)}”</i>"
        )
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(memo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(QLabel("Memo:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def memo(self) -> str:
        """The memo as edited."""
        return self.edit.toPlainText()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
