"""A throwaway PostgreSQL cluster for tests and benchmarks: a temp folder, a loopback port.

The cluster runs the server binaries of the machine (Debian's ``postgresql`` package puts
them in a versioned folder, found here by ``pg_config`` or a glob). PostgreSQL refuses to
run as root, so when we are root every server command runs as the ``postgres`` system user
(``runuser``) in a folder that user owns. Logins use passwords (SCRAM), as a real server
would, so tests can prove that a wrong password is refused.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ADMIN = "annotator_admin"


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is absent."""
    explicit = os.environ.get("ANNOTATOR_PG_BINDIR")
    candidates: list[str] = [explicit] if explicit else []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            candidates.append(out.stdout.strip())
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    # Debian and Ubuntu: /usr/lib/postgresql/<major>/bin, newest first.
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    candidates.extend(debian)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TempCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    bindir: Path
    folder: Path = field(init=False)
    port: int = field(init=False, default=0)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    extra_options: str = ""  # more ``-c name=value`` server settings
    _as_postgres: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self._as_postgres = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        os.chmod(self.folder, 0o700)

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.folder / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        return subprocess.run(
            [*prefix, *args], capture_output=True, text=True, check=check, cwd=self.folder
        )

    def init(self) -> None:
        """Create the cluster: UTF-8, an admin login with a password, SCRAM on TCP."""
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password, encoding="utf-8")
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(pwfile, user.pw_uid, user.pw_gid)
        os.chmod(pwfile, 0o600)
        try:
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                ADMIN,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        finally:
            pwfile.unlink()

    def start(self) -> None:
        """Start (or restart after :meth:`stop`) on a free loopback port."""
        self.port = self.port or free_port()
        opts = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            # Throwaway data: skip fsync. Commits stay synchronous, so a server stopped
            # with `immediate` still keeps every committed transaction.
            "-c fsync=off -c full_page_writes=off -c max_connections=120 " + self.extra_options
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )

    def enable_tls(self) -> Path:
        """Give the server a self-signed certificate for 127.0.0.1; returns the certificate.

        Takes effect at the next :meth:`start`. Clients verify the server with
        ``sslmode=verify-full&sslrootcert=<the returned file>``.
        """
        cert, key = self.folder / "server.crt", self.folder / "server.key"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        os.chmod(key, 0o600)
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            for f in (cert, key):
                os.chown(f, user.pw_uid, user.pw_gid)
        self.extra_options += f" -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"
        return cert

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` simulates a crash); the data stays."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and delete the cluster's folder."""
        pg_ctl = str(self.bindir / "pg_ctl")
        self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(
        self, database: str = "postgres", user: str = ADMIN, password: str | None = None
    ) -> str:
        """A ``postgresql://`` URL for ``user`` on ``database`` (admin password by default)."""
        secret = self.password if password is None and user == ADMIN else password
        auth = f"{user}:{secret}" if secret else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        """An autocommit connection as the cluster's administrator."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=ADMIN,
            password=self.password,
            dbname=database,
            autocommit=True,
        )

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (from ``template`` when given); return its admin URL."""
        with self.admin() as conn:
            stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                stmt += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(stmt)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, closing whatever still connects to it."""
        with self.admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def start_cluster() -> TempCluster | None:
    """A started cluster, or None when the PostgreSQL binaries are not installed."""
    bindir = find_bindir()
    if bindir is None:
        return None
    cluster = TempCluster(bindir)
    try:
        cluster.init()
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = cluster.folder / "server.log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        cluster.destroy()
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{detail}") from exc
    return cluster
