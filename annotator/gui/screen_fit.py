"""Every window fits the screen it opens on (a 1366x768 laptop included).

Two parts: :func:`fit_size` gives windows a preferred size shrunk to the available screen
geometry, and :class:`ScreenFitter`, installed on the application, clamps any top-level
window (dialogs and message boxes too) into the available geometry when it is shown, so
a window whose contents ask for more room still opens fully on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

# Room for a window manager's title bar and borders, which frameGeometry includes.
FRAME_ALLOWANCE = (16, 40)


def available(widget: QWidget | None = None) -> QRect:
    """The available geometry of the screen ``widget`` is on (or the primary screen)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_size(widget: QWidget, width: int, height: int, fraction: float = 0.95) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or less so that it fits the screen."""
    area = available(widget.parentWidget() or widget)
    max_w = int(area.width() * fraction) - FRAME_ALLOWANCE[0]
    max_h = int(area.height() * fraction) - FRAME_ALLOWANCE[1]
    widget.resize(max(200, min(width, max_w)), max(150, min(height, max_h)))


def clamp_into_screen(widget: QWidget) -> None:
    """Shrink and move a top-level ``widget`` so its frame lies within the screen."""
    area = available(widget)
    frame = widget.frameGeometry()
    extra_w = max(frame.width() - widget.width(), 0)
    extra_h = max(frame.height() - widget.height(), 0)
    if not extra_w and not extra_h:  # not yet decorated: assume a typical frame
        extra_w, extra_h = FRAME_ALLOWANCE
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, 100), max(height, 100))
    x = min(max(frame.x(), area.x()), area.right() + 1 - (widget.width() + extra_w))
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - (widget.height() + extra_h))
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.x()), max(y, area.y()))


class ScreenFitter(QObject):
    """Application event filter: clamp every top-level window into the screen on Show."""

    SKIP = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Clamp windows as they are shown; never consume the event."""
        if (
            event.type() == QEvent.Type.Show
            and isinstance(obj, QWidget)
            and obj.isWindow()
            and obj.windowType() not in self.SKIP
        ):
            clamp_into_screen(obj)
        return False


def install(app: QApplication) -> None:
    """Install one :class:`ScreenFitter` on ``app`` (idempotent)."""
    if app.property("screen_fitter_installed"):
        return
    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    app.setProperty("screen_fitter_installed", True)
