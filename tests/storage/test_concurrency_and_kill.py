"""Two instances on one file, and a process killed right after a coding was applied."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from annotator.domain.model import Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

REPO = Path(__file__).resolve().parents[2]
PREVENTION = starter_code_id("Themes/Prevention")


def test_two_instances_see_each_others_commits(sample: Project):
    other = Project.open(sample.path)
    try:
        doc = sample.documents.list()[0]
        me = sample.coders.ensure("First")
        you = other.coders.ensure("Second")
        a = sample.codings.add(Coding(new_id(), doc.id, PREVENTION, me.id, 0, 9, ""))
        b = other.codings.add(Coding(new_id(), doc.id, PREVENTION, you.id, 10, 14, ""))
        ids_first = {c.id for c in sample.codings.for_document(doc.id)}
        ids_second = {c.id for c in other.codings.for_document(doc.id)}
        assert {a.id, b.id} <= ids_first
        assert ids_first == ids_second
    finally:
        other.close()


GUI_CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtGui import QTextCursor
    from annotator.gui.app import application, build_window
    from annotator.services.settings import Settings, save_settings
    from annotator.services.starter import starter_code_id

    save_settings(Settings(coder_name="Killed coder"))
    app = application()
    window = build_window(Path(sys.argv[1]))
    window.show()
    view = window.view
    start = view.text.index("fiscal devolution")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_qt(start))
    cursor.setPosition(view.to_qt(start + 17), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    coding = window.apply_code(starter_code_id("Themes/Fiscal devolution"))
    print("APPLIED", coding.id, flush=True)
    time.sleep(60)
    """
)


def test_coding_survives_sigkill_of_the_gui(sample: Project, tmp_path: Path):
    path = sample.path
    sample.close()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", GUI_CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("APPLIED"), proc.stderr.read() if proc.poll() is not None else line
        coding_id = line.split()[1]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    reopened = Project.open(path)
    try:
        coder = reopened.coders.find("Killed coder")
        stored = reopened.codings.all({coder.id})
        assert [str(c.id) for c in stored] == [coding_id]
        assert stored[0].quote == "fiscal devolution"
    finally:
        reopened.close()
