"""Team-server passwords in the operating system's keyring, never in a file of ours.

The keyring entry is keyed by the server address without its password (``user@host:port/
database``). Where no real keyring exists (a bare server, CI), nothing is stored and the
window asks for the password each time: there is deliberately no plain-text fallback.
"""

from __future__ import annotations

import contextlib

from annotator.domain.server import redact

SERVICE = "annotator team server"


def _keyring():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    """True when the operating system offers a keyring to keep passwords in."""
    return _keyring() is not None


def stored_password(url: str) -> str | None:
    """The password remembered for ``url``, if any."""
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(SERVICE, redact(url))
    except Exception:  # a locked or broken keyring: ask the user instead
        return None


def remember_password(url: str, password: str) -> bool:
    """Keep ``password`` for ``url`` in the keyring; False when there is none to use."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(SERVICE, redact(url), password)
    except Exception:
        return False
    return True


def forget_password(url: str) -> None:
    """Remove a remembered password (after it was refused, for instance)."""
    kr = _keyring()
    if kr is not None:
        with contextlib.suppress(Exception):
            kr.delete_password(SERVICE, redact(url))
