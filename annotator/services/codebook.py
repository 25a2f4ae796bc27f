"""Use cases for the codebook: add, edit, move, merge, split, delete and restore codes.

Every method is one transaction and writes one change-log entry saying who did what. Each
change returns what it replaced, so the GUI's undo can put back exactly the earlier state.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import (
    code_path,
    code_to_dict,
    describe_edit,
    placed,
    plan_merge,
    siblings_of,
    subtree_ids,
    validate_code,
    would_cycle,
)
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.fields import FieldDef, FieldValue
from annotator.domain.model import Code, Coding
from annotator.services.codebook_versions import (
    CodebookVersionService,
    latest_version_id,
    log_change,
)
from annotator.services.codings import CodeCounts
from annotator.services.fields import FieldService
from annotator.storage.database import Database
from annotator.storage.mapping import code_from_row, code_to_row, coding_from_row, coding_to_row
from annotator.storage.models import CodeRow, CodingRow


@dataclass(frozen=True)
class DeletedCodes:
    """Everything a code deletion removed, so that undo can put it back exactly."""

    codes: tuple[Code, ...]  # parents before children
    codings: tuple[Coding, ...]
    fields: tuple[FieldDef, ...] = ()  # the codes' fields (issue 10)
    values: tuple[FieldValue, ...] = ()  # the codings' field values


@dataclass(frozen=True)
class MergedCodes:
    """What merging ``source`` into ``target`` changed, so that undo can reverse it."""

    source: Code
    target: Code
    children: tuple[Code, ...]  # the source's children as they were
    changed: tuple[tuple[Coding, Coding], ...]  # (before, after) of every rewritten coding
    dropped: tuple[Coding, ...]  # duplicates that became one with a surviving coding


@dataclass(frozen=True)
class SplitCode:
    """A split: ``moved`` codings (as they were) went from ``source_id`` to ``new_code``."""

    source_id: uuid.UUID
    new_code: Code
    moved: tuple[Coding, ...]


def _all_codes(s: Session) -> list[Code]:
    return [code_from_row(r) for r in s.scalars(select(CodeRow)).all()]


def _codings_of(s: Session, code_ids: Iterable[uuid.UUID]) -> list[Coding]:
    stmt = select(CodingRow).where(CodingRow.code_id.in_(list(code_ids)))
    return [coding_from_row(r) for r in s.scalars(stmt).all()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class CodebookService:
    """The codebook of one project. Every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.versions = CodebookVersionService(db)

    # -- reading ------------------------------------------------------------------------------
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

    def usage(
        self, document_id: uuid.UUID | None, coder_ids: Collection[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, dict[uuid.UUID, CodeCounts]]:
        """Per code and coder: codings in ``document_id`` and in the whole project.

        Only ``coder_ids`` are counted when given, so blind mode never reveals others' work.
        """
        with self._db.reader() as s:
            stmt = select(
                CodingRow.code_id,
                CodingRow.coder_id,
                func.count(),
                func.sum(case((CodingRow.document_id == document_id, 1), else_=0)),
            ).group_by(CodingRow.code_id, CodingRow.coder_id)
            if coder_ids is not None:
                stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
            out: dict[uuid.UUID, dict[uuid.UUID, CodeCounts]] = {}
            for code_id, coder_id, total, here in s.execute(stmt).all():
                local = int(here or 0) if document_id is not None else 0
                out.setdefault(code_id, {})[coder_id] = CodeCounts(local, total)
            return out

    # -- validation ---------------------------------------------------------------------------
    @staticmethod
    def _validate(code: Code, codes: list[Code]) -> None:
        by_id = {c.id: c for c in codes}
        if code.parent_id is not None and code.parent_id not in by_id:
            raise ValidationError("The parent code no longer exists.")
        if would_cycle(code.id, code.parent_id, by_id):
            raise ValidationError(
                f"'{code.name}' cannot be moved inside itself or one of its own sub-codes."
            )
        siblings = [c for c in codes if c.parent_id == code.parent_id]
        validate_code(code, siblings, codes)

    @staticmethod
    def _row(s: Session, code_id: uuid.UUID) -> CodeRow:
        row = s.get(CodeRow, code_id)
        if row is None:
            raise NotFoundError("This code is no longer in the codebook.")
        return row

    # -- add, edit, move -----------------------------------------------------------------------
    def add(self, code: Code, coder_id: uuid.UUID | None = None) -> Code:
        """Store a new code (with the id it carries, so redo re-creates the same code).

        A negative ``position`` puts the code last among its siblings.
        """
        code = code.with_changes(name=code.name.strip())
        with self._db.transaction() as s:
            codes = _all_codes(s)
            self._validate(code, codes)
            if code.position < 0:
                last = s.scalar(
                    select(func.max(CodeRow.position)).where(CodeRow.parent_id == code.parent_id)
                )
                code = code.with_changes(position=(last if last is not None else -1) + 1)
            s.add(code_to_row(code))
            by_id = {c.id: c for c in [*codes, code]}
            log_change(
                s,
                coder_id,
                "add",
                code.id,
                f"Added code '{code_path(code, by_id)}'",
                code=code_to_dict(code),
            )
        return code

    def update(self, code: Code, coder_id: uuid.UUID | None = None) -> Code:
        """Replace a code's fields (name, colour, parent, shortcut, definitions...)."""
        code = code.with_changes(name=code.name.strip())
        with self._db.transaction() as s:
            row = s.get(CodeRow, code.id)
            if row is None:
                raise NotFoundError(f"Code '{code.name}' is no longer in this codebook.")
            codes = _all_codes(s)
            self._validate(code, codes)
            before = code_from_row(row)
            code_to_row(code, row)
            by_id = {c.id: c for c in codes}
            before_d, after_d = code_to_dict(before), code_to_dict(code)
            changed = {k: [v, after_d[k]] for k, v in before_d.items() if after_d[k] != v}
            log_change(
                s, coder_id, "edit", code.id, describe_edit(before, code, by_id), changes=changed
            )
        return code

    def move(
        self,
        code_id: uuid.UUID,
        parent_id: uuid.UUID | None,
        index: int,
        coder_id: uuid.UUID | None = None,
    ) -> tuple[Code, ...]:
        """Make ``code_id`` the ``index``-th child of ``parent_id`` (None: top level).

        Returns every code whose parent or position changed, as it was before, for
        :meth:`restore_positions`. A move into the code's own subtree is refused.
        """
        with self._db.transaction() as s:
            codes = _all_codes(s)
            by_id = {c.id: c for c in codes}
            if code_id not in by_id:
                raise NotFoundError("This code is no longer in the codebook.")
            code = by_id[code_id]
            self._validate(code.with_changes(parent_id=parent_id), codes)
            changes = placed(code_id, parent_id, index, codes)
            if not changes:
                return ()  # already there: nothing to store or to log
            for new in changes:
                code_to_row(new, self._row(s, new.id))
            final = by_id | {c.id: c for c in changes}
            where = code_path(final[parent_id], final) if parent_id in final else "the top level"
            new_index = final[code_id].position
            if parent_id == code.parent_id:
                summary = f"Reordered '{code_path(code, by_id)}' to place {new_index + 1}"
            else:
                summary = f"Moved '{code_path(code, by_id)}' into {where} (place {new_index + 1})"
            log_change(
                s,
                coder_id,
                "move",
                code_id,
                summary,
                from_parent=str(code.parent_id),
                to_parent=str(parent_id),
                position=new_index,
            )
            return tuple(by_id[c.id] for c in changes)

    def restore_positions(self, codes: Iterable[Code], coder_id: uuid.UUID | None = None) -> None:
        """Give codes back the parent and position they carry (undo of :meth:`move`)."""
        codes = list(codes)
        with self._db.transaction() as s:
            current = {c.id: c for c in _all_codes(s)}
            for c in codes:
                if c.id not in current:
                    raise NotFoundError(f"Code '{c.name}' is no longer in the codebook.")
                current[c.id] = current[c.id].with_changes(
                    parent_id=c.parent_id, position=c.position
                )
            final = list(current.values())
            for c in codes:
                self._validate(current[c.id], final)
                code_to_row(current[c.id], self._row(s, c.id))
            log_change(
                s,
                coder_id,
                "move",
                codes[0].id if codes else None,
                "Put back the order of " + ", ".join(f"'{c.name}'" for c in codes),
            )

    # -- merge and split -----------------------------------------------------------------------
    def merge(
        self, source_id: uuid.UUID, target_id: uuid.UUID, coder_id: uuid.UUID | None = None
    ) -> MergedCodes:
        """Merge ``source`` into ``target``: its codings and child codes move, it goes.

        A moved coding that duplicates one by the same coder on the same document and span
        becomes one coding (memos joined).
        """
        with self._db.transaction() as s:
            codes = _all_codes(s)
            by_id = {c.id: c for c in codes}
            if source_id not in by_id or target_id not in by_id:
                raise NotFoundError("One of these codes is no longer in the codebook.")
            source, target = by_id[source_id], by_id[target_id]
            if source_id == target_id:
                raise ValidationError("Choose another code to merge this one into.")
            if target_id in subtree_ids(source_id, codes):
                raise ValidationError(
                    f"'{source.name}' cannot be merged into its own sub-code '{target.name}'."
                )
            source_codings = _codings_of(s, [source_id])
            if FieldService.fields_and_values_in(s, [source_id])[0]:
                raise ValidationError(
                    f"'{source.name}' has fields; delete them (or turn them into codes) "
                    "before merging it, so that no coding loses its values unnoticed."
                )
            if source_codings and not target.codable:
                raise ValidationError(
                    f"'{target.name}' is a folder; its codings would have nowhere to go. "
                    "Choose a code that can be applied to text."
                )
            children = siblings_of(source_id, codes)
            taken = {c.name.casefold() for c in codes if c.parent_id == target_id}
            clash = next((c for c in children if c.name.casefold() in taken), None)
            if clash is not None:
                raise ValidationError(
                    f"Both '{source.name}' and '{target.name}' have a sub-code called "
                    f"'{clash.name}'; merge or rename those first."
                )
            last = max((c.position for c in codes if c.parent_id == target_id), default=-1)
            for i, child in enumerate(children):
                moved = child.with_changes(parent_id=target_id, position=last + 1 + i)
                code_to_row(moved, self._row(s, child.id))
            s.flush()
            plan = plan_merge(source_codings, _codings_of(s, [target_id]), target_id)
            for coding in plan.dropped:
                s.delete(s.get(CodingRow, coding.id))
            s.flush()
            for _, after in plan.changed:
                coding_to_row(after, s.get(CodingRow, after.id))
            s.flush()
            s.delete(self._row(s, source_id))
            moved_n = sum(1 for before, _ in plan.changed if before.code_id == source_id)
            summary = (
                f"Merged '{code_path(source, by_id)}' into '{code_path(target, by_id)}': "
                f"{_plural(moved_n, 'coding')} moved, "
                f"{_plural(len(plan.dropped), 'duplicate')} combined, "
                f"{_plural(len(children), 'sub-code')} moved"
            )
            log_change(
                s,
                coder_id,
                "merge",
                source_id,
                summary,
                source=code_to_dict(source),
                target=str(target_id),
                moved=moved_n,
                combined=len(plan.dropped),
                children=len(children),
            )
            return MergedCodes(source, target, tuple(children), plan.changed, plan.dropped)

    def unmerge(self, merged: MergedCodes, coder_id: uuid.UUID | None = None) -> None:
        """Reverse :meth:`merge` exactly: the source code, its children and codings return."""
        with self._db.transaction() as s:
            if s.get(CodeRow, merged.source.id) is not None:
                raise ValidationError(f"'{merged.source.name}' is already in the codebook.")
            self._validate(merged.source, _all_codes(s))
            s.add(code_to_row(merged.source))
            s.flush()
            for child in merged.children:
                code_to_row(child, self._row(s, child.id))
            for before, _ in merged.changed:
                row = s.get(CodingRow, before.id)
                if row is None:
                    raise NotFoundError("A merged coding was removed in the meantime.")
                coding_to_row(before, row)
            s.add_all(coding_to_row(c) for c in merged.dropped)
            log_change(
                s,
                coder_id,
                "unmerge",
                merged.source.id,
                f"Separated '{merged.source.name}' from '{merged.target.name}' again "
                "(merge undone)",
            )

    def split(
        self,
        source_id: uuid.UUID,
        new_code: Code,
        coding_ids: Collection[uuid.UUID],
        coder_id: uuid.UUID | None = None,
    ) -> SplitCode:
        """Create ``new_code`` and move the chosen codings of ``source_id`` to it."""
        new_code = new_code.with_changes(name=new_code.name.strip())
        with self._db.transaction() as s:
            codes = _all_codes(s)
            by_id = {c.id: c for c in codes}
            if source_id not in by_id:
                raise NotFoundError("This code is no longer in the codebook.")
            if not coding_ids:
                raise ValidationError("Choose at least one coding to move to the new code.")
            if not new_code.codable:
                raise ValidationError("The new code must be one that can be applied to text.")
            self._validate(new_code, codes)
            rows = s.scalars(select(CodingRow).where(CodingRow.id.in_(list(coding_ids)))).all()
            if len(rows) != len(set(coding_ids)) or any(r.code_id != source_id for r in rows):
                raise ValidationError(
                    f"Some of the chosen codings are no longer coded '{by_id[source_id].name}'."
                )
            if new_code.position < 0:
                last = max(
                    (c.position for c in codes if c.parent_id == new_code.parent_id), default=-1
                )
                new_code = new_code.with_changes(position=last + 1)
            s.add(code_to_row(new_code))
            s.flush()
            moved = tuple(coding_from_row(r) for r in rows)
            for r in rows:
                r.code_id = new_code.id
            by_id[new_code.id] = new_code
            log_change(
                s,
                coder_id,
                "split",
                source_id,
                f"Split {_plural(len(moved), 'coding')} of '{code_path(by_id[source_id], by_id)}'"
                f" into new code '{code_path(new_code, by_id)}'",
                new_code=code_to_dict(new_code),
                codings=len(moved),
            )
            return SplitCode(source_id, new_code, moved)

    def unsplit(self, split: SplitCode, coder_id: uuid.UUID | None = None) -> None:
        """Reverse :meth:`split`: the codings go back and the new code is removed."""
        with self._db.transaction() as s:
            row = self._row(s, split.new_code.id)
            moved = {c.id for c in split.moved}
            others = [c for c in _codings_of(s, [row.id]) if c.id not in moved]
            if others or s.scalar(select(CodeRow.id).where(CodeRow.parent_id == row.id)):
                raise ValidationError(
                    f"'{row.name}' has been used since the split; remove that use first."
                )
            for before in split.moved:
                coding = s.get(CodingRow, before.id)
                if coding is None:
                    raise NotFoundError("A coding of the split was removed in the meantime.")
                coding_to_row(before, coding)
            s.flush()
            s.delete(row)
            log_change(
                s,
                coder_id,
                "unsplit",
                split.source_id,
                f"Put {_plural(len(split.moved), 'coding')} of '{row.name}' back and removed "
                "it (split undone)",
            )

    # -- delete and restore --------------------------------------------------------------------
    def delete(self, code_id: uuid.UUID, coder_id: uuid.UUID | None = None) -> DeletedCodes:
        """Delete a code, its descendants and all their codings; return what went."""
        with self._db.transaction() as s:
            codes = _all_codes(s)
            by_id = {c.id: c for c in codes}
            if code_id not in by_id:
                raise NotFoundError(f"Code {code_id} is not in this codebook.")
            ids = subtree_ids(code_id, codes)
            codings = _codings_of(s, ids)
            fields, values = FieldService.fields_and_values_in(s, ids)
            # Children first, so no foreign key ever points at a deleted row mid-way.
            for cid in reversed(ids):
                s.delete(s.get(CodeRow, cid))
                s.flush()
            extra = f" with {_plural(len(ids) - 1, 'sub-code')}" if len(ids) > 1 else ""
            log_change(
                s,
                coder_id,
                "delete",
                code_id,
                f"Deleted '{code_path(by_id[code_id], by_id)}'{extra} and "
                f"{_plural(len(codings), 'coding')}",
                codes=[code_to_dict(by_id[i]) for i in ids],
                codings=len(codings),
            )
            return DeletedCodes(
                tuple(by_id[i] for i in ids), tuple(codings), tuple(fields), tuple(values)
            )

    def restore(self, deleted: DeletedCodes, coder_id: uuid.UUID | None = None) -> None:
        """Put back exactly what :meth:`delete` removed (same ids, fields and codings)."""
        with self._db.transaction() as s:
            codes = _all_codes(s)
            for code in deleted.codes:
                self._validate(code, codes)
                codes.append(code)
                s.add(code_to_row(code))
                s.flush()
            s.add_all(coding_to_row(c) for c in deleted.codings)
            FieldService.put_back(s, deleted.fields, deleted.values)
            first = deleted.codes[0] if deleted.codes else None
            log_change(
                s,
                coder_id,
                "restore",
                first.id if first else None,
                f"Restored '{first.name if first else ''}' with "
                f"{_plural(len(deleted.codes) - 1, 'sub-code')} and "
                f"{_plural(len(deleted.codings), 'coding')}",
                codes=[c.name for c in deleted.codes],
                codings=len(deleted.codings),
            )

    # -- versions and the log ------------------------------------------------------------------
    def current_version_id(self) -> uuid.UUID | None:
        """The most recently frozen codebook version, which new codings are stamped with."""
        with self._db.reader() as s:
            return latest_version_id(s)

    def change_log(self) -> list[dict]:
        """The change log, oldest first, as plain dictionaries."""
        return [
            {
                "at": e.at,
                "coder_id": e.coder_id,
                "action": e.action,
                "code_id": e.code_id,
                "details": dict(e.details),
            }
            for e in self.versions.changes()
        ]
