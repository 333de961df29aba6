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

This module holds the order above and the intents' dispatch; each capability lives beside it:
pending.py (the question asked), searching.py (the search under way, offers, alerts),
questions.py (facts and FAQ), handing_off.py (to a person); reading.py holds the patterns and
turn.py the message as read and the outcome.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.catalogue.answers import INTENT_KINDS
from bot.catalogue.search import ANY
from bot.dialogue import distress_model, mentions, safety
from bot.dialogue.context import Context, Pending
from bot.dialogue.facts_say import fact_messages, fact_title
from bot.dialogue.handing_off import HandoffMixin
from bot.dialogue.pending import PendingMixin
from bot.dialogue.questions import QuestionsMixin
from bot.dialogue.reading import (
    ABOUT_HELP,
    AGE_QUESTION,
    APPOINTMENT,
    APPRENTICE,
    CALL_LATER,
    CALLED_HELP,
    CANT_CALL,
    COMMUTE,
    CONFIDENT,
    CONTACT,
    DISCOURAGED_WORDS,
    DURATION,
    EVENING,
    FAQ_INTENTS,
    FOLLOW_UP,
    GROSS_NET,
    HUMAN,
    INDY_TELLS,
    INTEREST,
    JOB_BUS,
    JOB_TALK,
    MISREAD,
    MISS_INTENTS,
    NEARER,
    NO_DIPLOMA,
    NOT_INTERESTED,
    NOT_KIND,
    OFFERS_AGAIN,
    PAY_ASKED,
    PAY_OF_TOPIC,
    PAY_STRICT,
    POLITENESS,
    QUESTION,
    SAFE_NOW,
    SEARCH_INTENTS,
    SOFT_SLOTS,
    STAY_ASKED,
    SURE,
    TEXT,
    TOO_LATE,
    TOPICS,
    UNDECIDED,
    WAYS_IN,
    WHAT_IS,
    WHO_HELPS,
    WORK_WISH,
    kind_from_words,
    kind_words,
    negated_kinds,
    place_name,
)
from bot.dialogue.responses import buttons_of
from bot.dialogue.searching import SearchMixin
from bot.dialogue.turn import Message, Outcome, Turn, parse_payload
from bot.fallback import MISSES_BEFORE_HUMAN, guesses
from bot.handoff import service
from bot.handoff.teams import config as handoff_config
from bot.handoff.teams import timezone
from bot.labels import labels
from bot.territory import outside_place
from bot.text import fold
from bot.understanding import parse_yes_no

__all__ = ["TEXT", "Outcome", "Turn", "Dialogue", "entities_of", "parse_payload", "respond"]


# From this P(distress) of the statistical detector, a message the NLU reads as distress but
# that raised no alarm gets words for discouragement; under it, it is read as ordinary.
DISCOURAGED = 0.2
# A request for work raises an alarm from the statistical detector alone only above this
# P(distress) (chosen on tests/nlu/distress_dev.yml: no distress lost, a false alarm saved).
JOB_TALK_BAR = 0.75


