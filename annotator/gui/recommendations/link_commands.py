"""Undo commands for links between codings: add, remove, change, and code-and-link."""

from __future__ import annotations

from annotator.domain.links import CodingLink, RemovedCodings
from annotator.domain.model import Coding
from annotator.gui.controller import CodingDelta, ProjectController, UndoableCommand


class AddLinkCommand(UndoableCommand):
    """Store a link; undo removes it, redo stores the very same link again."""

    def __init__(self, controller: ProjectController, link: CodingLink) -> None:
        super().__init__(controller, f"Link ({link.link_type})")
        self.link = link

    def apply(self) -> None:
        """Store the link."""
        self.controller.project.links.add(self.link)
        self.controller.notify_links()

    def revert(self) -> None:
        """Remove the link."""
        self.controller.project.links.remove([self.link.id])
        self.controller.notify_links()


class RemoveLinksCommand(UndoableCommand):
    """Remove links; undo restores them exactly."""

    def __init__(self, controller: ProjectController, links: list[CodingLink]) -> None:
        n = len(links)
        super().__init__(controller, "Remove link" if n == 1 else f"Remove {n} links")
        self.links = links

    def apply(self) -> None:
        """Delete the links."""
        self.links = self.controller.project.links.remove([lk.id for lk in self.links])
        self.controller.notify_links()

    def revert(self) -> None:
        """Put them back."""
        self.controller.project.links.restore(self.links)
        self.controller.notify_links()


class UpdateLinkCommand(UndoableCommand):
    """Change a link's type, status or memo; undo writes the link back as it was."""

    def __init__(
        self, controller: ProjectController, before: CodingLink, after: CodingLink
    ) -> None:
        what = f"status to {after.status}" if before.status != after.status else "link"
        super().__init__(controller, f"Change {what}")
        self.before = before
        self.after = after

    def apply(self) -> None:
        """Store the change."""
        self.after = self.controller.project.links.update(self.after)
        self.controller.notify_links()

    def revert(self) -> None:
        """Write the link back as it was."""
        self.controller.project.links.replace(self.before)
        self.controller.notify_links()


class CodeAndLinkCommand(UndoableCommand):
    """Code new passages (zero, one or two) and link two codings in one undoable step.

    Used when linking selections in the side-by-side view and when accepting a matched
    response: undo removes the link and the codings it made; redo stores the same ones.
    """

    def __init__(
        self,
        controller: ProjectController,
        new_codings: list[Coding],
        link: CodingLink,
        text: str = "Link passages",
    ) -> None:
        super().__init__(controller, text)
        self.new_codings = new_codings
        self.link = link

    def apply(self) -> None:
        """Store the new codings, then the link."""
        project = self.controller.project
        stored: list[Coding] = []
        try:
            for coding in self.new_codings:
                stored.append(project.codings.add(coding))
            project.links.add(self.link)
        except Exception:
            if stored:  # leave nothing half-made behind
                project.links.remove_codings([c.id for c in stored])
            raise
        self.new_codings = stored
        if stored:
            self.controller.notify_delta(CodingDelta(added=tuple(stored)))
        self.controller.notify_links()

    def revert(self) -> None:
        """Remove the link and the codings made for it."""
        project = self.controller.project
        project.links.remove([self.link.id])
        if self.new_codings:
            removed: RemovedCodings = project.links.remove_codings([c.id for c in self.new_codings])
            self.controller.notify_delta(CodingDelta(removed=removed.codings))
        self.controller.notify_links()


class SetLinkListsCommand(UndoableCommand):
    """Replace the project's link types and response statuses; undo puts the old lists back."""

    def __init__(
        self, controller: ProjectController, types: list[str], statuses: list[str]
    ) -> None:
        super().__init__(controller, "Edit link types and statuses")
        self.types, self.statuses = types, statuses
        self.old_types: list[str] = []
        self.old_statuses: list[str] = []

    def apply(self) -> None:
        """Store the new lists (refused, unchanged, when links still use a removed name)."""
        links = self.controller.project.links
        old_types, old_statuses = links.link_types(), links.statuses()
        links.set_statuses(self.statuses)
        try:
            links.set_link_types(self.types)
        except Exception:
            links.set_statuses(old_statuses)
            raise
        self.old_types, self.old_statuses = old_types, old_statuses
        self.controller.notify_links()

    def revert(self) -> None:
        """Put the old lists back."""
        links = self.controller.project.links
        links.set_statuses(self.old_statuses)
        links.set_link_types(self.old_types)
        self.controller.notify_links()
