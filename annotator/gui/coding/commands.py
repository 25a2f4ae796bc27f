"""Undo commands: every change a user makes is one of these, calling the service API."""

from __future__ import annotations

import uuid

from annotator.domain.links import RemovedCodings
from annotator.domain.model import Code, CodebookVersion, Coding
from annotator.gui.controller import CodingDelta, ProjectController, UndoableCommand
from annotator.services.codebook import DeletedCodes, MergedCodes, SplitCode
from annotator.services.codebook_versions import FrozenVersion
from annotator.services.field_suggestions import SuggestionService


class ApplyCodingCommand(UndoableCommand):
    """Code a passage; undo removes that very coding, redo stores it again with its id."""

    def __init__(self, controller: ProjectController, coding: Coding, code_name: str) -> None:
        super().__init__(controller, f"Code as {code_name}")
        self.coding = coding

    def apply(self) -> None:
        """Store the coding."""
        self.coding = self.controller.project.codings.add(self.coding)
        # Suggested field values (issue 10) belong to the same gesture: undo removes both.
        SuggestionService(self.controller.project).fill([self.coding.id])
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
        self.with_links = RemovedCodings()
        self.values: list = []  # their field values (issue 10), put back on undo

    def apply(self) -> None:
        """Delete the codings and their links, remembering them and their field values."""
        fields = self.controller.project.fields
        found = fields.values_for_codings(self.coding_ids)
        self.values = [v for per in found.values() for v in per.values()]
        self.with_links = self.controller.project.links.remove_codings(self.coding_ids)
        self.removed = list(self.with_links.codings)
        self.controller.notify_delta(CodingDelta(removed=tuple(self.removed)))
        if self.with_links.links:
            self.controller.notify_links()

    def revert(self) -> None:
        """Restore the remembered codings, their field values and their links."""
        self.controller.project.links.restore_codings(self.with_links)
        self.controller.project.fields.restore_values(self.values)
        self.controller.notify_delta(CodingDelta(added=tuple(self.removed)))
        if self.with_links.links:
            self.controller.notify_links()


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


def _as_stored(code: Code) -> Code:
    """``code`` as the codebook service stores it (the name trimmed)."""
    return code.with_changes(name=code.name.strip())


class UpdateCodeCommand(UndoableCommand):
    """Rename, recolour, re-key, move or redefine a code."""

    def __init__(self, controller: ProjectController, before: Code, after: Code, text: str) -> None:
        super().__init__(controller, text)
        self.before = before
        self.after = after

    def apply(self) -> None:
        """Write the new version."""
        # ``expected``: on a team server, an edit racing another person's is refused.
        self.controller.project.codebook.update(
            self.after, self.controller.coder.id, expected=_as_stored(self.before)
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Write the old version."""
        self.controller.project.codebook.update(
            self.before, self.controller.coder.id, expected=_as_stored(self.after)
        )
        self.controller.notify_codebook()


class DeleteCodeCommand(UndoableCommand):
    """Delete a code with its children and codings; undo restores all of them."""

    def __init__(self, controller: ProjectController, code: Code) -> None:
        super().__init__(controller, f"Delete code {code.name}")
        self.code = code
        self.deleted: DeletedCodes | None = None
        self.links: list = []

    def apply(self) -> None:
        """Delete, remembering everything removed (links of its codings too)."""
        subtree = {self.code.id}
        codes = self.controller.codes()
        grew = True
        while grew:
            more = {c.id for c in codes if c.parent_id in subtree} - subtree
            subtree |= more
            grew = bool(more)
        self.links = self.controller.project.links.for_codes(subtree)
        self.deleted = self.controller.project.codebook.delete(
            self.code.id, self.controller.coder.id
        )
        self.controller.notify_codebook()
        if self.links:
            self.controller.notify_links()

    def revert(self) -> None:
        """Restore codes, codings and their links."""
        assert self.deleted is not None
        self.controller.project.codebook.restore(self.deleted, self.controller.coder.id)
        if self.links:
            self.controller.project.links.restore(self.links)
        self.controller.notify_codebook()
        if self.links:
            self.controller.notify_links()


class MoveCodeCommand(UndoableCommand):
    """Move a code under another parent and/or to another place among its siblings."""

    def __init__(
        self,
        controller: ProjectController,
        code: Code,
        parent_id: uuid.UUID | None,
        index: int,
        text: str | None = None,
    ) -> None:
        super().__init__(controller, text or f"Move code {code.name}")
        self.code = code
        self.parent_id = parent_id
        self.index = index
        self.before: tuple[Code, ...] = ()

    def apply(self) -> None:
        """Move, remembering every code whose place changed."""
        self.before = self.controller.project.codebook.move(
            self.code.id, self.parent_id, self.index, self.controller.coder.id
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Put every code back where it was."""
        self.controller.project.codebook.restore_positions(self.before, self.controller.coder.id)
        self.controller.notify_codebook()


class MergeCodesCommand(UndoableCommand):
    """Merge one code into another; undo separates them again exactly."""

    def __init__(self, controller: ProjectController, source: Code, target: Code) -> None:
        super().__init__(controller, f"Merge {source.name} into {target.name}")
        self.source = source
        self.target = target
        self.merged: MergedCodes | None = None

    def apply(self) -> None:
        """Merge, remembering every coding and child that changed."""
        self.merged = self.controller.project.codebook.merge(
            self.source.id, self.target.id, self.controller.coder.id
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Bring the source code back with its children and codings."""
        assert self.merged is not None
        self.controller.project.codebook.unmerge(self.merged, self.controller.coder.id)
        self.controller.notify_codebook()


class SplitCodeCommand(UndoableCommand):
    """Move chosen codings of a code to a new code."""

    def __init__(
        self,
        controller: ProjectController,
        source: Code,
        new_code: Code,
        coding_ids: list[uuid.UUID],
    ) -> None:
        super().__init__(controller, f"Split {source.name} into {new_code.name}")
        self.source = source
        self.new_code = new_code
        self.coding_ids = coding_ids
        self.split: SplitCode | None = None

    def apply(self) -> None:
        """Create the new code (same id on redo) and move the codings to it."""
        self.split = self.controller.project.codebook.split(
            self.source.id, self.new_code, self.coding_ids, self.controller.coder.id
        )
        self.new_code = self.split.new_code
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Move the codings back and remove the new code."""
        assert self.split is not None
        self.controller.project.codebook.unsplit(self.split, self.controller.coder.id)
        self.controller.notify_codebook()


class FreezeVersionCommand(UndoableCommand):
    """Freeze the codebook as a named version; undo removes the version again."""

    def __init__(self, controller: ProjectController, name: str, note: str = "") -> None:
        super().__init__(controller, f"Freeze codebook version {name.strip()}")
        self.name = name
        self.note = note
        self.version: CodebookVersion | None = None
        self.frozen: FrozenVersion | None = None

    def apply(self) -> None:
        """Freeze now, or on redo put back the very version undo removed (with stamps)."""
        versions = self.controller.project.codebook.versions
        if self.frozen is None:
            self.version = versions.freeze(self.name, self.controller.coder.id, self.note)
        else:
            versions.reinstate(self.frozen, self.controller.coder.id)
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Remove the version, remembering which codings carried it."""
        assert self.version is not None
        self.frozen = self.controller.project.codebook.versions.delete(
            self.version.id, self.controller.coder.id
        )
        self.controller.notify_codebook()