class Dialogue(PendingMixin, SearchMixin, QuestionsMixin, HandoffMixin):
    """One message's worth of decisions; `respond` builds one per message."""

    def __init__(self, context: Context, turn: Turn):
        self.ctx = context
        self.turn = turn
        self.says: list[Message] = []
        self.after: list[Message] = []  # said after what the adapter writes (a ticket)
        self.searched: dict[str, Any] | None = None
        self.handoff: dict[str, Any] | None = None
        self.erase = False
        self.said = mentions.read(turn.text)
        if "farther" in (turn.entities.get("confirm") or []):
            self.said.farther = True  # the « 🔭 Plus loin » button
        self.previous_fact = context.fact_just_said  # the fact of Indy's last answer
        context.fact_just_said = None
        self.previous_trade = context.trade_talked if context.trade_just_said else None
        context.trade_just_said = False
        self.folded = fold(turn.text or "")[:2000]

    # --- speaking ----------------------------------------------------------------------
    def say(self, response: str, **variables: Any) -> None:
        self.says.append((response, variables))

    def say_fact(self, fact_id: str, again: bool = False, in_passing: bool = False) -> None:
        """A fact of content/facts.yml. The same fact as in Indy's last answer is not said
        twice in a row (a new question deserves more than the same block): Indy says it has
        nothing more precise and offers a person, unless the repeat is asked (`again`)."""
        if fact_id == self.previous_fact and not again and not WHAT_IS.search(self.folded) \
                and not any(m[0] == TEXT for m in self.says):
            self.say("utter_nothing_more", title=fact_title(fact_id))
        else:
            self.says.extend((TEXT, m) for m in fact_messages(fact_id))
        self.ctx.topic = fact_id
        recent = [t for t in self.ctx.recent_topics if t != fact_id] + [fact_id]
        self.ctx.recent_topics = recent[-4:]
        # Given in passing (not asked), it may be asked about next.
        self.ctx.fact_just_said = None if in_passing else fact_id

    def ask(self, response: str, slot: str, yes: str | None = None, no: str | None = None,
            **variables: Any) -> None:
        """Asks a question and remembers it, with its buttons, until it is answered."""
        tries = self.ctx.pending.tries if self.ctx.pending and self.ctx.pending.slot == slot \
            else 0
        self.say(response, **variables)
        self.ctx.pending = Pending(slot=slot, options=buttons_of(response, variables),
                                   tries=tries, yes=yes, no=no, response=response,
                                   variables={k: str(v) for k, v in variables.items()
                                              if k != "buttons"},
                                   own_buttons=bool(variables.get("buttons")))

    # --- the entry point -----------------------------------------------------------------
    def run(self) -> Outcome:
        turn, said = self.turn, self.said
        misread = bool(self.ctx.safety and self.ctx.safety_turns and MISREAD.search(self.folded))
        category, source = (None, None) if misread else safety.detect_with_source(
            turn.text, turn.intent, turn.confidence)
        if category == "unwell" and source != "lexicon" and said.angry:
            category = None  # anger at a refusal, or at Indy, is not distress
        pending = self.ctx.pending
        if category and source != "lexicon" and pending is not None and \
                pending.slot in ("name", "contact") and len(self.folded.split()) <= 4:
            category = None  # « M. Bernard », « lea@… »: the answer to the question asked
        discouraged = category == "unwell" and source == "statistical" and bool(
            JOB_TALK.search(self.folded))
        if discouraged:
            category = None  # « 15 refus, personne veut de moi, jveux de l'intérim »
        elif category and source == "statistical" and JOB_TALK.search(self.folded) and \
                distress_model.read(turn.text).score < JOB_TALK_BAR:
            category = None  # « jveux me faire des thunes cet été, t'aurais un taf ? »
        if category and self.ctx.safety_turns and self.question() and \
                ABOUT_HELP.search(self.folded) and (
                source != "lexicon" or (self.ctx.safety or "").startswith(category)):
            category = None  # « si j'appelle le 119 ils vont débarquer chez moi ? »: about it
        if not category:
            self.not_distress_after_all()
        self.past_the_greeting()
        ruled_out = self.not_this_kind()
        self.a_contract_is_a_job()
        if category:
            self.distress(category)
        elif misread:
            self.misread()
        elif self.ctx.safety and self.after_the_distress():
            pass
        elif self.ctx.safety_turns and JOB_TALK.search(self.folded) and \
                DISCOURAGED_WORDS.search(self.folded) and not self.has_changes() and not (
                turn.intent in SEARCH_INTENTS and turn.confidence >= 0.5):
            self.ctx.safety_turns = 0
            self.say("utter_discouraged")  # « je cherche depuis 6 mois et rien »
        elif self.ctx.safety_turns and self.about_the_distress():
            self.ctx.safety_turns -= 1
            if INDY_TELLS.search(self.folded):  # what Indy itself does with what was said
                self.says.extend((TEXT, m) for m in safety.followup_messages("indy"))
            else:
                self.says.extend((TEXT, m) for m in safety.followup_messages(
                    self.adult_variant(self.ctx.safety)))
            self.says.append((TEXT, {"text": safety.reminder(self.ctx.safety or "unwell")}))
        elif said.english and not turn.text.startswith("/") and not (
                self.ctx.pending is not None and self.ctx.pending.slot in (
                "consent", "name", "contact")) and self.in_english():
            pass
        elif said.angry and turn.intent not in SEARCH_INTENTS | {"request_human"} and not (
                turn.entity("job") or turn.entity("location")):
            self.say("utter_calm")
            self.topic_in_words()  # « comment avoir de l'expérience si personne nous prend ??? »
        elif said.angry and turn.intent in SEARCH_INTENTS and not self.ctx.search.kind and \
                not self.says and self.calm_then_search():
            pass
        elif said.unsure and not turn.text.startswith("/"):
            self.unsure()
        elif said.tiny and self.ctx.safety and not turn.text.startswith("/"):
            self.safety_after()  # after a hard moment, « ok » gets warmth again
        elif said.tiny and parse_yes_no(turn.text) is None and not turn.text.startswith("/"):
            pending = self.ctx.pending
            self.say("utter_help_short" if pending is None else "utter_help_pending")
            if pending is not None:
                self.resume(pending)
        elif ruled_out:
            self.remember_mentions()
            self.ask_kind_instead(ruled_out)
        else:
            if discouraged:
                self.say("utter_discouraged_listening")  # the listening line, then the request
            self.remember_mentions()
            before = self.ctx.pending
            if self.answer_first() and before is not None and self.ctx.pending is before \
                    and before.response and before.slot not in SOFT_SLOTS:
                self.resume(before)  # the question asked before comes back
        return Outcome(self.says, self.ctx, self.searched, self.handoff, self.erase,
                       self.after)

    def calm_then_search(self) -> bool:
        """« ça fait 3 mois qu'il cherche, vos trucs servent à rien !!! »: the frustration
        heard first, then the search asked for."""
        self.say("utter_calm_short")
        self.remember_mentions()
        self.dispatch(self.turn.intent)
        return True

    def in_english(self) -> bool:
        """A message in English: Indy speaks only French, but a search it understood is run
        (the offers are in French) and a person asked for is called; otherwise it says so,
        in full the first time, briefly after."""
        turn, person = self.turn, self.ctx.person
        first = not person.english
        person.english = True
        if turn.confidence >= CONFIDENT and turn.intent == "request_human":
            self.say("utter_english_handoff_demo" if handoff_config().get("demo")
                     else "utter_english_handoff")
            return False
        if turn.confidence >= CONFIDENT and turn.intent in SEARCH_INTENTS and (
                turn.entity("job") or turn.entity("location")):
            self.say("utter_english_search")
            return False
        self.say("utter_english" if first else "utter_english_again")
        return True

    def not_distress_after_all(self) -> None:
        """The NLU read distress, the safety layer did not, and the statistical detector
        barely: the message is read as the next meaning the NLU saw (« mort de rire »)."""
        turn = self.turn
        if not turn.intent.startswith(safety.INTENT_PREFIX) or turn.text.startswith("/") or \
                distress_model.read(turn.text).score >= DISCOURAGED:
            return
        following = next((r for r in turn.ranking if not str(r.get("name")).startswith(
            safety.INTENT_PREFIX) and float(r.get("confidence") or 0) >= 0.03), None)
        turn.intent = following["name"] if following else "nlu_fallback"
        turn.confidence = float(following["confidence"]) if following else 0.0

    def past_the_greeting(self) -> None:
        """« Bonjour, mon fils a 15 ans, il peut faire une alternance ? »: the greeting is
        politeness; what follows is the message. Read as the next intent the NLU saw."""
        turn = self.turn
        if turn.intent not in POLITENESS or turn.text.startswith("/") or \
                len(self.folded.split()) < 5:
            return
        wanted = kind_from_words(self.folded)
        following = next((r for r in turn.ranking if r.get("name") not in POLITENESS | {
            "nlu_fallback"} and float(r.get("confidence") or 0) >= 0.03), None)
        if UNDECIDED.search(self.folded):
            turn.intent, turn.confidence = "ask_orientation", CONFIDENT  # « jsp quoi faire »
        elif following is not None:
            turn.intent, turn.confidence = following["name"], float(following["confidence"])
        elif wanted:
            turn.intent, turn.confidence = wanted, CONFIDENT

    def a_contract_is_a_job(self) -> None:
        """« un CDI en usinage »: a contract type is a job, whatever else the NLU thought."""
        turn = self.turn
        if self.said.contract and turn.intent in ("search_training", "search_apprenticeship",
                                                  "search_immersion") and \
                kind_from_words(NOT_KIND.sub(" ", self.folded).replace("cdi", " ")
                                .replace("cdd", " ").replace("interim", " ")) in (None,
                                                                                  "search_job"):
            turn.intent = "search_job"

    def not_this_kind(self) -> str | None:
        """« UN TAF PAS UNE FORMATION »: the kind ruled out is never the one searched. Another
        kind said in the message is read instead; else the kind ruled out is returned (Indy
        asks which one)."""
        turn = self.turn
        if turn.text.startswith("/"):
            return None
        ruled_out, rest = negated_kinds(self.folded)
        if not ruled_out:
            return None
        wanted = kind_from_words(rest)
        if wanted and wanted not in ruled_out:
            turn.intent, turn.confidence = wanted, max(turn.confidence, CONFIDENT)
            self.folded = rest
            return None
        if turn.intent in ruled_out or INTENT_KINDS.get(turn.intent) == self.ctx.search.kind:
            return next(iter(ruled_out))
        return None

    def ask_kind_instead(self, ruled_out: str) -> None:
        search = self.ctx.search
        if search.kind and INTENT_KINDS.get(ruled_out) == search.kind:
            search.kind, search.offset = None, 0
        what = search.trade if search.trade and search.trade != ANY else None
        self.say("utter_not_that_kind", what=kind_words(INTENT_KINDS.get(ruled_out)))
        self.ask("utter_which_kind", "kind", trade=f" en {what}" if what else "",
                 place=f" vers {place_name(search.place)}" if search.place and
                 search.place != "tiltam" else "")

    def topic_in_words(self, asked: bool = False) -> bool:
        """Facts asked in words no intent covers (the RSA and a job, the training obligation,
        a career change while employed, pay during the weeks at the CFA, CAP or bac pro, how
        long a diploma lasts, temp agencies, a BTS in apprenticeship, hours in a stage, working
        with children)."""
        fact_id = next((f for pattern, f in TOPICS if pattern.search(self.folded)), None)
        if fact_id is None or not (asked or self.question() or self.turn.intent in FAQ_INTENTS):
            return False
        person = self.ctx.person
        if fact_id == "internship_safety" and not (
                self.ctx.search.kind == "internship" or person.pupil or
                (person.age is not None and person.age < 16)):
            return False  # « soudeur c'est dangereux ? » from an adult: not the pupils' rule
        self.say_fact(fact_id, again=fact_id == "apprentice_pay")
        if not asked and self.turn.intent in SEARCH_INTENTS and self.turn.confidence >= SURE \
                and not self.ctx.search.kind:  # « je peux faire un BTS en alternance ? »: and then
            self.start_search(self.turn.intent)
        return True

    def ways_in(self) -> bool:
        """« pour devenir technicien faut quel diplôme ? », « faut le caces ? »: how to get
        into the trade asked about, searched or just described."""
        trade = self.known_trade()
        if not trade or not WAYS_IN.search(self.folded) or NO_DIPLOMA.search(self.folded) or \
                not self.question() or (self.turn.intent in SEARCH_INTENTS and
                                        self.turn.confidence >= SURE):
            return False
        self.describe_trade(trade, "ways_in")
        return True

    def outside_the_territory(self) -> bool:
        """« à Clermont », « vers Lyon »: Indy says what it covers and where else to look,
        then goes on with what it can do (the place question again, or the search)."""
        turn = self.turn
        if turn.entity("location") or turn.text.startswith("/"):
            return False
        town = outside_place(self.folded)
        pending = self.ctx.pending
        asking_place = pending is not None and pending.slot in ("place", "services_place")
        if not town or not (asking_place or turn.intent in SEARCH_INTENTS or
                            (self.ctx.search.kind and turn.intent in MISS_INTENTS | {"inform"})):
            return False
        self.say("utter_outside_territory", town=town)
        if asking_place:
            self.resume(pending)
        elif turn.intent in SEARCH_INTENTS:
            self.start_search(turn.intent)
        return True

    def answer_first(self) -> bool:
        """Questions answered whatever Indy asked before; False when none was one of them
        (the message then goes on to the pending question and the intent)."""
        turn, person, kind = self.turn, self.ctx.person, self.ctx.search.kind
        handing = self.ctx.pending is not None and self.ctx.pending.slot in (
            "consent", "name", "contact")
        if self.no_offers() or self.real_contact() or self.misread_by_indy() or \
                self.registration() or self.trade_question():
            pass
        elif self.topic_follow_up():
            pass
        elif self.which_trade():
            pass
        elif self.which_place():
            pass
        elif self.suggest_trades() or self.near_asked():
            pass
        elif self.outside_the_territory():
            pass
        elif self.topic_in_words():
            pass
        elif self.ways_in() or self.where_asked() or self.how_to_get() or \
                self.some_there() or self.for_real() or self.help_with_it():
            pass
        elif person.age is not None and person.age < 16 and WORK_WISH.search(self.folded) and \
                turn.intent not in SEARCH_INTENTS - {"search_job"}:
            self.start_search("search_job")  # « mon fils a 13 ans, il veut travailler cet été »
        elif COMMUTE.search(self.folded) and not turn.entity("job") and \
                not JOB_BUS.search(self.folded):
            self.say_fact("mobility")  # « comment j'y vais sans voiture ? »: getting there
        elif self.who_answers():
            pass
        elif GROSS_NET.search(self.folded) and self.question():
            if self.previous_trade:  # « en net ? » after a trade's pay: its pay, net beside
                self.describe_trade(self.previous_trade, "salary")
            else:
                self.say("utter_gross_net")
        elif HUMAN.search(self.folded) and not handing and (
                turn.intent not in SEARCH_INTENTS or not kind_from_words(self.folded)):
            self.handoff_start()
        elif self.said.outside_industry and not turn.entity("job") and \
                not (turn.intent in FAQ_INTENTS and turn.confidence >= 0.9):
            self.outside_industry(self.said.outside_industry)
        elif WHO_HELPS.search(self.folded):
            self.who_helps()
        elif APPOINTMENT.search(self.folded) and self.question():
            self.say("utter_appointment")
        elif self.glossary():
            pass
        elif APPRENTICE.search(self.folded) and not PAY_STRICT.search(self.folded) and (
                AGE_QUESTION.search(self.folded) or (
                self.question() and person.age is not None and person.age < 16)):
            self.say_fact("apprentice_age")  # « il a 15 ans, il peut faire une alternance ? »
            if person.age is None or person.age >= 15:
                self.search_in_passing()  # « ... vers Thiers ? »: the offers after the rule
        elif TOO_LATE.search(self.folded) and (self.question() or (
                person.age is not None and person.age >= 26)) and (
                person.age is None or person.age >= 26):  # « on m'a dit que c'est pour les jeunes »
            self.say_fact("too_late")
            if turn.intent in SEARCH_INTENTS and turn.confidence >= CONFIDENT:
                self.dispatch(turn.intent)
            else:
                self.search_in_passing()
        elif self.previous_fact in PAY_OF_TOPIC and PAY_STRICT.search(self.folded) and \
                self.question() and len(self.folded.split()) <= 6 and not turn.entity("job"):
            self.say_fact(PAY_OF_TOPIC[self.previous_fact], again=True)  # « c'est payé ? »
            self.ctx.topic = self.previous_fact
        elif PAY_STRICT.search(self.folded) and self.question() and \
                kind in ("internship", "immersion", "apprenticeship") and \
                not turn.entity("job") and turn.intent not in SEARCH_INTENTS:
            self.salary()
        elif DURATION.search(self.folded) and kind in ("internship", "immersion"):
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
        pending = self.ctx.pending
        if pending is not None and pending.slot in ("consent", "name", "contact") and (
                self.said.refusal or parse_yes_no(turn.text) is not None or
                CONTACT.search(turn.text)):
            return False  # « non jveux pas laisser de numéro »: the handoff's answer
        if turn.intent in SEARCH_INTENTS | {"request_human", "delete_my_data", "greet",
                                            "goodbye", "thank", "cancel_handoff"} and \
                turn.confidence >= CONFIDENT:
            return False
        if self.said.tiny or self.has_changes() or kind_from_words(self.folded):
            return False
        return bool(ABOUT_HELP.search(self.folded)) or (
            turn.intent in MISS_INTENTS and not self.question())

    def after_the_distress(self) -> bool:
        """Right after a hard moment: help called (« j'ai appelé le 15 »), safer now
        (« jsui redescendu »), calling later, or asked to pay a blackmailer."""
        folded, category = self.folded, self.ctx.safety or ""
        if "fil sante" in folded and self.question():
            key = "fsj"  # « fil santé jeunes jpeux encore appeler à 19 ans ? »
        elif CALLED_HELP.search(folded):
            key = "called"
        elif STAY_ASKED.search(folded) and self.ctx.safety_turns:
            key = "stay"
        elif CANT_CALL.search(folded) and self.ctx.safety_turns:
            key = "cant_call"
        elif SAFE_NOW.search(folded) and self.ctx.safety_turns:
            key = "safer"
        elif CALL_LATER.search(folded):
            key = "later"
        elif category.startswith("harassment") and PAY_ASKED.search(folded) and \
                self.ctx.safety_turns:
            key = "harassment_pay"
        else:
            return False
        self.says.extend((TEXT, m) for m in safety.followup_messages(key))
        self.says.append((TEXT, {"text": safety.reminder(category or "unwell")}))
        return True

    def adult_variant(self, category: str | None) -> str | None:
        """The follow-up for an adult, where there is one (no school nurse at 30)."""
        age = self.ctx.person.age
        if category and age is not None and age >= 18 and \
                safety.has_followup(f"{category}_adult"):
            return f"{category}_adult"
        return category

    def safety_after(self) -> None:
        """A person can talk too; in a demo, nobody from the team reads: said plainly."""
        self.say("utter_safety_after_demo" if handoff_config().get("demo")
                 else "utter_safety_after")

    def unsure(self) -> None:
        """« jsp » to a question: not knowing is fine; Indy offers the way that needs no
        answer (everything, or discovering trades first)."""
        pending = self.ctx.pending
        if self.ctx.safety_turns:
            self.safety_after()  # « je sais pas » after a hard moment: warmth
            self.says.append((TEXT, {"text": safety.reminder(self.ctx.safety or "unwell")}))
        elif pending is not None and pending.slot == "trade":
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
        if self.said.age is not None:
            self.ctx.person.age = self.said.age  # « j'ai 45 ans et je vais pas bien »
        person = self.ctx.person
        answer = safety.variant(category, self.turn.text, person.age,
                                minor=person.pupil or bool(self.said.pupil))
        again = answer == self.ctx.safety and self.ctx.safety_turns > 0
        self.ctx.safety = answer
        self.ctx.safety_turns = 2  # the next two messages may be about the help given
        if again:  # the same, just said: the numbers in one line, not the whole block again
            self.say("utter_safety_again", numbers=safety.reminder(answer))
        else:
            self.says.extend((TEXT, m) for m in safety.messages(answer, self.ctx.person.age))
            self.safety_after()
        if self.ctx.pending and self.ctx.pending.response:
            self.ctx.pending.tries = 0  # the question stays open: the person can go on

    # --- 3. mentions ---------------------------------------------------------------------
    def misread(self) -> None:
        """« j'ai pas faim », « c'est pas ça » right after a safety answer: Indy misread."""
        self.ctx.safety, self.ctx.safety_turns = None, 0
        self.say("utter_safety_misread")
        if self.ctx.pending is not None and self.ctx.pending.response:
            self.resume(self.ctx.pending)

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
        if said.left_school:
            person.pupil = False

    # --- 5. intents ----------------------------------------------------------------------
    def dispatch(self, intent: str) -> None:
        turn, said = self.turn, self.said
        if intent.startswith(safety.INTENT_PREFIX):
            # Under the safety threshold (safety.detect said no): discouragement, not danger;
            # and a request in it is served (« j'ai 16 ans je veux faire une alternance »).
            wanted = kind_from_words(self.folded)
            if wanted:
                self.start_search(wanted)
                return
            category = intent[len(safety.INTENT_PREFIX):]
            if turn.confidence >= 0.25 and not self.has_changes() and category != "unwell" \
                    and category in safety.CATEGORIES:
                # Below the alarm, yet read as harassment, violence...: the numbers, gently.
                self.say("utter_safety_soft", numbers=safety.reminder(
                    safety.variant(category, turn.text, self.ctx.person.age)))
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
        if self.ctx.topic and FOLLOW_UP.match(self.folded) and \
                intent in MISS_INTENTS | {"inform"} and not self.has_changes():
            self.say_fact(self.ctx.topic, again=True)
            return
        if said.ordinal is not None and said.grade is None and self.ctx.search.shown and \
                intent not in SEARCH_INTENTS | {"request_human"} and \
                not (intent in FAQ_INTENTS and self.question()):  # « le premier a l'air bien »
            self.offer("offer_interest" if re.search(r"interess|postul|veux", self.folded)
                       else "offer_details")
            return
        if INTEREST.search(self.folded) and not NOT_INTERESTED.search(self.folded) and (
                len(self.ctx.search.shown) == 1 or
                                             self.ctx.offer_id or
                                             self.offer_named(self.ctx.search.shown)
                                             is not None) and \
                intent not in SEARCH_INTENTS | {"request_human"} and not self.has_changes():
            self.offer("offer_interest")  # « ça m'intéresse » after one offer, or the one seen
            return
        if self.ctx.search.offset and NEARER.search(self.folded) and not self.has_changes() \
                and intent not in SEARCH_INTENTS | FAQ_INTENTS:
            self.more_results()  # « 46 km c'est trop loin »: what is nearest, honestly
            return
        if OFFERS_AGAIN.search(self.folded) and not self.has_changes() and \
                intent not in SEARCH_INTENTS | {"request_human", "create_alert"} and \
                (self.ctx.search.kind or self.known_trade()):
            self.offers_again()  # « ok et les offres alors ? »: the search known so far
            return
        if intent in MISS_INTENTS or (turn.confidence < 0.3 and not turn.text.startswith("/")):
            if UNDECIDED.search(self.folded):
                self.faq("ask_orientation")  # « je sais pas trop quoi faire de ma vie pro »
                return
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
                not QUESTION.search(self.folded):
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
        elif intent == "offer_interest" and NOT_INTERESTED.search(self.folded):
            self.say("utter_not_interested_ok")  # « non j'ai pas dit que ça m'intéresse »
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
        return now.hour in EVENING or now.hour < 5

    def information_only(self) -> bool:
        """A place, a trade, an age given on its own, with no search under way."""
        turn, said = self.turn, self.said
        trade, place = turn.entity("job"), turn.entity("location")
        if trade and not place and self.previous_fact == "salary_general":
            self.describe_trade(trade, "salary")  # « ça paye combien ? » then « soudeur »
            return True
        if trade or place:
            if trade:
                self.set_trade(self.ctx.search, trade)
            if place:
                self.ctx.search.place = place
            intent = kind_from_words(self.folded)
            if intent:
                self.start_search(intent)
                return True
            what = trade if trade and trade != ANY else None
            self.ask("utter_which_kind", "kind", trade=f" en {what}" if what else "",
                     place=f" vers {place_name(place)}" if place and place != "tiltam" else "")
            return True
        if said.age is not None or said.has_car is not None or said.rqth or said.contract:
            self.say("utter_noted_info")
            if said.age is not None and said.age < 16:
                self.say_fact("who_helps_pupil", in_passing=True)
            return True
        return False

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
    each trade or place (« magasinier » for the trade it is filed under, « st just »)."""
    text = str(parse.get("text") or "")
    entities: dict[str, list[str]] = {}
    said_as: dict[str, str] = {}
    for entity in sorted(parse.get("entities") or [], key=lambda e: e.get("start") or 0):
        value = entity.get("value")
        if value is None:
            continue
        entities.setdefault(entity["entity"], []).append(str(value))
        start, end = entity.get("start"), entity.get("end")
        if entity["entity"] in ("job", "location") and isinstance(start, int) and \
                isinstance(end, int):
            said_as[str(value)] = text[start:end][:60]
    return entities, said_as


def respond(context: Context, turn: Turn) -> Outcome:
    return Dialogue(context, turn).run()


# --- small helpers ---------------------------------------------------------------------------
