"""TLS (sslmode), and credentials that never reach the project, its exports or the logs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.server import ServerAddress, ServerUnavailableError, redact
from annotator.services.project import Project
from annotator.storage.pg_listen import connect_kwargs
from tests.pgcluster import TempCluster, find_bindir


@pytest.fixture
def tls_cluster():
    bindir = find_bindir()
    if bindir is None or shutil.which("openssl") is None:
        pytest.skip("PostgreSQL server binaries or openssl are not installed")
    cluster = TempCluster(bindir)
    try:
        cluster.init()
        cert = cluster.enable_tls()
        cluster.start()
        yield cluster, cert
    finally:
        cluster.destroy()


def test_verify_full_uses_tls_and_an_unverifiable_server_is_refused(tls_cluster, tmp_path):
    cluster, cert = tls_cluster
    url = cluster.create_database("tls")
    secure = f"{url}?sslmode=verify-full&sslrootcert={cert}"
    p = Project.create(secure)
    try:
        with p.db.engine.connect() as conn:
            ssl = conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            assert ssl.scalar() is True
        assert "sslmode=verify-full" in str(p.path)
        assert cluster.password not in str(p.path) and cluster.password not in repr(p.db)
    finally:
        p.close()
    assert connect_kwargs(secure)["sslmode"] == "verify-full"

    # verify-full checks the host name: the same server reached as "localhost" is refused.
    wrong_host = secure.replace("127.0.0.1", "localhost")
    with pytest.raises(ServerUnavailableError) as err:
        Project.open(wrong_host)
    assert "localhost" in str(err.value) and cluster.password not in str(err.value)


def test_password_never_reaches_the_file_exports_or_logs(tmp_path: Path, pg_database, caplog):
    import zipfile

    from annotator.services.export_dispatch import ExportRequest, run_export
    from annotator.services.project import create_sample_project
    from annotator.services.team_transfer import pull, push

    local = tmp_path / "sample.annotator"
    create_sample_project(local).close()
    url = pg_database()
    secret = url.split(":", 2)[2].split("@", 1)[0]
    assert len(secret) > 8 and secret in url
    push(local, url)
    snapshot = tmp_path / "snap.annotator"
    out = tmp_path / "out"
    out.mkdir()
    with caplog.at_level("DEBUG"):
        p = Project.open(url)
        try:
            assert secret not in str(p.path) and secret not in p.info().path
            for fmt, suffix in (
                ("csv", ".csv"),
                ("jsonl", ".jsonl"),
                ("html", ".html"),
                ("xlsx", ".xlsx"),
                ("qdpx", ".qdpx"),
                ("codebook-html", ".html"),
            ):
                run_export(p, ExportRequest(fmt, out / f"{fmt}{suffix}"))
        finally:
            p.close()
        pull(url, snapshot)
    assert secret not in caplog.text
    assert secret.encode() not in snapshot.read_bytes()
    for f in out.iterdir():
        blobs = [f.read_bytes()]
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                blobs += [z.read(n) for n in z.namelist()]
        assert all(secret.encode() not in b for b in blobs), f.name
    assert redact(url) == str(ServerAddress(url)) and secret not in redact(url)
