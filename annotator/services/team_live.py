"""Live team projects: hear others' changes, and know at once when the server is away.

The GUI calls :func:`listen` for a team project and gets :class:`Change` events (a
document's codings changed, the codebook changed, ``resync`` after a reconnect) and
connection status changes, both on a background thread (the GUI forwards them to its own
thread with a queued signal).

Changes made while disconnected are refused, not queued: every service call either
commits on the server before it returns or raises :class:`ServerUnavailableError`, so
nothing the window shows as saved exists only on the coder's machine. A local queue would
have to replay codings later against a codebook, roles and a blind phase that may have
changed meanwhile; refusing clearly keeps "saved" meaning "on the server".
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.services.project import Project
from annotator.storage.pg_listen import Change, Listener
from annotator.storage.postgres import ServerDatabase

__all__ = ["Change", "Listener", "listen"]


def listen(
    project: Project,
    on_change: Callable[[Change], None],
    on_status: Callable[[bool, str], None],
) -> Listener | None:
    """Start listening to the team project's changes (None for a project file)."""
    db = project.db
    if not isinstance(db, ServerDatabase):
        return None

    def others_only(change: Change) -> None:
        if change.pid not in db.own_pids:  # our own changes are already on screen
            on_change(change)

    # The displayed address has no password; the listener gets it on the side.
    listener = Listener(str(db.path), others_only, on_status, password=db.secret)
    listener.start()
    return listener
