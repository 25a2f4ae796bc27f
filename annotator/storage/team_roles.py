"""Roles, grants and row-level security of a team project (PostgreSQL only).

The server, not the client, decides who may do what. Three group roles per database
(``<db>_coder``, ``<db>_editor``, ``<db>_lead``, each inheriting the one before) carry the
grants; each person's login is a member of one of them and is mapped to a coder row by
``team_member``. Row-level security on ``coding`` lets a coder write only their own rows
and, while the lead has switched on the blind phase, read only their own rows: a coder
connecting with psql and their own password sees no one else's codings.

These objects are created by ``annotator server init`` and are not part of the Alembic
schema: a project file has no logins, so push and pull carry only the project's tables.
Everything here is idempotent, so ``server init`` can run again after an upgrade to grant
on new tables. Identifiers are quoted by psycopg's ``sql.Identifier``; values are bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import Connection, inspect, text

from annotator.storage.models import Base

ROLES = ("coder", "editor", "lead")

# Tables whose rows belong to one coder: a coder writes only their own, and during a blind
# phase reads only their own (a coding's field values and links say what it is).
OWN_ROW_TABLES = ("coding", "coding_field_value", "coding_link")
# The codebook: only editors and the lead change it (merges, splits, versions).
CODEBOOK_TABLES = ("code", "codebook_version", "codebook_change")

_FUNCTIONS = """
CREATE TABLE IF NOT EXISTS team_member (
    login text PRIMARY KEY,
    coder_id uuid NOT NULL REFERENCES coder(id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('coder', 'editor', 'lead'))
);
CREATE TABLE IF NOT EXISTS team_setting (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO team_setting (key, value) VALUES ('blind', 'off') ON CONFLICT (key) DO NOTHING;

CREATE OR REPLACE FUNCTION annotator_my_coder() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT coder_id FROM team_member WHERE login = session_user $$;
CREATE OR REPLACE FUNCTION annotator_my_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT role FROM team_member WHERE login = session_user $$;
CREATE OR REPLACE FUNCTION annotator_blind() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT coalesce((SELECT value = 'on' FROM team_setting WHERE key = 'blind'), false) $$;
"""

# Change notifications (LISTEN annotator): what changed, never whose or what text, so a
# blind coder's window learns only that a document's codings changed, not by whom.
CHANNEL = "annotator"
_NOTIFY = """
CREATE OR REPLACE FUNCTION annotator_notify() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        PERFORM pg_notify('annotator', json_build_object(
            'table', TG_TABLE_NAME, 'op', lower(TG_OP),
            'document', CASE WHEN TG_OP = 'DELETE' THEN OLD.document_id ELSE NEW.document_id END
        )::text);
    ELSE
        PERFORM pg_notify('annotator', json_build_object(
            'table', TG_TABLE_NAME, 'op', lower(TG_OP))::text);
    END IF;
    RETURN NULL;
END $$;
"""
# Row-level for codings (the document is named); statement-level for the rest.
NOTIFY_ROW_TABLES = ("coding",)
NOTIFY_STATEMENT_TABLES = ("code", "codebook_version", "document", "coder", "document_group")

_TRUSTED = "coalesce(annotator_my_role() IN ('lead', 'editor'), false)"
_MINE = "coder_id = annotator_my_coder()"


@dataclass(frozen=True)
class GroupRoles:
    """The three group role names of one database."""

    coder: str
    editor: str
    lead: str

    @classmethod
    def for_database(cls, database: str) -> GroupRoles:
        """``<db>_coder`` etc.; PostgreSQL role names are global, so the database prefixes."""
        base = database[:50]
        return cls(f"{base}_coder", f"{base}_editor", f"{base}_lead")

    def of(self, role: str) -> str:
        """The group role for ``role`` ('coder', 'editor' or 'lead')."""
        if role not in ROLES:
            raise ValueError(f"unknown team role {role!r}")
        return getattr(self, role)


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def setup_statements(
    database: str, tables: list[str], sequences: list[str], existing_roles: set[str]
) -> list[sql.Composable]:
    """Every statement that (re)creates the team objects of ``database``; idempotent."""
    groups = GroupRoles.for_database(database)
    out: list[sql.Composable] = [sql.SQL(_FUNCTIONS)]
    for name in (groups.coder, groups.editor, groups.lead):
        if name not in existing_roles:
            out.append(sql.SQL("CREATE ROLE {} NOLOGIN").format(_ident(name)))
    out += [
        sql.SQL("GRANT {} TO {}").format(_ident(groups.coder), _ident(groups.editor)),
        sql.SQL("GRANT {} TO {}").format(_ident(groups.editor), _ident(groups.lead)),
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(_ident(database)),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            _ident(database), _ident(groups.coder)
        ),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(_ident(groups.coder)),
    ]
    everything = [*tables, "team_member", "team_setting", "alembic_version"]
    for table in everything:
        out.append(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(_ident(table)))
        out.append(sql.SQL("GRANT SELECT ON {} TO {}").format(_ident(table), _ident(groups.coder)))
    for table in tables:
        if table in OWN_ROW_TABLES:
            grantee = groups.coder
        elif table in CODEBOOK_TABLES:
            grantee = groups.editor
        else:
            grantee = groups.lead
        out.append(
            sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                _ident(table), _ident(grantee)
            )
        )
    out.append(sql.SQL("GRANT UPDATE ON team_setting TO {}").format(_ident(groups.lead)))
    for seq in sequences:
        out.append(
            sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
                _ident(seq), _ident(groups.lead)
            )
        )
    for table in OWN_ROW_TABLES:
        out += _row_policies(table)
    out.append(sql.SQL(_NOTIFY))
    for table in (*NOTIFY_ROW_TABLES, *NOTIFY_STATEMENT_TABLES):
        if table not in tables:
            continue
        level = "ROW" if table in NOTIFY_ROW_TABLES else "STATEMENT"
        out.append(sql.SQL("DROP TRIGGER IF EXISTS annotator_notify ON {}").format(_ident(table)))
        out.append(
            sql.SQL(
                "CREATE TRIGGER annotator_notify AFTER INSERT OR UPDATE OR DELETE ON {} "
                "FOR EACH " + level + " EXECUTE FUNCTION annotator_notify()"
            ).format(_ident(table))
        )
    return out


def _row_policies(table: str) -> list[sql.Composable]:
    t = _ident(table)
    read = f"{_TRUSTED} OR {_MINE} OR NOT annotator_blind()"
    write = f"{_TRUSTED} OR {_MINE}"
    policies = {
        "annotator_read": f"FOR SELECT USING ({read})",
        "annotator_insert": f"FOR INSERT WITH CHECK ({write})",
        "annotator_update": f"FOR UPDATE USING ({write}) WITH CHECK ({write})",
        "annotator_delete": f"FOR DELETE USING ({write})",
    }
    out: list[sql.Composable] = [sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t)]
    for name, body in policies.items():
        out.append(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(_ident(name), t))
        out.append(sql.SQL("CREATE POLICY {} ON {} " + body).format(_ident(name), t))
    return out


def login_statements(
    login: str, role: str, password: str, groups: GroupRoles, exists: bool
) -> list[sql.Composable]:
    """Create (or update) ``login`` with ``password`` as a member of ``role``'s group only.

    ``CREATE ROLE ... PASSWORD`` takes no bound parameter, so the password is quoted as a
    literal by psycopg; it is never logged by us (the server logs statements only when
    its administrator asks for ``log_statement``).
    """
    verb = "ALTER" if exists else "CREATE"
    out: list[sql.Composable] = [
        sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(_ident(login), sql.Literal(password))
    ]
    for other in ROLES:
        if other != role:
            out.append(sql.SQL("REVOKE {} FROM {}").format(_ident(groups.of(other)), _ident(login)))
    out.append(sql.SQL("GRANT {} TO {}").format(_ident(groups.of(role)), _ident(login)))
    return out


def _execute(conn: Connection, statements: list[sql.Composable]) -> None:
    raw = conn.connection.driver_connection  # the psycopg connection, same transaction
    for stmt in statements:
        raw.execute(stmt)


def install(conn: Connection) -> None:
    """Create or refresh the team objects of the connected database (run by its owner)."""
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    tables = sorted(t for t in Base.metadata.tables if inspect(conn).has_table(t))
    sequences = list(
        conn.execute(
            text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = 'public' ORDER BY 1"
            )
        ).scalars()
    )
    existing = set(conn.execute(text("SELECT rolname FROM pg_roles")).scalars())
    _execute(conn, setup_statements(database, tables, sequences, existing))


def add_login(conn: Connection, login: str, role: str, password: str, coder_id: object) -> None:
    """Give ``login`` (created when new) ``role`` and map it to the coder ``coder_id``."""
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    exists = (
        conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first()
        is not None
    )
    _execute(
        conn, login_statements(login, role, password, GroupRoles.for_database(database), exists)
    )
    conn.execute(
        text(
            "INSERT INTO team_member (login, coder_id, role) VALUES (:l, :c, :r) "
            "ON CONFLICT (login) DO UPDATE SET coder_id = :c, role = :r"
        ),
        {"l": login, "c": coder_id, "r": role},
    )


def is_installed(conn: Connection) -> bool:
    """True when ``server init`` has run on the connected database."""
    return inspect(conn).has_table("team_member")


def my_membership(conn: Connection) -> tuple[str, object, str] | None:
    """(login, coder id, role) of the connected login, or None when it is not a member."""
    if not is_installed(conn):
        return None
    row = conn.execute(
        text("SELECT login, coder_id, role FROM team_member WHERE login = session_user")
    ).first()
    return (row[0], row[1], row[2]) if row else None


def set_setting(conn: Connection, key: str, value: str) -> None:
    """Change a team setting (the server lets only the lead do it)."""
    conn.execute(text("UPDATE team_setting SET value = :v WHERE key = :k"), {"k": key, "v": value})


def get_setting(conn: Connection, key: str) -> str | None:
    """A team setting, or None."""
    if not is_installed(conn):
        return None
    return conn.execute(
        text("SELECT value FROM team_setting WHERE key = :k"), {"k": key}
    ).scalar_one_or_none()
