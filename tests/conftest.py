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
from hypothesis import settings

from annotator.services.paths import HOME_ENV
from annotator.services.project import Project, create_sample_project

# CI runs the property tests with a fixed derivation of their examples, so a green run
# repeats; developers' runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster on a loopback port for the whole run (team backend).

    Skips (only) when the PostgreSQL server binaries are not installed; CI installs them.
    """
    from tests.pgcluster import start_cluster

    cluster = start_cluster()
    if cluster is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    try:
        yield cluster
    finally:
        cluster.destroy()


PG_TEMPLATE = "annotator_template"


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """The test cluster with a database at the newest schema to copy databases from."""
    from annotator.storage.postgres import ServerDatabase

    url = pg_cluster.create_database(PG_TEMPLATE)
    ServerDatabase.open(url, create=True).close()
    return pg_cluster


@pytest.fixture
def pg_database(pg_template, request: pytest.FixtureRequest):
    """A factory of fresh databases (schema at head, no project), dropped after the test.

    Returns the database's admin URL with its password; ``password=""`` leaves it out.
    """
    import uuid

    def make(password: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        pg_template.create_database(name, template=PG_TEMPLATE)
        request.addfinalizer(lambda: pg_template.drop_database(name))
        return pg_template.url(name, password=password)

    return make
