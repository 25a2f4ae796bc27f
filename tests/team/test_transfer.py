"""Push a project file to the server and pull it back: every table comes back the same."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from annotator.domain.errors import ProjectFileError
from annotator.domain.model import Coding, new_id
from annotator.domain.server import ServerError
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, ExtractedDocument, Page
from annotator.services.project import Project, create_sample_project
from annotator.services.team import add_member, init_server
from annotator.services.team_transfer import project_tables, pull, push
from annotator.storage.mapping import aware

TEXT = "Heading\nFirst paragraph, about councils.\nSecond paragraph: café, 東京, emoji 🙂.\n"


def _rich_project(path: Path) -> Project:
    """The sample plus a document with blocks, pages, attributes, a frozen version, a group."""
    p = create_sample_project(path)
    p.documents.add(
        ExtractedDocument(
            TEXT,
            (Block(BlockKind.HEADING, 0, 7, 1), Block(BlockKind.PARAGRAPH, 8, 40)),
            (Page(1, 0, 40, "i"), Page(2, 40, len(TEXT), "ii")),
            DocumentMetadata(title="Rich", author="A. Author", attributes={"type": "report"}),
            "markdown",
            original=b"# Heading\r\n\x00binary-ish original bytes\xff",
            original_name="rich.md",
        )
    )
    coder = p.coders.ensure("Sample coder A")
    p.codebook.versions.freeze("v1", coder.id, note="first")
    doc = next(d for d in p.documents.list() if d.title == "Rich")
    code = next(c for c in p.codebook.list() if c.codable)
    p.codings.add(Coding(new_id(), doc.id, code.id, coder.id, 8, 13, "First", memo="after v1"))
    return p


def _tables(path: Path) -> dict[str, list[tuple]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            out = {}
            for table in project_tables():
                rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
                out[table.name] = [
                    tuple(aware(v) if isinstance(v, datetime) else v for v in r) for r in rows
                ]
            return out
    finally:
        engine.dispose()


def test_push_then_pull_gives_back_every_table(tmp_path: Path, pg_database):
    original = tmp_path / "original.annotator"
    _rich_project(original).close()
    url = pg_database()
    report = push(original, url)
    assert report.rows["coding"] > 20 and report.rows["document_block"] > 2

    on_server = Project.open(url)
    local = Project.open(original)
    try:
        assert on_server.codings.all() == local.codings.all()
        assert sorted(on_server.codebook.list(), key=str) == sorted(local.codebook.list(), key=str)
        assert on_server.codebook.versions.changes() == local.codebook.versions.changes()
        rich = next(d for d in on_server.documents.list() if d.title == "Rich")
        assert on_server.documents.original_file(rich.id) == local.documents.original_file(rich.id)
    finally:
        local.close()

    back = tmp_path / "back.annotator"
    pull(url, back)
    before, after = _tables(original), _tables(back)
    assert set(before) == set(after)
    for name in before:
        assert after[name] == before[name], name
    assert sum(map(len, before.values())) > 100

    # The server keeps working after explicit ids were inserted (serial counters moved on).
    try:
        on_server.documents.add(
            ExtractedDocument(
                "Another.\nText.\n",
                (Block(BlockKind.PARAGRAPH, 0, 8),),
                (),
                DocumentMetadata(title="Later"),
                "text",
            )
        )
        assert "Later" in {d.title for d in on_server.documents.list()}
    finally:
        on_server.close()


def test_push_refuses_a_database_with_a_project(tmp_path: Path, pg_database):
    url = pg_database()
    Project.create(url).close()
    src = tmp_path / "p.annotator"
    Project.create(src).close()
    with pytest.raises(ServerError, match="already holds a project"):
        push(src, url)
    p = Project.open(url)
    try:
        assert len(p.codebook.list()) == len(Project.open(src).codebook.list())
    finally:
        p.close()


def test_pull_never_overwrites_and_leaves_nothing_on_failure(tmp_path: Path, pg_database):
    url = pg_database()
    Project.create(url).close()
    existing = tmp_path / "exists.annotator"
    existing.write_bytes(b"keep me")
    with pytest.raises(ProjectFileError, match="already exists"):
        pull(url, existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(ServerError):
        pull(url.rsplit("/", 1)[0] + "/no_such_db", tmp_path / "new.annotator")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.annotator"]


def test_blind_coder_pulls_only_their_own_codings(tmp_path: Path, pg_database, pg_cluster):
    original = tmp_path / "sample.annotator"
    create_sample_project(original).close()
    url = pg_database()
    push(original, url)
    init_server(url, "Lena", password="lena-pw")
    add_member(url, "Sample coder A", login="ann", password="ann-pw")
    lead = Project.open(url.replace(f"annotator_admin:{pg_cluster.password}", "lena:lena-pw"))
    try:
        from annotator.services.team import set_blind

        set_blind(lead, True)
        ann_id = lead.coders.find("Sample coder A").id
        theirs = [c for c in lead.codings.all() if c.coder_id == ann_id]
        assert theirs and len(theirs) < len(lead.codings.all())
    finally:
        lead.close()
    snapshot = tmp_path / "ann.annotator"
    pull(url.replace(f"annotator_admin:{pg_cluster.password}", "ann:ann-pw"), snapshot)
    mine = Project.open(snapshot)
    try:
        assert mine.codings.all() == theirs
        assert len(mine.documents.list()) == 5
    finally:
        mine.close()


def test_backup_and_restore_with_pg_dump(tmp_path: Path, pg_database, pg_cluster):
    """docs/team.md's backup and restore, as written there: pg_dump -Fc, then pg_restore."""
    import os
    import subprocess

    original = tmp_path / "sample.annotator"
    create_sample_project(original).close()
    url = pg_database()
    push(original, url)
    init_server(url, "Lena", password="lena-pw")
    dump = tmp_path / "team.dump"
    env = {**os.environ, "PGPASSWORD": pg_cluster.password}
    common = ["-h", "127.0.0.1", "-p", str(pg_cluster.port), "-U", "annotator_admin"]
    database = url.rsplit("/", 1)[1]
    subprocess.run(
        [str(pg_cluster.bindir / "pg_dump"), *common, "-Fc", "-f", str(dump), database],
        check=True,
        env=env,
    )
    restored = pg_database().rsplit("/", 1)[1]
    # pg_database copies the template (schema at head): restore into an empty one instead.
    pg_cluster.drop_database(restored)
    pg_cluster.create_database(restored)
    subprocess.run(
        [str(pg_cluster.bindir / "pg_restore"), *common, "-d", restored, str(dump)],
        check=True,
        env=env,
    )
    a, b = tmp_path / "a.annotator", tmp_path / "b.annotator"
    pull(url, a)
    pull(pg_cluster.url(restored), b)
    assert _tables(a) == _tables(b)
    with pg_cluster.admin(restored) as conn:
        policies = conn.execute("SELECT count(*) FROM pg_policies WHERE tablename = 'coding'")
        assert policies.fetchone()[0] == 4
