"""Places of the territory: communes (INSEE code) and named areas, however users spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.gazetteer import LEADING_WORDS, Gazetteer, build
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


def commune_forms(name: str, common_words: frozenset[str] = frozenset()) -> list[str]:
    """The official name plus the short form people say ("Boën" for "Boën-sur-Lignon"), unless
    that short form is an ordinary word (« à l'hôpital » is a hospital, not L'Hôpital-le-Grand).
    `common_words` are folded."""
    forms = [name]
    match = _SUFFIX.match(name)
    if match and len(fold(match.group(1))) >= 4 and fold(match.group(1)) not in common_words:
        forms.append(match.group(1))
    if fold(name).startswith("saint ") and fold(name).count("saint") == 2:
        # Saint-Just-Saint-Rambert: "st just", "st rambert"
        halves = re.split(r"-(?=Saint)", name)
        forms.extend(halves)
    return forms


def _communes(territory: Territory) -> list[tuple[Place, list[str]]]:
    """Each commune, the most populated first, with the other forms people write for it."""
    communes = sorted(territory.communes, key=lambda c: -c["population"])
    return [(Place(key=c["code"], name=c["name"], kind="commune", epci=(c["epci"],),
                   population=c["population"]),
             commune_forms(c["name"], territory.common_words)[1:]
             + list(territory.place_variants.get(c["name"], [])))
            for c in communes]


def territory_places(territory: Territory) -> list[tuple[str, Place]]:
    pairs: list[tuple[str, Place]] = []
    short_forms: dict[str, list[Place]] = {}
    for place, others in _communes(territory):
        pairs.append((place.name, place))
        for extra in others:
            short_forms.setdefault(fold(extra), []).append(place)
    # A short form is kept only where it names one commune; the largest wins otherwise.
    for form, places in short_forms.items():
        pairs.append((form, places[0]))
    for area in territory.areas:
        place = Place(key=area["id"], name=area["name"], kind="area", epci=tuple(area["epci"]))
        pairs.extend((form, place) for form in [area["name"], *area.get("variants", [])])
    return pairs


@lru_cache(maxsize=4)
def _places_by_form(territory_name: str | None = None) -> dict[str, tuple[Place, ...]]:
    """Every commune each folded form may name, the most populated first (« Saint-Just »:
    Saint-Just and Saint-Just-Saint-Rambert)."""
    by_form: dict[str, list[Place]] = {}
    for place, others in _communes(get_territory(territory_name)):
        for form in {fold(f) for f in [place.name, *others]}:
            by_form.setdefault(form, []).append(place)
    return {form: tuple(places) for form, places in by_form.items() if len(places) > 1}


def places_named_with(words: str) -> tuple[Place, ...]:
    """The communes these words may name when they name several (« st just », « Saint-Bonnet »),
    else nothing. The leading « à », « vers »… are not part of the name."""
    key = fold(words)
    forms = _places_by_form()
    while key and key not in forms and " " in key and key.split()[0] in LEADING_WORDS:
        key = key.split(" ", 1)[1]
    return forms.get(key, ())


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
