"""Coding stripes: a margin beside the text with one vertical bar per coding on screen.

Overlapping codings sit in different lanes, as in QDA tools, so stacked codes stay
distinguishable even where the blended highlight cannot tell them apart. Hovering a
stripe names its code and coder; clicking selects that coding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.domain.model import Coding

if TYPE_CHECKING:
    from annotator.gui.coding.document_view import DocumentView

LANE_WIDTH = 6
LANE_GAP = 3
MAX_LANES = 8
MARGIN_WIDTH = MAX_LANES * (LANE_WIDTH + LANE_GAP) + 8


class CodingStripes(QWidget):
    """The stripe margin of a :class:`DocumentView`."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view
        self._bars: list[tuple[QRect, Coding]] = []
        self.setFixedWidth(MARGIN_WIDTH)
        self.setMouseTracking(True)
        self.setObjectName("codingStripes")

    def set_codings(self, codings: list[Coding]) -> None:
        """Lay out bars for the codings on screen (sorted by start) and repaint."""
        lanes_end: list[int] = []  # the last y used in each lane
        bars: list[tuple[QRect, Coding]] = []
        for coding in codings:
            top = self._y(coding.start, top=True)
            bottom = self._y(coding.end, top=False)
            lane = next((i for i, end in enumerate(lanes_end) if end < top), None)
            if lane is None:
                if len(lanes_end) >= MAX_LANES:
                    lane = MAX_LANES - 1  # more than fit: stack in the last lane
                else:
                    lanes_end.append(-1)
                    lane = len(lanes_end) - 1
            lanes_end[lane] = max(lanes_end[lane], bottom + 2)
            x = 4 + lane * (LANE_WIDTH + LANE_GAP)
            bars.append((QRect(x, top, LANE_WIDTH, max(3, bottom - top)), coding))
        self._bars = bars
        self.update()

    def _y(self, offset: int, *, top: bool) -> int:
        top_y, bottom_y = self._view.line_extent(self._view.to_qt(offset))
        return top_y if top else bottom_y

    def bars(self) -> list[tuple[QRect, Coding]]:
        """The bars drawn now (for tests and hit-testing)."""
        return list(self._bars)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the bars."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#f6f6f3"))
        painter.setPen(QColor("#e2e2dc"))
        painter.drawLine(0, 0, 0, self.height())
        for rect, coding in self._bars:
            if rect.bottom() < 0 or rect.top() > self.height():
                continue
            color = QColor(self._view.code_color(coding.code_id))
            painter.fillRect(rect, color)
        painter.end()

    def _at(self, event: QMouseEvent) -> list[Coding]:
        p = event.position().toPoint()
        return [c for r, c in self._bars if r.adjusted(-1, 0, 1, 0).contains(p)]

    def event(self, event: QEvent) -> bool:
        """Tooltips name the code and coder of a stripe."""
        if event.type() == QEvent.Type.ToolTip:
            hits = [c for r, c in self._bars if r.adjusted(-1, 0, 1, 0).contains(event.pos())]
            if hits:
                QToolTip.showText(event.globalPos(), self._view.describe(hits), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Clicking a stripe selects its coding."""
        hits = self._at(event)
        if hits and event.button() == Qt.MouseButton.LeftButton:
            self._view.codings_clicked.emit([c.id for c in hits])
