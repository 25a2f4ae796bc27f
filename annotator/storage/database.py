"""Opening a project file: identify, back up, migrate, and hand out transactions.

A project is one SQLite file. Before anything writes to it we check that it *is* one of
ours (a ``project`` row written by annotator and one schema revision) and not from a newer
version, so a wrong or damaged file is reported and never modified. Migrations are numbered
Alembic revisions, applied in one transaction under SQLite's write lock after a backup copy
of the file is made (a backup is never overwritten).

Everything in this module is SQLite-specific: the file, its ``-wal`` companion, the URI
that names the file, the online backup API. The rest of the application only sees
:class:`Database`'s transactions.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from annotator.domain.errors import ProjectBusyError, ProjectFileError, ReadOnlyProjectError

PROJECT_SUFFIX = ".annotator"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
APP_NAME = "annotator"


if TYPE_CHECKING:
    from alembic.config import Config


def _alembic_config() -> Config:
    # Alembic is imported only when a migration runs: opening an up-to-date project (the
    # usual case) does not pay for importing it (about a fifth of the app's start-up).
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("annotator.storage") / "migrations"))
    return cfg


# Older revisions whose tables this version reads as they are: every migration since then
# only adds an index (0003, and 0004's unique index). A read-only file at one of them opens
# read-only, without the upgrade it cannot take; any other older revision must be upgraded.
READABLE_AS_IS = frozenset({"0002", "0003"})


_REVISION = re.compile(r'^(revision|down_revision)\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)


def _revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it revises, read from the files' headers.

    A text scan, not Alembic's ScriptDirectory, so that checking whether a file is up to
    date needs no Alembic import (tests/storage check it agrees with Alembic).
    """
    graph: dict[str, str | None] = {}
    folder = files("annotator.storage") / "migrations" / "versions"
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = dict(_REVISION.findall(entry.read_text(encoding="utf-8")))
        if "revision" in found:
            graph[found["revision"]] = found.get("down_revision")
    return graph


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    assert len(heads) == 1, heads
    return heads.pop()


def known_revisions() -> set[str]:
    """Every schema revision this version of the app knows."""
    return set(_revision_graph())


def is_read_only_file(path: Path) -> bool:
    """True when the file (or its folder, which SQLite needs for its journal) is read-only.

    The permission bits are checked as well as ``os.access``, because for root ``access``
    always says yes even though the user clearly marked the file read-only.
    """
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


# -- naming and connecting (SQLite) ----------------------------------------------------------


def wal_path(path: Path) -> Path:
    """SQLite's write-ahead log beside ``path``."""
    return path.with_name(path.name + "-wal")


def shm_path(path: Path) -> Path:
    """SQLite's shared-memory index beside ``path``."""
    return path.with_name(path.name + "-shm")


def sqlite_uri(path: Path, *, mode: str, immutable: bool = False) -> str:
    """A SQLite URI that names exactly ``path``.

    The path is percent-encoded (``Path.as_uri``), so ``?``, ``#``, ``%``, spaces and
    non-ASCII letters in a folder or file name mean themselves instead of starting a query
    or fragment. ``mode`` is ``ro``, ``rw`` (never creates a file) or ``rwc``.
    """
    uri = f"{Path(path).absolute().as_uri()}?mode={mode}"
    return uri + "&immutable=1" if immutable else uri


