"""Listening for changes on a team server, and noticing at once when it goes away.

A :class:`Listener` keeps its own connection (apart from the pool the services use) on a
background thread, ``LISTEN``s on the project's channel and hands each change to a
callback. The same connection is the window's health check: when the server stops or the
network drops, the callback hears ``connected=False`` within about a second (a failed
round trip, or TCP keep-alives on a silent network), and the thread reconnects by itself,
announcing ``connected=True`` and a ``resync`` event, since changes made while it was away
were not heard.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from annotator.domain.server import redact
from annotator.storage.postgres import CONNECT_TIMEOUT_S, engine_url
from annotator.storage.team_roles import CHANNEL

POLL_S = 0.25  # how long one wait for notifications lasts: the health-check period
RETRY_S = (0.5, 1.0, 2.0, 4.0)  # reconnect back-off


@dataclass(frozen=True)
class Change:
    """One change on the server: ``table`` and ``op``; ``document`` for codings.

    ``table == "resync"`` means changes may have been missed (after a reconnect).
    """

    table: str
    op: str = ""
    document: str | None = None
    pid: int = 0  # the server process that made the change


def connect_kwargs(url: str, password: str | None = None) -> dict[str, Any]:
    """psycopg keyword arguments for ``url`` (with its query such as ``sslmode``)."""
    u = engine_url(url)
    kwargs: dict[str, Any] = {
        "host": u.host,
        "port": u.port,
        "user": u.username,
        "dbname": u.database,
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "annotator-listen",
        # A silent network (no reset, no FIN) is noticed by keep-alives within seconds.
        "keepalives": 1,
        "keepalives_idle": 2,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": 3000,
    }
    for key, value in u.query.items():
        kwargs[key] = value if isinstance(value, str) else value[-1]
    secret = password if password is not None else u.password
    if secret is not None:
        kwargs["password"] = secret
    return {k: v for k, v in kwargs.items() if v is not None}


class Listener:
    """Background LISTEN with health reporting and automatic reconnection."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[Change], None],
        on_status: Callable[[bool, str], None],
        *,
        password: str | None = None,
    ) -> None:
        self._kwargs = connect_kwargs(url, password)
        self._address = redact(url)
        self._on_change = on_change
        self._on_status = on_status
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="annotator-listen", daemon=True)
        self.connected = False

    def start(self) -> None:
        """Start listening (returns at once)."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and wait for the thread to end."""
        self._stop.set()
        self._thread.join(timeout)

    def _set(self, connected: bool, message: str) -> None:
        if connected != self.connected:
            self.connected = connected
            self._on_status(connected, message)

    def _run(self) -> None:
        attempt = 0
        ever = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._kwargs) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    attempt = 0
                    self._set(True, f"Connected to {self._address}.")
                    if ever:
                        self._on_change(Change("resync"))
                    ever = True
                    self._listen(conn)
            except psycopg.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
                self._set(
                    False,
                    f"Not connected to {self._address} ({first}). Changes cannot be saved "
                    "until the connection is back; reconnecting...",
                )
                self._stop.wait(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                attempt += 1

    def _listen(self, conn: psycopg.Connection) -> None:
        last_ping = time.monotonic()
        while not self._stop.is_set():
            for note in conn.notifies(timeout=POLL_S, stop_after=100):
                self._on_change(_parse(note.payload, note.pid))
            if time.monotonic() - last_ping >= 1.0:  # a round trip proves the server is there
                conn.execute("SELECT 1")
                last_ping = time.monotonic()


def _parse(payload: str, pid: int) -> Change:
    try:
        data = json.loads(payload)
        return Change(
            str(data.get("table", "")), str(data.get("op", "")), data.get("document"), pid
        )
    except (ValueError, AttributeError):
        return Change("resync")
