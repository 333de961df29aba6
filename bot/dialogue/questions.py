"""Questions and facts: the FAQ intents, pay, money aid, local services, the bus, the
glossary of jargon, who helps whom by age."""

from __future__ import annotations

import re
from datetime import date

from bot.bus import bus_name, is_demo, next_stops
from bot.catalogue.answers import (
    CAR_KINDS,
    TRADE_KINDS,
    run_search,
    trade_answer,
)
from bot.catalogue.search import ANY
from bot.dialogue.context import Search
from bot.dialogue.reading import (
    ABOUT_INDY,
    APPRENTICE,
    APPRENTICE_WHAT,
    CONVENTION,
    FAQ_INTENTS,
    FOR_REAL,
    GLOSSARY,
    HELP_WITH_IT,
    HOW_TO_GET,
    IMMERSION,
    JOB_BUS,
    MISREAD_BY_INDY,
    NEAR_TRADES,
    NO_OFFERS,
    NOT_INTERESTED,
    PAY,
    PAY_STRICT,
    REAL_CONTACT,
    REGISTER,
    SEARCH_OF_TOPIC,
    SOME_THERE,
    TOO_LATE,
    TRADE_WHAT,
    WHAT_IS,
    WHERE_ASKED,
    kind_from_words,
)
from bot.dialogue.turn import json_payload
from bot.facts import has_fact
from bot.handoff.teams import config as handoff_config
from bot.local_services import services_near
from bot.trades import near_outside, suggestion


