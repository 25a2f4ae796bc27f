"""Two people edit the same code at once: the later edit is refused, never overwrites."""

from __future__ import annotations

import pytest

from annotator.domain.server import ConflictError
from annotator.services.project import Project


def test_racing_edit_is_detected_and_nothing_is_overwritten(project: Project, project_path):
    other = Project.open(project_path)  # a second window, or another coder's client
    try:
        code = next(c for c in project.codebook.list() if c.codable)
        seen_by_both = code
        other.codebook.update(code.with_changes(definition="Theirs"), expected=seen_by_both)
        with pytest.raises(ConflictError, match="changed by someone else"):
            project.codebook.update(code.with_changes(definition="Mine"), expected=seen_by_both)
        assert project.codebook.get(code.id).definition == "Theirs"
        log = [e.action for e in project.codebook.versions.changes()]
        assert log.count("edit") == 1
        # Starting from what is stored now, the edit goes through.
        current = project.codebook.get(code.id)
        project.codebook.update(current.with_changes(definition="Mine"), expected=current)
        assert other.codebook.get(code.id).definition == "Mine"
    finally:
        other.close()


def test_edit_without_expectation_still_works(project: Project):
    code = next(c for c in project.codebook.list() if c.codable)
    project.codebook.update(code.with_changes(memo="note"))
    assert project.codebook.get(code.id).memo == "note"
