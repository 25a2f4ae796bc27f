"""Helpers of the reliability probes: child processes started together, old projects."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from annotator.storage.database import _alembic_config

REPO = Path(__file__).resolve().parents[2]
#: Rounds of each two-process race (small in CI; ANNOTATOR_RACE_ROUNDS=N for longer trials).
RACE_ROUNDS = int(os.environ.get("ANNOTATOR_RACE_ROUNDS", "4"))


def child(script: str, *args: str | Path, gate: Path | None = None) -> subprocess.Popen[str]:
    """Start ``python -c script args``; with ``gate`` the script may wait for it to exist."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env["QT_QPA_PLATFORM"] = "offscreen"
    if gate is not None:
        env["ANNOTATOR_TEST_GATE"] = str(gate)
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# Child scripts start with this: every child imports first, then all go at once.
WAIT_FOR_GATE = """
import os, sys, time
gate = os.environ.get("ANNOTATOR_TEST_GATE")
print("READY", flush=True)
while gate and not os.path.exists(gate):
    time.sleep(0.001)
"""


def run_together(script: str, args: list[list[str | Path]], tmp: Path, timeout: float = 120):
    """Run one child per ``args`` entry, released at the same moment; return (rc, out, err)."""
    gate = tmp / f"gate-{time.monotonic_ns()}"
    procs = [child(WAIT_FOR_GATE + textwrap.dedent(script), *a, gate=gate) for a in args]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "READY", proc.stderr.read() if proc.stderr else line
    gate.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results


def project_at(path: Path, revision: str, name: str = "Old") -> None:
    """A genuine project file at schema ``revision`` with its project row (in WAL mode)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.execute(
            text(
                "INSERT INTO project (id, name, app_name, created_at) "
                f"VALUES ('0123456789abcdef0123456789abcdef', '{name}', 'annotator', "
                "'2025-01-01')"
            )
        )
    engine.dispose()


def tables(path: Path) -> set[str]:
    """The table names in the SQLite file at ``path`` (read without writing anything)."""
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()
