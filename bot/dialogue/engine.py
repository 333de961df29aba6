"""Indy's dialogue: what a patient counsellor would answer to this message, given the
conversation so far. One entry point, `respond(context, turn)`, for every message.

Order of reading a message:
1. safety first (bot.dialogue.safety), whatever else is going on;
2. English, anger, a message too short to mean anything;
3. what the message says in passing (age, car, contract...) fills the context;
4. an answer to the question Indy asked (typed like a button, « oui », « le premier », a
   commune), or a digression answered before that question is asked again;
5. the intent, read against the search under way: « et en alternance ? », « plutôt à Ambert »,
   « plus loin » change one part of it and run it again.
What Indy says is a list of (response name, variables): the sentences are in domain.yml, the
facts in content/facts.yml and content/safety.yml.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.bus import bus_name, is_demo, next_stops
from bot.catalogue.answers import (
    CAR_KINDS,
    INTENT_KINDS,
    TRADE_KINDS,
    alert_answer,
    offer_details,
    offer_kind,
    offer_summary,
    run_search,
    said_back,
    trade_answer,
)
from bot.catalogue.search import ANY, RADII_KM, RADII_NO_CAR_KM
from bot.dialogue import mentions, safety
from bot.dialogue.context import Context, Pending, Search
from bot.dialogue.facts_say import fact_messages
from bot.dialogue.responses import buttons_of
from bot.fallback import MISSES_BEFORE_HUMAN, guesses
from bot.handoff import service
from bot.handoff.teams import config as handoff_config
from bot.handoff.teams import timezone
from bot.labels import labels, search_kind_label
from bot.local_services import services_near
from bot.places import place_by_key
from bot.text import fold
from bot.understanding import parse_any, parse_place, parse_trade, parse_yes_no

Message = tuple[str, dict[str, Any]]
TEXT = "text"  # a message given as text and buttons (facts), not a domain.yml response

FAQ_INTENTS = {
    "ask_mrs", "ask_immersion_info", "ask_job_info", "ask_salary", "ask_no_diploma",
    "ask_financial_aid", "ask_mobility", "ask_housing", "ask_cv_help", "ask_industry_image",
    "ask_disability", "ask_orientation", "ask_local_services", "ask_bus_schedule",
    "bot_challenge", "ask_capabilities",
}
SEARCH_INTENTS = set(INTENT_KINDS)
MISS_INTENTS = {"nlu_fallback", "other_topic"}
# Questions asked in passing (after results): a message that does not answer them is simply
# read as a new message, never as a wrong answer.
SOFT_SLOTS = {"results", "choice", "kind"}
ANSWER_INTENTS = {"affirm", "deny", "inform", "nlu_fallback", "other_topic"}
CONFIDENT = 0.6
_QUESTION = re.compile(r"\?|^(?:comment|combien|c est quoi|c quoi|ckoi|c koi|quoi|quel|quelle|"
                       r"quels|pourquoi|pk|est ce|ou |quand|y a|ya|il faut|faut il|on peut|"
                       r"je peux|tu peux|c est qui|c qui|c est combien|ca paye|c paye|"
                       r"c est paye)")
_PAY = re.compile(r"\b(?:pay|paye|payee|remunere|remuneration|salaire|argent|thune|gagne|"
                  r"combien|sous|euros?)\b")
_WHAT_IS = re.compile(r"\b(?:c est quoi|c quoi|c koi|ckoi|cest quoi|qu est ce que c est|"
                      r"ca veut dire|veut dire quoi|signifie|c est qui|c ki|c qui|diff|"
                      r"difference)\b|\bkoi\b|\bquoi\b")
_GLOSSARY = [(re.compile(p), fact_id) for p, fact_id in (
    (r"\bccas\b", "ccas"), (r"\bcej\b|engagement jeune", "cej"), (r"\bmrs\b", "mrs"),
    (r"\bpmsmp\b", "immersion"), (r"\brqth\b|\bmdph\b|cap emploi", "disability"),
    (r"\bfaj\b", "faj"), (r"\brsa\b", "rsa"), (r"\bcqpm\b", "cqpm"),
    (r"\b[23] ?x ?8\b|\bpostes? en equipe", "shift_work"), (r"\bcpf\b", "training_pay"),
    (r"\bcap emploi\b", "who_helps_rqth"), (r"\bmission locale\b", "who_helps_16_25"),
    (r"\bfrance travail\b|\bpole emploi\b", "who_helps_26_plus"),
    (r"\bbrut\b.{0,30}\bnet\b|\bnet\b.{0,30}\bbrut\b", "salary_general"),
    (r"\bescape ?game\b|\bescape\b", "escape_game"), (r"\bpoei\b", "poei"),
)]
_PAY_STRICT = re.compile(r"\b(?:paye|payee|payes|paie|remunere|remuneree|remuneration|salaire|"
                         r"gagne|touche|thune|combien on|c est combien)\b")
_DURATION = re.compile(r"\b(?:dure|duree|combien de (?:temps|tps|jours|semaines)|"
                       r"cb de (?:temps|tps|jours|semaines))\b")
_NEARER = re.compile(r"\bplus pres\b|\bplus proche\b|\bmoins loin\b|\bpas loin\b")
_TOO_LATE = re.compile(r"\btrop (?:tard|vieux|vieille|age|agee)\b|\ba mon age\b|"
                       r"\b(?:c est|c|que|seulement|reserve) (?:que )?(?:pour|aux) les jeunes\b")
_APPRENTICE = re.compile(r"\b(?:apprenti|apprentie|apprentis|alternance|alternant|alternante|"
                         r"apprentissage|contrat pro)\b")
_EVENING = range(18, 24)
_ABOUT_HELP = re.compile(r"\bgratuit|\banonym|\bsms\b|\bnumero\b|\bose pas\b|\bj ose\b|"
                         r"\bje fais quoi\b|\bjfais quoi\b|\bil (?:va|saura) (?:savoir|le savoir)|"
                         r"\bsache\b|\bsauront\b|\bpolice\b|\bgendarm|\bappeler?\b|\bappel\b|"
                         r"\btchat\b|\bqui (?:repond|va repondre)\b|\bmaintenant\b")
_HUMAN = re.compile(r"\bparler (?:a|avec) (?:qqun|qqn|qq1|quelqu un|une personne|un humain|"
                    r"une vraie personne|un vrai|une vraie|un conseiller|une conseillere)\b|"
                    r"\bun humain\b|\bune vraie personne\b")
_CONTACT = re.compile(r"[\w.+-]+ ?@ ?[\w-]+(?:\.[\w-]+)+|(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}")
_CALLED = re.compile(r"^(?:je m appelle|jm appel|jm appelle|je m appel|moi c est|mon prenom c est|"
                     r"mon prenom est|c est)\b")
_WHO_HELPS = re.compile(r"\b(?:qui|ki|quelqu un|qq1|qqn) (?:peut|peu|pourrait|pour|pourra) "
                        r"m ?(?:aider|accompagner)\b|\bdemande a (?:qui|ki)\b|\ba (?:qui|ki) "
                        r"(?:je|d autre|demander|m adresser)\b|"
                        r"\ba qui (?:je peux|m adresser|demander)\b|\bqui contacter\b|"
                        r"\binscri\w{0,4} ou\b|\bou (?:je|on|il|elle) (?:dois|doit|peut|peux|"
                        r"va|vais) (?:m |s )?(?:inscri|aller)|\bou (?:m|s) inscri|\bjvais ou\b|"
                        r"\bje vais ou\b|\bvers qui\b|\baller voir qui\b|\bqui (?:va|peut) "
                        r"(?:l|la|le) (?:aider|accompagner)\b")
_APPOINTMENT = re.compile(r"\brdv\b|\brendez vous\b|\brendez vou\b")


@dataclass
class Turn:
    """One message, as the NLU read it."""

    text: str
    intent: str = "nlu_fallback"
    confidence: float = 0.0
    entities: dict[str, list[str]] = field(default_factory=dict)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    sender_id: str = ""
    channel: str = "rest"
    now: datetime | None = None
    said_as: dict[str, str] = field(default_factory=dict)  # entity value -> the words typed

    def entity(self, name: str) -> str | None:
        values = self.entities.get(name) or []
        return values[-1] if values else None  # « non pas Thiers, Montbrison »: the last one


@dataclass
class Outcome:
    says: list[Message]
    context: Context
    searched: dict[str, Any] | None = None  # for the observatory: kind, trade, place, found
    handoff: dict[str, Any] | None = None  # a ticket to create: consent, name, contact, reason
    erase: bool = False


class Dialogue:
    """One message's worth of decisions; `respond` builds one per message."""

    def __init__(self, context: Context, turn: Turn):
        self.ctx = context
        self.turn = turn
        self.says: list[Message] = []
        self.searched: dict[str, Any] | None = None
        self.handoff: dict[str, Any] | None = None
        self.erase = False
        self.said = mentions.read(turn.text)
        self.folded = fold(turn.text or "")[:2000]

    # --- speaking ----------------------------------------------------------------------
    def say(self, response: str, **variables: Any) -> None:
        self.says.append((response, variables))

    def say_fact(self, fact_id: str) -> None:
        self.says.extend((TEXT, m) for m in fact_messages(fact_id))
        self.ctx.topic = fact_id

    def ask(self, response: str, slot: str, yes: str | None = None, no: str | None = None,
            **variables: Any) -> None:
        """Asks a question and remembers it, with its buttons, until it is answered."""
        tries = self.ctx.pending.tries if self.ctx.pending and self.ctx.pending.slot == slot \
            else 0
        self.say(response, **variables)
        self.ctx.pending = Pending(slot=slot, options=buttons_of(response, variables),
                                   tries=tries, yes=yes, no=no, response=response,
                                   variables={k: str(v) for k, v in variables.items()})

    # --- the entry point -----------------------------------------------------------------
    def run(self) -> Outcome:
        turn, said = self.turn, self.said
        category = safety.detect(turn.text, turn.intent, turn.confidence)
        if category:
            self.distress(category)
        elif self.ctx.safety_turns and self.about_the_distress():
            self.ctx.safety_turns -= 1
            self.says.extend((TEXT, m) for m in safety.followup_messages())
            self.says.extend((TEXT, m) for m in safety.messages(self.ctx.safety or "unwell",
                                                                 self.ctx.person.age))
        elif said.english and not turn.text.startswith("/"):
            self.say("utter_english")
        elif said.angry and turn.intent not in SEARCH_INTENTS | {"request_human"} and not (
                turn.entity("job") or turn.entity("location")):
            self.say("utter_calm")
        elif said.unsure and not turn.text.startswith("/"):
            self.unsure()
        elif said.tiny and self.ctx.safety and not turn.text.startswith("/"):
            self.say("utter_safety_after")  # after a hard moment, « ok » gets warmth again
        elif said.tiny and parse_yes_no(turn.text) is None and not turn.text.startswith("/"):
            pending = self.ctx.pending
            self.say("utter_help_short" if pending is None else "utter_help_pending")
            if pending is not None:
                self.resume(pending)
        else:
            self.remember_mentions()
            before = self.ctx.pending
            if self.answer_first() and before is not None and self.ctx.pending is before \
                    and before.response and before.slot not in SOFT_SLOTS:
                self.resume(before)  # the question asked before comes back
        return Outcome(self.says, self.ctx, self.searched, self.handoff, self.erase)

    def answer_first(self) -> bool:
        """Questions answered whatever Indy asked before; False when none was one of them
        (the message then goes on to the pending question and the intent)."""
        turn, person, kind = self.turn, self.ctx.person, self.ctx.search.kind
        handing = self.ctx.pending is not None and self.ctx.pending.slot in (
            "consent", "name", "contact")
        if self.topic_follow_up():
            pass
        elif _HUMAN.search(self.folded) and not handing and turn.intent not in SEARCH_INTENTS:
            self.handoff_start()
        elif self.said.outside_industry and not turn.entity("job") and \
                not (turn.intent in FAQ_INTENTS and turn.confidence >= 0.9):
            self.outside_industry(self.said.outside_industry)
        elif _WHO_HELPS.search(self.folded):
            self.who_helps()
        elif _APPOINTMENT.search(self.folded) and self.question():
            self.say("utter_appointment")
        elif self.glossary():
            pass
        elif _TOO_LATE.search(self.folded) and self.question() and (
                person.age is None or person.age >= 26):
            self.say_fact("too_late")
            if turn.intent in SEARCH_INTENTS and turn.confidence >= CONFIDENT:
                self.dispatch(turn.intent)
            else:
                self.search_in_passing()
        elif _PAY_STRICT.search(self.folded) and self.question() and \
                kind in ("internship", "immersion", "apprenticeship") and \
                not turn.entity("job") and turn.intent not in SEARCH_INTENTS:
            self.salary()
        elif _DURATION.search(self.folded) and kind in ("internship", "immersion"):
            self.say_fact(kind)
        else:
            if not self.answer_pending():
                self.dispatch(turn.intent)
            return False
        return True

    # --- 1. safety -----------------------------------------------------------------------
    def about_the_distress(self) -> bool:
        """Right after a safety answer, a message that is not a new request is about it
        (« c'est gratuit ? », « j'ose pas appeler », « je fais quoi ? »)."""
        turn = self.turn
        if turn.text.startswith("/") or turn.entity("job") or turn.entity("location"):
            return False
        if turn.intent in SEARCH_INTENTS | {"request_human", "delete_my_data", "greet",
                                            "goodbye", "thank", "cancel_handoff"} and \
                turn.confidence >= CONFIDENT:
            return False
        if self.said.tiny or self.has_changes() or _kind_from_words(self.folded):
            return False
        return bool(_ABOUT_HELP.search(self.folded)) or (
            turn.intent in MISS_INTENTS and not self.question())

    def unsure(self) -> None:
        """« jsp » to a question: not knowing is fine; Indy offers the way that needs no
        answer (everything, or discovering trades first)."""
        pending = self.ctx.pending
        if pending is not None and pending.slot == "trade":
            self.ctx.pending = None
            self.say("utter_unsure_trade")
            self.ctx.search.trade = ANY
            self.continue_search()
        elif pending is not None and pending.slot == "place":
            self.ctx.pending = None
            self.say("utter_unsure_place")
            self.ctx.search.place = "tiltam"
            self.continue_search()
        elif pending is not None and pending.response and pending.slot not in SOFT_SLOTS:
            self.say("utter_help_pending")
            self.resume(pending)
        else:
            self.ctx.pending = None
            self.say("utter_unsure")

    def distress(self, category: str) -> None:
        self.ctx.safety = category
        self.ctx.safety_turns = 1
        if self.said.age is not None:
            self.ctx.person.age = self.said.age  # « j'ai 45 ans et je vais pas bien »
        self.says.extend((TEXT, m) for m in safety.messages(category, self.ctx.person.age))
        self.say("utter_safety_after")
        if self.ctx.pending and self.ctx.pending.response:
            self.ctx.pending.tries = 0  # the question stays open: the person can go on

    # --- 3. mentions ---------------------------------------------------------------------
    def remember_mentions(self) -> None:
        person, said = self.ctx.person, self.said
        if said.age is not None:
            person.age = said.age
            if said.age < 16:
                person.pupil = True
        if said.has_car is not None:
            person.has_car = said.has_car
        if said.rqth:
            person.rqth = True
        if said.pupil:
            person.pupil = True

    # --- 4. the question Indy asked --------------------------------------------------------
    def answer_pending(self) -> bool:
        pending = self.ctx.pending
        if pending is None:
            return False
        turn = self.turn
        # A button pressed, or its title typed: read as the button's payload.
        payload = turn.text if turn.text.startswith("/") else self.typed_button(pending)
        if payload:
            intent = self.read_payload(payload)
            if intent == "affirm" and pending.yes:
                self.ctx.pending = None
                self.follow(pending.yes)
                return True
            if intent == "deny" and pending.no:
                self.ctx.pending = None
                self.follow(pending.no)
                return True
            handler = getattr(self, f"fill_{pending.slot}", None)
            if handler is not None and handler(pending):
                return True
            self.ctx.pending = None
            self.dispatch(intent)
            return True
        answer = parse_yes_no(turn.text) if turn.intent in ("affirm", "deny", "inform",
                                                           "nlu_fallback", "other_topic") \
            else None
        if answer is None and turn.intent in ("affirm", "deny"):
            answer = turn.intent == "affirm"
        if pending.slot in SOFT_SLOTS and self.has_changes() and not (
                self.is_digression() and self.question()) and self.refine_search():
            return True  # « sans voiture », « plutôt à Ambert »: a change, not a « non »
        if pending.slot == "results" and re.search(r"\bprevien|\balerte|\bnotif", self.folded):
            self.ctx.pending = None
            self.follow("/create_alert")
            return True
        if answer is True and pending.yes:
            self.ctx.pending = None
            self.follow(pending.yes)
            return True
        if answer is False and pending.no:
            self.ctx.pending = None
            self.follow(pending.no)
            return True
        if self.is_digression() and not self.answers_slot(pending):
            self.dispatch(turn.intent)
            self.resume(pending)
            return True
        handler = getattr(self, f"fill_{pending.slot}", None)
        if handler is not None and handler(pending):
            return True
        if pending.slot in SOFT_SLOTS:
            self.ctx.pending = None  # a question asked in passing: the message is read as new
            return False
        if self.is_digression():
            self.dispatch(turn.intent)
            self.resume(pending)
            return True
        if self.moves_on():
            self.ctx.pending = None
            return False
        if handler is not None:
            self.missed(pending)
            return True
        self.ctx.pending = None
        return False

    def topic_follow_up(self) -> bool:
        """« et en 2e année ? », « et à 18 ans ? » after a fact: the same fact again."""
        turn = self.turn
        if self.ctx.topic and re.match(r"^(?:et|pis|puis|mais) ", self.folded) and \
                (turn.intent in MISS_INTENTS | {"inform", "more_results"} or
                 turn.confidence < 0.5) and not self.has_changes() and \
                not _kind_from_words(self.folded):
            self.say_fact(self.ctx.topic)
            return True
        return False

    def answers_slot(self, pending: Pending) -> bool:
        """The message carries what the question asked (« Ambert ? » is an answer)."""
        wanted = {"place": "location", "services_place": "location", "trade": "job"}
        return bool(self.turn.entity(wanted.get(pending.slot, "")))

    def typed_button(self, pending: Pending) -> str | None:
        """« Ambert », « peu importe », « oui transmets »: the button whose title it says."""
        typed = _plain(self.turn.text)
        if not typed:
            return None
        # « le 2e », « la première », « 2 »: the button at that place (after results, an
        # ordinal names an offer instead).
        index = self.said.ordinal if self.said.ordinal is not None else (
            int(typed) - 1 if typed.isdigit() and 0 < int(typed) <= 9 else None)
        if index is not None and pending.slot != "results" and pending.options and \
                len(typed.split()) <= 4 and self.said.grade is None:
            try:
                return pending.options[index]["payload"]
            except IndexError:
                pass
        for option in pending.options:
            if typed == _plain(option["title"]):
                return option["payload"]
        for option in pending.options:
            title = _plain(option["title"])
            if len(title) >= 4 and (typed.startswith(title) or
                                    (title.startswith(typed) and len(typed) >= 5)):
                return option["payload"]
        return None

    def read_payload(self, payload: str) -> str:
        """From now on this message is read as the button's payload; returns its intent."""
        intent, entities = parse_payload(payload)
        self.turn = Turn(payload, intent, 1.0, entities, [], self.turn.sender_id,
                         self.turn.channel, self.turn.now)
        return intent

    def follow(self, payload: str) -> None:
        intent = self.read_payload(payload)
        self.said = mentions.read("")
        self.dispatch(intent)

    def is_digression(self) -> bool:
        """A question asked instead of an answer: answered, then the question comes back."""
        turn = self.turn
        return turn.intent in FAQ_INTENTS and (turn.confidence >= CONFIDENT or self.question())

    def question(self) -> bool:
        return "?" in self.turn.text or bool(_QUESTION.search(self.folded))

    def moves_on(self) -> bool:
        """The person asked something else: the question is dropped."""
        turn = self.turn
        if turn.intent == "request_human" and self.ctx.pending and \
                self.ctx.pending.slot in ("consent", "name", "contact"):
            return False
        return turn.intent in SEARCH_INTENTS | {
            "request_human", "delete_my_data", "cancel_handoff", "greet", "goodbye", "thank",
            "create_alert", "list_alerts", "stop_alert", "out_of_scope",
        } and turn.confidence >= 0.45

    def resume(self, pending: Pending) -> None:
        if pending.response:
            self.say("utter_resume")
            self.ask(pending.response, pending.slot, pending.yes, pending.no,
                     **pending.variables)

    def missed(self, pending: Pending) -> None:
        """Not an answer: say so once, then offer choices (never an unrelated search)."""
        pending.tries += 1
        if pending.tries >= 2:
            self.ctx.pending = None
            self.say("utter_stuck", question=pending.slot)
            return
        not_understood = {"trade": "utter_search_job_not_understood",
                          "place": "utter_search_place_not_understood"}.get(pending.slot,
                                                                            "utter_not_an_answer")
        if pending.slot == "trade" and self.said.outside_industry:
            self.outside_industry(self.said.outside_industry)
            return
        if self.question() and pending.slot in ("consent", "name", "contact"):
            not_understood = "utter_handoff_demo" if handoff_config().get("demo") else \
                "utter_question_unknown"
        elif self.question():
            not_understood = "utter_question_unknown"
        self.say(not_understood)
        if pending.response:
            self.ask(pending.response, pending.slot, pending.yes, pending.no,
                     **pending.variables)

    # The questions of a search.
    def fill_place(self, pending: Pending) -> bool:
        place = self.turn.entity("location") or parse_place(self.turn.text)
        if not place and parse_any(self.turn.text):
            place = "tiltam"
        if not place:
            return False
        self.ctx.pending = None
        self.ctx.search.place = place
        self.absorb_refinements()
        self.continue_search()
        return True

    def fill_trade(self, pending: Pending) -> bool:
        trade = self.turn.entity("job") or parse_trade(self.turn.text)
        if not trade and (parse_any(self.turn.text) or self.turn.intent == "deny"):
            trade = ANY
        place = self.turn.entity("location")
        if not trade and place:
            self.ctx.pending = None
            self.ctx.search.place = place
            self.continue_search()  # the place known: all trades, then « soudeur » narrows
            return True
        if not trade:
            return False
        self.ctx.pending = None
        self.set_trade(self.ctx.search, trade)
        if place:
            self.ctx.search.place = place
        self.absorb_refinements()
        self.continue_search()
        return True

    def fill_grade(self, pending: Pending) -> bool:
        grade = self.said.grade
        if grade is None and parse_any(self.turn.text):
            grade = "any"
        if grade is None:
            return False
        self.ctx.pending = None
        self.ctx.search.grade = None if grade == "any" else grade
        self.continue_search()
        return True

    def fill_kind(self, pending: Pending) -> bool:
        if self.turn.intent in SEARCH_INTENTS:
            self.ctx.pending = None
            self.start_search(self.turn.intent)
            return True
        for word, intent in (("alternance", "search_apprenticeship"),
                             ("apprenti", "search_apprenticeship"),
                             ("formation", "search_training"), ("immersion", "search_immersion"),
                             ("tester", "search_immersion"), ("stage", "search_internship"),
                             ("job", "search_job"), ("emploi", "search_job"),
                             ("travail", "search_job"), ("taf", "search_job"),
                             ("boulot", "search_job"), ("cdi", "search_job")):
            if word in self.folded.split():
                self.ctx.pending = None
                self.start_search(intent)
                return True
        return False

    # The questions of a handoff.
    def fill_name(self, pending: Pending) -> bool:
        if self.turn.intent in SEARCH_INTENTS | {"delete_my_data", "cancel_handoff"} and \
                self.turn.confidence >= CONFIDENT and not self.said.refusal:
            return False
        if self.is_digression() and not self.said.refusal:
            return False
        person = self.ctx.person
        contact = _CONTACT.search(self.turn.text)
        if contact:  # « Sandrine, sandrine@exemple.fr »
            before = self.turn.text[:contact.start()].strip(" ,;-")
            person.name = _name(before) if before else None
            person.refused_name = not before
            self.ctx.pending = None
            self.handoff_create(contact=contact.group(0))
            return True
        if self.said.refusal or parse_yes_no(self.turn.text) is False:
            person.name, person.refused_name = None, True
            self.say("utter_name_refused")
        else:
            person.name = _name(self.turn.text)
        self.ctx.pending = None
        self.handoff_next()
        return True

    def fill_contact(self, pending: Pending) -> bool:
        text = " ".join(self.turn.text.split())[:120]
        if self.said.refusal or parse_yes_no(text) is False:
            self.ctx.pending = None
            self.handoff_create(contact="")
            return True
        if _CONTACT.search(text):
            self.ctx.pending = None
            self.handoff_create(contact=text)
            return True
        return False

    def fill_consent(self, pending: Pending) -> bool:
        """« Romain, romain@exemple.fr », « jm'appelle Yanis »: giving them is consenting."""
        text = " ".join(self.turn.text.split())[:160]
        contact = _CONTACT.search(text)
        named = _CALLED.search(self.folded)
        if not (contact or named):
            return False
        self.ctx.pending = None
        person = self.ctx.person
        if named:
            person.name = _name(self.turn.text)
        elif contact and contact.start() > 1:
            person.name = _name(text[:contact.start()].strip(" ,;-"))
        else:
            person.refused_name = True
        if contact:
            self.handoff_create(contact=contact.group(0))
        else:
            self.handoff_next()
        return True

    # --- 5. intents ----------------------------------------------------------------------
    def dispatch(self, intent: str) -> None:
        turn, said = self.turn, self.said
        if intent.startswith(safety.INTENT_PREFIX):
            # Under the safety threshold (safety.detect said no): discouragement, not danger;
            # and a request in it is served (« j'ai 16 ans je veux faire une alternance »).
            wanted = _kind_from_words(self.folded)
            if wanted:
                self.start_search(wanted)
                return
            if turn.confidence >= 0.25 and not self.has_changes():
                self.say("utter_discouraged")
                return
            intent = "nlu_fallback"
        if self.ctx.search.kind and not (intent in FAQ_INTENTS and self.question()) and \
                intent not in SEARCH_INTENTS | FAQ_INTENTS | {
                "request_human", "delete_my_data", "cancel_handoff", "create_alert",
                "offer_details", "offer_interest"} and self.has_changes() and \
                self.refine_search():
            return  # « plus loin », « en CDI », « sans voiture »: whatever the NLU made of it
        if self.ctx.topic and re.match(r"^(?:et|pis|puis|mais) ", self.folded) and \
                intent in MISS_INTENTS | {"inform"} and not self.has_changes():
            self.say_fact(self.ctx.topic)
            return
        if said.ordinal is not None and said.grade is None and self.ctx.search.shown and \
                intent not in SEARCH_INTENTS | FAQ_INTENTS | {"request_human"}:
            self.offer("offer_interest" if re.search(r"interess|postul|veux", self.folded)
                       else "offer_details")
            return
        if intent in MISS_INTENTS or (turn.confidence < 0.3 and not turn.text.startswith("/")):
            if self.refine_search() or self.information_only():
                return
            if said.tiny:
                self.say("utter_help_short")
                return
            if said.outside_industry:
                self.outside_industry(said.outside_industry)
                return
            self.fallback(intent)
            return
        self.ctx.misses = 0
        if intent == "handoff_consent_yes":
            self.handoff_next()
            return
        if intent == "handoff_consent_no":
            self.ctx.handoff_reason = None
            self.say("utter_handoff_no_consent")
            return
        if intent in SEARCH_INTENTS:
            self.start_search(intent)
        elif intent in ("inform", "more_results", "deny", "affirm"):
            if intent == "more_results" and not self.has_changes():
                self.more_results()
            elif said.outside_industry and not turn.entity("job"):
                self.outside_industry(said.outside_industry)
            elif self.refine_search() or self.information_only():
                pass
            elif intent == "affirm":
                self.say("utter_help_short" if said.tiny else "utter_affirm")
            elif intent == "deny":
                self.say("utter_deny")
            elif intent == "more_results":
                self.more_results()
            elif said.outside_industry:
                self.outside_industry(said.outside_industry)
            else:
                self.say("utter_help_short")
        elif intent == "ask_mobility" and said.has_car is not None and \
                self.search_in_passing():
            pass
        elif intent == "ask_mobility" and said.has_car is not None and \
                not _QUESTION.search(self.folded):
            # « g le permis et 1 voiture » is said in passing, not a question about transport.
            if not self.refine_search():
                self.say("utter_noted_car" if said.has_car else "utter_noted_no_car")
                self.say_fact("mobility") if said.has_car is False else None
        elif intent in FAQ_INTENTS:
            self.faq(intent)
        elif intent == "request_human":
            self.handoff_start()
        elif intent == "cancel_handoff":
            self.says.extend(service.cancel(turn.sender_id))
        elif intent == "delete_my_data":
            if "yes" in (turn.entities.get("confirm") or []):
                self.erase = True
                self.ctx = Context()
            else:
                self.say("utter_delete_my_data")
                self.ask("utter_delete_my_data_confirm", "erase",
                         yes='/delete_my_data{"confirm": "yes"}', no="/deny")
        elif intent in ("offer_details", "offer_interest"):
            self.offer(intent)
        elif intent in ("create_alert", "list_alerts", "stop_alert"):
            self.alert(intent)
        elif intent == "greet":
            self.say("utter_greet")
            self.say("utter_greet_what")
            self.say("utter_greet_privacy")
        elif intent == "goodbye":
            self.say("utter_goodbye_evening" if self.evening() else "utter_goodbye")
        elif intent == "thank":
            if re.search(r"\b(?:bonne soiree|bonne nuit|bonne journee|a \+|a plus|bye|"
                         r"au revoir|salut)\b", self.folded):
                self.say("utter_goodbye_evening" if self.evening() else "utter_goodbye")
            else:
                self.say("utter_thank")
        elif intent == "out_of_scope":
            if said.outside_industry:
                self.outside_industry(said.outside_industry)
            else:
                self.say("utter_out_of_scope")
        elif intent.startswith(safety.INTENT_PREFIX):
            self.distress(intent[len(safety.INTENT_PREFIX):])
        else:
            self.fallback(intent)

    def evening(self) -> bool:
        now = (self.turn.now or datetime.now().astimezone()).astimezone(timezone())
        return now.hour in _EVENING or now.hour < 5

    def information_only(self) -> bool:
        """A place, a trade, an age given on its own, with no search under way."""
        turn, said = self.turn, self.said
        trade, place = turn.entity("job"), turn.entity("location")
        if trade or place:
            if trade:
                self.set_trade(self.ctx.search, trade)
            if place:
                self.ctx.search.place = place
            intent = _kind_from_words(self.folded)
            if intent:
                self.start_search(intent)
                return True
            what = trade if trade and trade != ANY else None
            self.ask("utter_which_kind", "kind", trade=f" en {what}" if what else "",
                     place=f" vers {_place_name(place)}" if place and place != "tiltam" else "")
            return True
        if said.age is not None or said.has_car is not None or said.rqth or said.contract:
            self.say("utter_noted_info")
            if said.age is not None and said.age < 16:
                self.say_fact("who_helps_pupil")
            return True
        return False

    # --- searches ------------------------------------------------------------------------
    def has_changes(self) -> bool:
        said, turn = self.said, self.turn
        return bool(turn.entity("job") or turn.entity("location") or said.contract
                    or said.farther or said.has_car is not None or said.radius_km)

    def start_search(self, intent: str) -> None:
        """A search asked for. Its kind changes; what the person said before is kept unless
        this message says otherwise (« et en alternance ? » keeps the trade and the place)."""
        kind = INTENT_KINDS[intent]
        old = self.ctx.search
        trade = self.turn.entity("job")
        place = self.turn.entity("location")
        if kind == "immersion" and self.ctx.person.age is not None and self.ctx.person.age < 16:
            self.say_fact("immersion_too_young")
            self.ask("utter_offer_internship_instead", "choice")
            return
        if _PAY_STRICT.search(self.folded) and self.question():
            self.salary_for(kind)
        elif _DURATION.search(self.folded) and kind in ("internship", "immersion"):
            self.say_fact(kind)
        elif self.same_search_again(kind, trade, place):
            return
        keep = old.kind is not None
        new = Search(kind=kind,
                     trade=trade or (old.trade if keep else None),
                     place=place or old.place,
                     contract=self.said.contract or (old.contract if kind == "job" and keep
                                                     else None),
                     grade=self.said.grade or old.grade)
        new.trade_said = old.trade_said if new.trade == old.trade else None
        if kind not in TRADE_KINDS:
            new.trade = trade  # an internship, an event: the trade is only a preference
        if trade:
            self.set_trade(new, new.trade)
        changed_kind = keep and old.kind != kind and old.offset > 0
        self.ctx.search = new
        if changed_kind:
            self.say("utter_changed_kind", what=_kind_words(kind), **_kept(new))
        self.continue_search()

    def set_trade(self, search: Search, trade: str | None) -> None:
        """The trade, and the person's own word for it when it is another one."""
        search.trade = trade
        typed = self.turn.said_as.get(trade or "")
        search.trade_said = typed if typed and trade and trade != ANY and \
            fold(typed) not in fold(trade) and fold(trade) not in fold(typed) else None

    def same_search_again(self, kind: str, trade: str | None, place: str | None) -> bool:
        """The search already shown, asked again inside a question (« c quand le stage ? et
        c qui ki m'aide ? »): the question is answered, the same list is not shown twice."""
        old = self.ctx.search
        if old.kind != kind or not old.offset or (trade and trade != old.trade) or \
                (place and place != old.place) or self.said.contract or self.said.grade or \
                not self.question():
            return False
        second = next((r.get("name") for r in self.turn.ranking[1:3]
                       if r.get("name") in FAQ_INTENTS), None)
        if second:
            self.faq(second)
        else:
            self.say("utter_same_search")
        return True

    def refine_search(self) -> bool:
        """A follow-up that changes one part of the search under way; runs it again."""
        search = self.ctx.search
        if search.kind is None:
            return False
        turn, said = self.turn, self.said
        changes: list[Message] = []
        trade, place = turn.entity("job"), turn.entity("location")
        if place and place != search.place:
            search.place = place
            search.min_radius_km = None
            changes.append(("utter_changed_place", {"place": _place_name(place)}))
        if trade and trade != search.trade and search.kind in TRADE_KINDS:
            self.set_trade(search, trade)
            changes.append(("utter_changed_trade", {"trade": trade if trade != ANY else
                                                    "tous les métiers"}))
        if said.contract and said.contract != search.contract:
            search.contract = said.contract
            changes.append(("utter_changed_contract", {"contract": said.contract}))
        if said.has_car is not None and search.kind in CAR_KINDS and \
                said.has_car != self.ctx.person.has_car_before:
            changes.append(("utter_changed_car_yes" if said.has_car else "utter_changed_car_no",
                            {}))
        if said.farther or said.radius_km:
            radius = said.radius_km or _farther(search.min_radius_km or 0,
                                                self.ctx.person.has_car)
            if radius:
                search.min_radius_km = radius
                changes.append(("utter_changed_farther", {"km": str(radius)}))
            else:
                search.place = "tiltam"
                changes.append(("utter_changed_everywhere", {}))
        if said.grade and said.grade != search.grade and search.kind == "internship":
            search.grade = said.grade
            changes.append(("utter_changed_grade", {"grade": said.grade}))
        if not changes:
            return False
        self.ctx.pending = None
        self.says.extend(changes)
        self.absorb_refinements()
        search.offset = 0
        self.continue_search()
        return True

    def absorb_refinements(self) -> None:
        said, search = self.said, self.ctx.search
        if said.contract and search.kind == "job":
            search.contract = said.contract
        if said.grade and search.kind == "internship":
            search.grade = said.grade

    def continue_search(self) -> None:
        """Asks what the search still lacks, one question at a time, else runs it."""
        search = self.ctx.search
        missing = (search.kind in TRADE_KINDS and not search.trade) or not search.place
        if missing and not any(
                m[0].startswith("utter_changed") for m in self.says):
            # Say back what is understood before asking the rest.
            so_far = said_back(search.kind or "job", search.trade,
                               _place_name(search.place) if search.place and
                               search.place != "tiltam" else None, search.trade_said)
            if search.kind == "internship" and search.grade:
                so_far["what"] += f" de {search.grade}"
            self.say("utter_search_so_far", **so_far)
        if search.kind in TRADE_KINDS and not search.trade and search.place:
            search.trade = ANY  # all trades first; « soudeur » afterwards narrows it
        if search.kind in TRADE_KINDS and not search.trade:
            self.ask("utter_ask_job", "trade", what=_kind_words(search.kind))
            return
        if not search.place:
            self.ask("utter_ask_location", "place", no='/inform{"location": "tiltam"}')
            return
        self.run_search()

    def run_search(self, offset: int = 0) -> None:
        search, person = self.ctx.search, self.ctx.person
        answer = run_search(search.kind or "job", search.trade, search.place, person.has_car,
                            offset=offset, contract=search.contract, grade=search.grade,
                            min_radius_km=search.min_radius_km,
                            trade_said=search.trade_said)
        self.says.extend(answer.messages)
        search.offset = offset + answer.shown
        search.shown = answer.ids
        search.radius_used = answer.radius_km
        person.has_car_before = person.has_car
        if offset == 0:
            related = any(m[0] == "utter_search_related_trades" for m in answer.messages)
            self.searched = {"kind": search.kind, "trade": search.trade or "",
                             "place": search.place or "",
                             "outcome": "none" if not answer.total else
                             "related" if related else "found"}
        self.results_prompt(answer)

    def results_prompt(self, answer) -> None:
        """After results: « oui » means the question the footer asked."""
        if not answer.shown:
            self.ctx.pending = Pending(slot="results", options=self._last_buttons(),
                                       yes="/create_alert", no="/deny")
            return
        more = self.ctx.search.offset < answer.total
        person = self.ctx.person
        if self.ctx.search.kind in CAR_KINDS and person.has_car is None and not person.car_hint:
            # Said once, after the first results, without buttons: « oui » keeps meaning what
            # the results' footer asked.
            person.car_hint = True
            self.say("utter_car_hint")
        self.ctx.pending = Pending(slot="results", options=self._last_buttons(),
                                   yes="/more_results" if more else "/create_alert",
                                   no="/deny")

    def _last_buttons(self) -> list[dict[str, str]]:
        options: list[dict[str, str]] = []
        for response, variables in self.says:
            if response == TEXT:
                options.extend(variables.get("buttons") or [])
            else:
                options.extend(buttons_of(response, variables))
        return options

    def more_results(self) -> None:
        search = self.ctx.search
        if search.kind and _NEARER.search(self.folded):
            self.say("utter_nothing_nearer", km=str(search.radius_used or 15))
            return
        if not search.kind:
            self.say("utter_more_results_no_search")
            return
        if self.has_changes():
            self.refine_search()
            return
        self.run_search(offset=search.offset)

    # --- offers and alerts -----------------------------------------------------------------
    def offer_from_message(self) -> int | None:
        raw = self.turn.entity("offer_id")
        if str(raw or "").isdigit():
            return int(raw)
        shown = self.ctx.search.shown
        index = self.said.ordinal
        if index is not None and shown:
            try:
                return shown[index]
            except IndexError:
                return None
        if len(shown) == 1:
            return shown[0]
        return self.ctx.offer_id

    def offer(self, intent: str) -> None:
        offer_id = self.offer_from_message()
        if offer_id is None:
            if self.ctx.search.shown:
                self.say("utter_which_offer")
                return
            self.say("utter_offer_gone")
            return
        self.ctx.offer_id = offer_id
        if intent == "offer_details":
            self.says.extend(offer_details(offer_id).messages)
            return
        summary = offer_summary(offer_id)
        if summary is None:
            self.say("utter_offer_gone")
            return
        self.say("utter_offer_interest", offer=summary)
        self.ctx.handoff_reason = "events" if offer_kind(offer_id) == "event" else "offer"
        self.ask("utter_offer_interest_next", "choice", yes="/request_human",
                 no="/more_results")

    def alert(self, intent: str) -> None:
        search = self.ctx.search
        if intent == "create_alert":
            answer = alert_answer("create", self.turn.sender_id, self.turn.channel,
                                  search.kind, search.trade, search.place)
        elif intent == "list_alerts":
            answer = alert_answer("list", self.turn.sender_id)
        else:
            raw = self.turn.entity("alert_id")
            answer = alert_answer("stop", self.turn.sender_id,
                                  alert_id=int(raw) if str(raw or "").isdigit() else None)
        self.says.extend(answer.messages)

    # --- questions and facts ---------------------------------------------------------------
    def faq(self, intent: str) -> None:
        self.answer_question(intent)
        if intent not in ("ask_local_services", "ask_bus_schedule", "ask_job_info",
                          "ask_salary", "ask_mrs") and self.ctx.pending is None:
            self.search_in_passing()  # « ya du taf à Thiers sans diplôme ? »

    def answer_question(self, intent: str) -> None:
        person, folded = self.ctx.person, self.folded
        age = person.age
        young = age is not None and age < 16
        over = age is not None and age > (29 if person.rqth else 25)
        kind = self.ctx.search.kind
        if _TOO_LATE.search(folded) and (age is None or age >= 26):
            self.say_fact("too_late")
            return
        if _PAY.search(folded) and intent in ("ask_salary", "ask_financial_aid",
                                              "ask_immersion_info") and kind in (
                "internship", "immersion") and not self.turn.entity("job"):
            self.say_fact("internship_pay" if kind == "internship" else "immersion_pay")
            return
        if intent == "ask_mrs":
            self.say_fact("mrs")
            self.mrs_sessions()
        elif intent == "ask_immersion_info":
            if _PAY.search(folded):
                self.say_fact("immersion_pay")
            elif young:
                self.say_fact("immersion_too_young")
            else:
                self.say_fact("immersion")
        elif intent == "ask_salary":
            self.salary()
        elif intent == "ask_job_info":
            trade = self.turn.entity("job") or self.ctx.search.trade
            if not trade and self.said.outside_industry:
                self.outside_industry(self.said.outside_industry)
                return
            if not trade or trade == ANY:
                self.ask("utter_ask_job_info_which", "info_trade")
                return
            self.says.extend(trade_answer(trade, "info").messages)
        elif intent == "ask_no_diploma":
            self.say_fact("no_diploma")
        elif intent == "ask_financial_aid":
            self.financial_aid(young, over)
        elif intent == "ask_mobility":
            self.say_fact("licence_aid" if re.search(r"\bpermis|permi\b|conduite|auto ecole",
                                                     folded) else "mobility")
        elif intent == "ask_housing":
            self.say_fact("housing")
        elif intent == "ask_disability":
            person.rqth = person.rqth or "rqth" in folded
            self.say_fact("disability")
        elif intent == "ask_industry_image":
            self.say_fact("industry_image")
        elif intent == "ask_cv_help":
            self.say_fact("cv_help")
        elif intent == "ask_orientation":
            self.say_fact("orientation_pupil" if young or person.pupil else "orientation")
        elif intent == "ask_local_services":
            self.local_services()
        elif intent == "ask_bus_schedule":
            self.bus()
        elif intent == "bot_challenge":
            self.say("utter_bot_challenge")
            self.say("utter_bot_challenge_human")
        elif intent == "ask_capabilities":
            self.say("utter_capabilities")
            self.say("utter_capabilities_more")

    def search_in_passing(self) -> bool:
        """« ya du taf à Thiers pour un jeune sans diplôme ? »: the question, then the search."""
        if not (self.turn.entity("location") or self.turn.entity("job")):
            return False
        intent = _kind_from_words(self.folded)
        if intent:
            self.start_search(intent)
            return True
        return False

    def salary_for(self, kind: str) -> None:
        self.ctx.search.kind = kind
        self.salary()

    def salary(self) -> None:
        folded, kind = self.folded, self.ctx.search.kind
        if re.search(r"\bimmersion|pmsmp\b", folded) or (kind == "immersion"
                                                         and not self.turn.entity("job")):
            self.say_fact("immersion_pay")
        elif re.search(r"\bstage\b", folded) or kind == "internship":
            self.say_fact("internship_pay")
        elif _APPRENTICE.search(folded) or kind == "apprenticeship" or (
                self.ctx.person.age is not None and self.ctx.person.age < 18):
            self.say_fact("apprentice_pay")
        else:
            trade = self.turn.entity("job") or (self.ctx.search.trade
                                                if self.ctx.search.trade != ANY else None)
            if trade:
                self.says.extend(trade_answer(trade, "salary").messages)
            elif self.said.outside_industry:
                self.outside_industry(self.said.outside_industry)
            else:
                self.say_fact("salary_general")

    def financial_aid(self, young: bool, over: bool) -> None:
        folded = self.folded
        if re.search(r"\bfaj\b|fonds d aide", folded):
            self.say_fact("faj")
        elif re.search(r"\brsa\b", folded):
            self.say_fact("rsa")
        elif re.search(r"\bcej\b|engagement jeune", folded):
            self.say_fact("cej_too_old" if over else "cej")
        elif _APPRENTICE.search(folded) and re.search(r"embauch|employeur|patron|entreprise",
                                                      folded):
            self.say_fact("apprentice_hiring_aid")
        elif _APPRENTICE.search(folded):
            self.say_fact("apprentice_pay")
        elif re.search(r"\bformation\b", folded):
            self.say_fact("training_pay")
        elif re.search(r"\bpermis\b", folded):
            self.say_fact("licence_aid")
        elif over:
            self.say_fact("cej_too_old")
        elif young:
            self.say_fact("financial_aid")
        elif self.ctx.person.age is not None:
            self.say_fact("cej")
        else:
            self.say_fact("financial_aid")

    def mrs_sessions(self) -> None:
        answer = run_search("mrs", None, self.ctx.search.place, self.ctx.person.has_car)
        if not answer.shown:
            return
        self.say("utter_mrs_sessions")
        self.says.extend(m for m in answer.messages if m[0] != "utter_search_noted")
        self.ctx.search = Search(kind="mrs", place=self.ctx.search.place, offset=answer.shown,
                                 shown=answer.ids)

    def local_services(self) -> None:
        person = self.ctx.person
        if (person.age is not None and person.age < 16) or person.pupil:
            self.say_fact("who_helps_pupil")
            return
        place = self.turn.entity("location") or self.ctx.search.place
        if not place:
            self.ask("utter_local_services_ask_place", "services_place")
            return
        kind = None
        if person.rqth:
            self.say_fact("who_helps_rqth")
        elif person.age is not None and person.age > 25:
            kind = "france_travail"
            self.say_fact("who_helps_26_plus")
        answer = services_near(place, kind)
        if not answer.place_known:
            self.say("utter_local_services_unknown_place")
        if answer.demo:
            self.say("utter_local_services_demo")
        for place_ in answer.services:
            phone = place_.get("phone") or ""
            self.say("utter_local_service", name=place_["name"],
                     demo="🎭 Exemple fictif (démo), adresse inventée :\n" if place_.get("demo")
                     else "",
                     audience=place_.get("for", ""), address=place_.get("address", ""),
                     hours=place_.get("hours", ""), phone=f"\n📞 {phone}" if phone else "")

    def fill_info_trade(self, pending: Pending) -> bool:
        trade = self.turn.entity("job") or parse_trade(self.turn.text)
        if not trade:
            return False
        self.ctx.pending = None
        self.says.extend(trade_answer(trade, "info").messages)
        return True

    def fill_services_place(self, pending: Pending) -> bool:
        place = self.turn.entity("location") or parse_place(self.turn.text)
        if not place:
            return False
        self.ctx.pending = None
        self.ctx.search.place = self.ctx.search.place or place
        self.turn.entities.setdefault("location", []).append(place)
        self.local_services()
        return True

    def bus(self) -> None:
        place = self.turn.entity("location") or self.ctx.search.place
        answer = next_stops(date.today(), place)
        if is_demo():
            self.say("utter_bus_demo_first")
        self.say("utter_bus_intro", bus_name=bus_name().capitalize())
        if answer.served is False:
            self.say("utter_bus_not_here", commune=answer.commune)
        for stop in answer.stops:
            self.say("utter_bus_stop", day=stop.day_label(), commune=stop.commune,
                     place=stop.place, hours=stop.hours)
        self.say("utter_bus_next")

    def glossary(self) -> bool:
        """« c'est quoi le CCAS ? », « la RQTH c koi »: a word Indy used, explained."""
        kind = self.ctx.search.kind
        if re.search(r"\bconvention\b|\b(?:accord|autorisation|signature) (?:de |des )?"
                     r"(?:mes |ses )?parents?\b|\bparents? (?:doit|doivent|signe)",
                     self.folded) and \
                (self.question() or kind in ("internship", "immersion")):
            self.say_fact("immersion" if kind == "immersion" else "internship")
            return True
        if re.search(r"\b(?:perd|perds|perdre|garde|garder|conserve|garderai)\b.{0,25}\b(?:rsa|"
                     r"chomage|are|allocation|allocations|aides?|cej)\b", self.folded):
            self.say_fact("immersion_pay" if kind == "immersion" else "training_pay")
            return True
        if not _WHAT_IS.search(self.folded):
            return False
        person = self.ctx.person
        over = person.age is not None and person.age > (29 if person.rqth else 25)
        for pattern, fact_id in _GLOSSARY:
            if pattern.search(self.folded):
                if fact_id in ("who_helps_16_25", "who_helps_26_plus") and \
                        person.age is not None:
                    self.who_helps()  # « je peux aller à la Mission Locale ? » depends on age
                else:
                    self.say_fact("cej_too_old" if fact_id == "cej" and over else fact_id)
                return True
        return False

    def who_helps(self) -> None:
        """Who can help this person, by age and situation."""
        person = self.ctx.person
        if person.pupil or (person.age is not None and person.age < 16):
            self.say_fact("who_helps_pupil")
        elif person.rqth:
            self.say_fact("who_helps_rqth")
        elif person.age is not None and person.age > 25:
            self.say_fact("who_helps_26_plus")
        elif person.age is not None:
            self.say_fact("who_helps_16_25")
        else:
            self.say_fact("who_helps_16_25")
            self.say_fact("who_helps_26_plus")

    def outside_industry(self, word: str) -> None:
        age = self.ctx.person.age
        self.say("utter_outside_industry", trade=word)
        self.say_fact("who_helps_pupil" if age is not None and age < 16 else "platforms")

    # --- a person ----------------------------------------------------------------------------
    def handoff_start(self) -> None:
        if service.has_open_ticket(self.turn.sender_id):
            self.handoff = {"existing": True}
            return
        reason = self.ctx.handoff_reason or ("fallback" if self.ctx.misses else "request")
        self.ctx.handoff_reason = reason
        if handoff_config().get("demo"):
            self.say("utter_handoff_demo")
        self.says.extend(service.announce(self.turn.sender_id, reason, self.profile()))
        self.ask("utter_ask_handoff_consent", "consent", yes="/handoff_consent_yes",
                 no="/handoff_consent_no")

    def profile(self) -> dict[str, Any]:
        search = self.ctx.search
        offer = offer_summary(self.ctx.offer_id) if self.ctx.offer_id else None
        return service.profile(search.trade, search.place, offer, self.ctx.person.age)

    def handoff_next(self) -> None:
        person = self.ctx.person
        if person.name is None and not person.refused_name:
            self.ask("utter_ask_handoff_name", "name")
            return
        epci = self.profile().get("epci")
        if service.needs_contact(self.turn.channel, epci):
            self.ask("utter_ask_handoff_contact", "contact")
            return
        self.handoff_create(contact="")

    def handoff_create(self, contact: str) -> None:
        self.handoff = {"name": self.ctx.person.name or "", "contact": contact,
                        "reason": self.ctx.handoff_reason or "request",
                        "profile": self.profile()}
        self.ctx.handoff_reason = None

    # --- not understood --------------------------------------------------------------------
    def fallback(self, intent: str) -> None:
        self.ctx.misses += 1
        if self.ctx.misses >= MISSES_BEFORE_HUMAN:
            self.ctx.misses = 0
            self.ctx.handoff_reason = "fallback"
            self.say("utter_fallback_offer_human")
            return
        buttons = guesses(self.turn.ranking, [
            {"entity": k, "value": v} for k, vs in self.turn.entities.items() for v in vs])
        if intent == "other_topic" or not buttons:
            self.say("utter_fallback_rephrase")
            return
        buttons.append({"title": labels()["other_topic"], "payload": "/other_topic"})
        self.say("utter_fallback_suggest", buttons=buttons)


