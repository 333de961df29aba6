"""Presses every button of every reply, breadth first to depth 3, each path in a fresh
conversation, and fails on a reply that is empty, an error, a fallback, a « je ne connais
pas » before the person typed anything, or a button whose payload the domain does not know."""

from __future__ import annotations

import json
import re
import uuid
from collections import deque

import pytest
import yaml

from bot.settings import ROOT
from tests.integration.conftest import Chat

pytestmark = pytest.mark.integration

DEPTH = 3
BAD = [
    r"Je ne connais pas ce métier", r"Je ne trouve pas cette commune",
    r"Je ne suis pas sûr d'avoir compris", r"je me suis perdu", r"souci technique",
    r"Je n'arrive pas à te comprendre", r"Je ne comprends pas ta réponse",
    r"\{[a-z_]+\}", r"\bany\b", r"\bNone\b",
]
_PAYLOAD = re.compile(r"^/([A-Za-z_]+)(\{.*\})?$", re.S)


def domain_names() -> tuple[set[str], set[str]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return set(domain["intents"]), set(domain["entities"])


def payload_problem(payload: str, intents: set[str], entities: set[str]) -> str | None:
    found = _PAYLOAD.match(payload)
    if not found:
        return "not a /intent payload"
    if found.group(1) not in intents:
        return f"unknown intent {found.group(1)}"
    if found.group(2):
        try:
            values = json.loads(found.group(2))
        except ValueError:
            return "entities are not JSON"
        unknown = set(values) - entities
        if unknown:
            return f"unknown entities {sorted(unknown)}"
    return None


def test_every_button_to_depth_3(stack):
    settings = stack[0]
    intents, entities = domain_names()
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()  # (reply text, payload): pressed once
    queue: deque[tuple[str, ...]] = deque([()])
    pressed = 0
    while queue:
        path = queue.popleft()
        chat = Chat(settings, f"crawl-{uuid.uuid4().hex[:12]}")
        replies = chat.say("bonjour")
        for payload in path:
            replies = chat.say(payload)
        where = " → ".join(("bonjour",) + path)
        said = "\n".join(r.get("text") or "" for r in replies)
        if not replies or not said.strip():
            problems.append(f"{where}: empty reply")
            continue
        for pattern in BAD:
            if re.search(pattern, said):
                problems.append(f"{where}: /{pattern}/ in {said[:200]!r}")
        buttons = [b for r in replies for b in r.get("buttons") or []]
        for button in buttons:
            issue = payload_problem(button["payload"], intents, entities)
            if issue:
                problems.append(f"{where}: button {button['title']!r}: {issue}")
        if len(path) >= DEPTH:
            continue
        for button in buttons:
            key = (said, button["payload"])
            if key in seen:
                continue
            seen.add(key)
            queue.append(path + (button["payload"],))
            pressed += 1
    assert pressed > 50, f"only {pressed} buttons pressed"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
