"""Saved retrieval queries and searches, by name, stored in the project (migration 0007).

A project also offers built-in searches (:data:`BUILT_IN_SEARCHES`) such as *candidate
recommendations*; saving one under the same name replaces it for that project. A
read-only file older than 0007 has no ``saved_query`` table: it lists only the built-ins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import inspect, select

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import new_id, utcnow
from annotator.storage.database import Database
from annotator.storage.models import SavedQueryRow


class QueryKind(StrEnum):
    """What a saved query is."""

    RETRIEVAL = "retrieval"
    SEARCH = "search"


@dataclass(frozen=True)
class SavedQuery:
    """A named query with its options (filters, search options) as plain JSON values."""

    kind: QueryKind
    name: str
    query: str
    options: dict = field(default_factory=dict)
    built_in: bool = False


CANDIDATE_RECOMMENDATIONS = (
    "should, must, we recommend, recommend*, calls on, call on, urges, urge, ought to,"
    " needs to, need to, it is essential, it is vital, encourage*, propose*,"
    " we ask, must ensure, should ensure, it is imperative"
)

BUILT_IN_SEARCHES = (
    SavedQuery(QueryKind.SEARCH, "candidate recommendations", CANDIDATE_RECOMMENDATIONS,
               {}, built_in=True),
)  # fmt: skip


class SavedQueryService:
    """Saved queries of one project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _has_table(self) -> bool:
        with self._db.reader() as s:
            return inspect(s.connection()).has_table("saved_query")

    def list(self, kind: QueryKind) -> list[SavedQuery]:
        """Saved queries of ``kind`` by name, built-ins included unless replaced."""
        stored: list[SavedQuery] = []
        if self._has_table():
            with self._db.reader() as s:
                for row in s.scalars(select(SavedQueryRow).where(SavedQueryRow.kind == kind.value)):
                    stored.append(
                        SavedQuery(kind, row.name, row.query, json.loads(row.options or "{}"))
                    )
        names = {q.name.casefold() for q in stored}
        built_in = [
            q for q in BUILT_IN_SEARCHES if q.kind is kind and q.name.casefold() not in names
        ]
        return sorted(stored + built_in, key=lambda q: q.name.casefold())

    def get(self, kind: QueryKind, name: str) -> SavedQuery:
        """The query saved as ``name``."""
        for query in self.list(kind):
            if query.name.casefold() == name.strip().casefold():
                return query
        raise NotFoundError(f"No saved {kind.value} named '{name}'.")

    def save(self, query: SavedQuery) -> SavedQuery:
        """Store ``query`` under its name, replacing one of the same kind and name."""
        name = query.name.strip()
        if not name:
            raise ValidationError("A saved query needs a name.")
        if not query.query.strip():
            raise ValidationError("There is no query to save.")
        with self._db.transaction() as s:
            row = s.scalars(
                select(SavedQueryRow).where(
                    SavedQueryRow.kind == query.kind.value, SavedQueryRow.name == name
                )
            ).first()
            if row is None:
                row = SavedQueryRow(id=new_id(), kind=query.kind.value, name=name[:200])
                row.created_at = utcnow()
                s.add(row)
            row.query = query.query
            row.options = json.dumps(query.options, sort_keys=True)
        return SavedQuery(query.kind, name, query.query, dict(query.options))

    def delete(self, kind: QueryKind, name: str) -> None:
        """Remove a saved query (built-ins cannot be removed)."""
        with self._db.transaction() as s:
            row = s.scalars(
                select(SavedQueryRow).where(
                    SavedQueryRow.kind == kind.value, SavedQueryRow.name == name.strip()
                )
            ).first()
            if row is None:
                raise NotFoundError(f"No saved {kind.value} named '{name}'.")
            s.delete(row)
