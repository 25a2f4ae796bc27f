"""Errors the user sees: each names the file or item and says what is wrong."""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base class of every error meant to be shown to a user as it is."""


class ProjectFileError(AnnotatorError):
    """A project file cannot be opened or written; the file itself was not modified."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")


class ReadOnlyProjectError(AnnotatorError):
    """A change was attempted on a project opened read-only."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path.name} is open read-only; changes cannot be saved.")


class ValidationError(AnnotatorError):
    """A requested change is refused because it would break a rule; nothing was stored."""


class NotFoundError(AnnotatorError):
    """An entity that was asked for does not exist (any more)."""


class ProjectBusyError(AnnotatorError):
    """Another program holds the project's write lock; the action was not stored (retry)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(
            f"{self.path.name}: another program is writing to this project, so this change "
            "was not saved. Try again in a moment; if it keeps happening, close the other "
            "annotator window or program that has the project open."
        )
