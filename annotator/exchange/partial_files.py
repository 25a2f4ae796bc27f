"""Temporary files of exports: short names beside the target, and cleaning up after kills.

An export is written under a temporary name in the target's folder and renamed onto the
target when complete, so a reader never sees half a file. The temporary name is short
(``.annotator-HOST-PID-RANDOM.partial``) whatever the target's name, so a target name as
long as the file system allows still works. A process killed mid-export leaves its
temporary file behind; the next export into that folder removes every such file whose
process is gone (same host) or that is older than a day (another host).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from pathlib import Path

PREFIX = ".annotator-"
SUFFIX = ".partial"
_OURS = re.compile(r"^\.annotator-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.partial$")
# Names used by earlier versions (no process id): removed when older than an hour.
_OLDER = re.compile(r"^\..+\.[0-9a-f]{8}\.(partial|part)$")
DAY = 24 * 3600


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def partial_path(folder: Path) -> Path:
    """A fresh temporary name in ``folder`` for this process."""
    return Path(folder) / f"{PREFIX}{_host()}-{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _stale(entry: os.DirEntry[str], now: float) -> bool:
    match = _OURS.match(entry.name)
    try:
        age = now - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if match:
        host, pid = match.group(1), int(match.group(2))
        if host == _host():
            return pid != os.getpid() and not _alive(pid)
        return age > DAY
    return bool(_OLDER.match(entry.name)) and age > 3600


def clean_stale_partials(folder: Path) -> int:
    """Remove the temporary files that killed exports left in ``folder``; return how many."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        hidden_file = entry.name.startswith(".") and entry.is_file(follow_symlinks=False)
        if hidden_file and _stale(entry, now):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed
