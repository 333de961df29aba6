"""Searches asked in the conversation: what was asked, said back in plain words.

The catalogue (offers, trainings, events) is not there yet: a search is acknowledged and
pointed to the public platforms and a counsellor (see domain.yml, utter_search_*_where).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.labels import search_kind_label
from bot.places import place_by_key

SEARCH_INTENTS = (
    "search_job",
    "search_training",
    "search_apprenticeship",
    "search_internship",
    "search_immersion",
    "search_events",
)


@dataclass(frozen=True)
class SearchRequest:
    intent: str
    job: str | None
    location: str | None

    def said_back(self) -> dict[str, str]:
        """Variables of utter_search_noted: "un job", " de soudeur", " vers Thiers"."""
        place = place_by_key(self.location) if self.location else None
        trade = ""
        if self.job and self.intent != "search_events":
            trade = f" en {self.job}" if self.intent == "search_training" else f" de {self.job}"
        if place is not None and place.key == "tiltam":
            where = " sur tout le territoire"
        elif place is not None:
            where = f" vers {place.name}"
        elif self.location:
            where = f" vers {self.location}"
        else:
            where = ""
        return {"what": search_kind_label(self.intent), "trade": trade, "place": where}

    def where_response(self) -> str:
        return f"utter_{self.intent}_where"
