"""A team project on the test server: a lead, two coders and a codebook editor."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import pytest

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.project import Project
from annotator.services.team import add_member, init_server

TEXT = "Councils need money. Whitehall must let go. Communities should decide."


@dataclass
class Team:
    """The team project's addresses and people (login -> password)."""

    admin_url: str
    port: int
    database: str
    passwords: dict[str, str]
    doc_id: object
    code_id: object
    coders: dict[str, object]  # login -> coder id

    def url(self, login: str, password: str | None = None) -> str:
        secret = self.passwords[login] if password is None else password
        return f"postgresql://{login}:{secret}@127.0.0.1:{self.port}/{self.database}"

    def connect(self, login: str) -> psycopg.Connection:
        """A plain psycopg connection as ``login`` (autocommit: each statement stands alone)."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            dbname=self.database,
            user=login,
            password=self.passwords[login],
            autocommit=True,
        )


@pytest.fixture
def team(pg_database, pg_cluster) -> Team:
    """Lena (lead), Ann and Bo (coders), Ed (editor); Ann and Bo have each coded once."""
    admin_url = pg_database()
    database = admin_url.rsplit("/", 1)[1]
    lead = init_server(admin_url, "Lena Lead", password="lena-pw")
    members = [lead]
    for name, role in (("Ann", "coder"), ("Bo", "coder"), ("Ed Editor", "editor")):
        members.append(add_member(admin_url, name, role=role, password=f"{name[:2].lower()}-pw"))
    passwords = {
        m.login: ("lena-pw" if m.role == "lead" else f"{m.coder[:2].lower()}-pw") for m in members
    }
    p = Project.open(admin_url)
    try:
        doc_id = p.documents.add(
            ExtractedDocument(TEXT, (), (), DocumentMetadata(title="Doc"), "text")
        )
        code_id = next(c.id for c in p.codebook.list() if c.codable)
        coders = {m.login: p.coders.find(m.coder).id for m in members}
        for login, phrase in (("ann", "Councils need money."), ("bo", "Whitehall must let go.")):
            start = TEXT.index(phrase)
            p.codings.add(
                Coding(new_id(), doc_id, code_id, coders[login], start, start + len(phrase), phrase)
            )
    finally:
        p.close()
    return Team(admin_url, pg_cluster.port, database, passwords, doc_id, code_id, coders)
