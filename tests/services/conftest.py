"""Every service test runs on both backends: a SQLite file and a PostgreSQL database.

``project_path`` is where a test's project lives: a file path on SQLite, a database URL on
PostgreSQL (a fresh database per test, copied from a template already at the newest
schema). The URLs carry no password: the admin's comes from ``PGPASSWORD``, as libpq reads
it, so a project's displayed address (which never shows a password) opens again as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services.project import create_sample_project


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of tests about project files as such."""
    config.addinivalue_line(
        "markers", "sqlite_only: the test is about project files; run it on SQLite only"
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which storage backend this run of the test uses."""
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about project files (marked sqlite_only)")
    return request.param


def _new_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    cluster = request.getfixturevalue("pg_template")
    monkeypatch.setenv("PGPASSWORD", cluster.password)
    return request.getfixturevalue("pg_database")(password="")


@pytest.fixture
def project_path(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    """Where the test's project lives: a file, or a fresh database on the test server."""
    if backend == "sqlite":
        return tmp_path / "test.annotator"
    return _new_database(request, monkeypatch)


@pytest.fixture
def sample(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    """The built-in sample project on this test's backend."""
    where = (
        tmp_path / "sample.annotator"
        if backend == "sqlite"
        else _new_database(request, monkeypatch)
    )
    p = create_sample_project(where)
    yield p
    p.close()
