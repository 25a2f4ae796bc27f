"""Undo commands for adjudication: each decision on a disagreement is one undoable step."""

from __future__ import annotations

from annotator.domain.model import Coding
from annotator.gui.controller import CodingDelta, ProjectController, UndoableCommand
from annotator.services.adjudication import (
    AdjudicationService,
    DecisionKind,
    DecisionResult,
    DisagreementItem,
)

DECISION_TEXT = {
    DecisionKind.ACCEPT_A: "Adjudicate: accept coder A",
    DecisionKind.ACCEPT_B: "Adjudicate: accept coder B",
    DecisionKind.BOTH: "Adjudicate: accept both",
    DecisionKind.NEITHER: "Adjudicate: accept neither",
    DecisionKind.EDIT: "Adjudicate: accept with adjusted extent",
}


class AdjudicateCommand(UndoableCommand):
    """Record a decision (committed at once); undo removes it and restores any earlier one.

    Redo writes the very same codings again (same ids and times), so a decision that is
    undone and redone is indistinguishable from one never undone.
    """

    def __init__(
        self,
        controller: ProjectController,
        item: DisagreementItem,
        kind: DecisionKind,
        *,
        source: Coding | None = None,
        extent: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(controller, DECISION_TEXT[kind])
        self.item = item
        self.kind = kind
        self.source = source
        self.extent = extent
        self.result: DecisionResult | None = None
        self._service = AdjudicationService(controller.project)

    def perform(self) -> None:
        """Decide for the first time, as the current coder."""
        self.result = self._service.decide(
            self.item,
            self.kind,
            self.controller.coder,
            source=self.source,
            extent=self.extent,
        )
        self._notify(self.result.added, self.result.removed)

    def apply(self) -> None:
        """Redo: write the same decision again."""
        assert self.result is not None
        self._service.reapply(self.result)
        self._notify(self.result.added, self.result.removed)

    def revert(self) -> None:
        """Undo: remove the decision and put back the one it replaced."""
        assert self.result is not None
        self._service.revert(self.result)
        self._notify(self.result.removed, self.result.added)

    def _notify(self, added: tuple[Coding, ...], removed: tuple[Coding, ...]) -> None:
        self.controller.notify_delta(CodingDelta(added=added, removed=removed))
