"""A locked or unreachable database: the commands say so clearly (no traceback), exit
non-zero and write nothing; once the lock is released the same import goes through."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys

import pytest

from bot.settings import ROOT
from tests.catalogue.test_import import GOOD, count


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True,
                          timeout=120)


def test_an_import_while_another_program_holds_the_write_lock(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(GOOD, encoding="utf-8")
    env = {"INDY_DATABASE_URL": empty_catalogue, "INDY_DB_BUSY_TIMEOUT_MS": "500"}
    holder = sqlite3.connect(empty_catalogue[len("sqlite:///"):], isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        locked = run(env, "catalogue", "import", str(path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert locked.returncode == 3, locked.stdout + locked.stderr
    assert "La base de données est occupée" in locked.stderr
    assert "rien n'a été écrit" in locked.stderr
    assert "Traceback" not in locked.stderr + locked.stdout
    assert count(empty_catalogue) == 0

    again = run(env, "catalogue", "import", str(path))
    assert again.returncode == 0, again.stderr
    assert "3 ajoutées" in again.stdout
    assert count(empty_catalogue) == 3


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # released on exit: nothing listens there


@pytest.mark.parametrize("command", [["catalogue", "init"], ["catalogue", "import", "x.csv"],
                                     ["privacy", "purge"]])
def test_an_unreachable_database_gets_a_clear_message(tmp_path, command):
    not_a_dir = tmp_path / "un-fichier"
    not_a_dir.write_text("pas un dossier", encoding="utf-8")
    urls = [f"sqlite:///{not_a_dir / 'indy.db'}",
            f"postgresql://indy:motdepasse@127.0.0.1:{_closed_port()}/indy"]
    for url in urls:
        done = run({"INDY_DATABASE_URL": url}, *command)
        assert done.returncode == 3, (url, done.stdout, done.stderr)
        assert "Base de données injoignable" in done.stderr
        assert "Vérifie INDY_DATABASE_URL" in done.stderr
        assert "Traceback" not in done.stderr
        assert "motdepasse" not in done.stderr  # the password is never printed
