"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` + ``pg_ctl`` in a temp folder.

The server refuses to run as root, so as root every server command runs as the ``postgres``
system user (``runuser``), in a folder it owns. It listens on 127.0.0.1 only, on a free port;
local (Unix socket) logins are trusted, TCP logins need the password, so that tests can check
a wrong one. Everything is removed by :meth:`PostgresServer.cleanup`.

Examples
--------
>>> with PostgresServer() as server:                       # doctest: +SKIP
...     url = server.create_database("labels")
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

PASSWORD = "pg-test-s3cret"


def bindir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` live (``pg_config --bindir``, or Debian's layout)."""
    candidates: list[str] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                             check=False).stdout.strip()
        candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                         else 0, reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb") or "").resolve().parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: install "
                       "Debian's postgresql package (scripts/test does)")


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temp folder, started on construction.

    ``fsync=False`` (tests) skips flushing commits to disk: quicker, and a test server never
    outlives a power loss; benchmarks keep it on, as a real server does.
    """

    def __init__(self, *, fsync: bool = False) -> None:
        self.fsync = fsync
        self.bin = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="nbannotate-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.password = PASSWORD
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if self._as_postgres:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--auth-local=trust",
                  "--auth-host=scram-sha-256", f"--pwfile={pwfile}")
        pwfile.unlink()
        self.start()

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=120)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr}\n{log}")
        return done

    def start(self) -> None:
        """Start the server (again) on the same port; return when it accepts connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root}"
                  + ("" if self.fsync else " -F"), "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast`` ends every session, as a crash or restart would)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def url(self, database: str, *, password: str | None = None) -> str:
        """A TCP URL for ``database`` (with the server's password unless another is given)."""
        secret = self.password if password is None else password
        return f"postgresql://postgres:{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> Any:
        """A superuser connection over the Unix socket (trusted), in autocommit mode."""
        import psycopg

        return psycopg.connect(host=str(self.root), port=self.port, user="postgres",
                               dbname="postgres", autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        """Create a database (a fresh name by default) and return its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def cleanup(self) -> None:
        """Stop the server and remove its folder."""
        if self.data.exists() and self.running():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()
