"""Copies of a project file: the backup before a migration and the online backup.

SQLite's online backup API copies a consistent snapshot while other connections read and
write; a copy never overwrites a file (it is linked into place under a free name). Split
from :mod:`annotator.storage.database`, which opens, migrates and hands out sessions.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annotator.domain.errors import ProjectFileError
from annotator.storage.database import _can_read_immutable, connect_sqlite, wal_path


def backup_path(path: Path, revision: str) -> Path:
    """Where the first pre-migration copy of ``path`` goes (later ones are numbered)."""
    return path.with_name(f"{path.name}.schema-{revision}.bak")


def _link_without_overwrite(tmp: Path, candidates: Iterator[Path]) -> Path:
    """Give ``tmp`` the first free name of ``candidates``; an existing file is never replaced."""
    for target in candidates:
        try:
            os.link(tmp, target)  # atomic, and fails if the name is taken
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if target.exists():
                continue
            os.rename(tmp, target)
            return target
        tmp.unlink()
        return target
    raise ProjectFileError(tmp, "no free name for the backup copy")  # pragma: no cover


def _numbered(first: Path) -> Iterator[Path]:
    yield first
    stem = first.name.removesuffix(".bak")
    for n in range(2, 10_000):
        yield first.with_name(f"{stem}.{n}.bak")


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database on ``source`` into the new file ``target`` (SQLite's backup API)."""
    dst = sqlite3.connect(target)
    try:
        source.backup(dst)
        # One self-contained file: the copy needs no -wal to be complete.
        dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise ProjectFileError(target, "the backup copy failed its integrity check.")
    finally:
        dst.close()


def _new_temp(folder: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".annotator-", suffix=".partial")
    os.close(fd)
    return Path(name)


def _pre_migration_backup(path: Path, revision: str) -> Path:
    """Copy ``path`` before migrating (the caller holds the write lock), never overwriting."""
    tmp = _new_temp(path.parent)
    try:
        wal = wal_path(path)
        if not wal.exists() or wal.stat().st_size == 0:
            shutil.copy2(path, tmp)  # byte for byte: the file is complete without a log
        else:
            tmp.unlink()
            reader = connect_sqlite(path, "ro")
            try:
                _copy_database(reader, tmp)
            finally:
                reader.close()
        return _link_without_overwrite(tmp, _numbered(backup_path(path, revision)))
    finally:
        tmp.unlink(missing_ok=True)


def backup_sqlite(path: Path, dest: Path, *, read_only: bool = False) -> Path:
    """Write a consistent copy of the project at ``path`` to the new file ``dest``.

    Uses SQLite's online backup API, so the copy holds every committed change (including
    those still in the ``-wal``) while other connections go on working; it is written under
    a temporary name in ``dest``'s folder and given its name only when complete. An
    existing ``dest`` is never overwritten.
    """
    dest = Path(dest).absolute()
    if dest.exists():
        raise ProjectFileError(dest, "a file with this name already exists; choose another.")
    if not dest.parent.is_dir():
        raise ProjectFileError(dest, f"the folder {dest.parent.name} does not exist.")
    try:
        tmp = _new_temp(dest.parent)
    except OSError as exc:
        raise ProjectFileError(dest, f"the backup cannot be written ({exc.strerror}).") from exc
    try:
        tmp.unlink()
        immutable = read_only and _can_read_immutable(path)
        source = connect_sqlite(path, "ro", immutable=immutable)
        try:
            _copy_database(source, tmp)
        finally:
            source.close()
        try:
            return _link_without_overwrite(tmp, iter([dest]))
        except ProjectFileError:
            raise ProjectFileError(
                dest, "a file with this name appeared; nothing was overwritten."
            ) from None
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(path, f"the backup failed ({exc}).") from exc
    except OSError as exc:
        raise ProjectFileError(dest, f"the backup cannot be written ({exc.strerror}).") from exc
    finally:
        tmp.unlink(missing_ok=True)


# -- migrating -------------------------------------------------------------------------------
