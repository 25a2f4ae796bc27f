"""The centre of the window: a read-only document with its codings drawn over it.

Highlights are *drawn* (``QTextEdit`` extra selections), never written into the document,
and only for the text on screen: a scroll or a change recomputes the visible runs from the
:class:`~annotator.domain.coding_index.CodingIndex`, so the cost follows the window, not
the document. All conversions between code points and Qt's UTF-16 positions go through
:class:`~annotator.domain.utf16.Utf16Map`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QTextEdit, QToolTip, QWidget

from annotator.domain.coding_index import CodingIndex
from annotator.domain.model import Code, Coder, Coding, Document
from annotator.domain.snapping import snap_to_words
from annotator.domain.structure import Block, Page, page_at, section_heading_at
from annotator.domain.utf16 import Utf16Map
from annotator.gui import tooltips
from annotator.gui.coding.coding_stripes import CodingStripes
from annotator.gui.coding.document_format import (
    collapse_blank_lines,
    format_blocks,
    paragraph_format,
)
from annotator.gui.coding.highlight_runs import Run, patched_runs, visible_runs
from annotator.gui.coding.highlight_style import UNKNOWN_CODE_COLOR

FIND_COLOR = QColor("#ffe066")
PAGE_LABEL_GUTTER = 52  # px right of the text where page labels are drawn


class DocumentView(QTextEdit):
    """Shows one document and its visible codings; emits what the user asks for."""

    codings_clicked = Signal(list)  # coding ids under a click on a highlight
    code_requested = Signal(object)  # a code id chosen from the context menu
    remove_requested = Signal(list)  # coding ids chosen for removal from the context menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("documentView")
        self.document_id: uuid.UUID | None = None
        self._text = ""
        self._map = Utf16Map("")
        self.index = CodingIndex()
        self._runs: list[Run] = []  # visible runs: Qt start, end, colour
        self._shown: tuple[int, int] | None = None  # the code points the runs cover
        self._rect_cache: dict[tuple[int, int], list[QRectF]] = {}
        self._line_cache: dict[int, tuple[float, float]] = {}
        self._layout_width = -1
        self._swapping = False
        self._own_document: QTextDocument | None = None  # the one show_document made
        self._pages: tuple[Page, ...] = ()
        self._blocks: tuple[Block, ...] = ()
        self._codes: Mapping[uuid.UUID, Code] = {}
        self._coders: Mapping[uuid.UUID, Coder] = {}
        self._selected: set[uuid.UUID] = set()
        self._find: list[tuple[int, int]] = []
        self.snap_to_words = True
        self.stripes = CodingStripes(self)
        self.setViewportMargins(0, 0, self.stripes.width(), 0)
        self.verticalScrollBar().valueChanged.connect(self.refresh_highlights)
        self.setPlaceholderText("Choose a document from the list, or import one (File → Import).")

    # -- offsets: the one place code points meet UTF-16 -------------------------------
    def to_qt(self, offset: int) -> int:
        """Qt position of a code-point offset."""
        return self._map.to_utf16(offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of a Qt position."""
        return self._map.from_utf16(min(position, self._map.utf16_length))

    # -- content ----------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The canonical text shown."""
        return self._text

    def show_document(
        self,
        document: Document | None,
        codings: list[Coding],
        codes: Mapping[uuid.UUID, Code],
        coders: Mapping[uuid.UUID, Coder],
    ) -> None:
        """Display ``document`` with ``codings`` (None clears the view)."""
        self.document_id = document.id if document else None
        self._text = document.text if document else ""
        self._pages = document.pages if document else ()
        self._blocks = document.blocks if document else ()
        self._map = Utf16Map(self._text)
        self._codes, self._coders = codes, coders
        self._selected.clear()
        self._find = []
        self.index = CodingIndex(codings)
        self._clear_geometry()
        qdoc = QTextDocument(self)
        qdoc.setUndoRedoEnabled(False)
        qdoc.setDocumentMargin(18)
        if len(self._pages) > 1:
            # Room at the right for the "p. 12" labels, which would otherwise sit on the
            # end of a full line where a page of the original breaks mid-paragraph.
            frame = qdoc.rootFrame().frameFormat()
            frame.setRightMargin(PAGE_LABEL_GUTTER)
            qdoc.rootFrame().setFrameFormat(frame)
        qdoc.setDefaultFont(self.font())  # the stylesheet's reading font
        cursor = QTextCursor(qdoc)
        # Blocks made by inserting text inherit the current block format, so setting it
        # once here styles every paragraph without a second pass over the document.
        cursor.setBlockFormat(paragraph_format())
        cursor.insertText(self._text)
        collapse_blank_lines(qdoc)
        if document is not None:
            format_blocks(qdoc, document, self.font().pointSizeF(), self.to_qt)
        # Lay the new document out at the width it will be shown at: setDocument() then
        # finds nothing to redo, and the lazy layout covers only the first screen (without
        # this the first paint waits for a layout at the old width and then another).
        qdoc.setTextWidth(self.viewport().width())
        # One refresh after the swap, not one per scroll-bar reset it causes.
        bar = self.verticalScrollBar()
        bar.blockSignals(True)
        self._swapping = True
        previous, self._own_document = self._own_document, qdoc
        self.setDocument(qdoc)
        self._swapping = False
        bar.blockSignals(False)
        # setDocument() deletes only the document the editor made itself, never one of
        # ours (children of the view): without this every document ever opened would stay
        # in memory. Later, so that freeing the old layout does not delay the first paint.
        if previous is not None:
            previous.deleteLater()
        self.refresh_highlights()

    def set_codes(self, codes: Mapping[uuid.UUID, Code], coders: Mapping[uuid.UUID, Coder]) -> None:
        """New code colours or names (after a codebook edit)."""
        self._codes, self._coders = codes, coders
        self.refresh_highlights()

    def set_codings(self, codings: list[Coding]) -> None:
        """Replace every coding (after a visibility change)."""
        self.index = CodingIndex(codings)
        self._selected &= {c.id for c in codings}
        self.refresh_highlights()

    def apply_delta(self, added: list[Coding], removed: list[Coding]) -> None:
        """Patch the index with a change and redraw the visible runs."""
        for c in removed:
            self.index.remove(c.id)
        for c in added:
            if c.document_id == self.document_id:
                self.index.add(c)
        changed = [(c.start, c.end) for c in (*added, *removed)]
        shown = self.visible_span() if self._text else None
        if (
            shown is None
            or shown != self._shown
            or any(c.id in self._selected for c in (*added, *removed))
        ):
            shown = self._recompute_highlights()  # scrolled, or an outline changes
        else:
            # Only the stretches the changed codings cover look different.
            self._runs = patched_runs(
                self._runs, self.index, shown, changed, self.to_qt, self.code_color
            )
            self.stripes.set_codings(self.index.overlapping(*shown))
        if shown is not None:
            self._update_spans(shown, changed)  # and only their lines are repainted

    def set_selected_codings(self, ids: set[uuid.UUID]) -> None:
        """Outline the codings selected in the codings list."""
        self._selected = set(ids)
        self.refresh_highlights()

    def set_find_matches(self, matches: list[tuple[int, int]]) -> None:
        """Highlight find-in-document matches (code-point spans)."""
        if not matches and not self._find:
            return  # nothing was shown and nothing is to be shown
        self._find = matches
        self.refresh_highlights()

    # -- selection ----------------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        """The selected text as a code-point span (snapped to words if enabled), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.from_qt(cursor.selectionStart()), self.from_qt(cursor.selectionEnd())
        if self.snap_to_words:
            start, end = snap_to_words(self._text, start, end)
        else:
            # Never split a surrogate pair or leave a stray newline at the edges.
            while end > start and self._text[end - 1] == "\n":
                end -= 1
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(end))
        cursor.setPosition(self.to_qt(start), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self._reveal(self.to_qt(start), self.to_qt(end))

    def _reveal(self, start_qt: int, end_qt: int) -> None:
        """Scroll so the whole span (or its first screenful) is in view, not cut at an edge.

        ``ensureCursorVisible`` only brings the cursor's line to the very edge; a passage
        reached with Alt+Down was left half below the bottom.
        """
        cursor = QTextCursor(self.document())
        cursor.setPosition(start_qt)
        top = self.cursorRect(cursor).top()
        cursor.setPosition(end_qt)
        bottom = self.cursorRect(cursor).bottom()
        height = self.viewport().height()
        margin = self.fontMetrics().lineSpacing()
        if top >= margin and bottom <= height - margin:
            return  # already wholly in view
        bar = self.verticalScrollBar()
        if bottom - top + 2 * margin <= height:
            # Fits: put it a third of the way down, so the context before it shows too.
            shift = top - max(margin, (height - (bottom - top)) // 3)
        else:
            shift = top - margin  # taller than the screen: start at its first line
        bar.setValue(bar.value() + shift)

    # -- drawing ------------------------------------------------------------------------
    def visible_span(self) -> tuple[int, int]:
        """Code-point range currently on screen (a little more, to cover partial lines)."""
        if not self._text:
            return (0, 0)
        vp = self.viewport().rect()
        # Hit-test inside the text area: while the lazy layout of a long document is still
        # running, Qt answers points in the document margin with arbitrary positions (the
        # very end of the text, say), which would leave the first screen without highlights.
        margin = int(self.document().documentMargin()) + 1
        left, right = margin, max(margin, vp.width() - margin)
        top_y = max(0, margin - self.verticalScrollBar().value())
        top = self.cursorForPosition(QPoint(left, top_y)).position()
        bottom = self.cursorForPosition(QPoint(right, max(top_y, vp.height() - 1))).position()
        if bottom < top:  # should Qt still answer out of order: extra runs beat missing ones
            bottom = self._map.utf16_length
        top_cp = self.from_qt(max(0, top - 200))
        bottom_cp = self.from_qt(min(self._map.utf16_length, bottom + 200))
        return top_cp, bottom_cp

    def screenful_chars(self) -> int:
        """A generous estimate of how many characters one screen of this view shows.

        Twice the characters that fit in the viewport at the average character width:
        short lines and paragraph breaks only make the real number smaller.
        """
        metrics = self.fontMetrics()
        per_line = self.viewport().width() // max(1, metrics.averageCharWidth())
        lines = self.viewport().height() // max(1, metrics.lineSpacing())
        return 2 * max(1, per_line) * max(1, lines)

    def code_color(self, code_id: uuid.UUID) -> str:
        """The colour of a code (grey for an unknown one)."""
        code = self._codes.get(code_id)
        return code.color if code else UNKNOWN_CODE_COLOR

    def refresh_highlights(self) -> None:
        """Recompute what is drawn for the visible text and repaint.

        Coding backgrounds are painted by :meth:`paintEvent` from ``self._runs``; only the
        few outlines (selected codings) and find matches use Qt's extra selections.
        """
        self._recompute_highlights()
        self.viewport().update()

    def _recompute_highlights(self) -> tuple[int, int] | None:
        """Recompute the visible runs, outlines and stripes; return the span they cover."""
        if not self._text:
            self._runs = []
            self.setExtraSelections([])
            self.stripes.set_codings([])
            self._shown = None
            return None
        start, end = self._shown = self.visible_span()
        self._runs = visible_runs(self.index, start, end, self.to_qt, self.code_color)
        selections: list[QTextEdit.ExtraSelection] = []
        for coding in self.index.overlapping(start, end):
            if coding.id in self._selected:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = self._cursor(coding.start, coding.end)
                pen = QPen(QColor(self.code_color(coding.code_id)).darker(160), 2)
                sel.format.setProperty(QTextFormat.Property.OutlinePen, pen)
                selections.append(sel)
        for a, b in self._find:
            if a < end and b > start:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = self._cursor(a, b)
                sel.format.setBackground(FIND_COLOR)
                sel.format.setForeground(QColor("#000000"))
                selections.append(sel)
        if selections or self.extraSelections():
            self.setExtraSelections(selections)
        self.stripes.set_codings(self.index.overlapping(start, end))
        return start, end

    def _update_spans(self, shown: tuple[int, int], spans: list[tuple[int, int]]) -> None:
        """Schedule a repaint of the lines of ``spans`` that lie in the ``shown`` span."""
        start, end = shown
        width = self.viewport().width()
        for a, b in spans:
            if a >= end or b <= start:
                continue  # off screen: nothing visible changed
            top, _ = self.line_extent(self.to_qt(max(a, start)))
            _, bottom = self.line_extent(self.to_qt(min(b, end)))
            self.viewport().update(0, top, width, bottom - top + 1)

    def highlight_rects(self) -> list[tuple[QRectF, QColor]]:
        """The rectangles (viewport coordinates) and colours of the visible coding runs.

        Rectangles are cached per run in document coordinates: after a coding is applied
        or the view scrolls, only runs never drawn before cost any layout queries.
        """
        missing = [run for run in self._runs if (run[0], run[1]) not in self._rect_cache]
        if missing:
            self._measure_runs(missing)
        dx = -self.horizontalScrollBar().value()
        dy = -self.verticalScrollBar().value()
        return [
            (rect.translated(dx, dy), color)
            for a, b, color in self._runs
            for rect in self._rect_cache[(a, b)]
        ]

    def _measure_runs(self, runs: list[tuple[int, int, QColor]]) -> None:
        """Fill the rectangle cache for ``runs`` (sorted by start) in one walk over blocks."""
        for a, b, _color in runs:
            self._rect_cache[(a, b)] = []
        qdoc = self.document()
        layout = qdoc.documentLayout()
        block = qdoc.findBlock(runs[0][0])
        first = 0
        while block.isValid() and first < len(runs):
            b_start = block.position()
            b_end = b_start + block.length() - 1
            while first < len(runs) and runs[first][1] <= b_start:
                first += 1
            here = []
            for run in runs[first:]:
                if run[0] >= b_end:
                    break
                here.append(run)
            if here:
                origin = layout.blockBoundingRect(block).topLeft()
                text_layout = block.layout()
                for i in range(text_layout.lineCount()):
                    line = text_layout.lineAt(i)
                    ls = b_start + line.textStart()
                    le = ls + line.textLength()
                    for a, b, _color in here:
                        lo, hi = max(a, ls), min(b, le)
                        if lo < hi:
                            x1 = line.cursorToX(lo - b_start)[0]
                            x2 = line.cursorToX(hi - b_start)[0]
                            self._rect_cache[(a, b)].append(
                                QRectF(
                                    origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height()
                                )
                            )
            elif first < len(runs):
                # Jump straight to the block of the next run instead of walking every block.
                block = qdoc.findBlock(runs[first][0])
                if block.position() > b_start:
                    continue
            block = block.next()

    def line_extent(self, position: int) -> tuple[int, int]:
        """Top and bottom (viewport y) of the line holding Qt position ``position``."""
        extent = self._line_cache.get(position)
        if extent is None:
            block = self.document().findBlock(position)
            top = self.document().documentLayout().blockBoundingRect(block).top()
            line = block.layout().lineForTextPosition(position - block.position())
            extent = (
                (top + line.y(), top + line.y() + line.height()) if line.isValid() else (top, top)
            )
            self._line_cache[position] = extent
        dy = self.verticalScrollBar().value()
        return int(extent[0] - dy), int(extent[1] - dy)

    def _clear_geometry(self) -> None:
        """Forget cached geometry (a new document, or a width that rewraps the lines)."""
        self._rect_cache.clear()
        self._line_cache.clear()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint coding backgrounds under the text, then let Qt draw the text over them."""
        if self._runs:
            painter = QPainter(self.viewport())
            painter.setPen(Qt.PenStyle.NoPen)
            for rect, color in self.highlight_rects():
                painter.fillRect(rect, color)
            painter.end()
        super().paintEvent(event)
        if len(self._pages) > 1:
            self._paint_page_marks()

    def _paint_page_marks(self) -> None:
        """A dashed rule and "p. N" where each visible page of the original file begins."""
        start, end = self.visible_span()
        painter = QPainter(self.viewport())
        painter.setPen(QPen(QColor("#9a9890"), 1, Qt.PenStyle.DashLine))
        font = painter.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        width = self.viewport().width()
        for page in self._pages:
            if page.number == self._pages[0].number or not start <= page.start <= end:
                continue
            top, _bottom = self.line_extent(self.to_qt(page.start))
            painter.drawLine(0, top - 3, width, top - 3)
            label = f"p. {page.label or page.number}"
            painter.drawText(
                width - painter.fontMetrics().horizontalAdvance(label) - 6, top - 6, label
            )
        painter.end()

    def position_label(self, offset: int) -> str:
        """Where ``offset`` is in the original: "p. 12 · 3 Findings" (page, section)."""
        parts = []
        page = page_at(self._pages, offset)
        if page is not None:
            parts.append(f"p. {page.label or page.number}")
        heading = section_heading_at(self._blocks, offset)
        if heading is not None:
            parts.append(" ".join(self._text[heading.start : heading.end].split())[:60])
        return " · ".join(parts)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def describe(self, codings: list[Coding]) -> str:
        """Tooltip text: each coding's code, coder and memo."""
        lines = []
        for c in codings:
            code = self._codes.get(c.code_id)
            coder = self._coders.get(c.coder_id)
            line = (
                f"<b>{_esc(code.name if code else '?')}</b> — {_esc(coder.name if coder else '?')}"
            )
            if c.memo:
                line += f"<br><i>{_esc(c.memo)}</i>"
            lines.append(line)
        return (
            tooltips.rich("<br>".join(lines))
            if len(lines) > 2 or any(c.memo for c in codings)
            else "<br>".join(lines)
        )

    def codings_at_point(self, point: QPoint) -> list[Coding]:
        """Codings under a point of the viewport."""
        if not self._text:
            return []
        pos = self.from_qt(self.cursorForPosition(point).position())
        return self.index.at(pos) if pos < len(self._text) else []

    # -- events -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the stripe margin beside the text and redraw what became visible."""
        super().resizeEvent(event)
        if self.viewport().width() != self._layout_width:
            self._layout_width = self.viewport().width()
            self._clear_geometry()
        vg = self.viewport().geometry()
        self.stripes.setGeometry(vg.right() + 1, vg.top(), self.stripes.width(), vg.height())
        if not self._swapping:  # show_document refreshes once the new document is in
            self.refresh_highlights()

    def viewportEvent(self, event: QEvent) -> bool:
        """Tooltips over highlights name their codes, coders and memos."""
        if event.type() == QEvent.Type.ToolTip:
            codings = self.codings_at_point(event.pos())
            if codings:
                QToolTip.showText(event.globalPos(), self.describe(codings), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click (not a drag) on a highlight selects its codings in the codings list."""
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            codings = self.codings_at_point(event.position().toPoint())
            if codings:
                self.codings_clicked.emit([c.id for c in codings])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu plus "Code as ▸" and "Remove coding ▸"."""
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        code_menu = menu.addMenu("Code as")
        code_menu.setEnabled(self.selected_span() is not None)
        self._fill_code_menu(code_menu, None)
        under = self.codings_at_point(event.pos())
        if under:
            remove = menu.addMenu("Remove coding")
            for c in under:
                code = self._codes.get(c.code_id)
                coder = self._coders.get(c.coder_id)
                action = remove.addAction(
                    f"{code.name if code else '?'} ({coder.name if coder else '?'})"
                )
                action.triggered.connect(
                    lambda _=False, cid=c.id: self.remove_requested.emit([cid])
                )
        menu.exec(event.globalPos())

    def _fill_code_menu(self, menu: QMenu, parent: uuid.UUID | None) -> None:
        children = sorted(
            (c for c in self._codes.values() if c.parent_id == parent),
            key=lambda c: (c.position, c.name.casefold()),
        )
        for code in children:
            has_children = any(c.parent_id == code.id for c in self._codes.values())
            if has_children:
                sub = menu.addMenu(code.name)
                if code.codable:
                    act = sub.addAction(f"{code.name} (this code)")
                    act.triggered.connect(
                        lambda _=False, cid=code.id: self.code_requested.emit(cid)
                    )
                    sub.addSeparator()
                self._fill_code_menu(sub, code.id)
            elif code.codable:
                act = menu.addAction(code.name)
                act.triggered.connect(lambda _=False, cid=code.id: self.code_requested.emit(cid))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
