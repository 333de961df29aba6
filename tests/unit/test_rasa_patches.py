"""bot/rasa_patches.py: applied where Rasa starts, and what it changes keeps Rasa's behaviour."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches
from bot.settings import ROOT

rasa_patches.apply()

VALID = {"events": [{"event": "slot", "name": "job", "value": "soudeur"}],
         "responses": [{"text": "Voilà."}]}
INVALID = [
    {"events": [{"event": "slot", "value": "soudeur"}]},  # a slot event without its name
    {"events": "not a list"},
    {"responses": [42]},
    ["not", "an", "object"],
]


def test_the_server_entry_point_applies_the_patches(tmp_path):
    """`python -m bot rasa ...` (what the runner starts) patches Rasa before it runs."""
    code = ("import rasa.__main__, bot.serve, bot.rasa_patches as p\n"
            "rasa.__main__.main = lambda: None\n"
            "assert not p.applied()\n"
            "bot.serve.rasa(['run'])\n"
            "print('applied' if p.applied() else 'not applied')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INDY_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "applied"


def test_applied_in_this_process():
    assert rasa_patches.applied()
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result


def test_a_valid_answer_passes():
    assert RemoteAction("action_x", None)._validate_action_result(VALID) is True


@pytest.mark.parametrize("answer", INVALID)
def test_an_invalid_answer_raises_the_same_error_as_upstream(answer):
    try:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as error:
        expected = error
    else:
        pytest.fail("upstream accepts it")
    with pytest.raises(jsonschema.ValidationError) as raised:
        RemoteAction("action_x", None)._validate_action_result(answer)
    assert raised.value.message.startswith(expected.message + ". Failed to validate Action "
                                           "server response from API")
    assert list(raised.value.absolute_path) == list(expected.absolute_path)
    assert raised.value.validator == expected.validator


def _run_remote_action(answer):
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def request(**_kwargs):
        return answer

    endpoint.request = request
    domain = Domain.from_dict({"slots": {"job": {"type": "text", "mappings": []}},
                               "actions": ["action_x"]})
    tracker = DialogueStateTracker("someone", domain.slots)
    return asyncio.run(RemoteAction("action_x", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain))


def test_a_remote_action_still_rejects_an_invalid_answer():
    assert SlotSet("job", "soudeur") in _run_remote_action(VALID)
    with pytest.raises(jsonschema.ValidationError):
        _run_remote_action(INVALID[0])


def test_the_validator_is_built_once(monkeypatch):
    RemoteAction("action_x", None)._validate_action_result(VALID)
    built = rasa_patches._action_result_validator()

    def no_second_check(*_args, **_kwargs):
        raise AssertionError("the schema is checked again")

    monkeypatch.setattr(type(built), "check_schema", no_second_check)
    for answer in (VALID, VALID):
        RemoteAction("action_x", None)._validate_action_result(answer)
    assert rasa_patches._action_result_validator() is built


def test_a_sqlite_tracker_store_keeps_its_connection_and_writes_ahead(tmp_path):
    import sqlite3

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import UserUttered
    from sqlalchemy import event
    from sqlalchemy.pool import QueuePool

    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    assert isinstance(store.engine.pool, QueuePool)
    opened = []
    event.listen(store.engine, "connect", lambda *_: opened.append(1))

    async def conversation():
        tracker = await store.get_or_create_tracker("someone")
        for index in range(5):
            tracker.update(UserUttered(f"message {index}", message_id=f"id-{index:04d}"))
            await store.save(tracker)
            tracker = await store.retrieve("someone")
        return tracker

    tracker = asyncio.run(conversation())
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        f"message {index}" for index in range(5)]  # stored once each, in order
    assert len(opened) <= 1
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


@pytest.mark.parametrize("profile", ["embedded", "production"])
def test_the_action_server_gets_no_domain_it_does_not_ask_for(tmp_path, monkeypatch, profile):
    """Rasa's selective domain: the full domain is not sent with every action call (Indy's
    actions read domain.yml themselves, none declares `send_domain`)."""
    import dataclasses

    from rasa.utils.endpoints import read_endpoint_config

    from bot import runner
    from bot.settings import get_settings

    settings = dataclasses.replace(get_settings(), var_dir=tmp_path, profile=profile)
    monkeypatch.setattr(runner, "process_env", lambda _s: {
        "INDY_ACTIONS_PORT": "5055", **{k: "x" for k in (
            "INDY_TRACKER_DB", "INDY_TRACKER_DIALECT", "INDY_TRACKER_HOST", "INDY_TRACKER_PORT",
            "INDY_TRACKER_NAME", "INDY_TRACKER_USER", "INDY_TRACKER_PASSWORD",
            "INDY_REDIS_HOST", "INDY_REDIS_PORT", "INDY_REDIS_DB", "INDY_REDIS_PASSWORD",
            "INDY_REDIS_PREFIX")}})
    endpoint = read_endpoint_config(runner.endpoints_file(settings), "action_endpoint")
    domain = Domain.from_path(ROOT / "domain.yml")
    action = RemoteAction("action_indy", endpoint)
    assert action._is_selective_domain_enabled()
    tracker = DialogueStateTracker("someone", domain.slots)
    assert "domain" not in action._action_call_format(tracker, domain)
