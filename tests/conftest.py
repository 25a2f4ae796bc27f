"""Test fixtures: offscreen Qt, and private folders for every test."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt: no display is needed, in CI or here. The offscreen screen is
# a 1366x768 laptop (Qt's default is 800x800), the smallest screen every window must fit.
if "QT_QPA_PLATFORM" not in os.environ:
    import json
    import tempfile

    _screen = Path(tempfile.mkdtemp(prefix="annotator-screen-")) / "offscreen.json"
    _screen.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ]
            }
        ),
        encoding="utf-8",
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"
if not os.environ.get("XDG_RUNTIME_DIR"):
    # Qt warns (and warnings fail tests) when this is unset, as it is for root in CI.
    import tempfile

    _runtime = tempfile.mkdtemp(prefix="annotator-runtime-")
    os.chmod(_runtime, 0o700)
    os.environ["XDG_RUNTIME_DIR"] = _runtime

import pytest

from annotator.services.paths import HOME_ENV
from annotator.services.project import Project, create_sample_project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own platformdirs folders: never the user's real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Where a test's project file goes."""
    return tmp_path / "test.annotator"


@pytest.fixture
def project(project_path: Path):
    """A new project with the starter codebook, closed after the test."""
    p = Project.create(project_path)
    yield p
    p.close()


@pytest.fixture
def sample(tmp_path: Path):
    """The built-in sample project (documents, codebook and example codings)."""
    p = create_sample_project(tmp_path / "sample.annotator")
    yield p
    p.close()
