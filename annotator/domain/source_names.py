"""What of a document's source may leave the project in an export.

Importers record where a document came from; for a local file that is its absolute path,
which names the user's home folder and folder layout ("/home/jane/Interviews/..."). A file
sent to a colleague keeps only the file name unless the user asks for the full path; web
addresses and other non-path sources are kept as they are.
"""

from __future__ import annotations

import re
from pathlib import PureWindowsPath

_LOCAL = re.compile(r"^(?:/|~|\\\\|[A-Za-z]:[\\/]|file:)")


def shareable_source(source: str | None) -> str | None:
    """``source`` with a local absolute path reduced to its file name."""
    if not source or not _LOCAL.match(source):
        return source
    name = PureWindowsPath(source.removeprefix("file://")).name  # splits on / and \\
    return name or None