class QuestionsMixin:
    """Part of Dialogue (bot.dialogue.engine); uses its state: ctx, turn, said, folded, says."""

    # --- questions and facts ---------------------------------------------------------------
    def suggest_trades(self) -> bool:
        """« j'aime bricoler », « pas trop physique, j'ai mal au dos »: trades to look at, each a
        button (inside a search, the trade of the search; otherwise, the trade described)."""
        turn = self.turn
        if turn.entity("job") or turn.text.startswith("/"):
            return False
        found = suggestion(self.folded)
        if found is None or not found.trades:
            return False
        in_search = self.ctx.search.kind in TRADE_KINDS and self.ctx.search.trade in (None, ANY)
        buttons = [{"title": name[:1].upper() + name[1:],
                    "payload": json_payload("inform" if in_search else "ask_job_info", job=name)}
                   for name in found.trades[:5]]
        response = "utter_suggest_trades" if found.said else "utter_suggest_gentle_trades"
        if found.said and found.gentle:
            response = "utter_suggest_trades_gentle"
        self.ask(response, "trade" if in_search else "choice", like=found.said or "",
                 buttons=buttons)
        return True

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
        if TOO_LATE.search(folded) and (age is None or age >= 26):
            self.say_fact("too_late")
            return
        if PAY.search(folded) and intent in ("ask_salary", "ask_financial_aid",
                                              "ask_immersion_info") and kind in (
                "internship", "immersion") and not self.turn.entity("job"):
            self.say_fact("internship_pay" if kind == "internship" else "immersion_pay")
            return
        if intent == "ask_mrs":
            self.say_fact("mrs")
            self.mrs_sessions()
        elif intent == "ask_immersion_info" and PAY.search(folded) and kind != "immersion" \
                and not IMMERSION.search(folded) and "stage" not in folded.split() and \
                self.known_trade():
            self.salary()  # « et ça paie combien ? » after a trade's card: that trade's pay
        elif intent == "ask_immersion_info":
            if PAY.search(folded):
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
            self.describe_trade(trade, "info")
        elif intent == "ask_no_diploma":
            self.say_fact("no_diploma")
        elif intent == "ask_financial_aid":
            self.financial_aid(young, over)
        elif intent == "ask_mobility":
            licence = re.search(r"\bpermis|permi\b|conduite|auto ecole", folded)
            if self.ctx.search.shown and kind in CAR_KINDS:
                self.say("utter_licence_in_search")  # « il faut le permis ? » after offers
            self.say_fact("licence_aid" if licence else "mobility")
        elif intent == "ask_housing":
            self.say_fact("housing")
        elif intent == "ask_disability":
            person.rqth = person.rqth or "rqth" in folded
            self.say_fact("disability")
        elif intent == "ask_industry_image" and PAY_STRICT.search(folded):
            self.salary()  # « ça paie combien en général dans l'industrie ? »
        elif intent == "ask_industry_image":
            self.say_fact("industry_image")
        elif intent == "ask_cv_help":
            self.say_fact("cv_help")
        elif intent == "ask_orientation":
            self.say_fact("orientation_pupil" if young or person.pupil else "orientation")
        elif intent == "ask_local_services":
            self.local_services()
        elif intent == "ask_bus_schedule" and not JOB_BUS.search(folded):
            self.say_fact("mobility")  # « ya des bus ? »: transport, not the job bus
        elif intent == "ask_bus_schedule":
            self.bus()
        elif intent == "bot_challenge" and not ABOUT_INDY.search(folded):
            self.say_fact("industry_image")  # « les robots vont remplacer les ouvriers ? »
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
        intent = kind_from_words(self.folded)
        if intent:
            self.start_search(intent)
            return True
        return False

    def known_trade(self) -> str | None:
        """The trade a question is about: said in it, searched, or the one just described."""
        search = self.ctx.search
        return self.turn.entity("job") or (search.trade if search.trade != ANY else None) \
            or self.ctx.trade_talked

    def describe_trade(self, trade: str, what: str) -> None:
        """A trade's card (what it is, its pay), remembered for the questions that follow."""
        answer = trade_answer(trade, what)
        self.says.extend(answer.messages)
        if answer.messages and answer.messages[0][0].startswith("utter_trade_"):
            self.ctx.trade_talked = trade  # described (not the general answer)
            self.ctx.trade_just_said = True

    def salary_for(self, kind: str) -> None:
        self.ctx.search.kind = kind
        self.salary()

    def salary(self) -> None:
        folded, kind = self.folded, self.ctx.search.kind
        if IMMERSION.search(folded) or (kind == "immersion"
                                                         and not self.turn.entity("job")):
            self.say_fact("immersion_pay")
        elif re.search(r"\bstage\b", folded) or kind == "internship":
            self.say_fact("internship_pay")
        elif APPRENTICE.search(folded) or kind == "apprenticeship" or (
                self.ctx.person.age is not None and self.ctx.person.age < 18):
            self.say_fact("apprentice_pay")
        else:
            trade = self.known_trade()
            if trade:
                self.describe_trade(trade, "salary")
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
        elif APPRENTICE.search(folded) and re.search(r"embauch|employeur|patron|entreprise",
                                                      folded):
            self.say_fact("apprentice_hiring_aid")
        elif APPRENTICE.search(folded):
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

    def how_to_get(self) -> bool:
        """« et comment je fais pour en avoir une comme soudeuse ? » after the POEI: how to
        get it (its `<fact>_how` when there is one), then the offers of the trade named."""
        topic = next((t for t in reversed(self.ctx.recent_topics) if has_fact(f"{t}_how")), None)
        if not topic or not HOW_TO_GET.search(self.folded):
            return False
        self.say_fact(f"{topic}_how", again=True)
        self.ctx.topic = topic
        if self.turn.entity("job"):
            self.start_search(kind_from_words(self.folded) or "search_job")
        return True

    def some_there(self) -> bool:
        """« y en a à montbri ? » after the MRS, an immersion, an escape game: that, there."""
        turn, recent = self.turn, self.ctx.recent_topics[-2:]
        place = turn.entity("location")
        if not place or turn.entity("job") or not SOME_THERE.search(self.folded) or \
                kind_from_words(self.folded):
            return False
        if "mrs" in recent:
            self.ctx.search.place = place
            before = len(self.says)
            self.mrs_sessions()
            if len(self.says) == before:
                self.say("utter_mrs_where")
                self.local_services()
            return True
        intent = next((SEARCH_OF_TOPIC[t] for t in reversed(recent) if t in SEARCH_OF_TOPIC),
                      None)
        if intent is None:
            return False
        self.start_search(intent)
        return True

    def real_contact(self) -> bool:
        """« c'est fictif ?? je peux appeler qui en vrai à Montbrison ? »: real places."""
        pending = self.ctx.pending
        handing = pending is not None and pending.slot in ("consent", "name", "contact")
        if not REAL_CONTACT.search(self.folded) or not (
                handing or re.search(r"\bfictif|\bfictive|\bdemo\b|\bpas vrai", self.folded)):
            return False  # « je peux parler à qqun pour de vrai ? » first: the handoff
        if handing:
            self.ctx.pending, self.ctx.handoff_reason = None, None
        self.say("utter_real_help")
        if self.turn.entity("location") or self.ctx.search.place:
            self.local_services()
        return True

    def no_offers(self) -> bool:
        """« JE CHERCHE PAS D'OFFRE. aide transport apprenti ? »: no search; the question."""
        if not NO_OFFERS.search(self.folded):
            return False
        self.ctx.search = Search(place=self.ctx.search.place)
        self.ctx.pending = None
        self.say("utter_no_offers_noted")
        if not self.topic_in_words(asked=True) and self.question() and \
                self.turn.intent in FAQ_INTENTS:
            self.answer_question(self.turn.intent)
        return True

    def trade_question(self) -> bool:
        """« conducteur de presse c pas conduire une voiture ? »: what the trade is, not a change
        of the search."""
        trade = self.turn.entity("job")
        if not trade or trade == ANY or not TRADE_WHAT.search(self.folded) or \
                not self.question() or kind_from_words(self.folded) or \
                self.turn.entity("location"):
            return False
        self.describe_trade(trade, "info")
        return True

    def misread_by_indy(self) -> bool:
        """« j'ai pas parlé de diplôme », « tu réponds pas » right after an answer: an apology,
        a way to say it again, a person."""
        if not MISREAD_BY_INDY.search(self.folded) or NOT_INTERESTED.search(self.folded) or \
                not (self.previous_fact or self.ctx.search.kind):
            return False
        self.ctx.fact_just_said = None
        self.say("utter_sorry_misread")
        return True

    def registration(self) -> bool:
        """« je peux venir sans inscription ? » about an event; « s'inscrire comment ? » to
        the MRS: what the details say, who signs you up."""
        if not REGISTER.search(self.folded) or not self.question():
            return False
        kind, recent = self.ctx.search.kind, self.ctx.recent_topics[-2:]
        if kind == "event" or "escape_game" in recent:
            self.say("utter_event_registration")
        elif kind == "mrs" or "mrs" in recent:
            self.say("utter_mrs_where")
        else:
            return False
        return True

    def for_real(self) -> bool:
        """« c pour de vrai ? » in a demonstration: what is invented, what is real."""
        if not FOR_REAL.search(self.folded) or len(self.folded.split()) > 6 or \
                self.names_other_subject() or not (is_demo() or handoff_config().get("demo")):
            return False
        self.say("utter_demo_what_is_real")
        return True

    def help_with_it(self) -> bool:
        """« tu peux m'aider à le faire ? » after advice (a CV, a letter): a person can."""
        if not self.previous_fact or not HELP_WITH_IT.search(self.folded) or \
                self.turn.entity("job"):
            return False
        self.say("utter_help_with_it")
        return True

    def where_asked(self) -> bool:
        """« ça se passe où ? » after the MRS: its sessions; « où je me renseigne ? » after a
        fact or a trade outside industry: the services near the person."""
        topic = self.ctx.topic
        if not WHERE_ASKED.search(self.folded) or self.turn.entity("job") or not (
                topic or self.ctx.outside_trade or self.ctx.search.kind == "mrs"):
            return False
        before = len(self.says)
        if "mrs" in self.ctx.recent_topics[-2:] or self.ctx.search.kind == "mrs":
            self.say("utter_mrs_where")
            self.mrs_sessions()
        if len(self.says) <= before + 1:
            self.local_services()
        return True

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
        if CONVENTION.search(self.folded) and \
                (self.question() or kind in ("internship", "immersion", "apprenticeship")):
            self.say_fact({"immersion": "immersion", "apprenticeship": "apprentice_minor_contract"}
                          .get(kind or "", "internship"))
            return True
        if re.search(r"\b(?:perd|perds|perdre|garde|garder|conserve|garderai)\b.{0,25}\b(?:rsa|"
                     r"chomage|are|allocation|allocations|aides?|cej)\b", self.folded):
            self.say_fact("immersion_pay" if kind == "immersion" else "training_pay")
            return True
        # « Cap emploi ? », « le CEJ ? »: the word alone is a question about it.
        alone = len(self.folded.split()) <= 3 and "?" in self.turn.text
        named = re.search(r"\bescape ?game\b|\bc (?:est )?vrai\b|\bje peux (?:y )?aller\b|"
                          r"\bc (?:est )?pour moi\b|\bj y ai droit\b|\bca me concerne\b",
                          self.folded) is not None
        if not (WHAT_IS.search(self.folded) or alone or named):
            return False
        person = self.ctx.person
        over = person.age is not None and person.age > (29 if person.rqth else 25)
        for pattern, fact_id in GLOSSARY:
            if pattern.search(self.folded):
                if fact_id in ("who_helps_16_25", "who_helps_26_plus") and \
                        person.age is not None:
                    self.who_helps()  # « je peux aller à la Mission Locale ? » depends on age
                elif fact_id == "apprenticeship_what" and not APPRENTICE_WHAT.search(self.folded):
                    continue  # « ya quoi en alternance ? » is a request, not « c'est quoi »
                else:
                    self.say_fact("cej_too_old" if fact_id == "cej" and over else fact_id)
                    if fact_id == "apprenticeship_what" and PAY_STRICT.search(self.folded):
                        self.say_fact("apprentice_pay", in_passing=True)  # « … c payé combien ? »
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
        self.ctx.outside_trade = word
        self.near_trades(word)

    def near_trades(self, word: str) -> bool:
        """The industry trades close to one outside it, each a button to discover it."""
        near = near_outside(word)
        if near is None:
            return False
        buttons = [{"title": name[:1].upper() + name[1:],
                    "payload": json_payload("ask_job_info", job=name)} for name in near.trades]
        self.ask("utter_outside_near", "choice", like=near.said, buttons=buttons)
        return True

    def near_asked(self) -> bool:
        """« ok alors dans l'industrie ya des métiers proches ? » after a trade outside it."""
        word = self.ctx.outside_trade
        if not word or not NEAR_TRADES.search(self.folded) or self.turn.entity("job"):
            return False
        return self.near_trades(word)
