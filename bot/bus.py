"""The job bus round: where and when it stops next (territory/<name>/territory.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.labels import weekday_name
from bot.places import normalise_place, place_by_key
from bot.territory import get_territory


@dataclass(frozen=True)
class BusStop:
    day: date
    commune: str
    place: str
    hours: str
    epci: str

    def day_label(self) -> str:
        """ "Lundi 30/11" """
        weekday = weekday_name(self.day.weekday()).capitalize()
        return f"{weekday} {self.day.day}/{self.day.month:02d}"


@dataclass(frozen=True)
class BusAnswer:
    stops: list[BusStop]
    commune: str | None  # the commune asked about, if recognised
    served: bool | None  # does the bus stop there? None when no commune was asked


def round_stops(today: date, weeks: int = 8) -> list[tuple[str, str, date, str]]:
    """The weekly round of territory.yml as dated stops from today: (INSEE code, spot, day,
    hours). Written to the catalogue by bot.catalogue.prepare."""
    weekly = get_territory().bus.get("weekly", [])
    stops = []
    for offset in range(weeks * 7):
        day = today + timedelta(days=offset)
        for stop in weekly:
            place = normalise_place(stop["commune"])
            if stop["weekday"] == day.weekday() and place is not None:
                stops.append((place.key, stop["place"], day, stop["hours"]))
    return stops


def upcoming_stops(today: date, days: int = 14, url: str | None = None) -> list[BusStop]:
    """Dated stops of the catalogue from today on, in order."""
    from sqlalchemy import select

    from bot.catalogue.db import session_scope
    from bot.catalogue.schema import BusStop as Row

    with session_scope(url) as session:
        rows = session.execute(
            select(Row).where(Row.day >= today, Row.day < today + timedelta(days=days))
        ).scalars()
        stops = [BusStop(r.day, r.place.name, r.spot, r.hours, r.place.epci) for r in rows]
    return sorted(stops, key=lambda s: (s.day, _start_hour(s.hours)))


def _start_hour(hours: str) -> float:
    """ "9 h 30 - 12 h 30" → 9.5 """
    match = re.match(r"\s*(\d{1,2})\s*h\s*(\d{2})?", hours)
    return int(match.group(1)) + int(match.group(2) or 0) / 60 if match else 99.0


def next_stops(today: date, location_key: str | None = None, count: int = 3) -> BusAnswer:
    """Next stops: at the asked commune if the bus goes there, else in its intercommunalité."""
    stops = upcoming_stops(today)
    place = place_by_key(location_key) if location_key else None
    if place is None or place.kind == "area" and len(place.epci) > 1:
        return BusAnswer(stops[:count], None, None)
    if place.kind == "commune":
        here = [s for s in stops if normalise_place(s.commune) == place]
        if here:
            return BusAnswer(here[:1], place.name, True)
    near = [s for s in stops if s.epci in place.epci] or stops
    served = None if place.kind == "area" else False
    return BusAnswer(near[:count], place.name if served is False else None, served)


def bus_name() -> str:
    return get_territory().bus.get("name", "le bus de l'emploi")


def is_demo() -> bool:
    return bool(get_territory().bus.get("demo"))
