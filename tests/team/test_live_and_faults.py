"""Live changes within a second, and a real server stopped, restarted and clients killed."""

from __future__ import annotations

import queue
import subprocess
import sys
import time

import pytest

from annotator.domain.model import Coding, new_id
from annotator.domain.server import ServerUnavailableError
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.project import Project
from annotator.services.team import init_server
from annotator.services.team_live import Change, listen
from tests.pgcluster import start_cluster

TEXT = "".join(f"Sentence number {i} of the policy text. " for i in range(400))


class Recorder:
    """Collects what a listener reports, with arrival times."""

    def __init__(self) -> None:
        self.changes: queue.Queue[tuple[float, Change]] = queue.Queue()
        self.status: queue.Queue[tuple[float, bool, str]] = queue.Queue()

    def on_change(self, change: Change) -> None:
        self.changes.put((time.monotonic(), change))

    def on_status(self, connected: bool, message: str) -> None:
        self.status.put((time.monotonic(), connected, message))

    def next_status(self, timeout: float) -> tuple[float, bool, str]:
        return self.status.get(timeout=timeout)

    def wait_change(self, table: str, timeout: float) -> tuple[float, Change]:
        deadline = time.monotonic() + timeout
        while True:
            at, change = self.changes.get(timeout=max(0.01, deadline - time.monotonic()))
            if change.table == table:
                return at, change


def _setup(url: str) -> tuple[object, object, object]:
    init_server(url, "Lena", password="lena-pw")
    p = Project.open(url)
    try:
        doc = p.documents.add(ExtractedDocument(TEXT, (), (), DocumentMetadata(title="D"), "text"))
        code = next(c.id for c in p.codebook.list() if c.codable)
        coder = p.coders.find("Lena").id
    finally:
        p.close()
    return doc, code, coder


def _coding(doc, code, coder, i: int) -> Coding:
    start = i * 10
    return Coding(new_id(), doc, code, coder, start, start + 5, TEXT[start : start + 5])


def test_others_changes_arrive_within_a_second(pg_database):
    url = pg_database()
    doc, code, coder = _setup(url)
    watcher, writer = Project.open(url), Project.open(url)
    rec = Recorder()
    listener = listen(watcher, rec.on_change, rec.on_status)
    try:
        assert rec.next_status(10)[1] is True
        latencies = []
        for i in range(5):
            writer.codings.add(_coding(doc, code, coder, i))
            saved = time.monotonic()
            at, change = rec.wait_change("coding", 5)
            latencies.append(at - saved)
            assert change.document == str(doc)
        assert max(latencies) < 1.0, latencies
        target = writer.codebook.get(code)
        writer.codebook.update(target.with_changes(memo="changed"), expected=target)
        saved = time.monotonic()
        at, _ = rec.wait_change("code", 5)
        assert at - saved < 1.0
        assert len(watcher.codings.all()) == 5
    finally:
        listener.stop()
        watcher.close()
        writer.close()


@pytest.fixture
def own_cluster():
    """A cluster of this test's own, since the test stops and restarts it."""
    cluster = start_cluster()
    if cluster is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    try:
        yield cluster
    finally:
        cluster.destroy()


def test_server_restart_is_reported_nothing_saved_is_lost_and_clients_reconnect(own_cluster):
    url = own_cluster.create_database("faults")
    doc, code, coder = _setup(url)
    project = Project.open(url)
    rec = Recorder()
    listener = listen(project, rec.on_change, rec.on_status)
    try:
        assert rec.next_status(10)[1] is True
        saved = [project.codings.add(_coding(doc, code, coder, i)) for i in range(20)]

        own_cluster.stop("immediate")  # a crash: no goodbye to the clients
        stopped = time.monotonic()
        at, connected, message = rec.next_status(5)
        assert connected is False and at - stopped < 2.0, (at - stopped, message)
        assert "reconnecting" in message and "lena-pw" not in message
        refused = _coding(doc, code, coder, 99)
        with pytest.raises(ServerUnavailableError, match="connection") as err:
            project.codings.add(refused)
        assert own_cluster.password not in str(err.value)

        own_cluster.start()
        at, connected, _ = rec.next_status(15)
        assert connected is True
        assert rec.wait_change("resync", 5)[1].table == "resync"
        stored = project.codings.all()  # the same Project object: its pool reconnected
        assert {c.id for c in saved} <= {c.id for c in stored}
        assert refused.id not in {c.id for c in stored}
        project.codings.add(refused)  # and saving works again, exactly once
        assert [c.id for c in project.codings.all()].count(refused.id) == 1
    finally:
        listener.stop()
        project.close()


KILLED_CLIENT = """
import sys, uuid, psycopg
url, doc, code, coder = sys.argv[1:5]
conn = psycopg.connect(url)
conn.execute("SELECT id FROM code WHERE id = %s FOR UPDATE", (code,))
for i in range(50):
    conn.execute(
        'INSERT INTO coding (id, document_id, code_id, coder_id, start, "end", quote, memo,'
        " created_at, modified_at) VALUES (%s, %s, %s, %s, 0, 5, 'Sente', 'killed', now(), now())",
        (uuid.uuid4(), doc, code, coder),
    )
print("ready", flush=True)
sys.stdin.read()
"""


def test_client_killed_mid_transaction_leaves_nothing_and_no_lock(pg_database):
    url = pg_database()
    doc, code, coder = _setup(url)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CLIENT, url, str(doc), str(code), str(coder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        child.kill()
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    project = Project.open(url)
    try:
        assert [c for c in project.codings.all() if c.memo == "killed"] == []
        current = project.codebook.get(code)
        started = time.monotonic()
        project.codebook.update(current.with_changes(memo="after the kill"), expected=current)
        assert time.monotonic() - started < 5  # the dead client's row lock went with it
        project.codings.add(_coding(doc, code, coder, 1))
        assert len(project.codings.all()) == 1
    finally:
        project.close()