def entities_of(parse: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """An NLU parse's entities by name, in the order of the text, and the words typed for
    each trade (« magasinier » for the trade it is filed under)."""
    text = str(parse.get("text") or "")
    entities: dict[str, list[str]] = {}
    said_as: dict[str, str] = {}
    for entity in sorted(parse.get("entities") or [], key=lambda e: e.get("start") or 0):
        value = entity.get("value")
        if value is None:
            continue
        entities.setdefault(entity["entity"], []).append(str(value))
        start, end = entity.get("start"), entity.get("end")
        if entity["entity"] == "job" and isinstance(start, int) and isinstance(end, int):
            said_as[str(value)] = text[start:end][:60]
    return entities, said_as


def respond(context: Context, turn: Turn) -> Outcome:
    return Dialogue(context, turn).run()


# --- small helpers ---------------------------------------------------------------------------
_PAYLOAD = re.compile(r"^/([A-Za-z_]+)(\{.*\})?$", re.S)


def parse_payload(payload: str) -> tuple[str, dict[str, list[str]]]:
    """ "/inform{"location": "63430"}" → ("inform", {"location": ["63430"]})."""
    found = _PAYLOAD.match(payload.strip())
    if not found:
        return "nlu_fallback", {}
    entities: dict[str, list[str]] = {}
    if found.group(2):
        try:
            raw = json.loads(found.group(2))
        except ValueError:
            raw = {}
        for key, value in (raw or {}).items():
            if key == "job":
                value = parse_trade(str(value)) or (ANY if parse_any(str(value)) else value)
            entities[key] = [str(value)]
    return found.group(1), entities


def _plain(text: str) -> str:
    """A button's title or a typed answer without emojis and punctuation, folded."""
    return fold(re.sub(r"[^\w\s'’-]", " ", text or "")).strip()


def _name(text: str) -> str:
    words = re.sub(r"^(?:je m['’ ]?appelle|j['’ ]?m['’ ]?appel+e?|moi c['’ ]?est|c['’ ]?est|"
                   r"mon pr[ée]nom c['’ ]?est|mon pr[ée]nom est|mon nom c['’ ]?est|appelle[- ]moi|"
                   r"appelez[- ]moi)\s+", "", " ".join(text.split()), flags=re.I)
    return words.strip(" .,!")[:40] or "anonyme"


_KIND_WORDS = (("alternance", "search_apprenticeship"), ("apprentissage", "search_apprenticeship"),
               ("formation", "search_training"), ("stage", "search_internship"),
               ("immersion", "search_immersion"), ("taf", "search_job"),
               ("boulot", "search_job"), ("travail", "search_job"), ("job", "search_job"),
               ("emploi", "search_job"), ("bosser", "search_job"), ("jcherche", "search_job"),
               ("cherche", "search_job"), ("jcherch", "search_job"), ("offre", "search_job"))


def _kind_from_words(folded: str) -> str | None:
    words = folded.split()
    return next((intent for key, intent in _KIND_WORDS
                 if any(w == key or (len(key) >= 5 and w.startswith(key)) for w in words)), None)


def _kind_words(kind: str | None) -> str:
    return search_kind_label(f"search_{kind}") if kind else ""


def _place_name(place: str) -> str:
    found = place_by_key(place)
    return found.name if found else place


def _kept(search: Search) -> dict[str, str]:
    trade = f" de {search.trade}" if search.trade and search.trade != ANY and \
        search.kind in TRADE_KINDS else ""
    place = f" vers {_place_name(search.place)}" if search.place and search.place != "tiltam" \
        else ""
    return {"trade": trade, "place": place}


def _farther(current: int, has_car: bool | None) -> int | None:
    radii = RADII_NO_CAR_KM if has_car is False else RADII_KM
    for radius in radii:
        if radius > current:
            return radius
    return None
