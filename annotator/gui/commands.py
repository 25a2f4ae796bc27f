"""Undo commands: every change a user makes is one of these, calling the service API."""

from __future__ import annotations

import uuid

from annotator.domain.model import Code, Coding
from annotator.gui.controller import CodingDelta, ProjectController, UndoableCommand
from annotator.services.codebook import DeletedCodes


class ApplyCodingCommand(UndoableCommand):
    """Code a passage; undo removes that very coding, redo stores it again with its id."""

    def __init__(self, controller: ProjectController, coding: Coding, code_name: str) -> None:
        super().__init__(controller, f"Code as {code_name}")
        self.coding = coding

    def apply(self) -> None:
        """Store the coding."""
        self.coding = self.controller.project.codings.add(self.coding)
        self.controller.notify_delta(CodingDelta(added=(self.coding,)))

    def revert(self) -> None:
        """Remove the coding."""
        self.controller.project.codings.remove([self.coding.id])
        self.controller.notify_delta(CodingDelta(removed=(self.coding,)))


class RemoveCodingsCommand(UndoableCommand):
    """Remove codings; undo puts them back exactly (ids, times, memos)."""

    def __init__(self, controller: ProjectController, coding_ids: list[uuid.UUID]) -> None:
        n = len(coding_ids)
        super().__init__(controller, "Remove coding" if n == 1 else f"Remove {n} codings")
        self.coding_ids = coding_ids
        self.removed: list[Coding] = []

    def apply(self) -> None:
        """Delete the codings, remembering them."""
        self.removed = self.controller.project.codings.remove(self.coding_ids)
        self.controller.notify_delta(CodingDelta(removed=tuple(self.removed)))

    def revert(self) -> None:
        """Restore the remembered codings."""
        self.controller.project.codings.restore(self.removed)
        self.controller.notify_delta(CodingDelta(added=tuple(self.removed)))


class UpdateCodingCommand(UndoableCommand):
    """Change a coding's code, span or memo."""

    def __init__(
        self, controller: ProjectController, before: Coding, after: Coding, text: str
    ) -> None:
        super().__init__(controller, text)
        self.before = before
        self.after = after

    def apply(self) -> None:
        """Write the new version."""
        self.after = self.controller.project.codings.update(self.after)
        self.controller.notify_delta(CodingDelta(added=(self.after,), removed=(self.before,)))

    def revert(self) -> None:
        """Write the old version back exactly."""
        self.controller.project.codings.replace(self.before)
        self.controller.notify_delta(CodingDelta(added=(self.before,), removed=(self.after,)))


class AddCodeCommand(UndoableCommand):
    """Add a code to the codebook."""

    def __init__(self, controller: ProjectController, code: Code) -> None:
        super().__init__(controller, f"Add code {code.name}")
        self.code = code

    def apply(self) -> None:
        """Store the code."""
        self.code = self.controller.project.codebook.add(self.code, self.controller.coder.id)
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Delete it again (a fresh code has no codings unless redo-ne later ones exist)."""
        self.controller.project.codebook.delete(self.code.id, self.controller.coder.id)
        self.controller.notify_codebook()


class UpdateCodeCommand(UndoableCommand):
    """Rename, recolour, re-key, move or redefine a code."""

    def __init__(self, controller: ProjectController, before: Code, after: Code, text: str) -> None:
        super().__init__(controller, text)
        self.before = before
        self.after = after

    def apply(self) -> None:
        """Write the new version."""
        self.controller.project.codebook.update(self.after, self.controller.coder.id)
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Write the old version."""
        self.controller.project.codebook.update(self.before, self.controller.coder.id)
        self.controller.notify_codebook()


class DeleteCodeCommand(UndoableCommand):
    """Delete a code with its children and codings; undo restores all of them."""

    def __init__(self, controller: ProjectController, code: Code) -> None:
        super().__init__(controller, f"Delete code {code.name}")
        self.code = code
        self.deleted: DeletedCodes | None = None

    def apply(self) -> None:
        """Delete, remembering everything removed."""
        self.deleted = self.controller.project.codebook.delete(
            self.code.id, self.controller.coder.id
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Restore codes and codings."""
        assert self.deleted is not None
        self.controller.project.codebook.restore(self.deleted, self.controller.coder.id)
        self.controller.notify_codebook()
