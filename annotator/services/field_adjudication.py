"""Settling value disagreements into the consensus coder ("Adjudicated").

Deciding a value disagreement of a matched pair writes the chosen value on the consensus
coder's coding of the same code that overlaps coder A's coding most; when there is none,
one is made first as a copy of the chosen side's coding (span, code) with a memo saying
what was decided, by whom and when. The decision returns everything undo needs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from annotator.domain.fields import FieldValue, format_value
from annotator.domain.model import Coding, new_id, utcnow
from annotator.services.adjudication import CONSENSUS_CODER, MEMO_PREFIX
from annotator.services.field_agreement import ValueDisagreement


@dataclass(frozen=True)
class ValueDecision:
    """What one decision changed."""

    created: Coding | None  # a consensus coding made for the decision
    coding_id: uuid.UUID  # the consensus coding that carries the value
    field_id: uuid.UUID
    before: FieldValue | None
    after: FieldValue | None


class FieldAdjudicationService:
    """Value decisions for one project."""

    def __init__(self, project: Any) -> None:
        self._project = project

    def decide(
        self, item: ValueDisagreement, side: str, decided_by: uuid.UUID | None
    ) -> ValueDecision:
        """Take coder A's (``side="a"``) or B's (``"b"``) value into the consensus."""
        p = self._project
        chosen = item.coding_a if side == "a" else item.coding_b
        value = item.value_a if side == "a" else item.value_b
        consensus = p.coders.ensure(CONSENSUS_CODER)
        ref = item.coding_a
        candidates = [
            c
            for c in p.codings.overlapping(ref.document_id, ref.start, ref.end, {consensus.id})
            if c.code_id == ref.code_id
        ]
        target = max(
            candidates,
            key=lambda c: min(c.end, ref.end) - max(c.start, ref.start),
            default=None,
        )
        created = None
        if target is None:
            names = {c.id: c.name for c in p.coders.list()}
            who = names.get(decided_by, "unknown coder") if decided_by else "unknown coder"
            when = utcnow().strftime("%Y-%m-%d %H:%M UTC")
            memo = (
                f"{MEMO_PREFIX}{item.field.name} = {format_value(item.field, value) or '(empty)'}"
                f" from {names.get(chosen.coder_id, '?')}'s coding. Decided by {who}, {when}."
            )
            target = p.codings.add(
                Coding(
                    new_id(),
                    chosen.document_id,
                    chosen.code_id,
                    consensus.id,
                    chosen.start,
                    chosen.end,
                    chosen.quote,
                    memo,
                )
            )
            created = target
        after, before = p.fields.set_value(target.id, item.field.id, value, decided_by)
        return ValueDecision(created, target.id, item.field.id, before, after)

    def revert(self, decision: ValueDecision) -> None:
        """Undo a decision exactly."""
        p = self._project
        if decision.created is not None:
            p.codings.remove([decision.created.id])
        else:
            p.fields.replace_value(decision.coding_id, decision.field_id, decision.before)

    def reapply(self, decision: ValueDecision) -> None:
        """Redo a decision exactly."""
        p = self._project
        if decision.created is not None:
            p.codings.restore([decision.created])
        p.fields.replace_value(decision.coding_id, decision.field_id, decision.after)
