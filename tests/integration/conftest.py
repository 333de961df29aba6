"""Starts the real stack (Rasa, action server, web app) once for the integration tests."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import uuid

import pytest
import requests

from bot.runner import started
from bot.settings import get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    settings = dataclasses.replace(
        get_settings(),
        rasa_port=_free_port(),
        actions_port=_free_port(),
        web_port=_free_port(),
        var_dir=tmp_path_factory.mktemp("var"),
    )
    with started(settings) as processes:
        yield settings, processes


class Chat:
    """One user talking to Indy through Rasa's REST channel."""

    def __init__(self, settings, sender: str | None = None):
        self.url = f"{settings.rasa_url}/webhooks/rest/webhook"
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> list[dict]:
        reply = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        reply.raise_for_status()
        return reply.json()


@pytest.fixture
def chat(stack):
    return Chat(stack[0])


def stop(processes, name: str) -> None:
    """Stops one process of the stack (as a crash or a deploy would)."""
    processes[name].terminate()
    processes[name].wait(timeout=30)


def start(settings, processes, name: str) -> None:
    """Starts it again, the way the runner does, and waits until it answers."""
    from bot.model import ensure_model
    from bot.runner import _wait_ready, commands, health_urls, process_env
    from bot.settings import ROOT

    processes[name] = subprocess.Popen(commands(settings, str(ensure_model()))[name], cwd=ROOT,
                                       env=process_env(settings))
    _wait_ready({name: processes[name]}, {name: health_urls(settings)[name]})


def restart(settings, processes, name: str) -> None:
    stop(processes, name)
    start(settings, processes, name)
