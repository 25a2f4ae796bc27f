"""Use cases for the codebook: add, edit, move, delete and restore codes, with a change log."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import subtree_ids, validate_code, would_cycle
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Code, Coding, new_id, utcnow
from annotator.storage.database import Database
from annotator.storage.mapping import code_from_row, code_to_row, coding_from_row, coding_to_row
from annotator.storage.models import CodebookChangeRow, CodebookVersionRow, CodeRow, CodingRow


@dataclass(frozen=True)
class DeletedCodes:
    """Everything a code deletion removed, so that undo can put it back exactly."""

    codes: tuple[Code, ...]  # parents before children
    codings: tuple[Coding, ...]


def _log(
    s: Session, coder_id: uuid.UUID | None, action: str, code_id: uuid.UUID | None, details: dict
) -> None:
    s.add(
        CodebookChangeRow(
            id=new_id(),
            at=utcnow(),
            coder_id=coder_id,
            action=action,
            code_id=code_id,
            details=json.dumps(details, default=str, ensure_ascii=False),
        )
    )


def _all_codes(s: Session) -> list[Code]:
    return [code_from_row(r) for r in s.scalars(select(CodeRow)).all()]


class CodebookService:
    """The codebook of one project. Every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Code]:
        """Every code (unordered; see :func:`annotator.domain.codebook.tree_order`)."""
        with self._db.reader() as s:
            return _all_codes(s)

    def get(self, code_id: uuid.UUID) -> Code:
        """One code."""
        with self._db.reader() as s:
            row = s.get(CodeRow, code_id)
            if row is None:
                raise NotFoundError(f"Code {code_id} is not in this codebook.")
            return code_from_row(row)

    def _validate(self, s: Session, code: Code) -> None:
        codes = _all_codes(s)
        by_id = {c.id: c for c in codes}
        if code.parent_id is not None and code.parent_id not in by_id:
            raise ValidationError("The parent code no longer exists.")
        if would_cycle(code.id, code.parent_id, by_id):
            raise ValidationError(f"'{code.name}' cannot be moved inside itself.")
        siblings = [c for c in codes if c.parent_id == code.parent_id]
        validate_code(code, siblings, codes)

    def add(self, code: Code, coder_id: uuid.UUID | None = None) -> Code:
        """Store a new code (with the id it carries, so redo re-creates the same code)."""
        code = code.with_changes(name=code.name.strip())
        with self._db.transaction() as s:
            self._validate(s, code)
            if code.position < 0:
                last = s.scalar(
                    select(func.max(CodeRow.position)).where(CodeRow.parent_id == code.parent_id)
                )
                code = code.with_changes(position=(last if last is not None else -1) + 1)
            s.add(code_to_row(code))
            _log(s, coder_id, "add", code.id, asdict(code))
        return code

    def update(self, code: Code, coder_id: uuid.UUID | None = None) -> Code:
        """Replace a code's fields (name, colour, parent, shortcut, definitions...)."""
        code = code.with_changes(name=code.name.strip())
        with self._db.transaction() as s:
            row = s.get(CodeRow, code.id)
            if row is None:
                raise NotFoundError(f"Code '{code.name}' is no longer in this codebook.")
            self._validate(s, code)
            before = code_from_row(row)
            code_to_row(code, row)
            changed = {
                k: [v, getattr(code, k)] for k, v in asdict(before).items() if getattr(code, k) != v
            }
            _log(s, coder_id, "edit", code.id, changed)
        return code

    def delete(self, code_id: uuid.UUID, coder_id: uuid.UUID | None = None) -> DeletedCodes:
        """Delete a code, its descendants and all their codings; return what went."""
        with self._db.transaction() as s:
            codes = _all_codes(s)
            ids = subtree_ids(code_id, codes)
            if code_id not in {c.id for c in codes}:
                raise NotFoundError(f"Code {code_id} is not in this codebook.")
            by_id = {c.id: c for c in codes}
            codings = [
                coding_from_row(r)
                for r in s.scalars(select(CodingRow).where(CodingRow.code_id.in_(ids))).all()
            ]
            # Children first, so no foreign key ever points at a deleted row mid-way.
            for cid in reversed(ids):
                s.delete(s.get(CodeRow, cid))
                s.flush()
            _log(
                s,
                coder_id,
                "delete",
                code_id,
                {"codes": [by_id[i].name for i in ids], "codings": len(codings)},
            )
            return DeletedCodes(tuple(by_id[i] for i in ids), tuple(codings))

    def restore(self, deleted: DeletedCodes, coder_id: uuid.UUID | None = None) -> None:
        """Put back exactly what :meth:`delete` removed (same ids, fields and codings)."""
        with self._db.transaction() as s:
            for code in deleted.codes:
                s.add(code_to_row(code))
                s.flush()
            s.add_all(coding_to_row(c) for c in deleted.codings)
            _log(
                s,
                coder_id,
                "restore",
                deleted.codes[0].id if deleted.codes else None,
                {"codes": [c.name for c in deleted.codes], "codings": len(deleted.codings)},
            )

    def current_version_id(self) -> uuid.UUID | None:
        """The most recently frozen codebook version, which new codings are stamped with."""
        with self._db.reader() as s:
            return s.scalars(
                select(CodebookVersionRow.id).order_by(CodebookVersionRow.created_at.desc())
            ).first()

    def change_log(self) -> list[dict]:
        """The change log, oldest first, as plain dictionaries."""
        with self._db.reader() as s:
            rows = s.scalars(select(CodebookChangeRow).order_by(CodebookChangeRow.at)).all()
            return [
                {
                    "at": r.at,
                    "coder_id": r.coder_id,
                    "action": r.action,
                    "code_id": r.code_id,
                    "details": json.loads(r.details),
                }
                for r in rows
            ]
