"""A catalogue database for the tests: migrated, filled with reference and demo data."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date

import pytest

from bot.catalogue.db import get_engine
from bot.settings import get_settings

TODAY = date.today()  # demo data and bus stops are dated from today, as in production


def _point_at(url: str) -> None:
    os.environ["INDY_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()


@contextmanager
def use_database(url: str, monkeypatch):
    """Points every service (get_settings().database_url) at this database, for one test."""
    monkeypatch.setenv("INDY_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(autouse=True)
def no_retention_purge_unless_asked(monkeypatch):
    """A web app started by a test never purges the developer's own var/ (a test that checks
    the purge sets INDY_PURGE_EVERY_H itself)."""
    monkeypatch.setenv("INDY_PURGE_EVERY_H", "0")


@pytest.fixture(scope="session")
def catalogue_url(tmp_path_factory):
    """SQLite database with places, trades, services, demo offers and bus stops."""
    from bot.catalogue.prepare import prepare

    previous = os.environ.get("INDY_DATABASE_URL")
    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'indy.db'}"
    _point_at(url)
    prepare(url, today=TODAY, demo=True)
    yield url
    if previous is None:
        os.environ.pop("INDY_DATABASE_URL", None)
    else:
        os.environ["INDY_DATABASE_URL"] = previous
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture
def empty_catalogue(tmp_path):
    """A migrated database with reference data only (no offers)."""
    from bot.catalogue.prepare import prepare

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    prepare(url, today=TODAY, demo=False)
    return url
