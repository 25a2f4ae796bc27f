"""Start the GUI: the application object, style, the project to open, and the coder."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator import __version__
from annotator.domain.errors import AnnotatorError
from annotator.gui import screen_fit
from annotator.gui.main_window import MainWindow
from annotator.gui.session import open_controller
from annotator.services.paths import log_dir, sample_project_path
from annotator.services.project import open_or_create_sample
from annotator.services.resources import resource
from annotator.services.settings import load_settings

log = logging.getLogger("annotator")


def application() -> QApplication:
    """The QApplication, created once, with the app's name, icon and stylesheet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("annotator")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("annotator")
    screen_fit.install(app)  # every window and dialog opens within the screen
    icon = resource("icons", "annotator.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyleSheet(resource("style.qss").read_text(encoding="utf-8"))
    font = QGuiApplication.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(QFont(font))
    return app


def _setup_logging() -> None:
    handler = logging.FileHandler(log_dir() / "annotator.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def startup_project(requested: Path | None) -> Path:
    """Which project to open: the one asked for, the last one, or the sample project."""
    if requested is not None:
        return requested
    settings = load_settings()
    for recent in settings.recent_projects:
        if Path(recent).exists():
            return Path(recent)
    sample = sample_project_path()
    if not sample.exists():
        open_or_create_sample(sample).close()
    return sample


def build_window(requested: Path | None) -> MainWindow | None:
    """Open the project and make the main window (None if the user cancelled)."""
    settings = load_settings()
    path = startup_project(requested)
    controller = open_controller(path, settings)
    if controller is None:
        return None
    window = MainWindow(controller, settings)
    if controller.project.read_only:
        window.show_error(f"{path.name} is read-only: you can read and browse it, not change it.")
    return window


def settle_memory() -> None:
    """Move everything alive after start-up out of the cyclic garbage collector's sight.

    Libraries, Qt wrappers and the open project live as long as the app; without this,
    every full collection re-scans them all (measured: a 68 ms pause, long enough to stall
    the GUI during an import or a coding action). Later garbage is collected as usual.
    """
    gc.collect()
    gc.freeze()


def run_gui(requested: Path | None = None) -> int:
    """Run the application until the main window closes."""
    _setup_logging()
    app = application()
    try:
        window = build_window(requested)
    except AnnotatorError as exc:
        log.warning("could not open project: %s", exc)
        QMessageBox.critical(None, "annotator", str(exc))
        return 2
    if window is None:
        return 0
    window.show()
    settle_memory()
    return app.exec()
