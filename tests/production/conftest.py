"""The production profile for real: PostgreSQL and Redis (Debian's packages, `make services`)
on loopback ports of their own, two Rasa replicas and an action server behind nginx."""

from __future__ import annotations

import dataclasses
import os

import pytest

from bot.runner import started
from bot.settings import get_settings
from tests.support import servers


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    missing = servers.available()
    assert missing is None, missing  # `make test` installs them: missing is a failure here
    with servers.postgres(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    with servers.redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, postgres_url, redis_url):
    """Two Rasa replicas, one action server, nginx, the web app; conversations in PostgreSQL."""
    settings = dataclasses.replace(
        get_settings(), profile="production", database_url_env=postgres_url, tracker_url_env=None,
        redis_url=redis_url, rasa_replicas=2, action_servers=1,
        replica_base_port=servers.free_block(3),
        rasa_port=servers.free_port(), actions_port=servers.free_port(),
        web_port=servers.free_port(), var_dir=tmp_path_factory.mktemp("var-production"))
    # A replica killed while it holds a conversation's lock: the lock expires after this
    # (Rasa's default is 60 s; it must exceed the time one person's queued messages take).
    previous = os.environ.get("TICKET_LOCK_LIFETIME")
    os.environ["TICKET_LOCK_LIFETIME"] = "30"
    try:
        with started(settings) as processes:
            yield settings, processes
    finally:
        if previous is None:
            os.environ.pop("TICKET_LOCK_LIFETIME", None)
        else:
            os.environ["TICKET_LOCK_LIFETIME"] = previous
