"""Local services of the territory (Mission Locale, France Travail…) nearest to a place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.places import place_by_key
from bot.territory import get_territory


@dataclass(frozen=True)
class ServicesAnswer:
    services: list[dict[str, Any]]
    place_known: bool  # the place was recognised and has services of its own
    demo: bool


def services_near(location_key: str | None, kind: str | None = None) -> ServicesAnswer:
    territory = get_territory()
    services = [s for s in territory.services if kind is None or s["kind"] == kind]
    place = place_by_key(location_key) if location_key else None
    if place is not None:
        near = [s for s in services if set(s.get("epci", [])) & set(place.epci)]
        # An area covering the whole territory names no single antenna.
        if near and len(near) < len(services):
            return ServicesAnswer(near, True, any(s.get("demo") for s in near))
    return ServicesAnswer(services, False, any(s.get("demo") for s in services))
