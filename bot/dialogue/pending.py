"""The question Indy asked: a typed answer read as its buttons, « oui »/« non » in context,
a digression answered before the question comes back, and the questions of a search."""

from __future__ import annotations

import re

from bot.catalogue.answers import (
    INTENT_KINDS,
)
from bot.catalogue.search import ANY
from bot.dialogue import mentions
from bot.dialogue.context import Pending
from bot.dialogue.reading import (
    AID_ASKED,
    CONFIDENT,
    CONVENTION,
    COST_TOPICS,
    FAQ_INTENTS,
    FOLLOW_UP,
    GLOSSARY,
    INTEREST,
    MISS_INTENTS,
    PAY_STRICT,
    PAY_TOPICS,
    QUESTION,
    REFERS_BACK,
    SEARCH_INTENTS,
    SOFT_SLOTS,
    SURE,
    TOPICS,
    USE_IT,
    kind_from_words,
    plain,
)
from bot.dialogue.turn import Turn, parse_payload
from bot.handoff.teams import config as handoff_config
from bot.understanding import parse_any, parse_place, parse_trade, parse_yes_no


class PendingMixin:
    """Part of Dialogue (bot.dialogue.engine); uses its state: ctx, turn, said, folded, says."""

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
        if self.said.ordinal is not None or INTEREST.search(self.folded):
            answer = None  # « le premier ça m'intéresse », whatever the NLU made of it
        if self.said.has_car is not None or self.said.contract or self.said.age is not None:
            answer = None  # « sans voiture », « pas en CDI »: information, not a « non »
        if answer is not None and len(self.folded.split()) > 4 and (
                turn.entity("job") or turn.entity("location") or kind_from_words(self.folded)
                or self.question()):
            answer = None  # « non moi j'suis à Saint-Anthème, pas Ambert »: more than a no
        if pending.slot in SOFT_SLOTS and self.has_changes() and not (
                self.is_digression() and self.question()) and not self.new_kind_asked() and \
                self.refine_search():
            return True  # « sans voiture », « plutôt à Ambert »: a change, not a « non »
        if pending.slot in ("results", "kind") and \
                re.search(r"\bpreven|\bprevien|\balerte|\bnotif", self.folded):
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
        if turn.intent in SEARCH_INTENTS and turn.confidence >= CONFIDENT and \
                INTENT_KINDS[turn.intent] != self.ctx.search.kind and pending.slot != "kind" and \
                (kind_from_words(self.folded) or not self.ctx.search.kind or
                 not self.has_changes()):
            self.ctx.pending = None  # « en fait non, une formation à Ambert »: a new request
            return False
        handler = getattr(self, f"fill_{pending.slot}", None)
        if handler is not None and handler(pending):
            return True
        if pending.slot == "consent" and len(self.folded.split()) > 5:
            self.ctx.pending = None  # a message of its own, not an answer: nothing is sent
            self.ctx.handoff_reason = None
            return False
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
        if handler is not None and self.said_in_passing():
            self.absorb_refinements()  # « il est en 3e » while Indy asks where: kept
            self.say("utter_noted_in_passing")
            self.resume(pending)
            return True
        if handler is not None:
            self.missed(pending)
            return True
        self.ctx.pending = None
        return False

    def said_in_passing(self) -> bool:
        said = self.said
        return said.age is not None or said.has_car is not None or said.rqth or \
            said.pupil or said.grade is not None or said.contract is not None

    def topic_follow_up(self) -> bool:
        """« et en 2e année ? », « et à 18 ans ? » after a fact: the same fact again; so is
        « ya des aides pour le payer ? » (it: what the fact was about)."""
        turn = self.turn
        if self.previous_fact and USE_IT.search(self.folded):
            self.say_fact(self.previous_fact, again=True)  # « je l'utilise comment ? »
            if turn.intent in SEARCH_INTENTS and turn.confidence >= SURE:
                self.start_search(turn.intent)  # « ... pour une formation de cariste ? »
            return True
        back = REFERS_BACK.search(self.folded) and not kind_from_words(self.folded)
        aid = self.previous_fact in COST_TOPICS and AID_ASKED.search(self.folded) and \
            len(self.folded.split()) <= 8  # « chui en alternance ya 1 aide ? »
        if self.previous_fact and (back or aid) and not turn.entity("job"):
            self.say_fact(self.previous_fact, again=True)
            return True
        if self.ctx.topic and FOLLOW_UP.match(self.folded) and \
                (turn.intent in MISS_INTENTS | {"inform", "more_results"} or
                 turn.confidence < 0.6 or (turn.intent in ("offer_details", "offer_interest")
                                           and not self.ctx.search.shown)) and \
                not self.has_changes() and \
                not kind_from_words(self.folded) and not self.names_other_subject() and \
                not (PAY_STRICT.search(self.folded) and self.known_trade() and
                     self.ctx.topic not in PAY_TOPICS):  # « et ça paie combien ? »: the trade's
            self.say_fact(self.ctx.topic, again=True)
            return True
        return False

    def new_kind_asked(self) -> bool:
        """« en fait non je cherche une formation de cariste à Ambert »: a new request."""
        turn = self.turn
        wanted = kind_from_words(self.folded)
        if not wanted or INTENT_KINDS[wanted] == self.ctx.search.kind or \
                turn.intent not in SEARCH_INTENTS or turn.confidence < CONFIDENT:
            return False
        turn.intent = wanted  # « montre moi les formations conducteur de ligne », read as a job
        return True

    def names_other_subject(self) -> bool:
        """« et qui signe la convention ? », « et la MRS ? »: a subject of its own."""
        folded, topic = self.folded, self.ctx.topic
        return bool(CONVENTION.search(folded)) or any(
            fact_id != topic and pattern.search(folded)
            for pattern, fact_id in (*GLOSSARY, *TOPICS))

    def answers_slot(self, pending: Pending) -> bool:
        """The message carries what the question asked (« Ambert ? » is an answer)."""
        wanted = {"place": "location", "services_place": "location", "trade": "job"}
        return bool(self.turn.entity(wanted.get(pending.slot, "")))

    def typed_button(self, pending: Pending) -> str | None:
        """« Ambert », « peu importe », « oui transmets »: the button whose title it says."""
        typed = plain(self.turn.text)
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
            if typed == plain(option["title"]):
                return option["payload"]
        for option in pending.options:
            title = plain(option["title"])
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
        self.said.farther = "farther" in (self.turn.entities.get("confirm") or [])
        self.dispatch(intent)

    def is_digression(self) -> bool:
        """A question asked instead of an answer: answered, then the question comes back."""
        turn = self.turn
        return turn.intent in FAQ_INTENTS and (turn.confidence >= CONFIDENT or self.question())

    def question(self) -> bool:
        return "?" in self.turn.text or bool(QUESTION.search(self.folded))

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
            buttons = {"buttons": pending.options} if pending.own_buttons else {}
            self.ask(pending.response, pending.slot, pending.yes, pending.no,
                     **pending.variables, **buttons)

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
            buttons = {"buttons": pending.options} if pending.own_buttons else {}
            self.ask(pending.response, pending.slot, pending.yes, pending.no,
                     **pending.variables, **buttons)

    # The questions of a search.
    def fill_place(self, pending: Pending) -> bool:
        # A commune typed alone is read even misspelt; in a sentence, only what the NLU found.
        short = len(self.folded.split()) <= 4
        place = self.turn.entity("location") or (parse_place(self.turn.text) if short else None)
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

    def fill_info_trade(self, pending: Pending) -> bool:
        trade = self.turn.entity("job") or parse_trade(self.turn.text)
        if not trade:
            return False
        self.ctx.pending = None
        self.describe_trade(trade, "info")
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
