"""Setting up a team project on a PostgreSQL server: logins, roles, the blind phase.

The administrator (the database's owner) runs :func:`init_server` once and
:func:`add_member` for each person; from then on the server enforces who may change what
(see :mod:`annotator.storage.team_roles`). Passwords are generated here when none is given,
shown once to the administrator, and never written anywhere by annotator.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from annotator.domain.errors import ValidationError
from annotator.domain.model import new_id, utcnow
from annotator.domain.server import ServerError, redact
from annotator.services.project import Project
from annotator.storage import team_roles
from annotator.storage.models import CoderRow, ProjectRow
from annotator.storage.postgres import ServerDatabase, explain

_LOGIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Member:
    """A person's login on a team project; ``password`` is set only when just created."""

    login: str
    coder: str
    role: str
    url: str  # where they connect, without the password
    password: str | None = None


@dataclass(frozen=True)
class Membership:
    """Who the connected login is on this team project."""

    login: str
    coder_id: uuid.UUID
    coder: str
    role: str
    blind: bool


def login_for(name: str) -> str:
    """A PostgreSQL login derived from a person's name ("Ann Lee" -> "ann_lee")."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not slug or slug[0].isdigit():
        slug = f"coder_{slug}"
    return slug[:63]


def member_url(url: str, login: str) -> str:
    """``url`` with ``login`` as its user and no password."""
    parts = urlsplit(redact(url))
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(login, safe='')}@{host}"))


def _ensure_coder(db: ServerDatabase, name: str) -> uuid.UUID:
    with db.transaction() as s:
        row = s.scalars(select(CoderRow).where(CoderRow.name == name)).first()
        if row is None:
            row = CoderRow(id=new_id(), name=name, created_at=utcnow())
            s.add(row)
            s.flush()
        return row.id


def init_server(
    url: str,
    lead: str,
    *,
    login: str | None = None,
    password: str | None = None,
    project_name: str | None = None,
) -> Member:
    """Create the schema (and a new project unless one was pushed), roles and policies.

    Run as the database's owner. Safe to run again: it refreshes grants and policies (for
    example after an upgrade added tables) and resets the lead's password when given.
    """
    db = ServerDatabase.open(url, create=True)
    try:
        with db.reader() as s:
            has_project = s.scalars(select(ProjectRow.id)).first() is not None
    finally:
        db.close()
    if not has_project:
        Project.create(url, name=project_name).close()
    db = ServerDatabase.open(url)
    try:
        try:
            with db.engine.begin() as conn:
                team_roles.install(conn)
        except DBAPIError as exc:
            raise explain(url, exc) from exc
        return _add(db, url, lead, "lead", login, password)
    finally:
        db.close()


def add_member(
    url: str,
    name: str,
    *,
    role: str = "coder",
    login: str | None = None,
    password: str | None = None,
) -> Member:
    """Create (or update) the login of the coder called ``name`` with ``role``."""
    db = ServerDatabase.open(url)
    try:
        with db.engine.connect() as conn:
            if not team_roles.is_installed(conn):
                raise ServerError(url, "this project has no team roles yet; run `server init`.")
        return _add(db, url, name, role, login, password)
    finally:
        db.close()


def _add(
    db: ServerDatabase, url: str, name: str, role: str, login: str | None, password: str | None
) -> Member:
    name = name.strip()
    if not name:
        raise ValidationError("A coder needs a name.")
    if role not in team_roles.ROLES:
        raise ValidationError(f"Unknown role {role!r}; choose coder, editor or lead.")
    login = login or login_for(name)
    if not _LOGIN.match(login):
        raise ValidationError(
            f"'{login}' cannot be a login: use lower-case letters, digits and underscores."
        )
    generated = password is None
    password = password if password is not None else secrets.token_urlsafe(15)
    coder_id = _ensure_coder(db, name)
    try:
        with db.engine.begin() as conn:
            team_roles.add_login(conn, login, role, password, coder_id)
    except DBAPIError as exc:
        raise explain(url, exc) from exc
    return Member(login, name, role, member_url(url, login), password if generated else None)


def membership(project: Project) -> Membership | None:
    """Who this connection is on the team project (None for a file or a non-member)."""
    db = project.db
    if not isinstance(db, ServerDatabase):
        return None
    with db.engine.connect() as conn:
        mine = team_roles.my_membership(conn)
        if mine is None:
            return None
        blind = team_roles.get_setting(conn, "blind") == "on"
    login, coder_id, role = mine
    coder = next(c for c in project.coders.list() if c.id == coder_id)
    return Membership(login, coder_id, coder.name, role, blind)


def set_blind(project: Project, on: bool) -> None:
    """Start or end the blind phase (the server lets only the lead do it)."""
    db = project.db
    if not isinstance(db, ServerDatabase):
        raise ValidationError("The blind phase exists only for team projects on a server.")
    try:
        with db.engine.begin() as conn:
            team_roles.set_setting(conn, "blind", "on" if on else "off")
    except DBAPIError as exc:
        raise explain(db.path, exc) from exc
