"""`catalogue fetch`: an API answer goes into the catalogue offer by offer, through the real
connector talking to a local server that replays France Travail's recorded responses."""

from __future__ import annotations

import copy
from collections import deque

import pytest
from sqlalchemy import select

from bot.catalogue.db import session_scope
from bot.catalogue.fetching import store_records, territory_records
from bot.catalogue.schema import Offer
from tests.support.replay import ReplayServer, fixture

TOKEN = "/connexion/oauth2/access_token"
SEARCH = "/partenaire/offresdemploi/v2/offres/search"


@pytest.fixture
def server(monkeypatch):
    replay = ReplayServer()
    monkeypatch.setenv("FRANCETRAVAIL_CLIENT_ID", "PAR_indy_test")
    monkeypatch.setenv("FRANCETRAVAIL_CLIENT_SECRET", "secret")
    monkeypatch.setenv("FRANCETRAVAIL_TOKEN_URL", f"{replay.url}{TOKEN}?realm=%2Fpartenaire")
    monkeypatch.setenv("FRANCETRAVAIL_API_URL", f"{replay.url}/partenaire/offresdemploi/v2")
    yield replay
    replay.close()


def test_offers_of_the_territory_are_stored_and_the_others_skipped(empty_catalogue, server):
    # One full page (200): the recorded offers of Thiers, plus one in Lyon.
    page = copy.deepcopy(fixture("francetravail_search_thiers_page1"))
    page["status"], page["headers"]["Content-Range"] = 200, "offres 0-4/5"
    page["body"]["resultats"] += fixture("francetravail_search_thiers_page2")["body"]["resultats"]
    lyon = copy.deepcopy(page["body"]["resultats"][0])
    lyon.update(id="999LYON", lieuTravail={"libelle": "69 - LYON 03", "commune": "69383"})
    page["body"]["resultats"].append(lyon)
    server.scripts[TOKEN] = deque([fixture("francetravail_token")])
    server.scripts[SEARCH] = deque([page])
    with session_scope(empty_catalogue) as session:
        report = store_records(session, "francetravail",
                               territory_records(session, "francetravail"))
        assert report.result.created == 3 and [s for s, _ in report.skipped] == ["999LYON"]
        assert "n'est pas une commune du territoire" in report.skipped[0][1]
        offers = session.execute(select(Offer)).unique().scalars().all()
        assert {o.place.name for o in offers} == {"Thiers"}
        assert all(o.source == "francetravail" and o.trade is not None for o in offers)
    searched = server.requests_to(SEARCH)[0]
    assert searched.param("departement") == "42,63"  # the territory's départements
    assert "report" not in report.line() and "3 ajoutées" in report.line()


def test_a_slow_api_times_out_with_a_clear_message_and_the_other_source_is_kept(
        empty_catalogue, server, monkeypatch):
    import os
    import subprocess
    import sys

    from bot.settings import ROOT

    slow = copy.deepcopy(fixture("francetravail_search_thiers_page1"))
    slow["delay"] = 4  # longer than the 1 s configured below
    server.scripts[TOKEN] = deque([fixture("francetravail_token")])
    server.scripts[SEARCH] = deque([slow])
    server.script("/api/job/v1/search", "labonnealternance_jobs_thiers")
    server.script("/api/formation/v1/search", "labonnealternance_formations_page0",
                  "labonnealternance_formations_page1")
    env = {**os.environ, "INDY_DATABASE_URL": empty_catalogue, "INDY_CONNECTOR_TIMEOUT_S": "1",
           "LBA_API_TOKEN": "lba-jeton-de-test", "LBA_API_URL": f"{server.url}/api"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "fetch", "francetravail", "labonnealternance"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "francetravail : rien n'a été enregistré" in done.stderr
    assert "délai dépassé" in done.stderr and "pas de réponse complète en 1 s" in done.stderr
    assert len(server.requests_to(SEARCH)) == 1  # a slow answer is not asked for again
    assert "labonnealternance : " in done.stdout and " 0 ajoutées" not in done.stdout
    with session_scope(empty_catalogue) as session:
        sources = set(session.execute(select(Offer.source)).scalars())
    assert sources == {"labonnealternance"}
