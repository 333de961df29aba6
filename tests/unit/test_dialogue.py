"""The dialogue engine on a real catalogue, without Rasa: the NLU's reading of each message is
given as Rasa would give it (intent, confidence, entities already normalised)."""

from __future__ import annotations

import pytest

from bot.dialogue import mentions
from bot.dialogue.context import Context
from bot.dialogue.engine import TEXT, Turn, parse_payload, respond


class Talk:
    def __init__(self, sender="unit-1"):
        self.ctx = Context()
        self.outcome = None
        self.sender = sender

    def say(self, text, intent="inform", confidence=0.95, **entities):
        if text.startswith("/") and intent == "inform":
            intent, parsed = parse_payload(text)
            entities = {**{k: v[0] for k, v in parsed.items()}, **entities}
        turn = Turn(text, intent, confidence, {k: [v] for k, v in entities.items()}, [],
                    self.sender, "rest")
        self.outcome = respond(self.ctx, turn)
        self.ctx = self.outcome.context
        return [name for name, _ in self.outcome.says]

    def texts(self):
        return [v.get("text", "") for name, v in self.outcome.says if name == TEXT]


@pytest.fixture
def talk(catalogue_url):
    return Talk()


def test_greeting_button_asks_only_what_is_missing(talk):
    assert talk.say("/search_job") == ["utter_search_so_far", "utter_ask_job"]
    assert talk.say("soudeur", job="soudeur") == ["utter_search_so_far", "utter_ask_location"]
    said = talk.say("vers thiers", location="63430")
    assert "utter_search_noted" in said and "utter_offer_card" in said
    assert "utter_car_hint" in said, "the car is mentioned after the results, not asked"
    said = talk.say("sans voiture", intent="inform")
    assert said[0] == "utter_changed_car_no" and talk.ctx.person.has_car is False


def test_a_follow_up_changes_one_part_and_runs_again(talk):
    talk.say("je cherche un taf de soudeur vers thiers", "search_job", job="soudeur",
             location="63430")
    said = talk.say("et en alternance ?", "search_apprenticeship")
    assert said[0] == "utter_changed_kind" and "utter_search_noted" in said
    assert talk.ctx.search.kind == "apprenticeship" and talk.ctx.search.trade == "soudeur"
    said = talk.say("plutôt à Ambert", location="63003", confidence=0.5)
    assert said[0] == "utter_changed_place" and talk.ctx.search.place == "63003"
    said = talk.say("plus loin", "goodbye", 0.32)  # whatever the NLU made of it
    assert said[0] in ("utter_changed_farther", "utter_changed_everywhere")


def test_a_mention_fills_the_context_and_does_not_hijack(talk):
    talk.say("je cherche un job de cariste a ambert", "search_job", job="cariste",
             location="63003")
    said = talk.say("g le permis et 1 voiture", "ask_mobility", 0.7)
    assert talk.ctx.person.has_car is True
    assert said[0] in ("utter_noted_car_short", "utter_changed_car_yes")
    assert not talk.texts()  # not the mobility FAQ


def test_a_question_inside_a_search_is_answered_then_the_search_resumes(talk):
    talk.say("je cherche une alternance", "search_apprenticeship")
    assert talk.ctx.pending.slot == "trade"
    said = talk.say("ça paye combien un apprenti ?", "ask_salary", 0.9)
    assert talk.texts(), "the apprentice pay fact is given"
    assert said[-2:] == ["utter_resume", "utter_ask_job"] and talk.ctx.pending.slot == "trade"


def test_typed_answers_work_as_the_buttons(talk):
    talk.say("je cherche un job", "search_job")
    assert talk.say("peu importe", "nlu_fallback", 0.2)[-1] == "utter_ask_location"
    said = talk.say("Ambert", "inform", 0.9)
    assert "utter_search_noted" in said and "utter_car_hint" in said
    first = talk.ctx.search.shown[0]
    said = talk.say("ça m'intéresse le premier", "offer_interest", 0.8)
    assert said[0] == "utter_offer_interest" and talk.ctx.offer_id == first


def test_erasure_confirmed_by_a_typed_yes(talk):
    talk.say("efface mes données", "delete_my_data")
    assert talk.ctx.pending.slot == "erase"
    talk.say("oui", "affirm")
    assert talk.outcome.erase is True


def test_a_name_refused_is_not_stored_as_a_name(talk, monkeypatch):
    from bot.handoff import service
    monkeypatch.setattr(service, "needs_contact", lambda *a, **k: False)
    talk.say("je veux parler à un conseiller", "request_human")
    assert talk.ctx.pending.slot == "consent"
    talk.say("oui", "affirm")
    assert talk.ctx.pending.slot == "name"
    talk.say("je préfère ne pas donner mon prénom", "deny", 0.6)
    assert talk.outcome.handoff is not None and talk.outcome.handoff["name"] == ""


def test_distress_comes_first_even_inside_a_form(talk):
    talk.say("je cherche un job", "search_job")
    said = talk.say("jsp j'ai envie de mourir", "inform", 0.4)
    assert said[-1].startswith("utter_safety_after")
    assert any("3114" in t for t in talk.texts())
    assert talk.ctx.pending.slot == "trade", "the person can go on"


def test_under_16_immersion_is_not_offered(talk):
    talk.say("j'ai 14 ans", "inform")
    talk.say("je veux faire une immersion", "search_immersion")
    assert talk.ctx.search.kind != "immersion" and talk.texts()


@pytest.mark.parametrize("text, field, value", [
    ("g pas le permis", "has_car", False),
    ("j'ai pas de voiture", "has_car", False),
    ("g le permis et 1 voiture", "has_car", True),
    ("mon fils a 15 ans", "age", 15),
    ("j'ai 45 ans c'est trop tard ?", "age", 45),
    ("en CDI seulement", "contract", "CDI"),
    ("plus loin", "farther", True),
    ("la 2e", "ordinal", 1),
    ("hello, I'm looking for a job in a factory near Thiers", "english", True),
    ("t'es nul ton truc marche pas", "angry", True),
    ("infirmier", "outside_industry", "infirmier"),
])
def test_mentions(text, field, value):
    assert getattr(mentions.read(text), field) == value


def test_no_false_car_or_age_in_ordinary_words():
    said = mentions.read("je cherche un stage de 3e à Ambert")
    assert said.has_car is None and said.age is None and said.grade == "3e"


def fact_ids(outcome) -> set[str]:
    """Which facts of content/facts.yml an answer gave (matched by their first text)."""
    from bot.facts import load_facts

    given = {v.get("text") for name, v in outcome.says if name == TEXT}
    return {fid for fid, fact in load_facts().items() if fact.messages[0]["text"] in given}


