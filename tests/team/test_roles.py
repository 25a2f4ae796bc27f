"""Roles enforced by the server: each login tries, with plain SQL, what it may not do."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import errors

from annotator.domain.model import Code, Coding, new_id
from annotator.domain.server import PermissionRefusedError, ServerUnavailableError
from annotator.services.project import Project
from annotator.services.team import membership, set_blind
from tests.team.conftest import TEXT, Team

NOW = "2026-12-04T12:00:00+00:00"


def _insert_coding(conn: psycopg.Connection, team: Team, coder_login: str) -> uuid.UUID:
    cid = uuid.uuid4()
    conn.execute(
        'INSERT INTO coding (id, document_id, code_id, coder_id, start, "end", quote, memo,'
        " created_at, modified_at) VALUES (%s, %s, %s, %s, 0, 8, 'Councils', '', %s, %s)",
        (cid, team.doc_id, team.code_id, team.coders[coder_login], NOW, NOW),
    )
    return cid


def _codings_of(conn: psycopg.Connection, team: Team, login: str) -> list[tuple]:
    return conn.execute(
        "SELECT id, memo FROM coding WHERE coder_id = %s ORDER BY id", (team.coders[login],)
    ).fetchall()


def test_coder_writes_own_codings_only(team: Team):
    with team.connect("ann") as ann:
        mine = _insert_coding(ann, team, "ann")
        ann.execute("UPDATE coding SET memo = 'mine' WHERE id = %s", (mine,))
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            _insert_coding(ann, team, "bo")
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            ann.execute("UPDATE coding SET coder_id = %s WHERE id = %s", (team.coders["bo"], mine))
        bo_before = _codings_of(ann, team, "bo")
        assert len(bo_before) == 1  # visible outside the blind phase...
        changed = ann.execute(
            "UPDATE coding SET memo = 'hacked' WHERE coder_id = %s", (team.coders["bo"],)
        )
        assert changed.rowcount == 0  # ...but not writable
        deleted = ann.execute("DELETE FROM coding WHERE coder_id = %s", (team.coders["bo"],))
        assert deleted.rowcount == 0
    with team.connect("lena_lead") as lead:
        assert _codings_of(lead, team, "bo") == bo_before
        assert "mine" in {m for _i, m in _codings_of(lead, team, "ann")}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE code SET name = 'renamed'",
        "DELETE FROM code",
        "INSERT INTO codebook_version (id, name, created_at, note, snapshot)"
        " VALUES (gen_random_uuid(), 'v9', now(), '', '{{}}')",
        "DELETE FROM codebook_change",
        "UPDATE document SET title = 'x'",
        "DELETE FROM document",
        "INSERT INTO coder (id, name, created_at) VALUES (gen_random_uuid(), 'Eve', now())",
        "UPDATE project SET name = 'x'",
        "UPDATE team_setting SET value = 'off'",
        "UPDATE team_member SET role = 'lead'",
        "INSERT INTO team_member (login, coder_id, role) SELECT 'ann', id, 'lead' FROM coder",
        "CREATE TABLE mine (x int)",
        "SET ROLE {db}_lead",
        "GRANT {db}_lead TO ann",
        "ALTER TABLE coding DISABLE ROW LEVEL SECURITY",
    ],
)
def test_coder_is_refused_everything_else(team: Team, statement: str):
    with team.connect("ann") as ann, pytest.raises(errors.InsufficientPrivilege):
        ann.execute(statement.format(db=team.database))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE document SET title = 'x'",
        "INSERT INTO coder (id, name, created_at) VALUES (gen_random_uuid(), 'Eve', now())",
        "UPDATE team_setting SET value = 'on'",
        "UPDATE team_member SET role = 'lead'",
        "SET ROLE {db}_lead",
    ],
)
def test_editor_is_refused_what_only_the_lead_may_do(team: Team, statement: str):
    with team.connect("ed_editor") as ed, pytest.raises(errors.InsufficientPrivilege):
        ed.execute(statement.format(db=team.database))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE team_member SET role = 'coder' WHERE login = 'ann'",
        "DELETE FROM team_member",
        "CREATE ROLE intruder LOGIN",
        "GRANT {db}_lead TO ann",
        "ALTER TABLE coding DISABLE ROW LEVEL SECURITY",
        "DROP POLICY annotator_read ON coding",
        "DROP TABLE coding",
    ],
)
def test_lead_is_refused_what_only_the_owner_may_do(team: Team, statement: str):
    with team.connect("lena_lead") as lead, pytest.raises(errors.InsufficientPrivilege):
        lead.execute(statement.format(db=team.database))


def test_editor_changes_codebook_and_others_codings(team: Team):
    with team.connect("ed_editor") as ed:
        assert ed.execute("UPDATE code SET memo = 'edited' WHERE id = %s", (team.code_id,)).rowcount
        moved = ed.execute(
            "UPDATE coding SET memo = 'merged' WHERE coder_id = %s", (team.coders["bo"],)
        )
        assert moved.rowcount == 1


def test_blind_phase_hides_others_codings_even_from_raw_sql(team: Team):
    lead = Project.open(team.url("lena_lead"))
    try:
        set_blind(lead, True)
        assert membership(lead).blind
    finally:
        lead.close()
    with team.connect("ann") as ann:
        rows = ann.execute("SELECT coder_id FROM coding").fetchall()
        assert {r[0] for r in rows} == {team.coders["ann"]}
        assert ann.execute("SELECT count(*) FROM coding").fetchone()[0] == 1
        assert _codings_of(ann, team, "bo") == []
        # Nor through the quote of a document, a join, or by turning security off.
        with pytest.raises(errors.InsufficientPrivilege):
            ann.execute("SET row_security = off; SELECT * FROM coding")
    with team.connect("ed_editor") as ed:
        assert ed.execute("SELECT count(*) FROM coding").fetchone()[0] == 2
    coder = Project.open(team.url("bo"))
    try:
        assert {c.coder_id for c in coder.codings.all()} == {team.coders["bo"]}
        with pytest.raises(PermissionRefusedError):
            set_blind(coder, False)
    finally:
        coder.close()
    lead = Project.open(team.url("lena_lead"))
    try:
        set_blind(lead, False)
        assert len(lead.codings.all()) == 2
    finally:
        lead.close()
    with team.connect("ann") as ann:
        assert ann.execute("SELECT count(*) FROM coding").fetchone()[0] == 2


def test_services_report_refusals_clearly(team: Team):
    p = Project.open(team.url("ann"))
    try:
        me = membership(p)
        assert (me.login, me.coder, me.role) == ("ann", "Ann", "coder")
        start = TEXT.index("Communities")
        mine = Coding(
            new_id(), team.doc_id, team.code_id, me.coder_id, start, start + 11, "Communities"
        )
        p.codings.add(mine)
        theirs = mine.with_changes(id=new_id(), coder_id=team.coders["bo"])
        with pytest.raises(PermissionRefusedError, match=r"role .* may not"):
            p.codings.add(theirs)
        with pytest.raises(PermissionRefusedError):
            p.codebook.add(Code(new_id(), "Sneaky", "#123456"))
        assert mine in p.codings.all()
        assert theirs not in p.codings.all()
        assert "Sneaky" not in {c.name for c in p.codebook.list()}
    finally:
        p.close()


def test_wrong_password_and_refused_connection_are_explained(team: Team, pg_cluster):
    with pytest.raises(ServerUnavailableError, match="wrong user name or password") as err:
        Project.open(team.url("ann", password="not-it"))
    assert "not-it" not in str(err.value)
    from tests.pgcluster import free_port

    nobody = f"postgresql://ann:secret@127.0.0.1:{free_port()}/{team.database}"
    with pytest.raises(ServerUnavailableError, match="refused the connection") as err:
        Project.open(nobody)
    assert "secret" not in str(err.value)


def test_only_the_owner_upgrades_the_schema(team: Team):
    from annotator.domain.server import ServerError
    from annotator.services.team import init_server

    with psycopg.connect(team.admin_url, autocommit=True) as admin:
        admin.execute("UPDATE alembic_version SET version_num = '0009'")
    with pytest.raises(ServerError, match="only its owner may run"):
        Project.open(team.url("ann"))
    with team.connect("ann") as ann:
        assert ann.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0009"
    init_server(team.admin_url, "Lena Lead", password="lena-pw")  # the owner upgrades
    Project.open(team.url("ann")).close()
