"""Starts the real stack (Rasa, action server, web app) once for the integration tests."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

from bot.runner import started
from bot.settings import get_settings
from tests.support.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    settings = dataclasses.replace(
        get_settings(),
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        var_dir=tmp_path_factory.mktemp("var"),
    )
    with started(settings) as processes:
        yield settings, processes


@pytest.fixture(scope="module")
def browser(stack):
    """Debian's chromium, driven by Playwright (no browser download)."""
    assert CHROMIUM.exists(), "chromium is missing: run `make browser` (apt-get install chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


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
    processes.stop(name)


def start(settings, processes, name: str) -> None:  # noqa: ARG001 (kept for the callers)
    """Starts it again, the way the runner does, and waits until it answers."""
    processes.start([name])


def restart(settings, processes, name: str) -> None:  # noqa: ARG001
    processes.restart(name)
