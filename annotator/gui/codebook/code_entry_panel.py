"""The code entry panel: the full codebook entry of the code at hand while coding.

It follows the text cursor in the document (the code of the coding under it; with several,
a chooser lists them) and the code just applied, so the definition and rules are in sight
at the moment of deciding. It never shows a stale code: uncoded text, another document, a
deleted coding or a coder hidden by the view (blind mode) clear it.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from annotator.domain.codebook import code_path
from annotator.domain.model import Code
from annotator.gui.codebook.codebook_model import swatch
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.controller import CodingDelta, ProjectController

IDLE = "Put the cursor in a coded passage to see its code."

ENTRY_FIELDS = (
    ("definition", "Definition"),
    ("inclusion", "Use when"),
    ("exclusion", "Do not use when"),
    ("example_typical", "Typical example"),
    ("example_atypical", "Borderline example"),
    ("memo", "Memo"),
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def entry_html(code: Code, by_id: dict[uuid.UUID, Code]) -> str:
    """Every field of ``code`` as a small HTML page."""
    facts = [f"Kind: {_esc(code.kind)}"]
    facts.append("Can be applied to text" if code.codable else "A folder (not codable)")
    if code.shortcut:
        facts.append(f"Key: {_esc(code.shortcut)}")
    facts.append(f"Colour: {_esc(code.color)}")
    parts = [
        f"<h3 style='margin:0'><span style='color:{code.color}'>■</span> {_esc(code.name)}</h3>",
        f"<p style='color:#555; margin-top:2px'>{_esc(code_path(code, by_id))}<br>"
        + " · ".join(facts)
        + "</p>",
    ]
    for attr, label in ENTRY_FIELDS:
        value = getattr(code, attr)
        body = _esc(value).replace("\n", "<br>") if value else "<i style='color:#888'>—</i>"
        parts.append(f"<p><b>{label}</b><br>{body}</p>")
    return "".join(parts)


class CodeEntryPanel(QWidget):
    """Shows one code's whole entry; which code follows the cursor and the latest coding."""

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEntryPanel")
        self.view = view
        self.controller: ProjectController | None = None
        self._codes: dict[uuid.UUID, Code] = {}
        self.code_id: uuid.UUID | None = None
        self.reason = QLabel(IDLE, self)
        self.reason.setWordWrap(True)
        self.choice = QComboBox(self)
        self.choice.hide()
        self.choice.currentIndexChanged.connect(self._on_choice)
        self.body = QTextBrowser(self)
        self.body.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.reason)
        layout.addWidget(self.choice)
        layout.addWidget(self.body, 1)
        view.cursorPositionChanged.connect(self.follow_cursor)
        view.selectionChanged.connect(self.follow_cursor)  # a selection may keep the position

    def attach(self, controller: ProjectController) -> None:
        """Follow ``controller``'s project (on start and after opening another)."""
        self.controller = controller
        controller.codings_delta.connect(self._on_delta)
        controller.codebook_changed.connect(self._reload_codes)
        # After the window has reloaded what is visible (it connected first).
        controller.visibility_changed.connect(self.follow_cursor)
        controller.coder_changed.connect(self.follow_cursor)
        controller.codings_changed.connect(lambda _doc: self.follow_cursor())
        self._reload_codes()

    def _reload_codes(self) -> None:
        if self.controller is not None:
            self._codes = {c.id: c for c in self.controller.codes()}
        if self.code_id is not None and self.code_id not in self._codes:
            self.code_id = None
        self._render()

    def show_code(self, code_id: uuid.UUID | None, reason: str = "") -> None:
        """Show ``code_id``'s entry (None clears the panel)."""
        self.choice.hide()
        self.code_id = code_id if code_id in self._codes else None
        if reason:
            self.reason.setText(reason)
        self._render()

    def follow_cursor(self) -> None:
        """Show the code of the coding under the text cursor (a chooser when several)."""
        text = self.view.text
        if not text:
            self.show_code(None, IDLE)
            return
        cursor = self.view.textCursor()
        qt_pos = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        pos = self.view.from_qt(qt_pos)
        codings = self.view.index.at(pos) if pos < len(text) else []
        if not codings and pos > 0:
            codings = self.view.index.at(pos - 1)  # the cursor just after a coded passage
        ids = list(dict.fromkeys(c.code_id for c in codings if c.code_id in self._codes))
        if not ids:
            # Nothing visible is coded here: an entry left from elsewhere would mislead
            # (and in blind mode could show another coder's code).
            self.show_code(None, IDLE)
            return
        self.show_code(ids[0], "Code at the cursor:" if len(ids) == 1 else "Codes at the cursor:")
        if len(ids) > 1:
            self.choice.blockSignals(True)
            self.choice.clear()
            by_id = self._codes
            for cid in ids:
                self.choice.addItem(swatch(by_id[cid].color), code_path(by_id[cid], by_id), cid)
            self.choice.setCurrentIndex(0)
            self.choice.blockSignals(False)
            self.choice.show()

    def _on_choice(self, index: int) -> None:
        if index >= 0:
            self.code_id = self.choice.itemData(index)
            self._render()

    def _on_delta(self, delta: CodingDelta) -> None:
        if self.controller is None:
            return
        mine = [c for c in delta.added if c.coder_id == self.controller.coder.id]
        if mine and not delta.removed:
            self.show_code(mine[-1].code_id, "Code just applied:")
        else:  # a removal, undo or someone else's change: show what is really there
            self.follow_cursor()

    def _render(self) -> None:
        code = self._codes.get(self.code_id) if self.code_id else None
        self.body.setHtml(entry_html(code, self._codes) if code else "")
