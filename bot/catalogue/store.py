"""Writes the catalogue: reference data from the configuration, and offers (upsert).

Reference data (places, trades, services) comes from territory/<name>/ and content/; `sync_*`
functions make the tables match it. Offers are upserted by (source, source_id): writing the same
record twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.catalogue.records import OfferRecord, RecordError
from bot.catalogue.schema import BusStop, Offer, Place, Service, Trade
from bot.content import load_yaml
from bot.places import normalise_place, territory_places
from bot.settings import get_settings
from bot.territory import Territory, get_territory
from bot.trades import normalise_trade


def sync_places(session: Session, territory: Territory) -> int:
    """Communes (with coordinates) and areas; an area's centre is its communes' mean centre."""
    variants: dict[str, set[str]] = {}
    for form, place in territory_places(territory):
        variants.setdefault(place.key, set()).add(form)
    existing = {p.code: p for p in session.execute(select(Place)).scalars()}
    rows: list[dict] = []
    for commune in territory.communes:
        rows.append(dict(
            code=commune["code"], name=commune["name"], kind="commune", epci=commune["epci"],
            postal_codes=",".join(commune.get("postal_codes", [])),
            population=commune.get("population", 0),
            latitude=commune.get("latitude"), longitude=commune.get("longitude"),
            variants="|".join(sorted(variants.get(commune["code"], ()))),
        ))
    for area in territory.areas:
        members = [c for c in territory.communes if c["epci"] in area["epci"]]
        rows.append(dict(
            code=area["id"], name=area["name"], kind="area", epci=",".join(area["epci"]),
            postal_codes="", population=sum(c.get("population", 0) for c in members),
            latitude=_mean(c.get("latitude") for c in members),
            longitude=_mean(c.get("longitude") for c in members),
            variants="|".join(sorted(variants.get(area["id"], ()))),
        ))
    for row in rows:
        place = existing.pop(row["code"], None)
        if place is None:
            session.add(Place(**row))
        else:
            for key, value in row.items():
                setattr(place, key, value)
    return len(rows)


def _mean(values: Iterable[float | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 4) if numbers else None


def sync_trades(session: Session) -> int:
    raw = load_yaml(get_settings().content_dir / "trades.yml")["trades"]
    existing = {t.name: t for t in session.execute(select(Trade)).scalars()}
    for item in raw:
        salary = item.get("salary") or {}
        row = dict(
            name=item["name"], rome=item.get("rome"), sector=item.get("sector", ""),
            variants="|".join(item.get("variants", [])),
            description=item.get("description", ""), conditions=item.get("conditions", ""),
            salary_min=salary.get("min"), salary_max=salary.get("max"),
            salary_unit=salary.get("unit"), salary_source=salary.get("source"),
            salary_date=str(salary["date"]) if salary.get("date") else None,
            ways_in="|".join(item.get("ways_in", [])),
        )
        trade = existing.get(item["name"])
        if trade is None:
            session.add(Trade(**row))
        else:
            for key, value in row.items():
                setattr(trade, key, value)
    return len(raw)


def sync_services(session: Session, territory: Territory) -> int:
    session.execute(delete(Service))
    for item in territory.services:
        place = normalise_place(item.get("commune", "")) if item.get("commune") else None
        session.add(Service(
            id=item["id"], kind=item["kind"], name=item["name"], audience=item.get("for", ""),
            what=item.get("what", ""), address=item.get("address", ""),
            hours=item.get("hours", ""), phone=item.get("phone", ""),
            place_code=place.key if place else None, epci=",".join(item.get("epci", [])),
            demo=bool(item.get("demo")),
        ))
    return len(territory.services)


def sync_reference(session: Session, territory: Territory | None = None) -> dict[str, int]:
    territory = territory or get_territory()
    counts = {"places": sync_places(session, territory), "trades": sync_trades(session)}
    session.flush()
    counts["services"] = sync_services(session, territory)
    return counts


@dataclass
class Resolver:
    """Turns what a record says (commune name or code, trade text) into catalogue rows."""

    session: Session

    def __post_init__(self) -> None:
        self.places = {p.code: p for p in self.session.execute(select(Place)).scalars()}
        self.trades = {t.name: t for t in self.session.execute(select(Trade)).scalars()}

    def place(self, text: str) -> Place:
        found = self.places.get(text.strip())
        if found is None:
            match = normalise_place(text)
            found = self.places.get(match.key) if match else None
        if found is None or found.kind != "commune":
            raise RecordError(f"commune : « {text} » n'est pas une commune du territoire "
                              "(code INSEE ou nom)")
        return found

    def trade(self, text: str | None, rome: str | None) -> Trade | None:
        if text:
            match = normalise_trade(text)
            if match is not None:
                return self.trades.get(match.name)
        if rome:
            return next((t for t in self.trades.values() if t.rome == rome), None)
        return None


def fingerprint(record: OfferRecord) -> str:
    data = asdict(record)
    data.pop("extra", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_offer_ids: list[int] | None = None


def offer_values(record: OfferRecord, resolver: Resolver) -> dict:
    """Column values of an offer, or RecordError when its place or dates don't fit."""
    place = resolver.place(record.commune)
    trade = resolver.trade(record.trade, record.rome)
    return dict(
        source=record.source, source_id=record.source_id, kind=record.kind,
        event_type=record.event_type, title=record.title, organisation=record.organisation,
        trade_id=trade.id if trade else None, rome=record.rome or (trade.rome if trade else None),
        place_code=place.code, latitude=place.latitude, longitude=place.longitude,
        contract_type=record.contract_type, start_date=record.start_date,
        end_date=record.end_date, expires_on=record.expires_on,
        description=record.description, requirements=record.requirements,
        how_to_apply=record.how_to_apply, url=record.url,
        places_available=record.places_available,
        near_bus_line=bool(record.extra.get("near_bus_line")), demo=record.demo,
        fingerprint=fingerprint(record),
    )


def upsert_offers(session: Session, rows: Iterable[dict]) -> UpsertResult:
    """Writes offer values (from `offer_values`): insert, update when changed, else nothing."""
    result = UpsertResult(new_offer_ids=[])
    new: list[Offer] = []
    for values in rows:
        offer = session.execute(
            select(Offer).where(Offer.source == values["source"],
                                Offer.source_id == values["source_id"])
        ).scalar_one_or_none()
        if offer is None:
            offer = Offer(**values)
            session.add(offer)
            new.append(offer)
            result.created += 1
        elif offer.fingerprint == values["fingerprint"]:
            result.unchanged += 1
        else:
            for key, value in values.items():
                setattr(offer, key, value)
            offer.updated_at = datetime.utcnow()
            result.updated += 1
    session.flush()
    result.new_offer_ids = [o.id for o in new]
    return result


def replace_bus_stops(session: Session, stops: Iterable[tuple[str, str, date, str]],
                      demo: bool) -> int:
    """The bus round from today on: (INSEE code, spot, day, hours)."""
    session.execute(delete(BusStop))
    count = 0
    for code, spot, day, hours in stops:
        session.add(BusStop(place_code=code, spot=spot, day=day, hours=hours, demo=demo))
        count += 1
    return count
