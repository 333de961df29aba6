"""The job bus round: where and when it stops next (territory/<name>/territory.yml)."""

from __future__ import annotations

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


def upcoming_stops(today: date, days: int = 14) -> list[BusStop]:
    weekly = get_territory().bus.get("weekly", [])
    result = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        for stop in weekly:
            if stop["weekday"] == day.weekday():
                place = normalise_place(stop["commune"])
                epci = place.epci[0] if place else ""
                result.append(BusStop(day, stop["commune"], stop["place"], stop["hours"], epci))
    return result


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
