"""The PostgreSQL backend: a team project held by a server (psycopg 3).

:class:`ServerDatabase` offers what :class:`annotator.storage.database.Database` offers a
service (``transaction``, ``reader``, ``read_only``, ``path``, ``engine``, ``close``), so
every service runs unchanged on either backend. The schema and its Alembic migrations are
the same; only what a server adds (logins, roles, row-level security) lives elsewhere
(:mod:`annotator.storage.team_roles`).

Server errors become messages a user can act on: a wrong password, a refused or lost
connection, or a change the login's role may not make. The password is passed to libpq
beside the URL, never inside anything we print or log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from annotator.domain.server import (
    PermissionRefusedError,
    ServerAddress,
    ServerError,
    ServerUnavailableError,
)
from annotator.storage.database import head_revision, known_revisions

CONNECT_TIMEOUT_S = 5
# Serialises migrations of one database when several clients open it at once.
MIGRATION_LOCK = 0x616E6E6F  # "anno"

# SQLSTATE classes and codes that mean "the connection is gone or was refused".
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
_PRIVILEGE_STATES = {"42501"}


def _alembic_config() -> Config:
    # The same migrations as a project file (storage/migrations), on this connection.
    # Alembic is imported here, not at start-up (opening a project does not need it).
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("annotator.storage") / "migrations"))
    return cfg


def engine_url(url: str) -> URL:
    """``url`` as an SQLAlchemy URL using the psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # ArgumentError and ValueError: a malformed address
        raise ServerError(url, f"this is not a valid server address ({exc}).") from exc
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise ServerError(url, "only PostgreSQL servers are supported (postgresql://...).")
    return parsed.set(drivername="postgresql+psycopg")


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def explain(address: str, exc: BaseException) -> ServerError:
    """A user-facing error for a driver error ``exc`` raised while talking to ``address``."""
    state = _sqlstate(exc) or ""
    orig = getattr(exc, "orig", exc)
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    lowered = str(orig).lower()
    if state in _PRIVILEGE_STATES:
        return PermissionRefusedError(
            address,
            f"your role on this team project may not do this ({detail}). Nothing was saved.",
        )
    if "password authentication failed" in lowered or state == "28P01":
        return ServerUnavailableError(
            address, "the server refused the login: wrong user name or password."
        )
    if "no password supplied" in lowered:
        return ServerUnavailableError(address, "the server asks for a password and none was given.")
    if "does not exist" in lowered and state in ("3D000", ""):
        return ServerUnavailableError(address, f"the server has no such database ({detail}).")
    if "connection refused" in lowered:
        return ServerUnavailableError(
            address,
            "the server refused the connection: is PostgreSQL running there and accepting "
            "connections on this host and port?",
        )
    if isinstance(exc, OperationalError | InterfaceError) or state.startswith("08"):
        return ServerUnavailableError(
            address, f"the connection to the server failed or was lost ({detail})."
        )
    if state in _UNAVAILABLE_STATES:
        return ServerUnavailableError(address, f"the server is shutting down or busy ({detail}).")
    return ServerError(address, detail)


def make_engine(url: str, *, password: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``: UTC session time zone, bounded connect time, health checks."""
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "annotator",
        "options": "-c timezone=UTC",
    }
    if password is not None:
        connect_args["password"] = password
    return create_engine(
        engine_url(url),
        connect_args=connect_args,
        # A connection that died with a server restart is replaced, not handed out.
        pool_pre_ping=True,
        hide_parameters=True,  # bound values (texts, memos) never reach error messages
        **kwargs,
    )


def _translated(address: str, exc: DBAPIError) -> BaseException:
    error = explain(address, exc)
    return error if isinstance(error, PermissionRefusedError | ServerUnavailableError) else exc


@dataclass
class ServerDatabase:
    """An open team project on a PostgreSQL server; the services' view of it."""

    path: ServerAddress
    engine: Engine
    read_only: bool
    _sessions: sessionmaker[Session]
    # The password given with the address, for the change listener's own connection;
    # never shown (repr=False) and never written anywhere.
    secret: str | None = field(default=None, repr=False)
    # Server process ids of this client's own connections: the listener skips the echo
    # of our own changes, which the window has already shown.
    own_pids: set[int] = field(default_factory=set, repr=False)

    @classmethod
    def open(cls, url: str, *, create: bool = False, password: str | None = None) -> ServerDatabase:
        """Connect to the project at ``url``; bring its schema up to date when allowed.

        ``create`` accepts a database without the schema (it is created); otherwise such a
        database is refused, so a mistyped address never grows a project by accident.
        """
        address = ServerAddress(url)
        engine = make_engine(url, password=password)
        secret = password if password is not None else engine_url(url).password
        db = cls(address, engine, False, sessionmaker(engine, expire_on_commit=False), secret)

        @event.listens_for(engine, "connect")
        def _remember_pid(dbapi_conn: Any, _record: object) -> None:
            db.own_pids.add(dbapi_conn.info.backend_pid)

        try:
            revision = db.revision()
            if revision is not None and revision not in known_revisions():
                raise ServerError(
                    address,
                    f"this team project was written by a newer version of annotator (schema "
                    f"{revision}); install a newer annotator to open it.",
                )
            if revision is None and not create:
                raise ServerError(
                    address, "this database holds no annotator project (run `server init`)."
                )
            if revision != head_revision():
                db.upgrade()
        except DBAPIError as exc:
            engine.dispose()
            raise explain(address, exc) from exc
        except BaseException:
            engine.dispose()
            raise
        return db

    def upgrade(self) -> None:
        """Bring the schema to the newest revision in one transaction, one client at a time."""
        from alembic import command

        cfg = _alembic_config()
        try:
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            if _sqlstate(exc) in _PRIVILEGE_STATES:
                raise ServerError(
                    self.path,
                    "this team project needs a schema upgrade that only its owner may run; "
                    "ask the project's administrator to run `annotator server init` again "
                    "with the owner's address (it upgrades and grants on new tables).",
                ) from exc
            raise

    def revision(self) -> str | None:
        """The schema revision stored in the database (None when it has no schema)."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success, rolled back on error; server errors explained.

        Lost connections and refused privileges become :class:`ServerError` subclasses;
        other database errors (a unique violation a service handles) pass unchanged.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            raise _translated(self.path, exc) from exc

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading only; it never commits."""
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as exc:
            raise _translated(self.path, exc) from exc

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()
