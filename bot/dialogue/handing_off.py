"""Handing the conversation to a person: consent, a name (or none), a contact (or none)."""

from __future__ import annotations

from typing import Any

from bot.catalogue.answers import (
    offer_summary,
)
from bot.dialogue import safety
from bot.dialogue.context import Pending
from bot.dialogue.reading import (
    CALLED,
    CHANGED_MIND,
    CONFIDENT,
    CONTACT,
    NAME_ALONE,
    NAME_REFUSED,
    SEARCH_INTENTS,
    TEXT,
    WHO_ANSWERS,
    name,
)
from bot.handoff import service
from bot.handoff.teams import config as handoff_config
from bot.understanding import parse_yes_no


class HandoffMixin:
    """Part of Dialogue (bot.dialogue.engine); uses its state: ctx, turn, said, folded, says."""

    # The questions of a handoff.
    def gives_up(self) -> bool:
        """« en fait non laisse tomber » during the handoff's questions: nothing is sent."""
        if not CHANGED_MIND.search(self.folded):
            return False
        self.ctx.pending, self.ctx.handoff_reason = None, None
        self.say("utter_handoff_no_consent")
        return True

    def fill_name(self, pending: Pending) -> bool:
        if self.gives_up():
            return True
        if self.turn.intent in SEARCH_INTENTS | {"delete_my_data", "cancel_handoff"} and \
                self.turn.confidence >= CONFIDENT and not self.said.refusal:
            return False
        if self.is_digression() and not self.said.refusal:
            return False
        person = self.ctx.person
        contact = CONTACT.search(self.turn.text)
        if contact:  # « Sandrine, sandrine@exemple.fr »
            before = self.turn.text[:contact.start()].strip(" ,;-")
            person.name = name(before) if before else None
            person.refused_name = not before
            self.ctx.pending = None
            self.handoff_create(contact=contact.group(0))
            return True
        if self.said.refusal or parse_yes_no(self.turn.text) is False:
            person.name, person.refused_name = None, True
            self.say("utter_name_refused")
        else:
            person.name = name(self.turn.text)
            if person.name:
                self.say("utter_name_noted", name=person.name)
        self.ctx.pending = None
        self.handoff_next()
        return True

    def fill_contact(self, pending: Pending) -> bool:
        if self.gives_up():
            return True
        text = " ".join(self.turn.text.split())[:120]
        if self.said.refusal or parse_yes_no(text) is False:
            self.ctx.pending = None
            self.handoff_create(contact="")
            return True
        if CONTACT.search(text):
            self.ctx.pending = None
            self.handoff_create(contact=text)
            return True
        return False

    def fill_consent(self, pending: Pending) -> bool:
        """« Romain, romain@exemple.fr », « jm'appelle Yanis »: giving them is consenting."""
        if self.gives_up():
            return True
        text = " ".join(self.turn.text.split())[:160]
        contact = CONTACT.search(text)
        named = CALLED.search(self.folded)
        person = self.ctx.person
        if NAME_REFUSED.search(self.folded) and not contact:
            self.ctx.pending = None  # « je préfère ne pas donner mon prénom »: yes, no name
            person.name, person.refused_name = None, True
            self.say("utter_name_refused")
            self.handoff_next()
            return True
        if NAME_ALONE.match(text) and not (self.turn.entity("location") or
                                           self.turn.entity("job")) and \
                parse_yes_no(text) is None:
            named = True  # « Sophie Martin » typed as the answer: yes, with that name
        if not (contact or named):
            return False
        self.ctx.pending = None
        if named:
            person.name = name(self.turn.text)
        elif contact and contact.start() > 1:
            person.name = name(text[:contact.start()].strip(" ,;-"))
        else:
            person.refused_name = True
        if contact:
            self.handoff_create(contact=contact.group(0))
        else:
            self.handoff_next()
        return True

    def who_answers(self) -> bool:
        """« c qui qui va me répondre ? » while Indy asks the handoff's questions: who reads
        the request (in a demo, nobody: said plainly). Once sent, messages go to the person."""
        pending = self.ctx.pending
        if pending is None or pending.slot not in ("consent", "name", "contact") or \
                not WHO_ANSWERS.search(self.folded):
            return False
        if handoff_config().get("demo"):
            self.say("utter_handoff_demo")
        else:
            self.says.extend(service.announce(self.turn.sender_id, self.ctx.handoff_reason
                                              or "request", self.profile()))
        return True

    # --- a person ----------------------------------------------------------------------------
    def handoff_start(self) -> None:
        if service.has_open_ticket(self.turn.sender_id):
            self.handoff = {"existing": True}
            return
        reason = self.ctx.handoff_reason or ("fallback" if self.ctx.misses else "request")
        self.ctx.handoff_reason = reason
        english = self.ctx.person.english
        if handoff_config().get("demo") and not english:  # in English: said in English already
            self.say("utter_handoff_demo")
        self.says.extend(service.announce(self.turn.sender_id, reason, self.profile()))
        self.ask("utter_ask_handoff_consent_en" if english else "utter_ask_handoff_consent",
                 "consent", yes="/handoff_consent_yes", no="/handoff_consent_no")

    def profile(self) -> dict[str, Any]:
        search = self.ctx.search
        offer = offer_summary(self.ctx.offer_id) if self.ctx.offer_id else None
        person = self.ctx.person
        return service.profile(search.trade, search.place, offer, person.age,
                               kind=search.kind, offers_seen=search.offset,
                               has_car=person.has_car, rqth=person.rqth or None,
                               pupil=person.pupil or None)

    def handoff_next(self) -> None:
        person = self.ctx.person
        if person.name is None and not person.refused_name:
            self.ask("utter_ask_handoff_name_en" if person.english else "utter_ask_handoff_name",
                     "name")
            return
        epci = self.profile().get("epci")
        if service.on_kiosk(self.turn.sender_id):
            self.ask("utter_ask_handoff_contact_kiosk", "contact")
            return
        if service.needs_contact(self.turn.channel, epci):
            self.ask("utter_ask_handoff_contact_en" if person.english
                     else "utter_ask_handoff_contact", "contact")
            return
        self.handoff_create(contact="")

    def handoff_create(self, contact: str) -> None:
        profile = self.profile()
        if self.ctx.safety:
            profile["distress"] = True  # the desk sees it; a demo points to the real numbers
        self.handoff = {"name": self.ctx.person.name or "", "contact": contact,
                        "reason": self.ctx.handoff_reason or "request", "profile": profile}
        self.ctx.handoff_reason = None
        if self.ctx.safety:  # the numbers again, after the ticket's messages
            self.after.append((TEXT, {"text": safety.reminder(self.ctx.safety)}))
