"""Saved searches ("préviens-moi") and the new offers that match them.

An alert remembers kind, trade and place of a search. When offers are added (import, connector,
demo refresh), `pending_deliveries` finds, for each active alert, the new offers it matches and
records each delivery so that an offer is never sent twice for one alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.schema import Alert, AlertDelivery, Offer, Place, Trade
from bot.catalogue.search import ANY, distance_km


def _trade_id(session: Session, trade: str | None) -> int | None:
    if not trade or trade == ANY:
        return None
    return session.execute(select(Trade.id).where(Trade.name == trade)).scalar_one_or_none()


def create_alert(session: Session, sender_id: str, channel: str, kind: str,
                 trade: str | None, place: str | None) -> tuple[Alert, bool]:
    """(alert, created): the same search twice makes one alert."""
    trade_id = _trade_id(session, trade)
    place_code = place if place and session.get(Place, place) is not None else None
    existing = session.execute(select(Alert).where(
        Alert.sender_id == sender_id, Alert.kind == kind, Alert.active.is_(True),
        Alert.trade_id.is_(trade_id) if trade_id is None else Alert.trade_id == trade_id,
        Alert.place_code.is_(None) if place_code is None else Alert.place_code == place_code,
    )).scalars().first()
    if existing is not None:
        return existing, False
    alert = Alert(sender_id=sender_id, channel=channel, kind=kind, trade_id=trade_id,
                  place_code=place_code)
    session.add(alert)
    session.flush()
    return alert, True


def active_alerts(session: Session, sender_id: str) -> list[Alert]:
    return list(session.execute(
        select(Alert).where(Alert.sender_id == sender_id, Alert.active.is_(True))
        .order_by(Alert.id)
    ).scalars())


def stop_alerts(session: Session, sender_id: str, alert_id: int | None = None) -> int:
    """Stops one alert of this person, or all of them; returns how many were stopped."""
    alerts = [a for a in active_alerts(session, sender_id) if alert_id in (None, a.id)]
    for alert in alerts:
        alert.active = False
    return len(alerts)


def matches(alert: Alert, offer: Offer, today: date) -> bool:
    if offer.kind != alert.kind or (alert.trade_id and offer.trade_id != alert.trade_id):
        return False
    if offer.expires_on and offer.expires_on < today:
        return False
    place = alert.place
    if place is None or place.latitude is None or offer.latitude is None:
        return True
    if place.kind == "area":
        return offer.place.epci in place.epci.split(",")
    return distance_km(place.latitude, place.longitude, offer.latitude,
                       offer.longitude) <= alert.radius_km


@dataclass(frozen=True)
class Delivery:
    alert_id: int
    sender_id: str
    channel: str
    offer_id: int
    title: str
    organisation: str
    place: str


def pending_deliveries(session: Session, offer_ids: list[int],
                       today: date | None = None) -> list[Delivery]:
    """New offers × active alerts that match and were not sent yet (see `mark_sent`)."""
    today = today or date.today()
    if not offer_ids:
        return []
    offers = list(session.execute(select(Offer).where(Offer.id.in_(offer_ids))).unique().scalars())
    alerts = list(session.execute(select(Alert).where(Alert.active.is_(True))).unique().scalars())
    done = {
        (d.alert_id, d.offer_id)
        for d in session.execute(
            select(AlertDelivery).where(AlertDelivery.offer_id.in_(offer_ids))
        ).scalars()
    }
    result = []
    for alert in alerts:
        for offer in offers:
            if (alert.id, offer.id) in done or not matches(alert, offer, today):
                continue
            result.append(Delivery(alert.id, alert.sender_id, alert.channel, offer.id,
                                   offer.title, offer.organisation, offer.place.name))
    return result


def mark_sent(session: Session, delivery: Delivery) -> None:
    session.add(AlertDelivery(alert_id=delivery.alert_id, offer_id=delivery.offer_id))
    session.flush()
