"""A throwaway PostgreSQL server on loopback, for the tests, the server benchmark and trying
screener out: ``initdb`` in a temporary folder, ``pg_ctl`` on a free port.

Uses the PostgreSQL programs installed on this machine (Debian: ``apt-get install postgresql``).
PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` user.
Access is ``trust`` on 127.0.0.1 only: never use such a cluster for a real review.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from ..errors import ScreenerError


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them off PATH), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name)
                  if Path(d).parent.name.isdigit() else 0)
    for d in reversed(dirs):
        if (Path(d) / "pg_ctl").exists() and (Path(d) / "initdb").exists():
            return Path(d)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """``with LocalCluster() as pg: url = pg.create_database("review")``."""

    USER = "screener"

    def __init__(self, root: str | Path | None = None, port: int | None = None):
        self.bin = find_bin_dir()
        if self.bin is None:
            raise ScreenerError("PostgreSQL is not installed here (no initdb/pg_ctl); on Debian: "
                                "apt-get install postgresql.")
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="screener-pg-"))
        self.data = self.root / "data"
        self.port = port or free_port()
        self.as_user = "postgres" if os.geteuid() == 0 else None
        self.log = self.root / "server.log"

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")
        if check and proc.returncode != 0:
            raise ScreenerError(f"{' '.join(map(str, args[:2]))} failed: {(proc.stderr or proc.stdout).strip()[-800:]}")
        return proc

    def init(self) -> "LocalCluster":
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.root, self.as_user, self.as_user)
            os.chmod(self.root, 0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run(self.bin / "initdb", "-D", self.data, "-U", self.USER, "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> "LocalCluster":
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=on "
                "-c max_connections=200 -c shared_buffers=64MB")
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", opts, "-w", "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "LocalCluster":
        return self.init().start()

    def __exit__(self, *exc) -> None:
        self.cleanup()
