"""The team commands end to end: push a file, init roles, add a coder, pull a snapshot."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg

from annotator.cli import main
from annotator.services.project import Project


def test_push_init_add_coder_pull(tmp_path: Path, pg_database, pg_cluster, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)
    url = pg_database(password="")  # the password comes from PGPASSWORD, as documented
    project = tmp_path / "p.annotator"
    assert main(["new", str(project), "--name", "Local"]) == 0
    assert main(["push", str(project), url]) == 0
    assert "Copied" in capsys.readouterr().out

    assert main(["server", "init", url, "--lead", "Lena Lead"]) == 0
    out = capsys.readouterr().out
    assert "login lena_lead" in out and "Password (shown once" in out
    lead_password = out.rsplit(": ", 1)[1].strip()

    monkeypatch.setattr("sys.stdin", io.StringIO("ann-secret\n"))
    assert main(["server", "add-coder", url, "Ann", "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "login ann" in out and "ann-secret" not in out

    with psycopg.connect(
        host="127.0.0.1",
        port=pg_cluster.port,
        dbname=url.rsplit("/", 1)[1],
        user="lena_lead",
        password=lead_password,
    ) as conn:
        assert conn.execute("SELECT annotator_my_role()").fetchone()[0] == "lead"

    monkeypatch.setenv("PGPASSWORD", "ann-secret")
    ann_url = url.replace("annotator_admin@", "ann@")
    assert main(["server", "blind", ann_url, "on"]) == 2
    assert "may not do this" in capsys.readouterr().err
    out_file = tmp_path / "snapshot.annotator"
    assert main(["pull", ann_url, str(out_file)]) == 0
    snap = Project.open(out_file)
    try:
        assert snap.info().name == "Local"
        assert {c.name for c in snap.coders.list()} == {"Lena Lead", "Ann"}
    finally:
        snap.close()


def test_wrong_password_is_a_clear_message_without_the_secret(tmp_path, pg_database, capsys):
    url = pg_database(password="wrong-secret")
    assert main(["pull", url, str(tmp_path / "x.annotator")]) == 2
    err = capsys.readouterr().err
    assert "wrong user name or password" in err
    assert "wrong-secret" not in err
    assert list(tmp_path.iterdir()) == []
