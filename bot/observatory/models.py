"""Tables of the observatory (same metadata and migration chain as the catalogue).

Nothing here names a person: counts per day and dimension, the days computed, and the
misunderstood messages (masked) waiting for a label.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    UniqueConstraint,
)

from bot.catalogue.schema import Base


def _now() -> datetime:
    return datetime.utcnow()


class DailyCount(Base):
    """One cell: on `day`, for `metric` and its dimensions, how many people (distinct
    conversations that day) and how many events; `amount` sums a quantity (waiting minutes)."""

    __tablename__ = "observatory_counts"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False)
    metric = Column(String(40), nullable=False)
    channel = Column(String(20), nullable=False, default="")
    key = Column(String(120), nullable=False, default="")
    key2 = Column(String(120), nullable=False, default="")
    key3 = Column(String(120), nullable=False, default="")
    people = Column(Integer, nullable=False, default=0)
    count = Column(Integer, nullable=False, default=0)
    amount = Column(Float, nullable=False, default=0.0)

    __table_args__ = (Index("ix_observatory_counts_day_metric", "day", "metric"),)


class ObservedDay(Base):
    """A day whose counts exist. `final`: never computed again (its conversations may have been
    purged since, or it was computed long enough after it ended for its tickets to settle)."""

    __tablename__ = "observatory_days"
    day = Column(Date, primary_key=True)
    computed_at = Column(DateTime, nullable=False, default=_now)
    final = Column(Boolean, nullable=False, default=False)


class ReviewItem(Base):
    """A message Indy did not understand, masked, with how often it was written that day:
    the team labels it with the right intent, and exports the labels as training data."""

    __tablename__ = "observatory_review"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    text = Column(String(400), nullable=False)
    predicted_intent = Column(String(60), nullable=False, default="")
    confidence = Column(Float, nullable=False, default=0.0)
    occurrences = Column(Integer, nullable=False, default=1)
    status = Column(String(20), nullable=False, default="new")  # labelled, ignored
    label = Column(String(60))
    labelled_at = Column(DateTime)

    __table_args__ = (
        UniqueConstraint("day", "text", name="uq_observatory_review_day_text"),
        Index("ix_observatory_review_status", "status", "day"),
    )
