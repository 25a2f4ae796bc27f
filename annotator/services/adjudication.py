"""Adjudication: settle the disagreements of two coders into a consensus coder's codings.

Design (no schema change). The consensus is an ordinary coder named :data:`CONSENSUS_CODER`
("Adjudicated"), created on first use, so it exports, filters and enters agreement like any
coder. A decision on a disagreement writes codings:

* **accept A / accept B** - copies of that coder's codings in the disagreement;
* **both** - copies of both coders' codings (identical ones once);
* **edit** - a copy of one chosen coding with a new extent;
* **neither**, or accepting the side that coded nothing - copies of the rejected codings
  for the companion coder :data:`REJECTED_CODER` ("Adjudicated (rejected)"), so that the
  decision itself survives reopening while the consensus stays empty there.

Every written coding's memo starts with a line saying what was decided, by whom and when
(``Adjudication: accepted Ann's coding. Decided by Eve, 2025-01-31 14:05 UTC.``), then the
original memo. **Settled** means: the consensus or rejected coder has a coding with one of
the disagreement's codes that overlaps its extent. Deciding again replaces that earlier
decision (in the same transaction), and :meth:`AdjudicationService.revert` and
:meth:`AdjudicationService.reapply` give exact undo and redo.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from annotator.agreement import CodedSpan, find_disagreements
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.fields import FieldValue
from annotator.domain.model import Coder, Coding, new_id, utcnow
from annotator.services.codebook_versions import latest_version_id
from annotator.storage.field_mapping import value_from_row, value_to_row
from annotator.storage.mapping import coding_to_row
from annotator.storage.models import CodingFieldValueRow, CodingRow, DocumentRow

if TYPE_CHECKING:
    from annotator.services.project import Project

CONSENSUS_CODER = "Adjudicated"
REJECTED_CODER = "Adjudicated (rejected)"
MEMO_PREFIX = "Adjudication: "


class DecisionKind(StrEnum):
    """What the adjudicator decided for one disagreement."""

    ACCEPT_A = "accept_a"
    ACCEPT_B = "accept_b"
    BOTH = "both"
    NEITHER = "neither"
    EDIT = "edit"


@dataclass(frozen=True)
class DisagreementItem:
    """One disagreement of two coders, with their codings and any decision made on it."""

    kind: str  # "boundary", "code" or "missing" (see annotator.agreement.find_disagreements)
    document_id: uuid.UUID
    start: int
    end: int
    code_ids: tuple[uuid.UUID, ...]
    coder_a: uuid.UUID
    coder_b: uuid.UUID
    codings_a: tuple[Coding, ...]
    codings_b: tuple[Coding, ...]
    decision: tuple[Coding, ...] = ()  # consensus / rejected codings settling it

    @property
    def settled(self) -> bool:
        """Whether a decision exists for it."""
        return bool(self.decision)


@dataclass(frozen=True)
class DecisionResult:
    """What a decision wrote and what earlier decision it replaced (for undo and redo)."""

    added: tuple[Coding, ...]
    removed: tuple[Coding, ...]
    # Field values (issue 10) of the added codings (copied from the accepted ones) and of
    # the removed codings, so that undo and redo put them back exactly.
    added_values: tuple[FieldValue, ...] = ()
    removed_values: tuple[FieldValue, ...] = ()


def _overlaps(c: Coding, start: int, end: int) -> bool:
    return c.start < end and start < c.end


def _describe(kind: DecisionKind, item: DisagreementItem, names: dict[uuid.UUID, str]) -> str:
    a, b = names.get(item.coder_a, "coder A"), names.get(item.coder_b, "coder B")
    return {
        DecisionKind.ACCEPT_A: f"accepted {a}'s coding over {b}'s",
        DecisionKind.ACCEPT_B: f"accepted {b}'s coding over {a}'s",
        DecisionKind.BOTH: f"accepted both {a}'s and {b}'s codings",
        DecisionKind.NEITHER: f"rejected both {a}'s and {b}'s codings",
        DecisionKind.EDIT: "accepted a coding with an adjusted extent",
    }[kind]


class AdjudicationService:
    """Disagreement lists and decisions for one project. Every write is one transaction."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._db = project.db

    # -- coders ---------------------------------------------------------------------------
    def adjudication_coders(self) -> dict[str, Coder]:
        """The consensus and rejected coders that exist so far, by name."""
        found = {}
        for name in (CONSENSUS_CODER, REJECTED_CODER):
            coder = self._project.coders.find(name)
            if coder is not None:
                found[name] = coder
        return found

    # -- reading ------------------------------------------------------------------------
    def disagreements(
        self,
        document_id: uuid.UUID,
        coder_a: uuid.UUID,
        coder_b: uuid.UUID,
        code_ids: Collection[uuid.UUID] | None = None,
    ) -> list[DisagreementItem]:
        """Every disagreement of the two coders in one document, by position."""
        judges = [c.id for c in self.adjudication_coders().values()]
        codings = self._project.codings.for_document(document_id, {coder_a, coder_b, *judges})
        return self._items(document_id, coder_a, coder_b, codings, judges, code_ids)

    def progress(
        self,
        document_ids: Iterable[uuid.UUID],
        coder_a: uuid.UUID,
        coder_b: uuid.UUID,
        code_ids: Collection[uuid.UUID] | None = None,
    ) -> tuple[int, int]:
        """``(settled, total)`` disagreements over the given documents."""
        judges = [c.id for c in self.adjudication_coders().values()]
        by_doc: dict[uuid.UUID, list[Coding]] = defaultdict(list)
        for c in self._project.codings.all({coder_a, coder_b, *judges}):
            by_doc[c.document_id].append(c)
        settled = total = 0
        for doc in document_ids:
            items = self._items(doc, coder_a, coder_b, by_doc.get(doc, []), judges, code_ids)
            total += len(items)
            settled += sum(1 for i in items if i.settled)
        return settled, total

    @staticmethod
    def _items(
        document_id: uuid.UUID,
        coder_a: uuid.UUID,
        coder_b: uuid.UUID,
        codings: Sequence[Coding],
        judges: Sequence[uuid.UUID],
        code_ids: Collection[uuid.UUID] | None,
    ) -> list[DisagreementItem]:
        wanted = None if code_ids is None else set(code_ids)
        by_key: dict[CodedSpan, list[Coding]] = defaultdict(list)
        decided: list[Coding] = []
        for c in codings:
            if c.coder_id in judges:
                decided.append(c)
            elif c.coder_id in (coder_a, coder_b) and (wanted is None or c.code_id in wanted):
                key = CodedSpan(str(c.coder_id), str(document_id), str(c.code_id), c.start, c.end)
                by_key[key].append(c)
        found = find_disagreements(by_key, str(coder_a), str(coder_b), str(document_id))
        items = []
        for d in found:
            codes = tuple(uuid.UUID(code) for code in d.codes)
            items.append(
                DisagreementItem(
                    d.kind,
                    document_id,
                    d.start,
                    d.end,
                    codes,
                    coder_a,
                    coder_b,
                    tuple(c for s in d.spans_a for c in by_key[s]),
                    tuple(c for s in d.spans_b for c in by_key[s]),
                    tuple(
                        c for c in decided if c.code_id in codes and _overlaps(c, d.start, d.end)
                    ),
                )
            )
        return items

    # -- deciding -----------------------------------------------------------------------
    def decide(
        self,
        item: DisagreementItem,
        kind: DecisionKind,
        decided_by: Coder,
        *,
        source: Coding | None = None,
        extent: tuple[int, int] | None = None,
    ) -> DecisionResult:
        """Record a decision on ``item``, replacing an earlier one; one transaction.

        ``source`` and ``extent`` are needed for :attr:`DecisionKind.EDIT`: the coding (of
        coder A or B) to accept and its new ``(start, end)``.
        """
        names = {c.id: c.name for c in self._project.coders.list()}
        consensus = self._project.coders.ensure(CONSENSUS_CODER)
        if kind is DecisionKind.EDIT:
            if source is None or extent is None:
                raise ValidationError("Choose the coding to accept and its new extent.")
            if source not in (*item.codings_a, *item.codings_b):
                raise ValidationError("The edited coding must be one of the two coders'.")
            accepted = [source.with_changes(start=extent[0], end=extent[1])]
        else:
            accepted = {
                DecisionKind.ACCEPT_A: list(item.codings_a),
                DecisionKind.ACCEPT_B: list(item.codings_b),
                DecisionKind.BOTH: [*item.codings_a, *item.codings_b],
                DecisionKind.NEITHER: [],
            }[kind]
        owner = consensus
        if not accepted:
            # Nothing enters the consensus: keep the rejected codings as the decision's record.
            owner = self._project.coders.ensure(REJECTED_CODER)
            accepted = [*item.codings_a, *item.codings_b]
        stamp = utcnow()
        note = (
            f"{MEMO_PREFIX}{_describe(kind, item, names)} ({item.kind} disagreement). "
            f"Decided by {decided_by.name}, {stamp:%Y-%m-%d %H:%M} UTC."
        )
        added: list[Coding] = []
        values: list[FieldValue] = []
        found = self._project.fields.values_for_codings(c.id for c in accepted)
        seen: set[tuple[uuid.UUID, int, int]] = set()
        for c in accepted:
            if (c.code_id, c.start, c.end) in seen:
                continue  # "both" on identical codings keeps one
            seen.add((c.code_id, c.start, c.end))
            memo = note if not c.memo else f"{note}\n{c.memo}"
            copy_id = new_id()
            values += [replace(v, coding_id=copy_id) for v in found.get(c.id, {}).values()]
            added.append(
                Coding(
                    id=copy_id,
                    document_id=item.document_id,
                    code_id=c.code_id,
                    coder_id=owner.id,
                    start=c.start,
                    end=c.end,
                    quote="",
                    memo=memo,
                    created_at=stamp,
                    modified_at=stamp,
                )
            )
        return self._write(DecisionResult(tuple(added), item.decision, tuple(values)), fresh=True)

    def revert(self, result: DecisionResult) -> None:
        """Undo a decision: remove what it wrote and put back what it replaced, exactly."""
        self._write(
            DecisionResult(result.removed, result.added, result.removed_values), fresh=False
        )

    def reapply(self, result: DecisionResult) -> None:
        """Redo a decision exactly as it was first written (same ids and times)."""
        self._write(result, fresh=False)

    def _write(self, result: DecisionResult, *, fresh: bool) -> DecisionResult:
        with self._db.transaction() as s:
            rows = s.scalars(
                select(CodingRow).where(CodingRow.id.in_([c.id for c in result.removed]))
            ).all()
            if len(rows) != len(result.removed):
                raise NotFoundError("The earlier decision was changed in the meantime.")
            gone = [
                value_from_row(v)
                for v in s.scalars(
                    select(CodingFieldValueRow).where(
                        CodingFieldValueRow.coding_id.in_([c.id for c in result.removed])
                    )
                ).all()
            ]
            for r in rows:
                s.delete(r)
            s.flush()
            added = []
            version = latest_version_id(s) if fresh else None
            for c in result.added:
                doc = s.get(DocumentRow, c.document_id)
                if doc is None:
                    raise NotFoundError("The document of this disagreement is gone.")
                if not 0 <= c.start < c.end <= len(doc.text):
                    raise ValidationError(
                        f"The extent {c.start}-{c.end} does not fit the document "
                        f"(0-{len(doc.text)}), or is empty."
                    )
                if fresh:
                    c = c.with_changes(quote=doc.text[c.start : c.end], codebook_version_id=version)
                s.add(coding_to_row(c))
                added.append(c)
            s.flush()
            s.add_all(value_to_row(v) for v in result.added_values)
        return DecisionResult(tuple(added), result.removed, result.added_values, tuple(gone))
