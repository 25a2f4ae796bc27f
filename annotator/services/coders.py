"""Use cases for coders: who is coding, and who else has coded in this project."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coder, new_id, utcnow
from annotator.storage.database import Database
from annotator.storage.mapping import coder_from_row
from annotator.storage.models import CoderRow

MAX_NAME = 200


class CoderService:
    """Coders of one project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Coder]:
        """Every coder, by name."""
        with self._db.reader() as s:
            rows = s.scalars(select(CoderRow).order_by(CoderRow.name)).all()
            return [coder_from_row(r) for r in rows]

    def find(self, name: str) -> Coder | None:
        """The coder called ``name`` (exactly, after trimming), if any."""
        with self._db.reader() as s:
            row = s.scalars(select(CoderRow).where(CoderRow.name == name.strip())).first()
            return coder_from_row(row) if row else None

    def ensure(self, name: str) -> Coder:
        """The coder called ``name``, created (and committed) if this project lacks one."""
        name = name.strip()
        if not name:
            raise ValidationError("A coder needs a name.")
        if "\x00" in name:
            raise ValidationError("A coder's name cannot contain NUL characters (\\x00).")
        if len(name) > MAX_NAME:
            raise ValidationError(f"A coder's name is limited to {MAX_NAME} characters.")
        existing = self.find(name)
        if existing is not None:
            return existing
        if self._db.read_only:
            # A read-only project can still be browsed by a coder it has never seen.
            return Coder(id=new_id(), name=name)
        try:
            with self._db.transaction() as s:
                row = CoderRow(id=new_id(), name=name, created_at=utcnow())
                s.add(row)
                s.flush()
                return coder_from_row(row)
        except IntegrityError:
            # Another process added the same name a moment ago (coder names are unique).
            raced = self.find(name)
            if raced is None:
                raise
            return raced
