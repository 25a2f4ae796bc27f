"""Team-server addresses and the errors a user sees when talking to one (plain Python).

A team project lives in a PostgreSQL database and is named by a URL such as
``postgresql://ann@db.example.org:5432/policy?sslmode=verify-full``. The password is never
part of what we display, log or store: :func:`redact` removes it, and every message built
here uses the redacted form.
"""

from __future__ import annotations

from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from annotator.domain.errors import AnnotatorError

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(location: object) -> bool:
    """True when ``location`` names a team server rather than a project file."""
    if not isinstance(location, str):
        return False
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme in SERVER_SCHEMES


def _without_password(parts: SplitResult) -> SplitResult:
    if parts.password is None:
        return parts
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc)


def redact(url: str) -> str:
    """``url`` without its password (safe to show, log or remember in Open Recent)."""
    try:
        return urlunsplit(_without_password(urlsplit(url)))
    except ValueError:  # a malformed port: show nothing of the address rather than a secret
        return "(malformed server address)"


class ServerAddress(str):
    """A team project's URL as a location: prints without the password.

    It stands where a project file's path stands (``name`` and ``stem`` are the database
    name), so messages and window titles work unchanged for both kinds of project.
    """

    __slots__ = ()

    def __new__(cls, url: str) -> ServerAddress:
        """The redacted form of ``url``."""
        return super().__new__(cls, redact(url))

    @property
    def database(self) -> str:
        """The database name (the path of the URL)."""
        return unquote(urlsplit(self).path.lstrip("/")) or "postgres"

    @property
    def name(self) -> str:
        """The database name, as a file's name would be shown."""
        return self.database

    @property
    def stem(self) -> str:
        """The database name, as a file's stem would be used."""
        return self.database

    @property
    def user(self) -> str | None:
        """The login name in the URL, if any."""
        user = urlsplit(self).username
        return unquote(user) if user else None


class ServerError(AnnotatorError):
    """The team server refused or could not be reached; the message says which and why."""

    def __init__(self, address: str, problem: str) -> None:
        self.address = redact(address)
        self.problem = problem
        super().__init__(f"{self.address}: {problem}")


class ServerUnavailableError(ServerError):
    """The connection to the team server is lost or refused; nothing was stored."""


class PermissionRefusedError(ServerError):
    """The server refused a change this login's role may not make; nothing was stored."""


class ConflictError(AnnotatorError):
    """Someone else changed the same thing first; nothing was overwritten."""
