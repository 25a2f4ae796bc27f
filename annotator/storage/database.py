"""Opening a project file: probe, back up, migrate, and hand out transactions.

A project is one SQLite file. Before anything writes to it we check that it *is* one of
ours and not from a newer version, so a wrong or damaged file is reported and never
modified. Migrations are numbered Alembic revisions, applied automatically after a backup
copy of the file is made.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.domain.errors import ProjectFileError, ReadOnlyProjectError

PROJECT_SUFFIX = ".annotator"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


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
# only adds an index (0003). A read-only file at one of them opens read-only, without the
# upgrade it cannot take; any other older revision must be upgraded first.
READABLE_AS_IS = frozenset({"0002"})


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


def _sqlite_url(path: Path, read_only: bool) -> str:
    if read_only:
        return f"sqlite+pysqlite:///file:{path.as_posix()}?mode=ro&uri=true"
    return f"sqlite+pysqlite:///{path.as_posix()}"


def _install_pragmas(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed coding survives a power cut, not only a killed process.
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite databases, or are visibly truncated."""
    size = path.stat().st_size
    if size == 0:
        raise ProjectFileError(path, "the file is empty; it is not an annotator project.")
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(
            path, "this is not an annotator project (it is not a SQLite database file)."
        )
    if len(header) < 100:
        raise ProjectFileError(path, "the project file is truncated (its header is incomplete).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if page_count and not has_wal and size < page_size * page_count:
        raise ProjectFileError(
            path,
            f"the project file is truncated or damaged ({size:,} bytes of the "
            f"{page_size * page_count:,} its header declares). Restore it from a backup.",
        )


def probe_revision(path: Path) -> str | None:
    """Return the file's schema revision, or raise :class:`ProjectFileError`.

    Opens the file read-only, so nothing is written while we look.
    """
    _check_header(path)
    engine = create_engine(_sqlite_url(path, read_only=True))
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "project" not in tables or "alembic_version" not in tables:
                raise ProjectFileError(
                    path, "this SQLite database is not an annotator project (no project table)."
                )
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None
    except DatabaseError as exc:
        raise ProjectFileError(
            path, f"the project file is damaged and cannot be read ({exc.orig})."
        ) from exc
    finally:
        engine.dispose()


def backup_path(path: Path, revision: str) -> Path:
    """Where the pre-migration copy of ``path`` goes."""
    return path.with_name(f"{path.name}.schema-{revision}.bak")


@dataclass
class Database:
    """An open project database: an engine and a session factory.

    Services call :meth:`transaction` for each user action; nothing else holds a Session.
    """

    path: Path
    engine: Engine
    read_only: bool
    _sessions: sessionmaker[Session]

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False) -> Database:
        """Open (or with ``create`` make) the project at ``path``, migrating it if needed."""
        path = Path(path).absolute()
        if not path.exists():
            if not create:
                raise ProjectFileError(path, "the file does not exist.")
            if not path.parent.is_dir():
                raise ProjectFileError(path, f"the folder {path.parent} does not exist.")
            return cls._connect(path, read_only=False, migrate_from=None)
        if path.is_dir():
            raise ProjectFileError(path, "this is a folder, not a project file.")
        revision = probe_revision(path)
        if revision is not None and revision not in known_revisions():
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
        return cls._connect(path, read_only=read_only, migrate_from=revision or "empty")

    @classmethod
    def _connect(cls, path: Path, *, read_only: bool, migrate_from: str | None) -> Database:
        engine = create_engine(_sqlite_url(path, read_only))
        _install_pragmas(engine, read_only)
        db = cls(path, engine, read_only, sessionmaker(engine, expire_on_commit=False))
        # An up-to-date file is not handed to Alembic at all (importing it costs start-up).
        if not read_only and (migrate_from is None or migrate_from != head_revision()):
            if migrate_from is not None:
                shutil.copy2(path, backup_path(path, migrate_from))
            try:
                db.upgrade()
            except OperationalError as exc:
                engine.dispose()
                raise ProjectFileError(
                    path, f"the project could not be opened: {exc.orig}"
                ) from exc
        return db

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (a no-op when it already is)."""
        from alembic import command

        cfg = _alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def revision(self) -> str | None:
        """The schema revision stored in the file."""
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        if self.read_only:
            raise ReadOnlyProjectError(self.path)
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading only; it never commits."""
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        """Release every connection (checkpointing the WAL when we were the last one)."""
        self.engine.dispose()
