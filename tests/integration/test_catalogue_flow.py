"""The catalogue searched from the conversation, as a new user would (issue « catalogue »)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot.settings import ROOT
from tests.integration.conftest import Chat

pytestmark = pytest.mark.integration


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def cards(messages: list[dict]) -> list[str]:
    return [m["text"] for m in messages if "📍" in m.get("text", "") and "🏭" in m["text"]]


def km(card: str) -> int:
    found = re.search(r"à (\d+) km", card)
    return int(found.group(1)) if found else 0


def test_a_welder_job_near_thiers(chat: Chat):
    answer = chat.say("je cherche un taf de soudeur vers thiers")
    assert "Je cherche un job de soudeur vers Thiers" in texts(answer)
    assert "sans voiture" in texts(answer), "said once, after the first results"
    found = cards(answer)
    assert 1 <= len(found) <= 3 and all("Offre d'emploi" in c for c in found)
    assert all(km(c) <= 50 for c in found)
    assert any(b["payload"] == "/create_alert" for m in answer for b in m.get("buttons", []))


def test_a_forklift_training_asks_where_then_finds_one(chat: Chat):
    assert "vers où" in texts(chat.say("une formation cariste"))
    answer = chat.say("montbrison")
    assert "Je cherche une formation en cariste vers Montbrison" in texts(answer)
    assert cards(answer) and all("Formation" in c for c in cards(answer))


def test_an_internship_for_a_son_in_ambert(chat: Chat):
    answer = chat.say("stage de 3e pour mon fils à ambert")
    assert "Je cherche un stage vers Ambert" in texts(answer)
    assert cards(answer) and all(km(c) <= 50 for c in cards(answer))


def test_an_immersion_in_cutlery_without_a_car(chat: Chat):
    assert "vers où" in texts(chat.say("immersion en coutellerie"))
    assert "sans voiture" in texts(chat.say("thiers"))
    answer = chat.say("non j'ai pas le permis")
    assert "sans voiture" in texts(answer)
    assert "Je cherche une immersion" in texts(answer) and cards(answer)


def test_the_next_job_dating_anywhere(chat: Chat):
    assert "vers où" in texts(chat.say("c quand le prochain job dating"))
    answer = chat.say("peu importe")
    assert "les événements" in texts(answer) and cards(answer)


def test_the_bus_at_arlanc(chat: Chat):
    answer = texts(chat.say("le bus passe quand a arlanc"))
    assert "Arlanc" in answer and re.search(r"\d+/\d\d", answer)


def test_more_results_pages_then_details_and_interest(chat: Chat):
    chat.say("je cherche un job vers ambert")
    first = chat.say("peu importe")
    chat.say("oui")
    more = chat.say("d'autres offres")
    assert cards(more) and set(cards(more)).isdisjoint(cards(first))
    detail_payload = next(b["payload"] for m in more for b in m.get("buttons", [])
                          if b["payload"].startswith("/offer_details"))
    details = texts(chat.say(detail_payload))
    assert "Pour postuler" in details
    interest = chat.say(detail_payload.replace("offer_details", "offer_interest"))
    assert "J'ai noté" in texts(interest)


def test_an_imported_offer_shows_in_the_next_search(stack, chat: Chat, tmp_path):
    settings = stack[0]
    path = tmp_path / "offres.csv"
    path.write_text(
        "source,source_id,kind,title,organisation,commune,trade,contract_type,expires_on\n"
        "partenaire,X-1,job,Décolleteur de nuit chez Zébulon,Zébulon Industrie,Olliergues,"
        "décolletage,CDI,2099-01-01\n", encoding="utf-8")
    env = {"INDY_DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "bot", "catalogue", "import", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer = chat.say("je cherche un job d'usineur a olliergues")
    assert any("Zébulon" in c for c in cards(answer)), texts(answer)
    broken = tmp_path / "casse.csv"
    broken.write_text("source,source_id,kind\npartenaire,X-2,boulot\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot", "catalogue", "import", str(broken)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "ligne 2" in done.stderr and "rien n'a été importé" in \
        done.stderr
