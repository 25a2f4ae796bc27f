"""Undo command for many codings made in one step (coding retrieved passages, auto-coding)."""

from __future__ import annotations

from collections.abc import Callable

from annotator.domain.model import Coding
from annotator.gui.controller import CodingDelta, ProjectController, UndoableCommand


class AddCodingsCommand(UndoableCommand):
    """Store codings prepared elsewhere in one transaction; undo removes them all, redo
    puts back the very same codings (ids and times)."""

    def __init__(
        self, controller: ProjectController, text: str, make: Callable[[], list[Coding]]
    ) -> None:
        super().__init__(controller, text)
        self._make = make
        self.codings: list[Coding] = []

    def perform(self) -> None:
        """Make and store the codings (the first time)."""
        self.codings = self._make()
        self.controller.notify_delta(CodingDelta(added=tuple(self.codings)))

    def apply(self) -> None:
        """Store the same codings again (redo)."""
        self.controller.project.codings.restore(self.codings)
        self.controller.notify_delta(CodingDelta(added=tuple(self.codings)))

    def revert(self) -> None:
        """Remove them (undo)."""
        self.controller.project.codings.remove([c.id for c in self.codings])
        self.controller.notify_delta(CodingDelta(removed=tuple(self.codings)))
