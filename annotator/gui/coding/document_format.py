"""How a document reads: paragraph spacing, headings and footnotes (presentation only).

Nothing here changes the text, so every stored offset stays valid. Split from
:mod:`annotator.gui.coding.document_view`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from annotator.domain.model import Document
from annotator.domain.structure import BlockKind

HEADING_SIZES = {1: 1.6, 2: 1.35, 3: 1.2}
FOOTNOTE_SIZE = 0.85
FOOTNOTE_COLOR = QColor("#5a5850")


def format_blocks(
    qdoc: QTextDocument, document: Document, base: float, to_qt: Callable[[int], int]
) -> None:
    """Headings larger and bold with space above, footnotes smaller and grey.

    Presentation only: the text is untouched, so offsets stay the stored ones.
    """
    cursor = QTextCursor(qdoc)
    for b in document.blocks:
        fmt = QTextCharFormat()
        if b.kind is BlockKind.HEADING:
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontPointSize(base * HEADING_SIZES.get(b.level or 1, 1.1))
        elif b.kind is BlockKind.FOOTNOTE:
            fmt.setFontPointSize(base * FOOTNOTE_SIZE)
            fmt.setForeground(FOOTNOTE_COLOR)
        else:
            continue
        cursor.setPosition(to_qt(b.start))
        cursor.setPosition(to_qt(b.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
        if b.kind is BlockKind.HEADING:
            top = QTextBlockFormat()
            top.setTopMargin(12)
            cursor.mergeBlockFormat(top)


def collapse_blank_lines(qdoc: QTextDocument) -> None:
    """Blank lines take no height: paragraphs are spaced by their margin alone, so a text
    that separates its paragraphs with a blank line reads like one that does not (issue
    #13). Presentation only: the text, and so every offset, is unchanged."""
    if "\n\n" not in qdoc.toRawText() and "\u2029\u2029" not in qdoc.toRawText():
        return
    blank = QTextBlockFormat()
    blank.setLineHeight(0, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    blank.setBottomMargin(0)
    cursor = QTextCursor(qdoc)
    block = qdoc.begin()
    while block.isValid():
        if block.length() == 1:  # only the block separator: an empty line
            cursor.setPosition(block.position())
            cursor.setBlockFormat(blank)
        block = block.next()


def paragraph_format() -> QTextBlockFormat:
    """Reading typography: generous line height and space between paragraphs."""
    block = QTextBlockFormat()
    block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    block.setBottomMargin(8)
    return block
