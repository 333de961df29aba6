"""Real PostgreSQL and Redis servers (Debian's packages) on loopback ports of their own, in a
temporary folder, for the tests and the benchmark of the production profile."""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_block(size: int) -> int:
    """The first of `size` consecutive free ports, below the range the system hands out for
    outgoing connections (so none of them is taken meanwhile by a client's socket)."""
    for base in range(random.randrange(20000, 30000), 32000 - size):
        sockets = []
        try:
            for port in range(base, base + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no {size} consecutive free ports")


def available() -> str | None:
    """Why the servers cannot run here, or None (`make services` installs them)."""
    if not (PG_BIN / "initdb").exists():
        return "PostgreSQL 15 manque (make services)"
    if not shutil.which("redis-server"):
        return "redis-server manque (make services)"
    if not (Path("/usr/sbin/nginx").exists() or shutil.which("nginx")):
        return "nginx manque (make services)"
    return None


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _wait_port(port: int, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


@contextmanager
def postgres(folder: Path, database: str = "indy") -> Iterator[str]:
    """A new PostgreSQL cluster; yields the URL of an empty database (password auth).

    `folder` receives the server's log; the cluster itself lives in a folder of /tmp that the
    postgres user can reach (pytest's own folders are private to root), removed at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="indy-pg-"))
    data = home / "pgdata"
    password_file = home / "pwfile"
    password_file.write_text("indy-test\n")
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
        shutil.chown(password_file, "postgres")
    port = free_port()
    done = subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "indy",
                                        "--pwfile", str(password_file), "-A", "scram-sha-256",
                                        "-E", "UTF8", "--locale", "C.UTF-8"]),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr}")
    server = subprocess.Popen(_as_postgres([
        str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(home),
        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]),
        stdout=subprocess.DEVNULL, stderr=open(folder / "postgres.log", "wb"))
    try:
        _wait_port(port, server)
        env = dict(os.environ, PGPASSWORD="indy-test")
        deadline = time.monotonic() + 30
        while subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                              "-U", "indy", database], env=env, capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("createdb failed: " + (folder / "postgres.log").read_text())
            time.sleep(0.5)
        yield f"postgresql://indy:indy-test@127.0.0.1:{port}/{database}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def redis(folder: Path) -> Iterator[str]:
    """A Redis server that keeps nothing on disk; yields its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes"],
        stdout=open(folder / "redis.log", "wb"), stderr=subprocess.STDOUT)
    try:
        _wait_port(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


def new_database(url: str, name: str) -> str:
    """Creates another database on the same server; returns its URL."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return url.rsplit("/", 1)[0] + "/" + name
