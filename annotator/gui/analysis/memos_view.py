"""The Memos view: every memo of the project (project, documents, codes, codings) in one
list, filtered by kind and searched; the project memo is edited here (one undo step per
save); the list exports to Markdown, Word or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.memos import MemoEntry, MemoKind
from annotator.exchange.memo_export import write_memos
from annotator.gui.controller import ProjectController, UndoableCommand

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class SetMemoCommand(UndoableCommand):
    """Replace the project memo (``document_id`` None) or a document's memo."""

    def __init__(self, controller: ProjectController, document_id, text: str) -> None:
        super().__init__(controller, "Edit memo")
        self.document_id, self.text, self.before = document_id, text, ""

    def _put(self, text: str) -> str:
        memos = self.controller.project.memos
        if self.document_id is None:
            return memos.set_project_memo(text)
        return memos.set_document_memo(self.document_id, text)

    def apply(self) -> None:
        """Qt/undo override."""
        self.before = self._put(self.text)

    def revert(self) -> None:
        """Qt/undo override."""
        self._put(self.before)


class MemosWindow(QWidget):
    """All memos, with kind filters, a search box, the memo text and exports."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.setWindowTitle("Memos")
        self.setObjectName("memosWindow")
        self.main = main
        self.resize(1000, 640)
        self.kinds = {k: QCheckBox(k.value.capitalize()) for k in MemoKind}
        bar = QHBoxLayout()
        for box in self.kinds.values():
            box.setChecked(True)
            box.toggled.connect(self.reload)
            bar.addWidget(box)
        self.document_filter = QComboBox()  # memos of one document (and its codings)
        self.document_filter.addItem("(all documents)", None)
        for doc in main.controller.documents():
            self.document_filter.addItem(doc.title, doc.id)
        self.document_filter.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.document_filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search memos…")
        self.search.textChanged.connect(self.reload)
        bar.addWidget(self.search, 1)
        for fmt, label in (("md", "Markdown"), ("docx", "Word"), ("html", "HTML")):
            button = QPushButton(f"Export {label}…")
            button.clicked.connect(lambda _=False, f=fmt: self.export(f))
            bar.addWidget(button)
        self.list = QTableWidget(0, 3)
        self.list.setHorizontalHeaderLabels(["Kind", "About", "Memo"])
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.list.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.list.cellDoubleClicked.connect(lambda row, _c: self._open(row))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        edit = QHBoxLayout()
        side = QVBoxLayout()
        self.memo_of = QComboBox()  # the project, or one document
        self.memo_of.addItem("Project memo", None)
        for doc in main.controller.documents():
            self.memo_of.addItem(f"Document: {doc.title}", doc.id)
        self.memo_of.currentIndexChanged.connect(self._load_editor)
        self.project_memo = QPlainTextEdit()
        self.project_memo.setPlaceholderText("Aims, decisions, open questions…")
        save = QPushButton("Save memo")
        save.clicked.connect(self.save_memo)
        side.addWidget(self.memo_of)
        side.addWidget(save)
        side.addStretch(1)
        edit.addWidget(self.project_memo, 1)
        edit.addLayout(side)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.text)
        holder = QWidget()
        holder.setLayout(edit)
        split.addWidget(holder)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.memos: list[MemoEntry] = []
        self._load_editor()
        self.reload()

    def _load_editor(self) -> None:
        memos = self.main.controller.project.memos
        target = self.memo_of.currentData()
        text = memos.project_memo() if target is None else memos.document_memo(target)
        self.project_memo.setPlainText(text)

    def reload(self) -> None:
        """List the memos the filters and the search let through."""
        kinds = [k for k, box in self.kinds.items() if box.isChecked()]
        doc = self.document_filter.currentData()
        self.memos = self.main.controller.project.memos.all(
            kinds, self.search.text(), None if doc is None else [doc]
        )
        self.list.setRowCount(len(self.memos))
        for r, memo in enumerate(self.memos):
            first = memo.text.strip().splitlines()[0] if memo.text.strip() else ""
            for c, text in enumerate((memo.kind.value, memo.label, first)):
                self.list.setItem(r, c, QTableWidgetItem(text))
        self.list.resizeColumnToContents(0)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.memos):
            memo = self.memos[row]
            quote = f"«{memo.quote}»\n\n" if memo.quote else ""
            self.text.setPlainText(f"{memo.label}\n\n{quote}{memo.text}")

    def _open(self, row: int) -> None:
        memo = self.memos[row]
        if memo.document_id is not None:
            self.main.open_document(memo.document_id)
            if memo.start is not None:
                self.main.view.select_span(memo.start, memo.start + len(memo.quote))

    def save_memo(self) -> None:
        """Store the project memo or the chosen document's memo as one undoable step."""
        text, target = self.project_memo.toPlainText(), self.memo_of.currentData()
        self.main.controller.run(SetMemoCommand(self.main.controller, target, text))
        self.reload()

    def export(self, fmt: str, path: Path | None = None) -> Path | None:
        """Write the listed memos as Markdown, Word or HTML."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export memos", f"memos.{fmt}")
            if not name:
                return None
            path = Path(name)
        write_memos(path, self.memos, fmt, f"Memos: {self.main.controller.project.info().name}")
        return path
