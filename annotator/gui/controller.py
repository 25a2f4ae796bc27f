"""The GUI's one link to the project: reads through services, writes through undo commands.

Panels never call services themselves. They read plain data from the controller and listen
to its typed signals, which say exactly what changed, so each panel refreshes only that.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Code, Coder, Coding, Document, DocumentSummary
from annotator.domain.structure import BlockKind
from annotator.services.codings import CodeCounts
from annotator.services.project import Project


@dataclass(frozen=True)
class CodingDelta:
    """Codings that appeared and disappeared in one change (an edit is both)."""

    added: tuple[Coding, ...] = ()
    removed: tuple[Coding, ...] = ()

    def documents(self) -> set[uuid.UUID]:
        """Documents touched by the change."""
        return {c.document_id for c in (*self.added, *self.removed)}


class ShowMode(StrEnum):
    """Whose codings the views show."""

    MINE = "mine"
    ALL = "all"
    CHOSEN = "chosen"


class ProjectController(QObject):
    """Holds the open project, the current coder, the visibility filter and the undo stack."""

    codings_delta = Signal(object)  # CodingDelta: panels patch themselves, no reload
    codings_changed = Signal(object)  # a document's UUID, or None: reload what you show
    codebook_changed = Signal()
    documents_changed = Signal()
    visibility_changed = Signal()
    coder_changed = Signal()
    links_changed = Signal()  # links between codings were added, removed or changed
    error = Signal(str)
    field_values_changed = Signal(object)  # coding ids whose field values changed (issue 10)

    def __init__(self, project: Project, coder: Coder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.coder = coder
        self.undo_stack = QUndoStack(self)
        self.show_mode = ShowMode.MINE
        self.chosen_coders: set[uuid.UUID] = set()
        self.blind = False
        self.snap_to_words = True

    # -- who is visible -------------------------------------------------------------------
    def visible_coder_ids(self) -> set[uuid.UUID] | None:
        """The coders whose codings and counts are shown; None means every coder."""
        if self.blind or self.show_mode is ShowMode.MINE:
            return {self.coder.id}
        if self.show_mode is ShowMode.CHOSEN:
            return set(self.chosen_coders)
        return None

    def set_show_mode(self, mode: ShowMode, chosen: set[uuid.UUID] | None = None) -> None:
        """Show my codings, everyone's, or a chosen set of coders'."""
        self.show_mode = mode
        if chosen is not None:
            self.chosen_coders = set(chosen)
        self.visibility_changed.emit()

    def set_blind(self, blind: bool) -> None:
        """Blind mode hides every other coder's codings and counts, whatever the show mode."""
        self.blind = blind
        self.visibility_changed.emit()

    def set_coder(self, coder: Coder) -> None:
        """Switch the current coder (new codings are attributed to them)."""
        self.coder = coder
        self.undo_stack.clear()  # undoing another coder's actions would be surprising
        self.coder_changed.emit()
        self.visibility_changed.emit()

    # -- reads ----------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        """The document list with visible coding counts."""
        return self.project.documents.list(self.visible_coder_ids())

    def document(self, document_id: uuid.UUID) -> Document:
        """A whole document."""
        return self.project.documents.get(document_id)

    def reading_document(self, document_id: uuid.UUID) -> Document:
        """A document as the reading view needs it: text, pages, headings and footnotes."""
        return self.project.documents.get(
            document_id, kinds=(BlockKind.HEADING, BlockKind.FOOTNOTE)
        )

    def codes(self) -> list[Code]:
        """Every code."""
        return self.project.codebook.list()

    def coders(self) -> list[Coder]:
        """Every coder of the project."""
        return self.project.coders.list()

    def codings(self, document_id: uuid.UUID) -> list[Coding]:
        """The visible codings of one document."""
        return self.project.codings.for_document(document_id, self.visible_coder_ids())

    def coding_count(self, document_id: uuid.UUID) -> int:
        """How many visible codings a document has."""
        return self.project.codings.count(document_id, self.visible_coder_ids())

    def codings_between(self, document_id: uuid.UUID, start: int, end: int) -> list[Coding]:
        """The visible codings overlapping ``[start, end)`` of a document."""
        return self.project.codings.overlapping(document_id, start, end, self.visible_coder_ids())

    def counts(self, document_id: uuid.UUID | None) -> dict[uuid.UUID, CodeCounts]:
        """Visible codings per code, in ``document_id`` and in total."""
        return self.project.codings.counts(document_id, self.visible_coder_ids())

    # -- writes ---------------------------------------------------------------------------
    def run(self, command: UndoableCommand) -> bool:
        """Perform ``command`` now (committing it) and put it on the undo stack.

        Returns False, after reporting the error, when the service refused the change;
        nothing is then pushed, so undo never tries to reverse a change that did not happen.
        """
        if self.project.read_only:
            self.error.emit(f"{self.project.path.name} is open read-only; changes are not saved.")
            return False
        try:
            command.perform()
        except AnnotatorError as exc:
            self.error.emit(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    def is_visible(self, coding: Coding) -> bool:
        """True when ``coding`` belongs to a coder currently shown."""
        visible = self.visible_coder_ids()
        return visible is None or coding.coder_id in visible

    def notify_delta(self, delta: CodingDelta) -> None:
        """Tell every panel which codings appeared and disappeared."""
        self.codings_delta.emit(delta)

    def notify_links(self) -> None:
        """Tell every panel that links between codings changed."""
        self.links_changed.emit()

    def notify_values(self, coding_ids: object) -> None:
        """Tell every panel that these codings' field values changed."""
        self.field_values_changed.emit(list(coding_ids))  # type: ignore[call-overload]

    def notify_codebook(self) -> None:
        """Tell every panel that the codebook changed."""
        self.codebook_changed.emit()
        self.codings_changed.emit(None)
        self.documents_changed.emit()


class UndoableCommand(QUndoCommand):
    """A change that is performed once through the controller, then undone and redone.

    ``perform`` does the first application (and may raise to refuse); ``redo`` is skipped
    once because QUndoStack.push calls it right after the change was already made.
    """

    def __init__(self, controller: ProjectController, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self._pushed = False

    def perform(self) -> None:
        """Apply the change for the first time."""
        self.apply()

    def apply(self) -> None:  # pragma: no cover - abstract
        """Apply the change (commit it) and notify."""
        raise NotImplementedError

    def revert(self) -> None:  # pragma: no cover - abstract
        """Reverse the change (commit it) and notify."""
        raise NotImplementedError

    def redo(self) -> None:
        """Qt calls this on push and on redo."""
        if not self._pushed:
            self._pushed = True
            return
        self._guard(self.apply)

    def undo(self) -> None:
        """Qt calls this on undo."""
        self._guard(self.revert)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except AnnotatorError as exc:
            # Another instance may have changed the project; say so rather than crash.
            self.controller.error.emit(f"Could not {self.text().lower()}: {exc}")
            self.setObsolete(True)