AGES = [  # age, RQTH, who helps, the immersion, the CEJ
    (13, False, "who_helps_pupil", "immersion_too_young", "cej"),  # says 16-25
    (15, False, "who_helps_pupil", "immersion_too_young", "cej"),
    (16, False, "who_helps_16_25", "immersion", "cej"),
    (17, False, "who_helps_16_25", "immersion", "cej"),
    (22, False, "who_helps_16_25", "immersion", "cej"),
    (27, False, "who_helps_26_plus", "immersion", "cej_too_old"),
    (27, True, "who_helps_rqth", "immersion", "cej"),
    (45, False, "who_helps_26_plus", "immersion", "cej_too_old"),
    (45, True, "who_helps_rqth", "immersion", "cej_too_old"),
]


@pytest.mark.parametrize("age, rqth, who, immersion, cej", AGES)
def test_the_age_table(catalogue_url, age, rqth, who, immersion, cej):
    def ask(text, intent):
        talk = Talk()
        talk.say(f"j'ai {age} ans" + (" et une RQTH" if rqth else ""), "inform")
        talk.say(text, intent, 0.95)
        return fact_ids(talk.outcome)

    assert who in ask("qui peut m'aider ?", "ask_local_services")
    assert immersion in ask("c'est quoi une immersion ?", "ask_immersion_info")
    assert cej in ask("c'est quoi le contrat d'engagement jeune ?", "ask_financial_aid")
    pay = ask("un apprenti ça gagne combien ?", "ask_salary")
    assert "apprentice_pay" in pay, "never a full wage for an apprentice"
    if age >= 26:
        assert "too_late" in ask("c'est trop tard pour moi ?", "ask_orientation")


