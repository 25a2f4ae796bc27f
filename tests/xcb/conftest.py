"""A real X server for the tests the offscreen platform cannot answer.

Shortcuts and window geometry differ between Qt's ``offscreen`` platform (which the rest of
the suite uses) and ``xcb`` (a Linux desktop). The fixture ``xserver`` starts ``Xvfb`` at
1366x768 on a free display number; ``run_xcb`` runs a Python script in a child process with
``QT_QPA_PLATFORM=xcb`` on that display and returns what it printed as JSON. Tests skip only
when ``Xvfb`` is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREEN = (1366, 768)


@dataclass
class XServer:
    """A running Xvfb: its display name and the environment a child needs."""

    display: str
    home: Path
    runtime: Path

    def env(self, home: Path | None = None) -> dict[str, str]:
        """The child's environment: xcb on this display, private settings folders."""
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="xcb",
            DISPLAY=self.display,
            ANNOTATOR_HOME=str(home or self.home),
            XDG_RUNTIME_DIR=str(self.runtime),
            PYTHONPATH=str(REPO),
        )
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def run(self, script: str, home: Path | None = None, timeout: float = 120) -> dict:
        """Run ``script`` under xcb; it must print one JSON object as its last line."""
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script)],
            env=self.env(home),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert lines, result.stdout + result.stderr
        data = json.loads(lines[-1])
        data["_stderr"] = result.stderr
        return data


def _free_display() -> int:
    for n in range(90, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def xserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XServer]:
    """Xvfb at 1366x768x24 for the whole session; stopped at the end."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed")
    for _attempt in range(5):
        n = _free_display()
        proc = subprocess.Popen(
            [exe, f":{n}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if Path(f"/tmp/.X11-unix/X{n}").exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        pytest.fail("Xvfb did not start")
    runtime = tmp_path_factory.mktemp("xdg-runtime")
    runtime.chmod(0o700)
    try:
        yield XServer(f":{n}", tmp_path_factory.mktemp("xcb-home"), runtime)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def xcb(xserver: XServer, tmp_path: Path):
    """Run a script under xcb with this test's own settings folder."""
    home = tmp_path / "home"
    home.mkdir()

    def run(script: str, timeout: float = 120) -> dict:
        return xserver.run(script, home=home, timeout=timeout)

    run.home = home  # type: ignore[attr-defined]
    run.tmp = tmp_path  # type: ignore[attr-defined]
    return run
