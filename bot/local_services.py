"""Local services of the territory (Mission Locale, France Travail…) nearest to a place, from
the catalogue (synced from territory/<name>/territory.yml at every start)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.catalogue.db import session_scope
from bot.catalogue.schema import Service
from bot.places import place_by_key
from bot.territory import get_territory


@dataclass(frozen=True)
class ServicesAnswer:
    services: list[dict[str, Any]]
    place_known: bool  # the place was recognised and has services of its own
    demo: bool


def _as_dict(row: Service) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "name": row.name, "for": row.audience,
            "address": row.address, "hours": row.hours, "phone": row.phone,
            "epci": [e for e in row.epci.split(",") if e], "demo": row.demo}


def all_services(kind: str | None = None, url: str | None = None) -> list[dict[str, Any]]:
    with session_scope(url) as session:
        statement = select(Service).order_by(Service.id)
        if kind:
            statement = statement.where(Service.kind == kind)
        rows = [_as_dict(row) for row in session.execute(statement).scalars()]
    order = {s["id"]: n for n, s in enumerate(get_territory().services)}  # as configured
    return sorted(rows, key=lambda s: order.get(s["id"], len(order)))


def services_near(location_key: str | None, kind: str | None = None) -> ServicesAnswer:
    services = all_services(kind)
    place = place_by_key(location_key) if location_key else None
    if place is not None:
        near = [s for s in services if set(s["epci"]) & set(place.epci)]
        # An area covering the whole territory names no single antenna.
        if near and len(near) < len(services):
            return ServicesAnswer(near, True, any(s["demo"] for s in near))
    return ServicesAnswer(services, False, any(s["demo"] for s in services))
