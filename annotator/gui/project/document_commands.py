"""Undo commands on documents (their metadata; a document's text never changes)."""

from __future__ import annotations

import uuid

from annotator.domain.structure import DocumentMetadata
from annotator.gui.controller import ProjectController, UndoableCommand


class UpdateMetadataCommand(UndoableCommand):
    """Replace a document's title, author, publisher, date and attributes."""

    def __init__(
        self,
        controller: ProjectController,
        document_id: uuid.UUID,
        before: DocumentMetadata,
        after: DocumentMetadata,
    ) -> None:
        super().__init__(controller, f"Edit properties of {before.title}")
        self.document_id = document_id
        self.before = before
        self.after = after

    def apply(self) -> None:
        """Store the new metadata."""
        self.controller.project.documents.update_metadata(self.document_id, self.after)
        self.controller.documents_changed.emit()

    def revert(self) -> None:
        """Store the old metadata."""
        self.controller.project.documents.update_metadata(self.document_id, self.before)
        self.controller.documents_changed.emit()