STATES = {  # how to reach each state of the dialogue, as (text, intent, entities)
    "start": [],
    "trade": [("je cherche un job", "search_job", {})],
    "place": [("je cherche un job de soudeur", "search_job", {"job": "soudeur"})],
    "has_car": [("soudeur à thiers", "search_job", {"job": "soudeur", "location": "63430"})],
    "consent": [("je veux parler à quelqu'un", "request_human", {})],
    "erase": [("efface mes données", "delete_my_data", {})],
    "kind": [("soudeur", "inform", {"job": "soudeur"})],
}
DISTRESS = {  # a message, the numbers that must be in the answer
    "suicide": ("j'ai envie de mourir", ["3114"]),
    "shelter": ("je suis à la rue je sais pas où dormir ce soir", ["115"]),
    "hunger": ("j'ai rien mangé depuis 2 jours", ["CCAS"]),
    "minor_abuse": ("j'ai 14 ans et mon père me frappe", ["119"]),
    "violence": ("mon copain me frappe", ["17", "3919"]),
    "harassment": ("on me harcèle au collège", ["3018"]),
    "unwell": ("je vais pas bien", ["0 800 235 236"]),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("category", DISTRESS)
def test_every_emergency_answer_from_every_state(catalogue_url, state, category):
    talk = Talk()
    for text, intent, entities in STATES[state]:
        talk.say(text, intent, 0.95, **entities)
    before = talk.ctx.pending.slot if talk.ctx.pending else None
    message, numbers = DISTRESS[category]
    said = talk.say(message, "inform", 0.3)
    text = " ".join(talk.texts())
    for number in numbers:
        assert number in text, f"{number} missing from {text!r}"
    assert any(n.startswith("utter_safety_after") for n in said)
    assert (talk.ctx.pending.slot if talk.ctx.pending else None) == before, "then goes on"


def test_not_knowing_is_an_answer(talk):
    talk.say("/search_job")
    assert talk.ctx.pending.slot == "trade"
    said = talk.say("jsp", "nlu_fallback", 0.3)
    assert said[0] == "utter_unsure_trade" and talk.ctx.search.trade == "any"
    assert said[-1] == "utter_ask_location", "the search goes on with what it still lacks"
    said = talk.say("je sais pas trop", "nlu_fallback", 0.3)
    assert said[0] == "utter_unsure_place" and "utter_search_noted" in said


def test_an_ordinal_typed_presses_that_button(talk):
    talk.say("/search_job")
    said = talk.say("le 2e", "nlu_fallback", 0.3)
    assert talk.ctx.search.trade == "opérateur de production", said
    assert said[-1] == "utter_ask_location"


def test_the_persons_word_for_a_trade_is_said_back(talk):
    turn = Turn("un job de magasinier", "search_job", 0.95, {"job": ["préparateur de commandes"]},
                [], "unit-1", "rest", said_as={"préparateur de commandes": "magasinier"})
    outcome = respond(talk.ctx, turn)
    so_far = dict(outcome.says)["utter_search_so_far"]
    assert so_far["trade"] == " de magasinier (préparateur de commandes)"


def test_an_adult_who_is_unwell_gets_the_line_for_adults(talk):
    talk.say("j'ai 45 ans et je vais pas bien", "distress_unwell", 0.9)
    said = " ".join(talk.texts())
    assert "09 72 39 40 50" in said and "0 800 235 236" not in said
    young = Talk()
    young.say("je vais pas bien", "distress_unwell", 0.9)
    assert "0 800 235 236" in " ".join(young.texts())


def test_a_demo_antenna_says_it_is_fictional_in_the_same_message(talk):
    talk.say("c'est où la mission locale à Thiers ?", "ask_local_services", 0.9,
             location="63430")
    services = [v for name, v in talk.outcome.says if name == "utter_local_service"]
    assert services and all(v["demo"].startswith("🎭") for v in services)
    assert all("04 00" not in v["phone"] for v in services)


def test_a_greeting_with_a_question_answers_the_question(talk):
    turn = Turn("Bonjour, je voudrais savoir si mon fils peut faire une alternance à 15 ans",
                "greet", 0.5, {}, [{"name": "greet", "confidence": 0.5},
                                   {"name": "search_apprenticeship", "confidence": 0.3}],
                "unit-1", "rest")
    outcome = respond(talk.ctx, turn)
    said = [name for name, _ in outcome.says]
    assert "utter_greet" not in said
    assert any("15 ans" in v.get("text", "") for name, v in outcome.says if name == TEXT)


def test_an_apprenticeship_before_15_is_not_searched(talk):
    talk.say("j'ai 13 ans", "inform")
    talk.say("je veux faire une alternance", "search_apprenticeship")
    assert "16 à 29 ans" in " ".join(talk.texts()) and talk.ctx.search.kind is None


def test_what_is_said_while_indy_asks_where_is_kept(talk):
    talk.say("/search_internship")
    assert talk.ctx.pending.slot == "place"
    said = talk.say("il est en 3e", "inform", 0.44)
    assert said[0] == "utter_noted_in_passing" and talk.ctx.pending.slot == "place"
    assert talk.ctx.search.grade == "3e"


def test_a_word_that_names_several_trades_is_asked_about(talk):
    turn = Turn("je cherche du boulot de technicien vers thiers", "search_job", 0.99,
                {"job": ["mécanicien industriel"], "location": ["63430"]}, [], "unit-1", "rest",
                said_as={"mécanicien industriel": "technicien"})
    outcome = respond(talk.ctx, turn)
    talk.ctx = outcome.context
    assert [n for n, _ in outcome.says] == ["utter_which_trade"]
    titles = [o["title"] for o in talk.ctx.pending.options]
    assert "Technicien de maintenance" in titles and talk.ctx.search.place == "63430"
    said = talk.say(talk.ctx.pending.options[0]["payload"])
    assert "utter_search_noted" in said and talk.ctx.search.trade == "technicien de maintenance"


def test_interest_typed_after_one_offer_is_for_that_offer(talk):
    talk.say("je cherche un taf de magasinier vers thiers", "search_job",
             job="préparateur de commandes", location="63430")
    assert len(talk.ctx.search.shown) == 1
    said = talk.say("ça m'intéresse", "affirm", 0.75)
    assert said[0] == "utter_offer_interest"


def test_a_town_outside_the_territory_is_said_so(talk):
    talk.say("/search_job")
    talk.say("peu importe", "nlu_fallback", 0.2)
    said = talk.say("a clermont ferrand", "inform", 0.6)
    assert said[0] == "utter_outside_territory" and talk.ctx.pending.slot == "place"


def test_a_kind_ruled_out_is_never_searched(talk):
    talk.say("je cherche une formation", "search_training")
    said = talk.say("UN TAF PAS UNE FORMATION", "search_training", 0.8)
    assert talk.ctx.search.kind == "job", said
    talk2 = Talk()
    talk2.say("je cherche une alternance", "search_apprenticeship")
    said = talk2.say("jparle pas d'apprentissage", "search_apprenticeship", 0.7)
    assert said[:2] == ["utter_not_that_kind", "utter_which_kind"]


def test_changing_ones_mind_during_the_handoff_sends_nothing(talk):
    talk.say("je veux parler à un conseiller", "request_human")
    talk.say("oui", "affirm")
    assert talk.ctx.pending.slot == "name"
    said = talk.say("en fait non laisse tomber", "deny", 0.6)
    assert said == ["utter_handoff_no_consent"] and talk.outcome.handoff is None


def test_a_misread_distress_is_said_so_and_the_same_one_is_not_repeated(talk):
    talk.say("j'ai rien mangé depuis hier", "distress_hunger", 0.9)
    assert talk.ctx.safety == "hunger"
    said = talk.say("non j'ai pas faim, je parle pas de ça", "deny", 0.5)
    assert said[0] == "utter_safety_misread" and talk.ctx.safety is None
    talk.say("je veux mourir", "distress_suicide", 0.95)
    said = talk.say("je veux mourir", "distress_suicide", 0.95)
    assert said == ["utter_safety_again"]


def test_harassment_at_work_gets_the_work_answer(talk):
    talk.say("mon chef d'équipe n'arrête pas de me toucher les fesses", "distress_harassment",
             0.9)
    said = " ".join(talk.texts())
    assert "3919" in said and "3018" not in said and talk.ctx.safety == "harassment_work"
    said = talk.say("ils peuvent me virer si j'en parle ?", "ask_job_info", 0.4)
    assert "sanctionner" in " ".join(talk.texts())


def test_an_offer_named_by_a_word_of_its_title_is_the_one(talk):
    from bot.catalogue.answers import offer_summary
    from bot.text import fold

    talk.say("je cherche un job vers thiers", "search_job", job="any", location="63430")
    shown = talk.ctx.search.shown
    assert len(shown) > 1
    titles = {i: fold(offer_summary(i)).split() for i in shown}
    offer_id, word = next((i, w) for i, ws in titles.items() for w in ws if len(w) >= 7 and
                          not any(w[:7] in " ".join(o) for j, o in titles.items() if j != i))
    said = talk.say(f"le {word} ça m'intéresse, je fais comment ?", "affirm", 0.5)
    assert said[0] == "utter_offer_interest" and talk.ctx.offer_id == offer_id


def test_who_a_service_is_for_depends_on_the_age_said(talk):
    talk.say("j'ai 27 ans", "inform")
    talk.say("la mission locale je peux y aller ?", "ask_local_services", 0.8)
    said = " ".join(talk.texts())
    assert "France Travail" in said, said
    assert talk.ctx.pending is None or talk.ctx.pending.slot != "services_place"


@pytest.mark.parametrize("telegram", [True, False])
def test_a_request_from_the_kiosk_ends_where_the_answer_can_be_read(catalogue_url, monkeypatch,
                                                                     telegram):
    """The bus's tablet wipes itself: never « ici même »; a contact is asked in other words,
    and without one, the phone (Telegram on) or the local services."""
    from bot.handoff import service
    from bot.handoff.tickets import Request
    from bot.identity import issue_browser_id

    real = service.teams_config()
    monkeypatch.setattr(service, "teams_config", lambda: {**real, "demo": False})
    monkeypatch.setattr(service, "bot_username", lambda: "indy_bot" if telegram else None)
    talk = Talk(sender=issue_browser_id("kiosk"))
    talk.say("je veux parler à un conseiller", "request_human")
    talk.say("oui", "affirm")
    talk.say("/deny", "deny")
    assert talk.ctx.pending.slot == "contact"
    assert talk.outcome.says[-1][0] == "utter_ask_handoff_contact_kiosk"
    talk.say("/deny", "deny")
    details = talk.outcome.handoff
    said = [name for name, _ in service.create(Request(
        talk.sender, "rest", "", details["contact"], details["reason"], details["profile"], []))]
    assert said[0] == "utter_handoff_created_kiosk"
    assert said[1] == ("utter_handoff_kiosk_phone" if telegram else "utter_handoff_kiosk_elsewhere")
    assert service.announce(issue_browser_id("kiosk"), "request", details["profile"])[0][0] == \
        "utter_handoff_who_kiosk"
    assert service.announce("web-x", "request", details["profile"])[0][0] == "utter_handoff_who"


def test_english_runs_a_search_calls_a_person_and_is_introduced_once(talk):
    said = talk.say("hello, I'm looking for a job in a factory near Thiers", "search_job",
                    location="63430")
    assert said[0] == "utter_english_search" and talk.outcome.searched
    assert talk.say("I don't speak french well, sorry", "out_of_scope", 0.8) == \
        ["utter_english_again"]
    said = talk.say("can I talk to someone please?", "request_human", 0.9)
    assert said[0].startswith("utter_english_handoff") and talk.ctx.pending.slot == "consent"
    first = Talk()
    assert first.say("what is this website, can you help me?", "out_of_scope", 0.8) == \
        ["utter_english"]


def test_a_place_name_of_several_communes_is_asked_about(talk):
    talk.say("un taf de soudeur", "search_job", job="soudeur")
    turn = Turn("st just", "inform", 0.93, {"location": ["63371"]}, [], talk.sender, "rest",
                said_as={"63371": "st just"})
    talk.outcome = respond(talk.ctx, turn)
    talk.ctx = talk.outcome.context
    assert talk.outcome.says[-1][0] == "utter_which_place" and talk.ctx.pending.slot == "place"
    assert talk.ctx.search.trade == "soudeur"
    said = talk.say("/inform{\"location\":\"42279\"}")
    assert talk.ctx.search.place == "42279" and talk.outcome.searched
    assert "utter_which_place" not in said


@pytest.mark.parametrize("text, intent, fact_id", [
    ("c'est quoi la différence entre un CAP et un bac pro ?", "ask_no_diploma", "cap_or_bac_pro"),
    ("un diplome c valable combien de temps", "ask_no_diploma", "diploma_validity"),
    ("c'est quoi une agence d'intérim ?", "ask_job_info", "temp_agency"),
    ("on peut faire un bts en apprentissage ?", "search_apprenticeship", "bts_apprenticeship"),
    ("pour le stage de 3e c'est quoi les horaires ? et l'assurance ?", "search_internship",
     "internship_hours"),
])
def test_precise_questions_get_their_own_fact(talk, text, intent, fact_id):
    talk.say(text, intent, 0.6)
    assert talk.ctx.topic == fact_id


def test_a_question_beside_a_clear_search_is_answered_then_the_search_starts(talk):
    talk.say("je peux faire un BTS en alternance ?", "search_apprenticeship", 0.98)
    assert talk.ctx.topic == "bts_apprenticeship" and talk.ctx.search.kind == "apprenticeship"
    assert talk.ctx.pending.slot == "trade"


def test_what_one_likes_or_cannot_do_brings_trades_to_look_at(talk):
    talk.say("j'aime bricoler mais je sais pas quel métier", "ask_orientation", 0.99)
    said = talk.outcome.says[-1]
    assert said[0] == "utter_suggest_trades" and said[1]["like"] == "bricoler"
    assert any("maintenance" in b["title"] for b in said[1]["buttons"])
    assert all(b["payload"].startswith("/ask_job_info") for b in said[1]["buttons"])
    talk.say("pas trop physique, j'ai mal au dos", "out_of_scope", 0.31)
    gentle = talk.outcome.says[-1]
    assert gentle[0] == "utter_suggest_gentle_trades"
    from bot.trades import load_trades
    assert {b["title"].lower() for b in gentle[1]["buttons"]} <= {t.name for t in load_trades()}
    talk.say("j'aime pas bricoler", "ask_orientation", 0.9)
    assert talk.outcome.says[-1][0] != "utter_suggest_trades"


def test_a_like_inside_a_search_offers_trades_for_that_search(talk):
    talk.say("je cherche une alternance", "search_apprenticeship")
    assert talk.ctx.pending.slot == "trade"
    talk.say("j'aime bien l'informatique", "inform", 0.5)
    said = talk.outcome.says[-1]
    assert said[0] == "utter_suggest_trades" and talk.ctx.pending.slot == "trade"
    talk.say(said[1]["buttons"][0]["payload"])
    assert talk.ctx.search.trade == "automaticien" and talk.ctx.pending.slot == "place"


def test_asked_whether_indy_tells_anyone_it_says_what_it_does(talk):
    talk.say("mon beau pere me frappe qd ma mere est pas la", "inform", 0.5)
    assert talk.ctx.safety == "minor_abuse"
    talk.say("tu vas le dire a ma mere ??", "nlu_fallback", 0.3)
    texts = " ".join(talk.texts())
    assert "je ne préviens personne" in texts and "119" in texts


def test_an_offer_picked_by_its_rank_is_not_a_question(talk):
    talk.say("je cherche soudeur vers thiers", "search_job", job="soudeur", location="63430")
    said = talk.say("le premier a l'air bien", "ask_salary", 0.4)  # the NLU's odd reading
    assert said[0] == "utter_offer_details"


def test_the_offers_asked_again_run_the_search_known_so_far(talk):
    talk.say("je cherche un poste d'operatrice de production a ambert", "search_job",
             job="opérateur de production", location="63003")
    talk.say("ya des logements pour les jeunes ?", "ask_housing", 0.9)
    said = talk.say("ok et les offres alors ?", "nlu_fallback", 0.4)
    assert "utter_search_noted" in said and "utter_offer_card" in said
    assert talk.ctx.search.trade == "opérateur de production"


def test_follow_ups_after_a_trade_card_are_about_that_trade(talk):
    talk.say("/ask_job_info", "ask_job_info")
    assert talk.say("conducteur de ligne", job="opérateur de production")[0] == \
        "utter_trade_info"
    talk.say("c'est trop tard à 35 ans pour ça ?", "ask_no_diploma", 0.6)
    assert talk.say("et ça paie combien ?", "ask_immersion_info", 0.5)[0] == \
        "utter_trade_salary"
    said = talk.say("et pour devenir conducteur faut quel diplome ?", "ask_no_diploma", 0.7)
    assert said[0] == "utter_trade_ways_in_for"
    said = talk.say("sans diplome c'est possible ?", "ask_no_diploma", 0.9)
    assert said[0] == TEXT, "without a diploma is the no-diploma fact"
    said = talk.say("ok et les offres alors ?", "nlu_fallback", 0.4)
    assert talk.ctx.search.kind == "job" and talk.ctx.search.trade == "opérateur de production"
    assert said[-1] == "utter_ask_location"


def test_a_certificate_asked_during_a_search_is_the_trades_way_in(talk):
    talk.say("ya du taf a tier pr un jeune sans diplome ?", "search_job", location="63430")
    talk.say("genre cariste", job="cariste")
    said = talk.say("faut le caces ?", "nlu_fallback", 0.3)
    assert said[0] == "utter_trade_ways_in_for"
    assert any("CACES" in str(v.get("ways_in")) for _, v in talk.outcome.says)
    assert talk.ctx.search.kind == "job", "the search stays"


def test_who_answers_is_said_during_the_handoff_questions(talk):
    talk.say("je peux parler a qqun pour de vrai ?", "request_human")
    talk.say("/handoff_consent_yes")
    assert talk.ctx.pending.slot == "name"
    said = talk.say("c qui qui va me repondre ?", "bot_challenge", 0.7)
    assert said[0] in ("utter_handoff_demo", "utter_handoff_who"), said
    assert "text" not in said, "not the robots-and-jobs fact"
    assert talk.ctx.pending.slot == "name", "the question comes back"


def test_working_with_children_gets_the_childcare_answer(talk):
    talk.say("et les horaires en 2x8 ça veut dire quoi ?", "ask_job_info", 0.6)
    said = talk.say("avec 2 enfants c'est jouable ?", "out_of_scope", 0.5)
    assert said[0] == TEXT and "garde" in " ".join(talk.texts())
    talk = Talk()
    said = talk.say("mon fils a 15 ans il peut faire une alternance ?", "search_apprenticeship")
    assert "garde" not in " ".join(talk.texts())


def test_pay_in_industry_in_general_is_the_general_pay(talk):
    talk.say("/search_job")
    said = talk.say("je ne sais pas trop, ça paie combien en général dans l'industrie ?",
                    "ask_industry_image", 0.6)
    assert "brut" in " ".join(talk.texts()), said


def test_a_trade_outside_industry_gets_where_to_ask_and_the_trades_close_to_it(talk):
    said = talk.say("je veux bosser comme infirmier vers thiers", "search_job",
                    location="63430")
    assert "utter_outside_industry" in said and said[-1] == "utter_outside_near"
    titles = [b["title"] for n, v in talk.outcome.says for b in v.get("buttons") or []]
    assert "Contrôleur qualité" in titles
    talk.say("merci", "thank")
    said = talk.say("ok alors dans l'industrie ya des metiers proches ?", "ask_mrs", 0.4)
    assert said == ["utter_outside_near"]


def test_where_after_a_fact_is_where_to_go(talk):
    talk.say("c quoi la mrs jai vu ca sur un flyer", "ask_mrs", 0.9)
    talk.say("faut un diplome ?", "ask_no_diploma", 0.99)
    said = talk.say("ca se passe ou ?", "nlu_fallback", 0.3)
    assert said[0] == "utter_mrs_where", said
    talk = Talk()
    talk.say("je veux etre pilote de ligne a montbrison", "search_job", location="42147")
    said = talk.say("bon ou je me renseigne alors", "nlu_fallback", 0.3)
    assert "utter_local_service" in said or said[-1] == "utter_local_services_ask_place", said


def test_how_to_get_it_after_a_fact_then_the_offers_of_the_trade_named(talk):
    talk.say("c'est quoi la POEI ?", "search_training", 0.47)
    assert talk.ctx.topic == "poei"
    talk.say("c'est payé ?", "ask_financial_aid", 0.4)
    assert "allocations" in " ".join(talk.texts()), "the POEI's pay, not every aid"
    said = talk.say("et comment je fais pour en avoir une comme soudeuse ?", "ask_orientation",
                    0.5, job="soudeur")
    assert "France Travail" in " ".join(talk.texts())
    assert talk.ctx.search.kind == "job" and talk.ctx.search.trade == "soudeur", said


def test_disbelief_after_a_rule_gets_the_rule_again(talk):
    talk.say("bjr jai 13 ans je voudrai faire une immersion dans une usine de couteaux a thiers",
             "search_immersion", location="63430")
    topic = talk.ctx.topic
    assert topic == "immersion_too_young"
    said = talk.say("ah bon mm pas 1 jour ?", "nlu_fallback", 0.3)
    assert said and said[0] == TEXT and "16" in " ".join(talk.texts()), said


def test_notify_me_before_the_kind_is_known_is_an_alert_for_a_job(talk):
    said = talk.say("coutelier à Saint-Anthème", "inform", 0.99, job="coutelier",
                    location="63319")
    assert talk.ctx.pending.slot == "kind"
    said = talk.say("oui préviens-moi", "affirm", 0.57)
    assert said[0] in ("utter_alert_created", "utter_alert_exists"), said


def test_yes_just_after_an_alert_is_not_a_new_request(talk):
    talk.say("je cherche conductrice de ligne vers courpière", "search_job",
             job="opérateur de production", location="63125")
    assert talk.say("vous pouvez me prévenir quand il y a une nouvelle offre ?",
                    "create_alert", 0.87)[0] == "utter_alert_created"
    assert talk.say("oui", "affirm", 0.99) == ["utter_alert_exists"]


def test_at_the_consent_question_a_name_or_its_refusal_is_a_yes(talk):
    talk.say("en fait je préfère parler à quelqu'un", "request_human")
    talk.say("Sophie Martin", "out_of_scope", 0.79)
    assert talk.ctx.person.name == "Sophie Martin"
    assert talk.outcome.handoff or talk.ctx.pending.slot == "contact"
    talk = Talk("unit-2")
    talk.say("je veux parler à un conseiller", "request_human")
    said = talk.say("je préfère ne pas donner mon prénom", "delete_my_data", 0.73)
    assert said[0] == "utter_name_refused" and talk.ctx.person.refused_name
    talk = Talk("unit-3")
    talk.say("je veux parler à un conseiller", "request_human")
    talk.say("Non", "deny", 0.9)
    assert talk.ctx.person.name is None and talk.outcome.handoff is None


def test_it_after_a_fact_is_what_the_fact_was_about(talk):
    talk.say("on peut passer le permis a 17 ans maintenant ?", "ask_mobility", 0.97)
    assert talk.ctx.topic == "licence_aid"
    talk.say("ya des aides pour le payer ? jsui apprentie", "ask_financial_aid", 0.86)
    assert talk.ctx.topic == "licence_aid" and "500" in " ".join(talk.texts())


def test_a_trade_after_the_general_pay_is_that_trades_pay(talk):
    talk.say("ça paye combien ?", "ask_salary", 0.64)
    assert talk.say("soudeur", job="soudeur")[0] == "utter_trade_salary"


def test_pay_in_an_immersion_search_is_the_immersion_only(talk):
    talk.say("/search_immersion")
    talk.say("conducteur de ligne", job="opérateur de production")
    said = talk.say("et ça paie combien ?", "ask_salary", 0.72)
    assert said[:1] == [TEXT] and "utter_trade_salary" not in said  # no salary beside « unpaid »


def test_net_after_a_trades_pay_is_that_pay_again(talk):
    talk.say("sa paye cb operateur de prod", "ask_salary", 0.89, job="opérateur de production")
    assert talk.say("en net ?", "inform", 0.5)[0] == "utter_trade_salary"


def test_the_last_page_offers_to_look_farther_and_the_button_does(talk):
    said = talk.say("je cherche un emploi de technicien électronique à Olliergues", "search_job",
                    job="technicien électronique", location="63258")
    footer = [v for n, v in talk.outcome.says if n == "utter_search_footer_last_wider"]
    assert footer, said
    km = int(footer[0]["km"])
    said = talk.say('/more_results{"confirm": "farther"}')
    assert said[0] in ("utter_changed_farther", "utter_changed_everywhere"), said
    assert talk.ctx.search.min_radius_km is None or talk.ctx.search.min_radius_km > km


def test_an_aid_asked_after_a_cost_is_the_aids_of_that_cost(talk):
    talk.say("g 17 an jpeu passer le permi ?", "ask_mobility", 0.97)
    talk.say("chui en alternance ya 1 aide ?", "nlu_fallback", 0.3)
    assert talk.ctx.topic == "licence_aid" and "500" in " ".join(talk.texts())


def test_offers_asked_just_after_a_trades_pay_are_for_that_trade(talk):
    talk.say("ça paye combien ?", "ask_salary", 0.64)
    talk.say("soudeur", job="soudeur")
    talk.say("à Thiers il y a des offres ?", "search_job", 0.87, location="63430")
    assert talk.ctx.search.trade == "soudeur"


def test_a_trade_in_a_sector_is_the_trade_and_a_correction_the_last():
    turn = Turn("Je cherche un poste de technicienne qualité dans la plasturgie", "search_job",
                0.99, {"job": ["contrôleur qualité", "plasturgiste"]},
                said_as={"contrôleur qualité": "technicienne qualité",
                         "plasturgiste": "plasturgie"})
    assert turn.entity("job") == "contrôleur qualité"
    turn = Turn("pas soudeur, chaudronnier", "inform", 0.9,
                {"job": ["soudeur", "chaudronnier"]})
    assert turn.entity("job") == "chaudronnier"


def test_a_request_keeps_what_the_counsellor_s_summary_shows(talk):
    """The search, the offers shown, no car: in the ticket's profile (the desk's « En bref »)."""
    talk.say("/search_job")
    talk.say("soudeur", job="soudeur")
    talk.say("vers thiers", location="63430")
    talk.say("j'ai pas de voiture")
    assert talk.ctx.person.has_car is False
    talk.say("je veux parler à un conseiller", "request_human")
    talk.say("oui", "affirm")
    talk.say("Léa")
    talk.say("non", "deny")
    profile = talk.outcome.handoff["profile"]
    assert profile["trade"] == "soudeur" and profile["kind"] == "job"
    assert profile["offers_seen"] > 0 and profile["has_car"] is False
    assert "rqth" not in profile  # not said: not stored


def test_and_a_new_subject_is_that_subject_not_the_last_fact(talk):
    talk.say("Je peux être payée pendant la formation ?", "ask_financial_aid", 0.98)
    said = talk.say("Et cette histoire de recrutement sans CV ?", "ask_mrs", 0.42)
    assert "simulation" in " ".join(talk.texts()), said
    talk.say("Est-ce qu'il sera payé ?", "nlu_fallback", 0.3)
    talk.say("Et qui doit signer la convention ?", "ask_financial_aid", 0.40)
    assert "convention" in " ".join(talk.texts())


def test_how_to_use_it_after_a_fact_is_that_fact(talk):
    talk.say("c'est quoi le CPF ?", "ask_financial_aid", 0.86)
    topic = talk.ctx.topic
    talk.say("je l'utilise comment pour une formation de conductrice de ligne ?",
             "search_training", 0.97, job="opérateur de production")
    assert "moncompteformation" in " ".join(talk.texts()) and talk.ctx.topic == topic
    assert talk.ctx.search.kind == "training"


def test_work_wished_under_16_is_the_rule_for_holiday_jobs(talk):
    talk.say("mon fils a 13 ans et veut travailler cet été pour se faire de l'argent de poche,"
             " y a quelque chose dans les usines ?", "ask_no_diploma", 0.45)
    assert talk.ctx.topic == "job_under_16"
    assert "Mission Locale" not in " ".join(talk.texts())


def test_a_new_kind_after_results_replaces_the_search(talk):
    talk.say("je cherche un emploi de soudeuse a thiers", "search_job", job="soudeur",
             location="63430")
    talk.say("en fait non je cherche une formation de cariste a ambert", "search_training",
             0.98, job="cariste", location="63003")
    assert talk.ctx.search.kind == "training" and talk.ctx.search.trade == "cariste"


def test_gross_or_net_is_answered_even_after_the_same_fact(talk):
    talk.say("mon fils a 16 ans il commence un CAP en apprentissage, il va toucher combien ?",
             "ask_salary", 0.32)
    assert talk.say("c'est en brut ou en net ?", "ask_salary", 0.8) == ["utter_gross_net"]


def test_anger_with_a_search_is_heard_then_the_search_goes_on(talk):
    said = talk.say("ça fait 3 mois que mon fils cherche, personne ne répond, vos trucs ne "
                    "servent à rien !!!", "search_job", 0.6)
    assert said[0] == "utter_calm_short" and talk.ctx.search.kind == "job"


def test_a_person_asked_in_sms_during_a_misread_search(talk):
    said = talk.say("je voudrais parler a quelquun de cap emploi", "search_training", 0.79)
    assert "utter_ask_handoff_consent" in said
    said = talk.say("c'est qui ?", "bot_challenge", 0.6)
    assert said[0] in ("utter_handoff_demo", "utter_handoff_who") and TEXT not in said
    talk.say("/handoff_consent_yes")
    said = talk.say("Éva", "affirm", 0.75)
    assert said[0] == "utter_name_noted"


def test_some_there_after_a_fact_is_that_there(talk):
    talk.say("c koi la mrs", "ask_mrs", 0.98)
    said = talk.say("y en a a montbri ?", "inform", 0.87, location="42147")
    assert said[0] in ("utter_mrs_sessions", "utter_mrs_where"), said


def test_for_real_in_a_demo_says_what_is_invented(talk):
    talk.say("le bus de lemploi il passe kan a arlanc", "ask_bus_schedule", 0.98,
             location="63010")
    assert talk.say("c pour de vrai ?", "more_results", 0.31) == ["utter_demo_what_is_real"]


def test_help_to_do_it_after_advice_is_a_person(talk):
    talk.say("g pa de cv jfai comment", "ask_cv_help", 0.98)
    assert talk.say("tu px m'aider a le fer ?", "nlu_fallback", 0.3) == ["utter_help_with_it"]


def test_an_offer_of_interest_is_not_a_no(talk):
    talk.say("jcherche usineur montbri cdi", "search_job", job="usineur", location="42147")
    assert talk.ctx.search.shown
    said = talk.say("le premier ça m'interesse", "deny", 0.5)
    assert said[0] in ("utter_offer_interest", "utter_offer_details", "utter_ask_handoff_consent",
                       "utter_handoff_demo") or "interest" in said[0], said


def test_the_escape_game_without_apostrophe(talk):
    talk.say("ya des job dating a anber bientot ?", "search_events", location="63003")
    talk.say("et lescape game c koi", "search_events", 0.98)
    assert "escape" in " ".join(talk.texts()).lower()


def test_after_a_hard_moment_the_next_words_are_heard(talk):
    talk.say("jsui sur le pont jvé sauté", "distress_suicide", 0.97)
    said = talk.say("ok jsui redescendu", "affirm", 0.54)
    assert said[0] == TEXT and "soulagé" in talk.texts()[0]
    talk = Talk("unit-2")
    talk.say("j'ai pris plein de médocs je veux en finir", "distress_suicide", 0.99)
    talk.say("j'ai appelé le 15", "distress_shelter", 0.62)
    assert "bien fait" in talk.texts()[0]
    talk = Talk("unit-3")
    talk.say("un mec me menace de publier mes nudes si je paye pas", "distress_harassment", 0.99)
    talk.say("je dois payer ?", "ask_financial_aid", 0.58)
    assert "ne paie pas" in talk.texts()[0]
    talk = Talk("unit-4")
    talk.say("j'en peux plus", "distress_unwell", 0.98)
    assert talk.say("je cherche depuis 6 mois et rien", "distress_hunger", 0.39) == \
        ["utter_discouraged"]


def test_an_adult_is_not_sent_to_the_school_nurse(talk):
    talk.say("j'ai 32 ans et je veux en finir", "distress_suicide", 0.99)
    talk.say("ils vont me répondre au 3114 ? c'est anonyme ?", "nlu_fallback", 0.3)
    assert "lycée" not in " ".join(talk.texts())


def test_a_long_message_at_the_consent_question_is_a_message_of_its_own(talk):
    talk.say("je veux parler a un conseiller", "request_human")
    talk.say("ok merci. jvais peut etre appeler demain. et pour le chomage jai rien fait encore",
             "ask_financial_aid", 0.45)
    assert talk.ctx.pending is None or talk.ctx.pending.slot != "consent"
    assert "utter_not_an_answer" not in [n for n, _ in talk.outcome.says]


def test_anger_with_a_question_gets_calm_and_the_answer(talk):
    said = talk.say("putain comment on fait pour avoir de l'experience si personne nous prend ???",
                    "out_of_scope", 0.5)
    assert said[0] == "utter_calm" and "MRS" in " ".join(talk.texts())


def test_who_to_call_for_real_leaves_the_demo_handoff(talk):
    talk.say("je veux parler a un conseiller", "request_human")
    said = talk.say("attend cest fictif?? je peux appeler qui en vrai a montbrison",
                    "ask_local_services", 0.5, location="42147")
    assert said[0] == "utter_real_help" and "utter_local_service" in said
    assert talk.ctx.pending is None


def test_no_offers_wanted_then_the_question(talk):
    talk.say("jcherche un apprentissage en chaudronnerie a thiers", "search_apprenticeship",
             job="chaudronnier", location="63430")
    said = talk.say("JE CHERCHE PAS D OFFRE. aide transport apprenti ?", "ask_mobility", 0.6)
    assert said[0] == "utter_no_offers_noted" and "abonnement" in " ".join(talk.texts())
    assert talk.ctx.search.kind is None


def test_kind_words_win_over_the_nlu_for_a_new_kind(talk):
    talk.say("je cherche un taf de conducteur de ligne a thiers", "search_job",
             job="opérateur de production", location="63430")
    talk.say("ok montre moi les formations conducteur de ligne du coup", "search_job", 0.9,
             job="opérateur de production")
    assert talk.ctx.search.kind == "training"


def test_a_search_after_a_hard_moment_is_a_search(talk):
    talk.say("chui a la rue g nul part ou dormir", "distress_shelter", 0.99)
    talk.say("mrc", "thank", 0.97)
    said = talk.say("tu peu m'aider a trouver 1 taf vers montbrison", "search_job", 0.51,
                    location="42147")
    assert "utter_search_noted" in said and talk.ctx.search.place == "42147"


def test_a_person_asked_for_real_first_is_the_handoff(talk):
    said = talk.say("jai 15 ans je peux parler a qqun pour de vrai ?", "nlu_fallback", 0.3)
    assert "utter_ask_handoff_consent" in said


def test_questions_about_the_help_just_given_are_answered_not_alarmed_again(talk):
    talk.say("mais jpeux pas aller loin, quand il a bu mon beau pere me frappe, jai 14 ans",
             "distress_minor_abuse", 0.57)
    assert talk.ctx.safety and talk.ctx.safety.startswith("minor_abuse")
    talk.say("si j'appelle le 119 ils vont debarquer chez moi ?", "distress_minor_abuse", 0.39)
    assert "ne vient pas chez toi" in " ".join(talk.texts())
    talk = Talk("unit-2")
    talk.say("jen peux plus de tout, des fois jvoudrais juste disparaitre pour de bon",
             "distress_suicide", 0.98)
    talk.say("jpeux pas appeler, ma mere est dans la piece d'a coté elle va entendre",
             "ask_no_diploma", 0.44)
    assert "114" in talk.texts()[0] and "tchat" in talk.texts()[0]
    talk.say("ok mais toi tu restes la ?", "ask_capabilities", 0.94)
    assert "je reste là" in talk.texts()[0]


def test_the_handoffs_answer_wins_over_the_safety_follow_up(talk):
    talk.say("jsuis a bout jpense a prendre tous les medocs de l'armoire ce soir",
             "distress_suicide", 0.94)
    talk.say("je veux parler a une vraie personne", "request_human", 0.97)
    talk.say("oui transmets", "affirm", 0.98)
    talk.say("pas de nom", "deny", 0.45)
    talk.say("non jveux pas laisser de numero", "deny", 0.66)
    assert talk.outcome.handoff is not None
    assert talk.outcome.handoff["profile"]["distress"] is True
    from bot.handoff import service
    from bot.handoff.tickets import Request

    said = service.create(Request("unit-distress", "rest", "", "", "request",
                                  talk.outcome.handoff["profile"], []))
    assert said[0][0] == "utter_handoff_created_demo_safety"


def test_getting_there_without_a_car_is_the_mobility_answer_not_a_new_place(talk):
    talk.say("salut jhabite a arlanc, 19 ans, pas de voiture, je cherche un job", "search_job",
             0.86, location="63010")
    talk.say("ambert c'est a 15 bornes, comment j'y vais sans voiture ? ya des bus ?",
             "ask_mobility", 0.98, location="63003")
    assert "transport" in " ".join(talk.texts()).lower() or "bus" in " ".join(talk.texts())
    assert talk.ctx.search.place == "63010"


def test_an_english_speaker_asking_for_a_person_is_asked_in_english(talk):
    said = talk.say("Can I talk to someone who speaks English?", "request_human", 0.95)
    assert "utter_ask_handoff_consent_en" in said and "utter_handoff_demo" not in said
    talk.say("/handoff_consent_yes")
    assert talk.ctx.pending.slot == "name"


def test_a_doubt_about_age_said_in_passing_is_answered_then_the_search(talk):
    said = talk.say("jai 45 ans je veux me former en soudure, on m'a dit que c'est pour les "
                    "jeunes", "search_training", 0.98, job="soudeur")
    assert said[0] == TEXT and "jamais trop tard" in talk.texts()[0]
    assert talk.ctx.search.kind == "training"


def test_a_sector_inside_an_internship_search_is_a_preference_not_a_new_kind(talk):
    talk.say("bonjour, je suis en seconde au lycée à montbrison et je dois faire un stage de 2 "
             "semaines en juin", "search_internship", 0.94, location="42147")
    talk.say("dans l'industrie pharma ou chimie si possible", "search_training", 0.78,
             job="opérateur chimie")
    assert talk.ctx.search.kind == "internship" and talk.ctx.search.trade == "opérateur chimie"
    talk.say("c rémunéré ?", "ask_financial_aid", 0.73)
    assert "pas payé" in " ".join(talk.texts())


def test_how_to_get_the_cej_in_sms(talk):
    talk.say("g 19 an c cb le cej", "ask_financial_aid", 0.97)
    talk.say("fo fer koi pour lavoir", "nlu_fallback", 0.3)
    assert "Mission Locale" in " ".join(talk.texts())


def test_a_pupils_safety_worry_is_answered_inside_the_internship_search(talk):
    talk.say("jcherche un stage de 3e vers lezoux", "search_internship", 0.98, location="63195")
    talk.say("c dangereux ou pas ?? ma mere veut pas que jtouche aux machines",
             "search_internship", 0.7)
    assert "machines" in " ".join(talk.texts()) and talk.ctx.topic == "internship_safety"
    talk = Talk("unit-2")
    talk.say("j'ai 30 ans, soudeur c'est dangereux ?", "ask_job_info", 0.6, job="soudeur")
    assert talk.ctx.topic != "internship_safety"


def test_information_only_questions_get_their_fact(talk):
    said = talk.say("je veux juste comprendre la différence entre un contrat d'apprentissage et "
                    "un contrat de professionnalisation", "search_apprenticeship", 0.8)
    assert said[0] == "utter_no_offers_noted" and talk.ctx.topic == \
        "apprenticeship_vs_pro_contract"
    assert talk.ctx.search.kind is None, "no search when only information is wanted"
    talk.say("j'ai eu un courrier pour le CSP, c'est quoi ? je touche combien ?",
             "ask_financial_aid", 0.7)
    assert talk.ctx.topic == "csp"
    talk.say("pourquoi on me rappelle jamais ?", "offer_interest", 0.5)
    assert talk.ctx.topic == "applications_follow_up"


def test_ok_to_farther_or_an_alert_is_farther(talk):
    talk.say("je cherche un emploi de technicien électronique à Olliergues", "search_job",
             job="technicien électronique", location="63258")
    said = talk.say("ok", "affirm", 0.9)
    assert said[0] in ("utter_changed_farther", "utter_changed_everywhere"), said


def test_not_interested_is_not_interest(talk):
    talk.say("jcherche cariste montbrison", "search_job", job="cariste", location="42147")
    assert talk.say("non jai pas dit que ca minteresse", "offer_interest", 0.7) == \
        ["utter_not_interested_ok"]


def test_the_fil_sante_jeunes_age_is_answered_in_a_hard_moment(talk):
    talk.say("j'en peux plus", "distress_unwell", 0.98)
    talk.say("fil sante jeunes jpeux encore appeler a 19 ans ? jprefere parler a qqn de mon age",
             "request_human", 0.6)
    assert "12-25" in talk.texts()[0]



def test_an_english_name_and_contact_during_the_handoff_are_taken(talk):
    talk.say("Can I talk to someone who speaks English?", "request_human", 0.95)
    talk.say("/handoff_consent_yes")
    talk.say("My name is James, james.smith@example.com", "nlu_fallback", 0.3)
    assert talk.outcome.handoff and "james.smith@example.com" in talk.outcome.handoff["contact"]


def test_violence_told_by_a_pupil_gets_the_child_protection_answer(talk):
    talk.say("jcherche un stage de 3e vers lezoux", "search_internship", 0.98, location="63195")
    talk.say("mais jpeux pas aller loin, mon beau pere veut jamais m'emmener et quand il a bu il "
             "me frappe", "distress_minor_abuse", 0.57)
    assert talk.ctx.safety == "minor_abuse" and "119" in " ".join(talk.texts())


def test_who_signs_is_answered_in_the_search_it_is_about(talk):
    talk.say("slt jdois trouver un stage de 3e jsp quoi faire, jsuis a peschadoires",
             "search_internship", 0.93, location="63276")
    talk.say("pour le stage jferais combien d'heures par jour ? jai 14 ans", "search_internship",
             0.43)
    talk.say("et mes parents ils doivent signer un truc ?", "nlu_fallback", 0.3)
    assert "parents" in " ".join(talk.texts()) and talk.ctx.topic == "internship"
    talk = Talk("unit-2")
    talk.say("ma fille a 16 ans elle voudrait essayer quelques jours dans une coutellerie a "
             "thiers, c'est possible ?", "search_immersion", 0.99, job="coutelier",
             location="63430")
    talk.say("elle est mineure, je dois signer quelque chose moi ?", "ask_financial_aid", 0.44)
    assert talk.ctx.topic == "immersion"


def test_requests_for_work_are_not_alarms(talk):
    said = talk.say("wsh jsuis en 3e jai 15 ans, jveux me faire des thunes cet ete t'aurais un "
                    "taf ?", "nlu_fallback", 0.3)
    assert not talk.ctx.safety and talk.ctx.topic == "job_under_16", said
    talk = Talk("unit-2")
    talk.say("jbosse en 3x8 et jdors plus du tout, t'aurais des postes en journée vers thiers ?",
             "distress_unwell", 0.38, location="63430")
    assert not talk.ctx.safety and talk.ctx.search.kind == "job"
    talk = Talk("unit-3")
    talk.say("jai deja mon cap soudeur, jveux bosser vers montbrison", "search_job", 0.79,
             job="soudeur", location="42147")
    talk.say("JE VEUX UN POSTE PAS UNE FORMATION, le cap je l'ai deja", "search_training", 0.97)
    assert talk.ctx.search.kind == "job"


def test_a_summer_job_asked_again_under_16_gets_the_rule_in_one_line(talk):
    talk.say("wsh jsuis en 3e jai 15 ans, jveux me faire des thunes cet ete t'aurais un taf ?",
             "nlu_fallback", 0.3)
    said = talk.say("non jte parle pas d'apprentissage moi, un job d'ete, en juillet quoi",
                    "search_apprenticeship", 0.9)
    assert said == ["utter_job_under_16_again"] and talk.ctx.search.kind is None


def test_a_car_denied_then_said_is_a_car():
    assert mentions.read("sans voiture non j'ai une voiture").has_car is True
    assert mentions.read("j'ai le permis mais pas de voiture").has_car is False


def test_what_is_alternance_and_its_pay_in_one_sms(talk):
    talk.say("c quoi lalternance exactement? c payé combien? jai 19 an", "nlu_fallback", 0.3)
    text = " ".join(talk.texts())
    assert "CFA" in text and "SMIC" in text


def test_registration_and_a_misread_said(talk):
    talk.say("ya des job dating a anber bientot ?", "search_events", location="63003")
    assert talk.say("je peux venir sans inscription?", "ask_no_diploma", 0.6) == \
        ["utter_event_registration"]
    talk.say("c'est possible sans diplome ?", "ask_no_diploma", 0.9)
    assert talk.say("jai pas parlé de diplome", "ask_no_diploma", 0.7) == ["utter_sorry_misread"]


def test_what_there_is_in_alternance_is_a_search_not_a_definition(talk):
    talk.say("ok et dans l'agroalimentaire ya quoi en alternance ?", "search_apprenticeship",
             0.97, job="conducteur de ligne agroalimentaire")
    assert talk.ctx.search.kind == "apprenticeship" and talk.ctx.topic != "apprenticeship_what"


def test_what_a_trade_is_asked_during_a_search_is_its_card(talk):
    talk.say("jcherche un taf sans permis a montbrison", "search_job", 0.9, location="42147")
    said = talk.say("conducteur de presse c pas conduire une voiture ?", "inform", 0.6,
                    job="presseur")
    assert said[0] == "utter_trade_info" and talk.ctx.search.trade in (None, "any")
