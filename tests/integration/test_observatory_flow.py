"""A small demo day through Indy's real channels (`python -m bot stats simulate`), counted,
then read by an admin in the observatory page in real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.settings import ROOT

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
REPORTS = ROOT / "reports"


def test_a_simulated_day_shows_in_the_observatory(stack):
    settings, _ = stack
    env = {**os.environ, "INDY_DATABASE_URL": settings.database_url,
           "INDY_TRACKER_DB": str(settings.tracker_db), "INDY_NEW_PASSWORD": "motdepasse-solide"}
    env.pop("INDY_TRACKER_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot", "stats", "simulate", "--users", "40",
                           "--seed", "11", "--rasa", settings.rasa_url], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "40 personnes simulées" in done.stdout
    printed = done.stdout
    assert "soudeur" in printed and "Métiers demandés et offres disponibles" in printed
    done = subprocess.run([sys.executable, "-m", "bot", "counsellor", "add", "chloe",
                           "--name", "Chloé", "--role", "admin"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    base = f"http://127.0.0.1:{settings.web_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1280, "height": 900},
                                   locale="fr-FR").new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/observatoire")
        page.fill("#username", "chloe")
        page.fill("#password", "motdepasse-solide")
        page.click("button[type=submit]")
        page.goto(base + "/observatoire?jours=7")
        expect(page.locator("h1")).to_have_text("Observatoire du territoire")
        expect(page.locator("svg.chart")).to_have_count(3)
        expect(page.locator("svg.trades rect.asked").first).to_be_visible()
        expect(page.locator("svg.trades rect.offers").first).to_be_visible()
        assert page.locator("svg.map circle.commune").count() > 100  # the territory's communes
        expect(page.locator("svg.map circle.demand").first).to_be_visible()
        expect(page.locator("svg.trend rect[class^=ch-]").first).to_be_visible()
        expect(page.locator("#t-metiers td", has_text="soudeur").first).to_be_visible()
        REPORTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(REPORTS / "observatoire.png"), full_page=True)

        with page.expect_download() as download:
            page.click("#t-recherches a.csv")
        csv = download.value.path().read_bytes()
        assert csv.startswith("\ufeffMétier;Lieu;Personnes".encode())

        page.click("text=File de relecture")
        expect(page.locator("h1")).to_have_text("Messages qu'Indy n'a pas compris")
        page.screenshot(path=str(REPORTS / "observatoire_relecture.png"), full_page=True)
        browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
