"""A French conversation through Rasa's HTTP API, with the real action server."""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from tests.integration.conftest import Chat, restart, start, stop

pytestmark = pytest.mark.integration


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def payloads(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons", [])]


# One message per contract intent, and words the answer must contain.
CASES = [
    ("bonjour", r"Indy.*assistant automatique"),
    ("bye a+", r"bientôt|Bonne soirée"),
    ("merci bcp", r"plaisir"),
    ("oui vas y", r"Dis-moi ce que tu cherches"),
    ("non pas maintenant", r"Pas de souci"),
    ("t'es un robot ?", r"robot"),
    ("tu sers a quoi", r"Je peux t'aider"),
    ("qui a gagne le match hier", r"je ne sais pas faire"),
    ("je veux parler a un humain", r"transmets notre conversation"),
    ("efface tout ce que je t'ai dit", r"effacer tes données.*Je le fais"),
    ("je cherche du taf de soudeur vers thiers", r"Je cherche un job de soudeur vers Thiers"),
    ("je veux une formation de cariste", r"vers où"),
    ("je cherche une alternance en usinage", r"vers où"),
    ("mon fils cherche un stage de 3e a ambert", r"un stage vers Ambert"),
    ("immersion en coutellerie", r"vers où"),
    ("c quand le prochain job dating", r"vers où"),
    ("le bus passe quand a arlanc", r"Arlanc"),
    ("c'est quoi la MRS", r"simulation"),
    ("une immersion c'est payé ?", r"immersion"),
    ("c'est quoi le métier de régleur", r"régleur|métier"),
    ("ça paye combien soudeur", r"salaire|SMIC|payé|gagne"),
    ("j'ai pas de diplome je peux bosser en usine", r"diplôme"),
    ("c'est quoi le contrat d'engagement jeune", r"CEJ|engagement jeune"),
    ("j'ai pas le permis comment aller au taf", r"permis"),
    ("je cherche un logement pour ma formation", r"logement|foyer|FJT"),
    ("RQTH ça change quoi", r"RQTH|handicap"),
    ("comment faire un cv", r"CV"),
    ("c'est sale l'industrie", r"usine|industrie"),
    ("je sais pas quel metier faire", r"métier"),
    ("adresse de la mission locale de thiers", r"Thiers"),
]


@pytest.mark.parametrize("message, expected", CASES)
def test_each_intent_gets_a_sensible_french_answer(chat: Chat, message: str, expected: str):
    answer = chat.say(message)
    assert answer, f"no answer to {message!r}"
    assert re.search(expected, texts(answer), re.IGNORECASE | re.DOTALL), texts(answer)
    assert "souci technique" not in texts(answer)


def test_more_results_before_any_search_and_inform(chat: Chat):
    assert "Dis-moi d'abord ce que tu cherches" in texts(chat.say("d'autres offres ?"))
    assert "garde en tête" in texts(chat.say("j'ai 19 ans"))


def test_greeting_says_it_is_private_and_offers_buttons(chat: Chat):
    answer = chat.say("salut")
    assert "effacer" in texts(answer)
    assert "/search_job" in payloads(answer) and "/request_human" in payloads(answer)


def test_entities_are_normalised_by_the_parse_api(stack):
    settings, _ = stack
    parsed = requests.post(
        f"{settings.rasa_url}/model/parse?token={settings.rasa_token}",
        json={"text": "jcherche un taf de soudeuse vers thier"},
        timeout=30,
    ).json()
    values = {(e["entity"], e["value"]) for e in parsed["entities"]}
    assert ("job", "soudeur") in values and ("location", "63430") in values


def test_two_misses_offer_a_person(chat: Chat):
    first = chat.say("/nlu_fallback")
    assert "/request_human" not in payloads(first)
    second = chat.say("/other_topic")
    assert "/request_human" in payloads(second)


def test_button_payload_with_entity_works(chat: Chat):
    answer = chat.say('/ask_local_services{"location": "42147"}')
    assert "Montbrison" in texts(answer)


def test_action_server_down_gets_a_polite_answer_then_recovers(stack):
    settings, processes = stack
    chat = Chat(settings)
    assert "Arlanc" in texts(chat.say("le bus passe quand a arlanc"))
    stop(processes, "actions")
    try:
        answer = chat.say("le bus passe quand a arlanc")
        assert "souci technique" in texts(answer)
        assert "/request_human" in payloads(answer)
        # Every message goes through the dialogue engine: each gets the polite answer.
        assert "souci technique" in texts(chat.say("t'es un robot"))
    finally:
        start(settings, processes, "actions")
    assert "Arlanc" in texts(chat.say("le bus passe quand a arlanc"))


def test_web_app_relays_the_conversation(stack):
    settings, _ = stack
    web = f"http://127.0.0.1:{settings.web_port}"
    sender = requests.post(f"{web}/api/session", json={"kind": "web"}, timeout=10).json()["sender"]
    reply = requests.post(f"{web}/api/chat",
                          json={"sender": sender, "message": "c'est quoi la MRS"}, timeout=60)
    assert reply.status_code == 200
    assert "simulation" in texts(reply.json()["messages"])


def test_erasure_really_erases_the_conversation(stack):
    settings, _ = stack
    chat = Chat(settings)
    chat.say("je cherche un taf de soudeur vers thiers, je m'appelle Léa")
    assert "Je le fais" in texts(chat.say("supprime mes données"))
    done = chat.say('/delete_my_data{"confirm": "yes"}')
    assert "C'est fait" in texts(done)
    url = f"{settings.rasa_url}/conversations/{chat.sender}/tracker?token={settings.rasa_token}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kept = [e for e in requests.get(url, timeout=10).json()["events"]
                if e.get("event") == "user"]
        if not kept:
            break
        time.sleep(1)
    assert kept == [], "the conversation is still stored"
    assert "Léa" not in json.dumps(requests.get(url, timeout=10).json())


