"""`python -m bot catalogue fetch SOURCE`: the partners' public APIs into the catalogue.

Unlike a file import (all or nothing), an API answer is taken offer by offer: an offer outside
the territory, or that the connector could not read, is skipped and counted, the rest is
upserted by (source, source_id), and new offers trigger the alerts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.records import OfferRecord, RecordError
from bot.catalogue.schema import Place, Trade
from bot.catalogue.store import Resolver, UpsertResult, offer_values, upsert_offers

SOURCES = ("francetravail", "labonnealternance", "immersionfacile")
RADIUS_KM = 30


@dataclass
class FetchReport:
    source: str
    read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source_id, reason)
    result: UpsertResult | None = None

    def line(self) -> str:
        r = self.result or UpsertResult()
        return (f"{self.source} : {self.read} offres lues, {r.created} ajoutées, {r.updated} "
                f"mises à jour, {r.unchanged} inchangées, {len(self.skipped)} ignorées.")


def store_records(session: Session, source: str, records: Iterable[OfferRecord]) -> FetchReport:
    report = FetchReport(source)
    resolver = Resolver(session)
    rows, seen = [], set()
    for record in records:
        report.read += 1
        if (record.source, record.source_id) in seen:
            continue
        seen.add((record.source, record.source_id))
        try:
            rows.append(offer_values(record, resolver))
        except RecordError as error:
            report.skipped.append((record.source_id, str(error)))
    report.result = upsert_offers(session, rows)
    return report


def territory_records(session: Session, source: str) -> Iterator[OfferRecord]:
    """What to ask each API for this territory: its départements (France Travail), or around
    the centre of each intercommunalité for the trades of the catalogue (the others)."""
    communes = session.execute(select(Place).where(Place.kind == "commune")).scalars().all()
    areas = [p for p in session.execute(select(Place).where(Place.kind == "area")).scalars()
             if "," not in p.epci and p.latitude is not None]
    romes = sorted({r for r in session.execute(select(Trade.rome)).scalars() if r})
    if source == "francetravail":
        from bot.catalogue.connectors import francetravail

        departements = sorted({c.code[:2] for c in communes})
        yield from francetravail.fetch(departement=departements)
    elif source == "labonnealternance":
        from bot.catalogue.connectors import labonnealternance

        for area in areas:
            for start in range(0, len(romes), 20):
                yield from labonnealternance.fetch(latitude=area.latitude,
                                                   longitude=area.longitude, radius_km=RADIUS_KM,
                                                   rome_codes=romes[start:start + 20])
    elif source == "immersionfacile":
        from bot.catalogue.connectors import immersion

        for area in areas:
            for rome in romes:
                yield from immersion.fetch(latitude=area.latitude, longitude=area.longitude,
                                           distance_km=RADIUS_KM, rome=rome)
    else:
        raise ValueError(f"source inconnue : {source} ({', '.join(SOURCES)})")
