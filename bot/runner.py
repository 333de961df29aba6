"""Starts Indy's processes together (Rasa, actions, web app), stops them together.

`make run` calls `run()`: all three in the foreground, Ctrl-C stops them cleanly.
`make shell` calls `shell()`: the same, plus a chat in the terminal.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Iterator

import requests

from bot import cluster
from bot.catalogue.prepare import prepare
from bot.model import ensure_model, rasa_env
from bot.settings import ROOT, Settings, get_settings

READY_TIMEOUT_S = 300


def endpoints_file(settings: Settings) -> str:
    """endpoints.yml (endpoints.production.yml in production) with its ${VARIABLES} filled in
    (Rasa expands none inside a URL). Values go inside double quotes: escaped for YAML."""
    name = "endpoints.production.yml" if settings.profile == "production" else "endpoints.yml"
    template = (ROOT / name).read_text(encoding="utf-8")
    target = settings.var_dir / "endpoints.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    values = process_env(settings)
    target.write_text(re.sub(
        r"\$\{(\w+)\}",
        lambda m: values[m.group(1)].replace("\\", "\\\\").replace('"', '\\"'),
        template))
    target.chmod(0o600)  # it may hold the database and Redis passwords
    return str(target)


def commands(settings: Settings, model: str) -> dict[str, list[str]]:
    rasa = [
        sys.executable, "-m", "bot", "rasa", "run", "--model", model,  # Indy's logging
        "--endpoints", endpoints_file(settings), "--credentials", "credentials.yml",
        "--interface", settings.host, "--port", str(settings.rasa_port), "--enable-api",
    ]
    rasa.append(f"--auth-token={settings.rasa_token}")  # the HTTP API; user channels stay open
    processes = {
        "actions": [sys.executable, "-m", "bot", "actions", "--actions", "actions",
                    "--port", str(settings.actions_port)],
        "rasa": rasa,
        "web": [sys.executable, "-m", "bot", "web"],
    }
    if os.environ.get("INDY_TELEGRAM_TOKEN"):
        # One consumer of the bot's updates: young people and, with INDY_COUNSELLORS_CHAT,
        # the counsellors' desk (Telegram gives updates to one reader only).
        processes["telegram"] = [sys.executable, "-m", "bot", "telegram"]
    return processes


def health_urls(settings: Settings) -> dict[str, str]:
    return {
        "actions": f"http://127.0.0.1:{settings.actions_port}/health",
        "rasa": f"http://127.0.0.1:{settings.rasa_port}/",
        "web": f"http://127.0.0.1:{settings.web_port}/health",
    }


def process_env(settings: Settings) -> dict[str, str]:
    env = rasa_env()
    env.update(
        INDY_HOST=settings.host,
        INDY_RASA_PORT=str(settings.rasa_port),
        INDY_ACTIONS_PORT=str(settings.actions_port),
        INDY_WEB_PORT=str(settings.web_port),
        INDY_VAR_DIR=str(settings.var_dir),
        INDY_TRACKER_DB=str(settings.tracker_db),
        INDY_DATABASE_URL=settings.database_url,
        INDY_RASA_TOKEN=settings.rasa_token,
        INDY_TRACKER_URL=settings.tracker_url,
        INDY_PROFILE=settings.profile,
        INDY_SECRET_KEY=settings.secret_key,  # one key for every process (bot/identity.py)
        INDY_INTERNAL_NETWORKS=",".join(settings.internal_networks),
    )
    if settings.profile == "production":
        env.update(cluster.service_env(settings))
    env["SANIC_HOST"] = "127.0.0.1"  # the action server has no authentication
    return env


def _wait_ready(processes: dict[str, subprocess.Popen], urls: dict[str, str]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = dict(urls)
    while pending:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"le processus {name} s'est arrêté (code {process.returncode})")
        for name, url in list(pending.items()):
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    del pending[name]
            except requests.RequestException:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"pas prêt à temps : {', '.join(pending)}")
        time.sleep(1)


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Processes(dict):
    """The running processes by name, with what it takes to start one again."""

    def __init__(self, planned: dict[str, list[str]], urls: dict[str, str], env: dict[str, str]):
        super().__init__()
        self.planned, self.urls, self.env = planned, urls, env

    def start(self, names: set[str] | list[str]) -> None:
        """Starts these processes and waits until each answers its health check."""
        for name in names:
            self[name] = subprocess.Popen(self.planned[name], cwd=ROOT, env=self.env)
        _wait_ready(self, {name: self.urls[name] for name in names if name in self.urls})

    def stop(self, name: str) -> None:
        """Stops one process (as a crash or a deploy would)."""
        self[name].terminate()
        self[name].wait(timeout=30)

    def restart(self, name: str) -> None:
        if self[name].poll() is None:
            self.stop(name)
        self.start([name])


@contextmanager
def started(settings: Settings | None = None) -> Iterator[Processes]:
    """Rasa, the action server and the web app, ready; all stopped on exit. In production,
    the replicas, the action servers and nginx in front of them (bot/cluster.py)."""
    settings = settings or get_settings()
    if settings.profile == "production":
        cluster.check(settings)
    model = str(ensure_model())
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    counts = prepare(settings.database_url)
    print("Catalogue : " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    planned, urls = commands(settings, model), health_urls(settings)
    waves = [set(planned)]
    if settings.profile == "production":
        planned, urls = cluster.commands(settings, planned), cluster.health_urls(settings, urls)
        waves = [cluster.first_wave(settings), set(planned) - cluster.first_wave(settings)]
    processes = Processes(planned, urls, process_env(settings))
    try:
        for wave in waves:
            processes.start(wave)
        yield processes
    finally:
        _stop(processes)


def _banner(settings: Settings) -> str:
    web = f"http://localhost:{settings.web_port}/"
    rest = f"http://localhost:{settings.rasa_port}/webhooks/rest/webhook"
    telegram = (
        "  Telegram : actif (long polling).\n" if os.environ.get("INDY_TELEGRAM_TOKEN") else
        "  Telegram : désactivé. Pour l'activer : INDY_TELEGRAM_TOKEN=<jeton de @BotFather> "
        "make run\n"
    )
    production = (
        f"  Profil production : {settings.rasa_replicas} répliques Rasa et "
        f"{settings.action_servers} serveurs d'actions derrière nginx, "
        "conversations dans PostgreSQL, verrous dans Redis.\n"
        if settings.profile == "production" else "")
    return (
        "\nIndy est prêt.\n" + production +
        f"  Discuter dans le navigateur : {web}\n"
        f"  API REST de Rasa            : {rest}\n"
        f"    curl -s {rest} -d '{{\"sender\": \"moi\", \"message\": \"salut\"}}'\n"
        f"  Tableau de bord conseillers : {web}conseillers\n"
        "    (créer un compte : .venv/bin/python -m bot counsellor add PRENOM --name 'Prénom' "
        "--team ml-thiers, ou --role admin)\n"
        + telegram
        + "  Ctrl-C pour tout arrêter.\n"
    )


def _supervise(settings: Settings, processes: Processes, stop: dict) -> int:
    """Until asked to stop: a dead replica is started again (nginx sends its share to the
    others meanwhile); any other process that dies stops everything."""
    while not stop["now"]:
        for name, process in list(processes.items()):
            if process.poll() is None:
                continue
            time.sleep(0.5)  # Ctrl-C in a terminal reaches the children and us together
            if stop["now"]:
                return 0
            if settings.profile == "production" and name in cluster.replicable(settings):
                print(f"{name} s'est arrêté (code {process.returncode}) : redémarrage.")
                processes.restart(name)
                continue
            print(f"{name} s'est arrêté (code {process.returncode}) : arrêt de tout.")
            return 1
        time.sleep(1)
    return 0


def run() -> int:
    settings = get_settings()
    stop = {"now": False}

    def _on_signal(signum, frame):  # noqa: ARG001
        stop["now"] = True

    signal.signal(signal.SIGTERM, _on_signal)
    code = 0
    try:
        with started(settings) as processes:
            print(_banner(settings), flush=True)
            signal.signal(signal.SIGINT, _on_signal)  # Ctrl-C: a clean stop, as SIGTERM
            code = _supervise(settings, processes, stop)
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:
        print(f"Indy s'est arrêté : {error}", file=sys.stderr)
        return 1
    print("Indy est arrêté.")
    return code


def _print_reply(messages: list[dict]) -> list[dict]:
    buttons: list[dict] = []
    for message in messages:
        if message.get("text"):
            print(f"Indy : {message['text']}")
        for button in message.get("buttons", []):
            buttons.append(button)
            print(f"   [{len(buttons)}] {button['title']}")
    return buttons


def shell() -> int:
    settings = get_settings()
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    sender = f"shell-{os.getpid()}"
    with started(settings):
        print("\nÉcris ton message (un numéro pour un bouton, Ctrl-D pour quitter).\n")
        buttons: list[dict] = []
        while True:
            try:
                text = input("Toi : ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text.isdigit() and 0 < int(text) <= len(buttons):
                text = buttons[int(text) - 1]["payload"]
            reply = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
            buttons = _print_reply(reply.json())
