"""Turn a code's child codes into a choice field of another code, mapping every coding.

"Turn Addressee's child codes into a field of Recommendation": the field *Addressee* is
added to *Recommendation* with one choice per child code (label, definition and, for the
first nine, a digit key). Every coding of a child code then becomes a value:

1. it goes onto the target code's coding **by the same coder in the same document that
   overlaps it most** (a tie goes to the earlier coding), when that coding has no value
   for the field yet, or (for a multiple-choice field) always;
2. otherwise a new coding of the target code is made with the child coding's span, memo,
   coder and times, and the value is set on it.

The child codes and their codings are then removed, and the parent too when it is a
folder left empty. Values are confirmed (not suggestions) and keep their coder. One
transaction; :meth:`FieldConversionService.undo` restores everything exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from annotator.domain.codebook import code_path, subtree_ids, tree_order
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.fields import FieldChoice, FieldDef, FieldKind, FieldValue, validate_field
from annotator.domain.model import Code, Coding, new_id
from annotator.services.codebook_versions import log_change
from annotator.storage.field_mapping import (
    field_from_row,
    field_to_row,
    fields_and_values_in,
    put_back,
    value_to_row,
)
from annotator.storage.mapping import code_from_row, code_to_row, coding_from_row, coding_to_row
from annotator.storage.models import CodeFieldRow, CodeRow, CodingFieldValueRow, CodingRow


@dataclass(frozen=True)
class Conversion:
    """What a conversion did, so that undo can reverse it exactly."""

    field: FieldDef
    created: tuple[Coding, ...]  # new codings of the target code
    removed_codes: tuple[Code, ...]  # parents before children
    removed_codings: tuple[Coding, ...]
    removed_fields: tuple[FieldDef, ...]
    removed_values: tuple[FieldValue, ...]
    mapped: int  # child codings turned into values
    joined: int  # of those, how many went onto an existing coding


def _overlap(a: Coding, b: Coding) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


class FieldConversionService:
    """Conversions of child codes into fields for one project."""

    def __init__(self, project: Any) -> None:
        self._db = getattr(project, "db", project)

    def convert(
        self,
        source_id: uuid.UUID,
        target_id: uuid.UUID,
        coder_id: uuid.UUID | None = None,
        *,
        multiple: bool = False,
    ) -> Conversion:
        """Convert ``source_id``'s child codes into a field of ``target_id``."""
        with self._db.transaction() as s:
            codes = [code_from_row(r) for r in s.scalars(select(CodeRow)).all()]
            by_id = {c.id: c for c in codes}
            if source_id not in by_id or target_id not in by_id:
                raise NotFoundError("One of these codes is no longer in the codebook.")
            source, target = by_id[source_id], by_id[target_id]
            children = [c for c in tree_order(codes) if c.parent_id == source_id]
            if not children:
                raise ValidationError(f"'{source.name}' has no child codes to turn into a field.")
            if target_id in subtree_ids(source_id, codes):
                raise ValidationError(f"'{target.name}' is inside '{source.name}'; choose another.")
            if not target.codable:
                raise ValidationError(f"'{target.name}' is a folder; choose a code for the field.")
            if any(c.parent_id == child.id for c in codes for child in children):
                raise ValidationError(
                    f"Some child codes of '{source.name}' have child codes of their own; "
                    "only a flat list of codes can become a field."
                )
            kind = FieldKind.MULTIPLE_CHOICE if multiple else FieldKind.SINGLE_CHOICE
            choices = tuple(
                FieldChoice(str(uuid.uuid4()), c.name, c.definition, str(i + 1) if i < 9 else None)
                for i, c in enumerate(children)
            )
            siblings = [
                field_from_row(r)
                for r in s.scalars(select(CodeFieldRow).where(CodeFieldRow.code_id == target_id))
            ]
            field = validate_field(
                FieldDef(
                    new_id(),
                    target_id,
                    source.name,
                    kind,
                    choices,
                    False,
                    len(siblings),
                    source.definition,
                ),
                siblings,
            )
            s.add(field_to_row(field))
            s.flush()
            choice_of = {child.id: choices[i].id for i, child in enumerate(children)}
            child_ids = [c.id for c in children]
            child_codings = sorted(
                (
                    coding_from_row(r)
                    for r in s.scalars(select(CodingRow).where(CodingRow.code_id.in_(child_ids)))
                ),
                key=lambda c: (str(c.document_id), c.start, c.end, str(c.id)),
            )
            targets = [
                coding_from_row(r)
                for r in s.scalars(select(CodingRow).where(CodingRow.code_id == target_id))
            ]
            values: dict[uuid.UUID, list[str]] = {}
            created: list[Coding] = []
            joined = 0
            for k in child_codings:
                choice = choice_of[k.code_id]
                candidates = [
                    t
                    for t in targets
                    if t.document_id == k.document_id
                    and t.coder_id == k.coder_id
                    and _overlap(t, k) > 0
                    and (multiple or t.id not in values)
                ]
                best = max(candidates, key=lambda t: (_overlap(t, k), -t.start), default=None)
                if best is None:
                    best = k.with_changes(id=new_id(), code_id=target_id)
                    s.add(coding_to_row(best))
                    created.append(best)
                    targets.append(best)
                else:
                    joined += 1
                chosen = values.setdefault(best.id, [])
                if choice not in chosen:
                    chosen.append(choice)
            s.flush()
            when = {k.id: k for k in [*targets]}
            for coding_id, picked in values.items():
                ordered = [c.id for c in choices if c.id in picked]
                s.add(
                    value_to_row(
                        FieldValue(
                            coding_id,
                            field.id,
                            ordered if multiple else ordered[0],
                            when[coding_id].coder_id,
                            when[coding_id].modified_at,
                            False,
                        )
                    )
                )
            # Remove the child codes (and an emptied folder) with their codings.
            remove = list(child_ids)
            if not source.codable and not any(
                c.parent_id == source_id and c.id not in child_ids for c in codes
            ):
                remove.insert(0, source_id)
            removed_fields, removed_values = fields_and_values_in(s, remove)
            for row in s.scalars(select(CodingRow).where(CodingRow.code_id.in_(remove))).all():
                s.delete(row)
            s.flush()
            for cid in reversed(remove):
                s.delete(s.get(CodeRow, cid))
                s.flush()
            log_change(
                s,
                coder_id,
                "convert to field",
                target_id,
                f"Turned the child codes of '{code_path(source, by_id)}' into the field "
                f"'{field.name}' of '{code_path(target, by_id)}': {len(child_codings)} codings "
                f"mapped, {joined} onto existing codings, {len(created)} new",
                field=field.name,
                codes=[c.name for c in children],
            )
            return Conversion(
                field,
                tuple(created),
                tuple(by_id[i] for i in remove),
                tuple(child_codings),
                tuple(removed_fields),
                tuple(removed_values),
                len(child_codings),
                joined,
            )

    def undo(self, done: Conversion, coder_id: uuid.UUID | None = None) -> None:
        """Reverse :meth:`convert`: the codes and codings return, the field goes."""
        with self._db.transaction() as s:
            for row in s.scalars(
                select(CodingFieldValueRow).where(CodingFieldValueRow.field_id == done.field.id)
            ).all():
                s.delete(row)
            s.flush()
            row = s.get(CodeFieldRow, done.field.id)
            if row is not None:
                s.delete(row)
            for c in done.created:
                coding = s.get(CodingRow, c.id)
                if coding is not None:
                    s.delete(coding)
            s.flush()
            for code in done.removed_codes:
                s.add(code_to_row(code))
                s.flush()
            s.add_all(coding_to_row(c) for c in done.removed_codings)
            s.flush()
            put_back(s, done.removed_fields, done.removed_values)
            log_change(
                s,
                coder_id,
                "unconvert field",
                done.field.code_id,
                f"Turned the field '{done.field.name}' back into codes (conversion undone)",
            )