def test_rasa_restarted_mid_form_the_conversation_goes_on(stack):
    settings, processes = stack
    chat = Chat(settings)
    assert "vers où" in texts(chat.say("je veux une formation de cariste"))
    restart(settings, processes, "rasa")
    # The SQL tracker store kept the conversation: the form picks up where it was.
    assert "Je cherche une formation en cariste vers Montbrison" in texts(chat.say("montbrison"))


def test_rasa_api_needs_the_token_but_user_channels_do_not(stack):
    settings, _ = stack
    parse = f"{settings.rasa_url}/model/parse"
    assert requests.post(parse, json={"text": "salut"}, timeout=30).status_code == 401
    assert requests.post(parse, params={"token": "wrong"}, json={"text": "salut"},
                         timeout=30).status_code == 401
    assert requests.post(parse, params={"token": settings.rasa_token}, json={"text": "salut"},
                         timeout=30).status_code == 200
    assert Chat(settings).say("salut")  # the REST channel itself needs no token


def test_a_message_sent_again_with_its_id_is_handled_once(stack):
    """Exactly-once: the same message id again (one after the other, or while the first is
    still handled) gets the first answers and leaves one user message in the conversation."""
    from concurrent.futures import ThreadPoolExecutor

    settings, _ = stack
    chat = Chat(settings)
    url = f"{settings.rasa_url}/webhooks/rest/webhook"

    def send(text: str, message_id: str) -> list[dict]:
        reply = requests.post(url, json={"sender": chat.sender, "message": text,
                                         "message_id": message_id}, timeout=60)
        reply.raise_for_status()
        return reply.json()

    first = send("je cherche un taf de soudeur vers thiers", "perf17-0001")
    assert first and send("je cherche un taf de soudeur vers thiers", "perf17-0001") == first
    with ThreadPoolExecutor(2) as pool:
        copies = list(pool.map(lambda _: send("c'est quoi la mrs", "perf17-0002"), range(2)))
    assert copies[0] == copies[1] and "simulation" in texts(copies[0])
    tracker = f"{settings.rasa_url}/conversations/{chat.sender}/tracker"
    events = requests.get(tracker, params={"token": settings.rasa_token}, timeout=10).json()
    ids = [e.get("message_id") for e in events["events"] if e["event"] == "user"]
    assert ids == ["perf17-0001", "perf17-0002"]
