"""File -> Connect to team project...: the real window on the real test server."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer

from annotator.domain.model import Coding, new_id
from annotator.services.project import Project, create_sample_project
from annotator.services.settings import load_settings, settings_file
from annotator.services.team import add_member, init_server
from annotator.services.team_transfer import push
from tests.gui.conftest import open_window


def _team(tmp_path: Path, pg_database) -> tuple[str, str]:
    local = tmp_path / "sample.annotator"
    create_sample_project(local).close()
    url = pg_database()
    push(local, url)
    init_server(url, "Lena", password="lena-pw")
    add_member(url, "Sample coder A", login="ann", password="ann-pw")
    return url, local


def _fill_and_accept(window, port: int, database: str, password: str, shots: Path) -> None:
    def fill() -> None:
        d = window.team_dialog
        assert d is not None
        d.host.setText("127.0.0.1")
        d.port.setValue(port)
        d.database.setText(database)
        d.user.setText("ann")
        d.tls.setCurrentIndex(d.tls.findData("prefer"))
        d.password.setText(password)
        d.grab().save(str(shots))
        d.accept()

    QTimer.singleShot(0, fill)


def test_connect_shows_the_team_project_live(qtbot, tmp_path, pg_database, pg_cluster):
    url, local = _team(tmp_path, pg_database)
    database = url.rsplit("/", 1)[1]
    window = open_window(qtbot, local, coder="Somebody else")
    _fill_and_accept(window, pg_cluster.port, database, "ann-pw", tmp_path / "dialog.png")
    window.actions["connect_team"].trigger()

    # The server, not the settings file, says who codes: ann is "Sample coder A".
    assert window.controller.coder.name == "Sample coder A"
    assert window.controller.project.path.database == database
    bridge = window.team_live
    qtbot.waitUntil(lambda: bridge.connected, timeout=10_000)
    assert "connected" in bridge.label.text()

    # Another client codes in the document on screen: the window shows it within a second,
    # as a delta (the document is not reopened), with the counts patched.
    reopened: list = []
    real_open = window.open_document
    window.open_document = lambda doc: (reopened.append(doc), real_open(doc))
    before = window.codings_panel.model.rowCount()
    other = Project.open(url)
    try:
        doc = window.current_document
        text = other.documents.get(doc).text
        ann = other.coders.find("Sample coder A")
        code = next(c for c in other.codebook.list() if c.codable)
        count_before = window._counts.get(code.id)
        added = other.codings.add(Coding(new_id(), doc, code.id, ann.id, 0, 6, text[:6]))
        saved = time.monotonic()
        qtbot.waitUntil(lambda: window.codings_panel.model.rowCount() == before + 1, timeout=3000)
        assert time.monotonic() - saved < 1.0
        assert window.codings_panel.model.row_of(added.id) >= 0
        after = window._counts[code.id]
        assert after.total == (count_before.total if count_before else 0) + 1
        other.codings.remove([added.id])
        qtbot.waitUntil(lambda: window.codings_panel.model.rowCount() == before, timeout=3000)
        assert reopened == []
    finally:
        other.close()

    # Remembered in Open recent by address; the password is in no file of ours.
    recent = load_settings().recent_projects[0]
    assert recent.startswith("postgresql://ann@127.0.0.1") and "pw" not in recent
    assert "ann-pw" not in settings_file().read_text(encoding="utf-8")
    window.grab().save(str(tmp_path / "window.png"))


def test_wrong_password_keeps_the_open_project_and_says_why(
    qtbot, tmp_path, pg_database, pg_cluster
):
    url, local = _team(tmp_path, pg_database)
    window = open_window(qtbot, local)
    messages: list[str] = []
    window.show_error = messages.append
    _fill_and_accept(window, pg_cluster.port, url.rsplit("/", 1)[1], "nope", tmp_path / "d.png")
    window.actions["connect_team"].trigger()
    assert window.controller.project.path == local
    assert any("wrong user name or password" in m for m in messages)
    assert not any("nope" in m for m in messages)
