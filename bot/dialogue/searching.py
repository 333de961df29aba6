"""The search under way: started, changed by a follow-up (« et en alternance ? », « plus loin »),
run, and the offers and alerts of its results."""

from __future__ import annotations

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
)
from bot.catalogue.search import ANY
from bot.dialogue.context import Pending, Search
from bot.dialogue.reading import (
    DURATION,
    FAQ_INTENTS,
    NEARER,
    PAY_STRICT,
    SEARCH_INTENTS,
    TEXT,
    farther,
    kept,
    kind_words,
    place_name,
)
from bot.dialogue.responses import buttons_of
from bot.dialogue.turn import Message, json_payload
from bot.places import places_named_with
from bot.text import fold
from bot.trades import trade_names, trades_named_with


class SearchMixin:
    """Part of Dialogue (bot.dialogue.engine); uses its state: ctx, turn, said, folded, says."""

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
        if kind == "job" and self.ctx.person.age is not None and self.ctx.person.age < 16:
            if "job_under_16" in self.ctx.recent_topics:
                self.say("utter_job_under_16_again")  # the rule in one line, then the ways
            else:
                self.say_fact("job_under_16")
            return
        if kind == "apprenticeship" and self.ctx.person.age is not None and \
                self.ctx.person.age < 15 and self.ctx.topic != "apprentice_age":
            self.say_fact("apprentice_age")
            return
        if kind == "immersion" and self.ctx.person.age is not None and self.ctx.person.age < 16:
            self.say_fact("immersion_too_young")
            self.ask("utter_offer_internship_instead", "choice")
            return
        if PAY_STRICT.search(self.folded) and self.question():
            self.salary_for(kind)
        elif DURATION.search(self.folded) and kind in ("internship", "immersion"):
            self.say_fact(kind)
        elif self.same_search_again(kind, trade, place):
            return
        keep = old.kind is not None
        new = Search(kind=kind,
                     trade=trade or (old.trade if keep else self.previous_trade),
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
            self.say("utter_changed_kind", what=kind_words(kind), **kept(new))
        self.continue_search()

    def which_trade(self) -> bool:
        """« technicien » alone names several trades: Indy asks which, with buttons, instead
        of choosing one (the search starts or goes on once it is said)."""
        trade = self.turn.entity("job")
        typed = self.turn.said_as.get(trade or "")
        candidates = trades_named_with(typed) if typed else []
        if len(candidates) < 2 or trade in candidates or trade not in trade_names() or \
                not self.search_to_ask_in():
            return False  # « opératrice »: the trade read is one it may mean, kept
        buttons = [{"title": name[:1].upper() + name[1:],
                    "payload": json_payload("inform", job=name)} for name in candidates[:5]]
        buttons.append({"title": "🤷 Peu importe", "payload": json_payload("inform",
                                                                          job="peu importe")})
        self.ask("utter_which_trade", "trade", word=typed, buttons=buttons)
        return True

    def which_place(self) -> bool:
        """« st just » names Saint-Just, Saint-Just-en-Bas and Saint-Just-Saint-Rambert: Indy
        asks which, with buttons, instead of taking the first (the search goes on after)."""
        place = self.turn.entity("location")
        typed = self.turn.said_as.get(place or "")
        candidates = places_named_with(typed) if typed and not self.turn.text.startswith("/") \
            else ()
        if len(candidates) < 2 or not self.search_to_ask_in(place_too=False):
            return False
        if self.turn.entity("job"):
            self.set_trade(self.ctx.search, self.turn.entity("job"))
        buttons = [{"title": f"{p.name} ({p.key[:2]})",
                    "payload": json_payload("inform", location=p.key)} for p in candidates[:5]]
        self.ask("utter_which_place", "place", word=typed, buttons=buttons)
        return True

    def search_to_ask_in(self, place_too: bool = True) -> bool:
        """The search the question is for: a new one (the message's kind) or the one under
        way, with the place said kept when `place_too`."""
        intent = self.turn.intent
        if intent in SEARCH_INTENTS:
            kind = INTENT_KINDS[intent]
            if kind not in TRADE_KINDS:
                return False
            place = self.turn.entity("location") if place_too else None
            self.ctx.search = Search(kind=kind, place=place or self.ctx.search.place,
                                     contract=self.said.contract)
            return True
        if not self.ctx.search.kind:
            return False
        if place_too and self.turn.entity("location"):
            self.ctx.search.place = self.turn.entity("location")
        return True

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
            changes.append(("utter_changed_place", {"place": place_name(place)}))
        if trade and trade != search.trade and (search.kind in TRADE_KINDS or
                                                search.kind == "internship"):
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
        elif said.has_car is False and search.kind in CAR_KINDS and search.offset and \
                not (place or trade or said.contract or said.farther or said.radius_km):
            self.say("utter_car_already")  # « sans voiture » said again: already so
            return True
        if said.farther or said.radius_km:
            radius = said.radius_km or farther(  # beyond what the last search already used
                max(search.min_radius_km or 0, search.radius_used or 0), self.ctx.person.has_car)
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
                               place_name(search.place) if search.place and
                               search.place != "tiltam" else None, search.trade_said)
            if search.kind == "internship" and search.grade:
                so_far["what"] += f" de {search.grade}"
            self.say("utter_search_so_far", **so_far)
        if search.kind in TRADE_KINDS and not search.trade and search.place:
            search.trade = ANY  # all trades first; « soudeur » afterwards narrows it
        if search.kind in TRADE_KINDS and not search.trade:
            self.ask("utter_ask_job", "trade", what=kind_words(search.kind))
            return
        if not search.place:
            self.ask("utter_ask_location", "place", no='/inform{"location": "tiltam"}')
            return
        self.run_search()

    def run_search(self, offset: int = 0) -> None:
        search, person = self.ctx.search, self.ctx.person
        answer = run_search(search.kind or "job", search.trade, search.place, person.has_car,
                            offset=offset, contract=search.contract,
                            grade="3e" if search.grade == "4e" else search.grade,
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
        wider = any(m[0] in ("utter_search_footer_last_wider", "utter_more_results_none_wider")
                    for m in answer.messages)  # « Je regarde plus loin, ou… ? »: « ok » is farther
        self.ctx.pending = Pending(slot="results", options=self._last_buttons(),
                                   yes="/more_results" if more else
                                   '/more_results{"confirm": "farther"}' if wider else
                                   "/create_alert", no="/deny")

    def _last_buttons(self) -> list[dict[str, str]]:
        options: list[dict[str, str]] = []
        for response, variables in self.says:
            if response == TEXT:
                options.extend(variables.get("buttons") or [])
            else:
                options.extend(buttons_of(response, variables))
        return options

    def offers_again(self) -> None:
        """The offers asked for again: the search under way from its first page, or, after a
        trade's card, the job search for that trade (asking only what it lacks)."""
        search = self.ctx.search
        if not search.kind:
            trade = self.known_trade()
            if trade and not self.turn.entity("job"):
                self.turn.entities.setdefault("job", []).append(trade)
            self.start_search("search_job")
            return
        self.ctx.pending = None
        self.continue_search()

    def more_results(self) -> None:
        search = self.ctx.search
        if search.kind and NEARER.search(self.folded):
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
        named = self.offer_named(shown)
        return named if named is not None else self.ctx.offer_id

    def offer_named(self, shown: list[int]) -> int | None:
        """« le coutelier m'intéresse »: the one offer of the page whose title or company has
        a word of the message (5 letters or more)."""
        words = {w for w in self.folded.split() if len(w) >= 5} - {
            "interesse", "interessee", "postuler", "offre", "comment", "celle", "celui"}
        if not words:
            return None
        matches = [offer_id for offer_id in shown
                   if words & {w[:8] for w in fold(offer_summary(offer_id) or "").split()} or
                   any(w[:7] in fold(offer_summary(offer_id) or "") for w in words)]
        return matches[0] if len(matches) == 1 else None

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
        if intent == "create_alert" and not search.kind and (search.trade or search.place):
            search.kind = "job"  # « coutelier à Saint-Anthème » then « préviens-moi »: a job
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
        if intent == "create_alert" and search.kind:
            # « oui », « oui préviens-moi » just after: the alert is there, not a new request.
            self.ctx.pending = Pending(slot="results", yes="/create_alert", no="/deny")
