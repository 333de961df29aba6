"""Searching the catalogue: by kind, trade (exact, then related) and distance from a place.

The box around the place is filtered in SQL (indexed), exact distances are computed here on the
few rows left, then only the page shown is loaded. The radius widens when nothing is found, then
the trade, and the result says which widening happened, so Indy can tell the user.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.catalogue.schema import Offer, Place, Trade

RADII_KM = (15, 30, 50)  # with a car (or unknown)
RADII_NO_CAR_KM = (10, 20, 30)  # without one: nearer first
PAGE = 3
ANY = "any"  # "peu importe"


@dataclass(frozen=True)
class Query:
    kind: str
    trade: str | None = None  # canonical trade name, ANY or None
    place: str | None = None  # INSEE code, area id, or None
    has_car: bool | None = None
    offset: int = 0
    limit: int = PAGE
    contract: str | None = None  # CDI, CDD, intérim: only that contract
    grade: str | None = None  # 3e or seconde: school internships for that year
    min_radius_km: int | None = None  # « plus loin »: start at this radius


@dataclass(frozen=True)
class Hit:
    offer: Offer
    distance_km: float | None
    related_trade: bool  # the offer's trade is related, not the one asked


@dataclass
class Result:
    hits: list[Hit]
    total: int
    radius_km: int | None  # None: the whole territory, or no place asked
    widened_radius: bool = False  # the first radius found nothing
    widened_trade: bool = False  # nothing in the trade asked: related trades shown
    place_name: str | None = None
    trade_name: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def more(self) -> bool:
        return self.total > 0 and bool(self.hits) and self._end < self.total

    _end: int = 0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _live(today: date):
    """Not expired, and not already over (an event, a session, a course that has ended)."""
    return and_(
        or_(Offer.expires_on.is_(None), Offer.expires_on >= today),
        or_(Offer.end_date.is_(None), Offer.end_date >= today),
    )


def related_trade_ids(session: Session, trade: Trade) -> list[int]:
    """Trades of the same ROME domain (first three characters), else of the same sector."""
    others = session.execute(select(Trade).where(Trade.id != trade.id)).scalars().all()
    if trade.rome:
        same_domain = [t.id for t in others if t.rome and t.rome[:3] == trade.rome[:3]]
        if same_domain:
            return same_domain
    return [t.id for t in others if trade.sector and t.sector == trade.sector]


def _candidates(session: Session, query: Query, today: date, trade_ids: list[int] | None,
                centre: Place | None, radius: int | None, area: Place | None):
    """(id, latitude, longitude, near_bus_line, start_date, trade_id) of matching offers.

    Without a car, offers on a transport line count up to the largest no-car radius."""
    line_radius = RADII_NO_CAR_KM[-1] if query.has_car is False and radius is not None else None
    box = max(radius, line_radius) if line_radius else radius
    statement = select(
        Offer.id, Offer.latitude, Offer.longitude, Offer.near_bus_line, Offer.start_date,
        Offer.trade_id,
    ).where(Offer.kind == query.kind, _live(today))
    if query.contract:
        statement = statement.where(Offer.contract_type == query.contract)
    if query.grade:
        statement = statement.where(or_(Offer.title.ilike(f"%{query.grade}%"),
                                        Offer.requirements.ilike(f"%{query.grade}%")))
    if trade_ids is not None:
        statement = statement.where(Offer.trade_id.in_(trade_ids))
    if area is not None:
        epcis = area.epci.split(",")
        statement = statement.join(Place, Place.code == Offer.place_code).where(
            Place.epci.in_(epcis)
        )
    if centre is not None and box is not None and centre.latitude is not None:
        dlat = box / 111.0
        dlon = box / (111.0 * math.cos(math.radians(centre.latitude)))
        statement = statement.where(
            Offer.latitude.between(centre.latitude - dlat, centre.latitude + dlat),
            Offer.longitude.between(centre.longitude - dlon, centre.longitude + dlon),
        )
    rows = session.execute(statement).all()
    if centre is None or centre.latitude is None:
        return [(row, None) for row in rows]
    placed = []
    for row in rows:
        d = distance_km(centre.latitude, centre.longitude, row.latitude, row.longitude)
        if radius is None or d <= radius or (line_radius and row.near_bus_line
                                             and d <= line_radius):
            placed.append((row, d))
    return placed


def search(session: Session, query: Query, today: date | None = None) -> Result:
    today = today or date.today()
    place = session.get(Place, query.place) if query.place else None
    trade = None
    if query.trade and query.trade != ANY:
        trade = session.execute(select(Trade).where(Trade.name == query.trade)).scalar_one_or_none()
    centre = place if place is not None and place.kind == "commune" else None
    area = place if place is not None and place.kind == "area" else None
    radii: tuple[int | None, ...] = (None,)
    if centre is not None:
        radii = (*(RADII_NO_CAR_KM if query.has_car is False else RADII_KM), None)
        if query.min_radius_km:
            wider = tuple(r for r in radii if r is None or r >= query.min_radius_km)
            radii = (query.min_radius_km, *wider) if query.min_radius_km not in wider else wider

    trade_sets: list[tuple[list[int] | None, bool]] = [(None, False)]
    if trade is not None:
        trade_sets = [([trade.id], False)]
        related = related_trade_ids(session, trade)
        if related:
            trade_sets.append((related, True))

    found, used_radius, widened_radius, widened_trade = [], radii[0], False, False
    for trade_ids, is_related in trade_sets:
        for index, radius in enumerate(radii):
            found = _candidates(session, query, today, trade_ids, centre, radius, area)
            if found:
                used_radius, widened_radius, widened_trade = radius, index > 0, is_related
                break
        if found:
            break

    def rank(item):
        row, d = item
        bus_bonus = 0 if (query.has_car is not False or row.near_bus_line) else 1
        start = row.start_date or today
        return (bus_bonus, round(d) if d is not None else 0, abs((start - today).days), row.id)

    found.sort(key=rank)
    page = found[query.offset: query.offset + query.limit]
    offers = {
        o.id: o
        for o in session.execute(select(Offer).where(Offer.id.in_([r.id for r, _ in page])))
        .unique()
        .scalars()
    }
    hits = [
        Hit(offers[row.id], d, widened_trade)
        for row, d in page
    ]
    result = Result(
        hits=hits, total=len(found), radius_km=used_radius if centre is not None else None,
        widened_radius=widened_radius, widened_trade=widened_trade,
        place_name=place.name if place else None, trade_name=trade.name if trade else None,
    )
    result._end = query.offset + len(hits)
    return result
