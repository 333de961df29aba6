"""Tables of the catalogue (SQLAlchemy declarative; queries are written 2.0-style).

Runs on SQLite by default and on PostgreSQL: portable types only. The schema is created and
upgraded by Alembic migrations (bot/catalogue/migrations), never by `create_all` in production.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def _now() -> datetime:
    return datetime.utcnow()


class Place(Base):
    """A commune (key: INSEE code) or a named area of the territory (key: area id)."""

    __tablename__ = "places"
    code = Column(String(40), primary_key=True)
    name = Column(String(120), nullable=False)
    kind = Column(String(10), nullable=False)  # "commune" or "area"
    epci = Column(String(200), nullable=False)  # one SIREN, or several joined by ","
    postal_codes = Column(String(200), nullable=False, default="")
    population = Column(Integer, nullable=False, default=0)
    latitude = Column(Float)
    longitude = Column(Float)
    variants = Column(Text, nullable=False, default="")  # spellings, joined by "|"


class Trade(Base):
    __tablename__ = "trades"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False, unique=True)
    rome = Column(String(5), index=True)
    sector = Column(String(60), nullable=False, default="")
    variants = Column(Text, nullable=False, default="")  # joined by "|"
    description = Column(Text, nullable=False, default="")
    conditions = Column(Text, nullable=False, default="")
    salary_min = Column(Integer)
    salary_max = Column(Integer)
    salary_unit = Column(String(40))
    salary_source = Column(String(300))
    salary_date = Column(String(7))
    ways_in = Column(Text, nullable=False, default="")  # joined by "|"


class Offer(Base):
    """Anything Indy can propose: job, training, apprenticeship, internship, immersion, MRS
    session or event. Identified by (source, source_id): re-importing updates in place."""

    __tablename__ = "offers"
    id = Column(Integer, primary_key=True)
    source = Column(String(60), nullable=False)
    source_id = Column(String(120), nullable=False)
    kind = Column(String(20), nullable=False)
    event_type = Column(String(20))
    title = Column(String(200), nullable=False)
    organisation = Column(String(200), nullable=False)
    trade_id = Column(Integer, ForeignKey("trades.id"), index=True)
    rome = Column(String(5))
    place_code = Column(String(40), ForeignKey("places.code"), nullable=False)
    latitude = Column(Float)  # copied from the place: the search filters on a box first
    longitude = Column(Float)
    contract_type = Column(String(40))
    start_date = Column(Date)
    end_date = Column(Date)
    expires_on = Column(Date)
    description = Column(Text, nullable=False, default="")
    requirements = Column(Text, nullable=False, default="")
    how_to_apply = Column(Text, nullable=False, default="")
    url = Column(String(500))
    places_available = Column(Integer)
    near_bus_line = Column(Boolean, nullable=False, default=False)
    demo = Column(Boolean, nullable=False, default=False)
    fingerprint = Column(String(64), nullable=False)  # hash of the content: unchanged → no write
    created_at = Column(DateTime, nullable=False, default=_now)
    updated_at = Column(DateTime, nullable=False, default=_now)

    trade = relationship(Trade, lazy="joined")
    place = relationship(Place, lazy="joined")

    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_offers_source"),
        Index("ix_offers_kind_expiry", "kind", "expires_on"),
        Index("ix_offers_position", "latitude", "longitude"),
        Index("ix_offers_rome", "rome"),
    )


class BusStop(Base):
    __tablename__ = "bus_stops"
    id = Column(Integer, primary_key=True)
    place_code = Column(String(40), ForeignKey("places.code"), nullable=False)
    spot = Column(String(200), nullable=False)  # where in the commune: "place de la mairie"
    day = Column(Date, nullable=False, index=True)
    hours = Column(String(60), nullable=False)
    demo = Column(Boolean, nullable=False, default=False)

    place = relationship(Place, lazy="joined")
    __table_args__ = (UniqueConstraint("place_code", "day", name="uq_bus_stop_day"),)


class Service(Base):
    """A local service: Mission Locale, France Travail agency, others (from configuration)."""

    __tablename__ = "services"
    id = Column(String(60), primary_key=True)
    kind = Column(String(40), nullable=False)
    name = Column(String(200), nullable=False)
    audience = Column(String(200), nullable=False, default="")
    what = Column(Text, nullable=False, default="")
    address = Column(String(300), nullable=False, default="")
    hours = Column(String(300), nullable=False, default="")
    phone = Column(String(40), nullable=False, default="")
    place_code = Column(String(40), ForeignKey("places.code"))
    epci = Column(String(200), nullable=False, default="")  # covered EPCI, joined by ","
    demo = Column(Boolean, nullable=False, default=False)


class Alert(Base):
    """A saved search ("préviens-moi"): new matching offers are sent to the person once."""

    __tablename__ = "alerts"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    kind = Column(String(20), nullable=False)
    trade_id = Column(Integer, ForeignKey("trades.id"))
    place_code = Column(String(40), ForeignKey("places.code"))
    radius_km = Column(Integer, nullable=False, default=30)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=_now)

    trade = relationship(Trade, lazy="joined")
    place = relationship(Place, lazy="joined")


class AlertDelivery(Base):
    """One offer sent for one alert: never twice."""

    __tablename__ = "alert_deliveries"
    alert_id = Column(Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    offer_id = Column(Integer, ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    sent_at = Column(DateTime, nullable=False, default=_now)
