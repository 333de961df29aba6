"""Places of the territory: communes (INSEE code) and named areas, however users spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.gazetteer import Gazetteer, build
from bot.territory import Territory, get_territory
from bot.text import fold


@dataclass(frozen=True)
class Place:
    key: str  # INSEE code for a commune, area id for an area
    name: str
    kind: str  # "commune" or "area"
    epci: tuple[str, ...]
    population: int = 0


_SUFFIX = re.compile(r"^(.+?)[- ](sur|sous|en|le|la|les|lès|lés|de|du|d')[- ].+$", re.IGNORECASE)


def commune_forms(name: str) -> list[str]:
    """The official name plus the short form people say ("Boën" for "Boën-sur-Lignon")."""
    forms = [name]
    match = _SUFFIX.match(name)
    if match and len(fold(match.group(1))) >= 4:
        forms.append(match.group(1))
    if fold(name).startswith("saint ") and fold(name).count("saint") == 2:
        # Saint-Just-Saint-Rambert: "st just", "st rambert"
        halves = re.split(r"-(?=Saint)", name)
        forms.extend(halves)
    return forms


def territory_places(territory: Territory) -> list[tuple[str, Place]]:
    pairs: list[tuple[str, Place]] = []
    communes = sorted(territory.communes, key=lambda c: -c["population"])
    short_forms: dict[str, list[Place]] = {}
    for commune in communes:
        place = Place(
            key=commune["code"],
            name=commune["name"],
            kind="commune",
            epci=(commune["epci"],),
            population=commune["population"],
        )
        forms = commune_forms(commune["name"])
        pairs.append((forms[0], place))
        for extra in forms[1:] + list(territory.place_variants.get(commune["name"], [])):
            short_forms.setdefault(fold(extra), []).append(place)
    # A short form is kept only where it names one commune; the largest wins otherwise.
    for form, places in short_forms.items():
        pairs.append((form, places[0]))
    for area in territory.areas:
        place = Place(key=area["id"], name=area["name"], kind="area", epci=tuple(area["epci"]))
        pairs.extend((form, place) for form in [area["name"], *area.get("variants", [])])
    return pairs


@lru_cache(maxsize=4)
def place_gazetteer(territory_name: str | None = None) -> Gazetteer[Place]:
    territory = get_territory(territory_name)
    return build(territory_places(territory), ambiguous=territory.ambiguous_names)


def normalise_place(text: str) -> Place | None:
    return place_gazetteer().match(text)


def place_by_key(key: str) -> Place | None:
    for place in place_gazetteer().forms.values():
        if place.key == key:
            return place
    return None
