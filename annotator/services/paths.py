"""Where projects, settings and logs live: platformdirs, in this one module.

``ANNOTATOR_HOME`` overrides every location (tests point it at a temporary folder, and a
portable install can point it at a USB stick): data, config and logs then live beneath it.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "annotator"
HOME_ENV = "ANNOTATOR_HOME"


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def _override(sub: str) -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home) / sub if home else None


def data_dir() -> Path:
    """Folder for projects the app makes itself (the sample project)."""
    path = _override("data") or Path(_dirs().user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Folder for settings (coder name, recent projects)."""
    path = _override("config") or Path(_dirs().user_config_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """Folder for log files."""
    path = _override("logs") or Path(_dirs().user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sample_project_path() -> Path:
    """Where the built-in sample project is created on first start."""
    return data_dir() / "Sample project.annotator"
