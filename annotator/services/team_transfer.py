"""Moving a project between a file and a team server: push uploads, pull snapshots.

Both copy every table of the project schema row by row, in foreign-key order, inside one
transaction on the receiving side, so a failure leaves nothing half-copied: a push leaves
the server database without a project, a pull leaves no file. Rows are copied as stored
(ids, times, the original files' bytes, the codebook's versions and change log), so push
then pull gives back the same project. Logins, roles and team settings belong to the
server and are not copied; a coder pulling during the blind phase gets only what the
server lets them read (their own codings).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, Table, delete, func, insert, select, text

from annotator.domain.errors import ProjectFileError
from annotator.domain.server import ServerError
from annotator.storage.database import Database, head_revision
from annotator.storage.models import Base, ProjectRow
from annotator.storage.postgres import ServerDatabase

BATCH = 500


@dataclass
class TransferReport:
    """How many rows of each table were copied."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the user."""
        shown = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n and "_" not in t)
        return (
            f"Copied {sum(self.rows.values())} rows from {self.source} to {self.target} ({shown})."
        )


def project_tables() -> list[Table]:
    """Every table of the project schema, parents before the tables that refer to them."""
    return list(Base.metadata.sorted_tables)


def _to_server(value: Any) -> Any:
    # SQLite hands back naive datetimes that are UTC; say so before PostgreSQL reads them.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _to_file(value: Any) -> Any:
    # SQLite stores UTC wall time; PostgreSQL hands back aware datetimes.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _self_parent(table: Table) -> str | None:
    for fk in table.foreign_keys:
        if fk.column.table is table:
            return fk.parent.name
    return None


def _parents_first(rows: list[dict], key: str, parent: str) -> list[dict]:
    """Rows of a self-referencing table (the codebook tree) with every parent before its child."""
    done: set[Any] = set()
    ordered: list[dict] = []
    pending = rows
    while pending:
        later = [r for r in pending if r[parent] is not None and r[parent] not in done]
        ready = [r for r in pending if r[parent] is None or r[parent] in done]
        if not ready:  # a cycle or a dangling parent: let the database say which
            ordered.extend(later)
            break
        ordered.extend(ready)
        done.update(r[key] for r in ready)
        pending = later
    return ordered


def _rows(conn: Connection, table: Table) -> Iterator[list[dict]]:
    stmt = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(stream_results=True).execute(stmt)
    for part in result.mappings().partitions(BATCH):
        yield [dict(r) for r in part]


def _copy(src: Connection, dst: Connection, convert: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    # The target is a new project: whatever it holds came from the migrations' seed rows
    # (the default link types and statuses, say); the source's own rows replace them.
    for table in reversed(project_tables()):
        dst.execute(delete(table))
    for table in project_tables():
        parent = _self_parent(table)
        batches: Iterable[list[dict]] = _rows(src, table)
        if parent is not None:  # small (the codebook): order the whole table
            key = next(iter(table.primary_key.columns)).name
            batches = [_parents_first([r for b in batches for r in b], key, parent)]
        n = 0
        for batch in batches:
            if batch:
                dst.execute(insert(table), [{k: convert(v) for k, v in r.items()} for r in batch])
                n += len(batch)
        counts[table.name] = n
    return counts


def _reset_sequences(conn: Connection) -> None:
    """After explicit ids were inserted, make PostgreSQL's serial counters continue after them."""
    for table in project_tables():
        for col in table.primary_key.columns:
            if isinstance(col.type, Integer) and col.autoincrement in (True, "auto"):
                seq = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col.name}
                ).scalar()
                if seq:
                    top = conn.execute(select(func.max(col))).scalar()
                    conn.execute(
                        text("SELECT setval(:s, :v, :called)"),
                        {"s": seq, "v": top or 1, "called": top is not None},
                    )


def push(project_path: Path | str, url: str) -> TransferReport:
    """Upload the project file at ``project_path`` into the (empty) database at ``url``."""
    local = Database.open(project_path)
    try:
        server = ServerDatabase.open(url, create=True)
        try:
            with local.engine.connect() as src, server.engine.begin() as dst:
                if dst.execute(select(ProjectRow.id)).first() is not None:
                    raise ServerError(
                        url,
                        "this database already holds a project; push only into an empty "
                        "database (nothing was changed).",
                    )
                counts = _copy(src, dst, _to_server)
                _reset_sequences(dst)
            return TransferReport(local.path.name, str(server.path), counts)
        finally:
            server.close()
    finally:
        local.close()


def pull(url: str, out: Path | str) -> TransferReport:
    """Write a complete snapshot of the team project at ``url`` to the new file ``out``."""
    out = Path(out).absolute()
    if out.exists():
        raise ProjectFileError(out, "a file with this name already exists.")
    server = ServerDatabase.open(url)
    tmp = out.with_name(f".{out.name}.pulling")
    try:
        if server.revision() != head_revision():
            raise ServerError(url, "the server's schema is not this version's; upgrade first.")
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
        local = Database.open(tmp, create=True)
        try:
            # One snapshot of the whole server database, whatever others write meanwhile.
            with (
                server.engine.connect().execution_options(isolation_level="REPEATABLE READ") as src,
                local.engine.begin() as dst,
            ):
                counts = _copy(src, dst, _to_file)
        finally:
            local.close()
        os.replace(tmp, out)
        return TransferReport(str(server.path), out.name, counts)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        server.close()
