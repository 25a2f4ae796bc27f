"""First start, the sample project, and opening bad files from the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.gui.app import application, build_window
from annotator.gui.project import project_actions
from annotator.gui.project.coder_dialog import CoderDialog
from annotator.services.paths import sample_project_path
from annotator.services.project import Project
from annotator.services.settings import default_coder_name, load_settings
from tests.gui.conftest import open_window


def test_first_start_creates_sample_and_asks_for_the_coder(qtbot):
    application()
    seen: list[str] = []

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CoderDialog))
        seen.append(dialog.name())
        dialog.combo.setCurrentText("Ada Coder")
        dialog.accept()

    QTimer.singleShot(0, answer)
    window = build_window(None)
    qtbot.addWidget(window)
    assert seen == [default_coder_name()]  # prefilled from the operating-system user
    assert window.controller.project.path == sample_project_path()
    assert window.documents_panel.model.rowCount() == 5
    assert "Ada Coder" in window.coder_label.text()
    assert load_settings().coder_name == "Ada Coder"
    window.close()
    # The sample project is never overwritten: a second start opens the same file.
    before = sample_project_path().stat().st_mtime_ns
    again = build_window(None)
    qtbot.addWidget(again)
    assert again.controller.project.path == sample_project_path()
    again.close()
    assert Project.open(sample_project_path()).info().name.startswith("Sample project")
    assert sample_project_path().stat().st_mtime_ns >= before


def test_opening_a_bad_file_reports_it_and_keeps_the_project(qtbot, window, tmp_path: Path):
    bad = tmp_path / "notes.annotator"
    bad.write_text("not a project", encoding="utf-8")
    current = window.controller.project.path
    assert not project_actions.load(window, bad)
    assert "notes.annotator" in window.last_message.text()
    assert "not an annotator project" in window.last_message.text()
    assert window.controller.project.path == current
    assert bad.read_text(encoding="utf-8") == "not a project"


def test_open_recent_lists_projects(qtbot, window, sample_path: Path, tmp_path: Path):
    other = tmp_path / "other.annotator"
    Project.create(other).close()
    assert project_actions.load(window, other)
    project_actions.fill_recent(window)
    texts = [a.text() for a in window.recent_menu.actions()]
    assert str(other) in texts and str(sample_path) in texts
    open_window(qtbot, sample_path)
