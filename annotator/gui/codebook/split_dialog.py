"""Split a code: name the new code and tick the codings that move to it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Code, Coding
from annotator.gui.screen_fit import fit_size

QUOTE_CHARS = 120


class SplitDialog(QDialog):
    """The codings of ``source`` (those the coder may see), each with a tick box."""

    def __init__(
        self,
        source: Code,
        codings: list[Coding],
        documents: Mapping[uuid.UUID, str],
        coders: Mapping[uuid.UUID, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split {source.name}")
        fit_size(self, 620, 520)
        explain = QLabel(
            f"Tick the codings of <b>{_esc(source.name)}</b> that move to a new code beside "
            "it. The others keep their code.",
            self,
        )
        explain.setWordWrap(True)
        self.name = QLineEdit(f"{source.name} (2)", self)
        self.name.selectAll()
        self.list = QListWidget(self)
        order = sorted(codings, key=lambda c: (documents.get(c.document_id, ""), c.start))
        for c in order:
            quote = " ".join(c.quote.split())
            if len(quote) > QUOTE_CHARS:
                quote = quote[: QUOTE_CHARS - 1] + "…"
            item = QListWidgetItem(
                f"{documents.get(c.document_id, '?')} — {coders.get(c.coder_id, '?')}: “{quote}”"
            )
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(c.memo or c.quote[:600])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        all_button = QPushButton("Tick &all", self)
        none_button = QPushButton("Tick &none", self)
        all_button.clicked.connect(lambda: self._tick(Qt.CheckState.Checked))
        none_button.clicked.connect(lambda: self._tick(Qt.CheckState.Unchecked))
        ticks = QHBoxLayout()
        ticks.addWidget(all_button)
        ticks.addWidget(none_button)
        ticks.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Split")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&New code", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"{len(codings)} coding(s):", self))
        layout.addWidget(self.list)
        layout.addLayout(ticks)
        layout.addWidget(self.buttons)

    def _tick(self, state: Qt.CheckState) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(state)

    def set_chosen(self, ids: set[uuid.UUID]) -> None:
        """Tick exactly the codings in ``ids``."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            chosen = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def chosen_ids(self) -> list[uuid.UUID]:
        """The ticked codings."""
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def new_name(self) -> str:
        """The new code's name."""
        return self.name.text().strip()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")
