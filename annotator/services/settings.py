"""User settings that are not window geometry: the coder's name and recent projects.

Stored as JSON in the platformdirs config folder. Writes go to a temporary file that is
then renamed over the old one, so a crash never leaves half a settings file.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annotator.domain.server import is_server_url
from annotator.services.paths import config_dir

MAX_RECENT = 10


@dataclass
class Settings:
    """What the app remembers between runs."""

    coder_name: str = ""
    recent_projects: list[str] = field(default_factory=list)
    snap_to_words: bool = True
    # Whose codings each project shows ("mine", "all" or "chosen", the chosen coders' ids
    # and blind mode), by project path: the view chosen last time comes back.
    views: dict[str, dict] = field(default_factory=dict)
    # The folder of the last export; exports start there (else in the documents folder).
    export_folder: str = ""

    def add_recent(self, path: Path | str) -> None:
        """Put ``path`` first in the recent list."""
        # A team server's address is kept as it is (it never contains the password).
        p = str(path) if is_server_url(str(path)) else str(Path(path).absolute())
        self.recent_projects = [p] + [r for r in self.recent_projects if r != p]
        del self.recent_projects[MAX_RECENT:]


def settings_file() -> Path:
    """The settings file's location."""
    return config_dir() / "settings.json"


def load_settings() -> Settings:
    """Read the settings; a missing or unreadable file gives the defaults."""
    try:
        raw = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {k: v for k, v in raw.items() if k in Settings.__dataclass_fields__}
    try:
        return Settings(**known)
    except TypeError:
        return Settings()


def save_settings(settings: Settings) -> None:
    """Write the settings atomically."""
    target = settings_file()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    os.replace(tmp, target)


def export_folder(settings: Settings) -> Path:
    """Where the export dialog starts: the last folder used, else the documents folder.

    Never the project's folder by default: the sample project lives in a hidden data folder.
    """
    last = Path(settings.export_folder) if settings.export_folder else None
    if last is not None and last.is_dir():
        return last
    import platformdirs  # imported here: only exporting needs it

    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def default_coder_name() -> str:
    """The operating-system user's name, to prefill the coder prompt."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