def _header(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def _can_read_immutable(path: Path) -> bool:
    """True when a read-only look may skip SQLite's shared-memory files.

    A WAL-mode file with no ``-wal`` beside it has no open connection anywhere (SQLite
    keeps the log while one is open), so its file holds every commit. Opening it
    ``immutable`` reads it without creating ``-wal``/``-shm`` files: nothing is left behind
    in the folder, and a read-only folder where they cannot be created still opens.
    """
    header = _header(path)
    return len(header) >= 20 and header[18] == 2 and not wal_path(path).exists()


def connect_sqlite(
    path: Path, mode: str, *, immutable: bool = False, timeout_ms: int | None = None
) -> sqlite3.Connection:
    """A raw DB-API connection to ``path`` (see :func:`sqlite_uri` for ``mode``)."""
    return sqlite3.connect(
        sqlite_uri(path, mode=mode, immutable=immutable),
        uri=True,
        timeout=(BUSY_TIMEOUT_MS if timeout_ms is None else timeout_ms) / 1000,
        check_same_thread=False,  # SQLAlchemy's pool hands connections between threads
    )


def _install_pragmas(engine: Engine, read_only: bool, timeout: list[int] | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={timeout[0] if timeout else BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed coding survives a power cut, not only a killed process.
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()


def _sqlite_engine(
    path: Path, *, read_only: bool, pooled: bool = True, timeout: list[int] | None = None
) -> Engine:
    """An engine whose every connection names ``path`` exactly (no URL parsing involved).

    ``timeout`` is a one-item list holding the busy timeout in ms, read at each connect.
    """
    mode = "ro" if read_only else "rw"
    immutable = read_only and _can_read_immutable(path)
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: connect_sqlite(path, mode, immutable=immutable),
        poolclass=QueuePool if pooled else NullPool,
    )
    _install_pragmas(engine, read_only, timeout)
    return engine


def is_busy_error(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy": another process holds the lock."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    name = getattr(orig, "sqlite_errorname", "")
    message = str(orig).lower()
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in message


# -- identifying a file ----------------------------------------------------------------------


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite databases, or are visibly truncated."""
    size = path.stat().st_size
    if size == 0:
        raise ProjectFileError(path, "the file is empty; it is not an annotator project.")
    header = _header(path)
    if not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(
            path, "this is not an annotator project (it is not a SQLite database file)."
        )
    if len(header) < 100:
        raise ProjectFileError(path, "the project file is truncated (its header is incomplete).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    wal = wal_path(path)
    has_wal = wal.exists() and wal.stat().st_size > 0
    if page_count and not has_wal and size < page_size * page_count:
        raise ProjectFileError(
            path,
            f"the project file is truncated or damaged ({size:,} bytes of the "
            f"{page_size * page_count:,} its header declares). Restore it from a backup.",
        )


def _wal_fits(path: Path) -> bool:
    """Apply ``path``'s ``-wal`` to a private copy of both files and check the result."""
    with tempfile.TemporaryDirectory(prefix="annotator-walcheck-") as folder:
        copy = Path(folder) / "p.db"
        shutil.copyfile(path, copy)
        shutil.copyfile(wal_path(path), wal_path(copy))
        try:
            con = connect_sqlite(copy, "rw", timeout_ms=1000)
            try:
                rows = con.execute("PRAGMA quick_check").fetchall()
            finally:
                con.close()
        except sqlite3.DatabaseError:
            return False
        return rows == [("ok",)]


def check_wal(path: Path) -> None:
    """Refuse a non-empty ``-wal`` that does not belong to the project file beside it.

    Restoring an older copy of a project while the newer one's log still lies beside it
    makes SQLite replay the log over the wrong pages: the file opens, then reads as
    "malformed" and is rewritten. The log is tried on a private copy first; nothing in the
    project's folder is touched. (A log that does belong holds committed work that a killed
    process left behind; it passes and SQLite replays it.)
    """
    wal = wal_path(path)
    if not wal.exists() or wal.stat().st_size == 0:
        return
    for attempt in range(2):  # a second look in case another process was mid-checkpoint
        if _wal_fits(path):
            return
        if attempt == 0:
            time.sleep(0.2)
    raise ProjectFileError(
        path,
        f"the file {wal.name} beside it does not belong to this project file (was the "
        "project restored from a copy while the newer log stayed behind?). Nothing was "
        f"changed. Move {wal.name} and {shm_path(path).name} to another folder, then open "
        "the project again.",
    )


def _not_ours(path: Path, why: str) -> ProjectFileError:
    return ProjectFileError(path, f"this SQLite database is not an annotator project ({why}).")


def identify(conn: sqlite3.Connection, path: Path) -> str:
    """The schema revision of the annotator project on ``conn``, or raise.

    Positive identification: a ``project`` table with exactly one row whose ``app_name`` is
    annotator's, and exactly one ``alembic_version`` row. Another application's database
    that happens to have tables with those names is refused, never migrated.
    """
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "project" not in tables or "alembic_version" not in tables:
        raise _not_ours(path, "no project table")
    try:
        apps = conn.execute("SELECT app_name FROM project").fetchall()
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError as exc:
        raise _not_ours(path, f"its project table is not annotator's: {exc}") from None
    if len(apps) != 1 or apps[0][0] != APP_NAME:
        raise _not_ours(path, "its project table was not written by annotator")
    if len(versions) != 1 or not isinstance(versions[0][0], str):
        raise _not_ours(path, "it has no single schema revision")
    return versions[0][0]


def probe_revision(path: Path) -> str:
    """Return the file's schema revision, or raise :class:`ProjectFileError`.

    Reads the file read-only (without creating ``-wal``/``-shm`` files where it can), so
    nothing is written while we look.
    """
    _check_header(path)
    check_wal(path)
    try:
        conn = connect_sqlite(path, "ro", immutable=_can_read_immutable(path))
        try:
            return identify(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_busy_error(exc):
            raise ProjectBusyError(path) from exc
        raise ProjectFileError(
            path, f"the project file is damaged and cannot be read ({exc})."
        ) from exc


# -- backups ---------------------------------------------------------------------------------


def _run_migrations(path: Path, *, create: bool) -> None:
    """Bring the file to the head revision in ONE transaction under SQLite's write lock.

    The revision is read again once the lock is held, so a second process that opened the
    same old file at the same moment waits and then finds nothing left to do. A failure or a
    killed process leaves the file exactly as it was (the transaction never commits).
    """
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: connect_sqlite(path, "rwc" if create else "rw"),
        poolclass=NullPool,
    )
    head = head_revision()
    try:
        with engine.connect() as conn:
            # Off while tables are rebuilt (SQLite's documented procedure); checked below.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # WAL first (the file is known to be ours): a journal-mode switch by a process
            # that opens the file just after us must not happen under our transaction.
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, held until COMMIT
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            current = None if create else identify(raw, path)
            if current == head:
                conn.rollback()
                return
            if current is not None:
                _pre_migration_backup(path, current)
            from alembic import command  # only when a migration runs (start-up cost)

            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ProjectFileError(
                    path, f"the upgrade would break {len(broken)} references; nothing changed."
                )
            conn.commit()
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        if is_busy_error(exc):
            raise ProjectBusyError(path) from exc
        reason = getattr(exc, "orig", exc)
        raise ProjectFileError(
            path, f"the project could not be upgraded ({reason}); the file was not changed."
        ) from exc
    except OSError as exc:  # the backup copy before the upgrade could not be written
        raise ProjectFileError(
            path,
            f"the backup copy before the upgrade could not be written ({exc.strerror or exc}); "
            "the file was not changed.",
        ) from exc
    finally:
        engine.dispose()


@dataclass
class Database:
    """An open project database: an engine and a session factory.

    Services call :meth:`transaction` for each user action; nothing else holds a Session.
    """

    path: Path
    engine: Engine
    read_only: bool
    _sessions: sessionmaker[Session]
    _timeout: list[int] = field(default_factory=lambda: [BUSY_TIMEOUT_MS])

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False) -> Database:
        """Open (or with ``create`` make) the project at ``path``, migrating it if needed."""
        path = Path(path).absolute()
        try:
            exists = path.exists()
        except OSError as exc:  # e.g. a name longer than the file system allows
            raise ProjectFileError(path, f"the file cannot be opened ({exc.strerror}).") from exc
        if not exists:
            if not create:
                raise ProjectFileError(path, "the file does not exist.")
            if not path.parent.is_dir():
                raise ProjectFileError(path, f"the folder {path.parent} does not exist.")
            return cls._connect(path, read_only=False, create=True)
        if path.is_dir():
            raise ProjectFileError(path, "this is a folder, not a project file.")
        revision = probe_revision(path)
        if revision not in known_revisions():
            raise ProjectFileError(
                path,
                f"this project was written by a newer version of annotator (schema "
                f"{revision}); install a newer annotator to open it. The file was not changed.",
            )
        read_only = is_read_only_file(path)
        if read_only and revision != head_revision() and revision not in READABLE_AS_IS:
            raise ProjectFileError(
                path, "this project needs an upgrade to open, but the file is read-only."
            )
        # Only an upgrade takes the write lock: opening a current project never waits for
        # another program's write.
        upgrade = not read_only and revision != head_revision()
        return cls._connect(path, read_only=read_only, create=False, upgrade=upgrade)

    @classmethod
    def _connect(
        cls, path: Path, *, read_only: bool, create: bool, upgrade: bool = True
    ) -> Database:
        if not read_only and (create or upgrade):
            _run_migrations(path, create=create)
        timeout = [BUSY_TIMEOUT_MS]
        engine = _sqlite_engine(path, read_only=read_only, timeout=timeout)
        return cls(path, engine, read_only, sessionmaker(engine, expire_on_commit=False), timeout)

    def set_busy_timeout(self, ms: int) -> None:
        """How long a write waits for another program's lock before ProjectBusyError.

        A window uses a short wait (it must stay responsive and say what is happening);
        batch work keeps the default.
        """
        self._timeout[0] = ms
        self.engine.dispose()  # pooled connections pick the new value up when reopened

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (a no-op when it already is)."""
        _run_migrations(self.path, create=False)

    def revision(self) -> str | None:
        """The schema revision stored in the file."""
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        Raises :class:`ProjectBusyError` when another process held the write lock for
        longer than the busy timeout: nothing was stored, and the caller must say so.
        """
        if self.read_only:
            raise ReadOnlyProjectError(self.path)
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            if is_busy_error(exc):
                raise ProjectBusyError(self.path) from exc
            raise

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading only; it never commits."""
        try:
            with self._sessions() as session:
                yield session
        except OperationalError as exc:
            if is_busy_error(exc):
                raise ProjectBusyError(self.path) from exc
            raise

    def backup(self, dest: Path | str) -> Path:
        """Write a complete, consistent copy of the project to the new file ``dest``."""
        return backup_sqlite(self.path, Path(dest), read_only=self.read_only)

    def close(self) -> None:
        """Checkpoint the log into the file and release every connection.

        After a clean close the project is one self-contained file again (SQLite deletes
        the ``-wal`` when the last connection closes; the checkpoint covers the case where
        another process still has the project open).
        """
        if not self.read_only:
            with contextlib.suppress(DBAPIError), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()


# Re-exported: callers and tests name them from here (imported last: no import cycle).
from annotator.storage.sqlite_backup import (  # noqa: E402
    _pre_migration_backup as _pre_migration_backup,
)
from annotator.storage.sqlite_backup import backup_path as backup_path  # noqa: E402
from annotator.storage.sqlite_backup import backup_sqlite as backup_sqlite  # noqa: E402
