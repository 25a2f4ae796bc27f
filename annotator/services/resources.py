"""Packaged resources, read with importlib.resources (from a wheel or a checkout).

The top-level ``resources/`` and ``sample_docs/`` folders are installed as the packages
``annotator.resources`` and ``annotator.sample_docs`` (see ``package-dir`` in
pyproject.toml). When the code runs straight from a checkout that is first on
``sys.path``, those mapped packages do not exist, and the folders beside the
``annotator`` package are used instead.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_CHECKOUT = Path(__file__).resolve().parents[2]


def _package_or_checkout(package: str, folder: str) -> Traversable:
    try:
        return files(package)
    except ModuleNotFoundError:
        return _CHECKOUT / folder


def resource(*parts: str) -> Traversable:
    """A file in the top-level ``resources/`` folder (shipped as ``annotator.resources``)."""
    node = _package_or_checkout("annotator.resources", "resources")
    for part in parts:
        node = node / part
    return node


def read_json(*parts: str) -> Any:
    """Parse a JSON resource."""
    return json.loads(resource(*parts).read_text(encoding="utf-8"))


def sample_docs() -> Traversable:
    """The folder of the built-in sample project's texts (``annotator.sample_docs``)."""
    return _package_or_checkout("annotator.sample_docs", "sample_docs")
