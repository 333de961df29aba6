"""From a day of conversations (Rasa's tracker store) and handoff tickets to counts.

The tracker store is read with SQLAlchemy Core (SQLite or PostgreSQL: `bot.privacy.tracker_url`).
Sender ids live in memory only while a day is computed, to count distinct people; what is
written is (day, metric, channel, keys, people, count, amount) — no sender id, no text, no hash.
A person is one conversation (sender) on one day: over a period, `people` adds up person-days.

Computing a day replaces its rows, so it can run again (the stats command, the admin page).
A day becomes `final` once computed long enough after its end for its tickets to settle, or
just before the retention purge deletes its conversations: a final day is never computed again.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Iterator

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.observatory.config import ObservatoryConfig, observatory_config
from bot.observatory.models import DailyCount, ObservedDay, ReviewItem
from bot.observatory.review import mask_message

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py), declared rather than reflected.
_TRACKER = MetaData()
EVENTS = Table(
    "events", _TRACKER,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

FALLBACK_INTENTS = {"nlu_fallback"}
SETTLE = timedelta(days=14)  # tickets of a day are taken and closed within two weeks
CHUNK = 400  # senders per query (IN list)
CHANNELS = ("web", "widget", "kiosk", "telegram", "api", "autre")
SEARCH_OUTCOMES = {"utter_search_none": "none", "utter_search_related_trades": "related"}
_START_HOUR = re.compile(r"\s*(\d{1,2})\s*h\s*(\d{2})?")


def channel_of(input_channel: str | None, sender_id: str) -> str:
    """telegram, widget (socket.io), kiosk and web (REST, by the sender's prefix), api."""
    if input_channel == "telegram":
        return "telegram"
    if input_channel == "socketio":
        return "widget"
    if input_channel == "rest":
        if sender_id.startswith("kiosk-"):
            return "kiosk"
        if sender_id.startswith("web-"):
            return "web"
        return "api"
    return "autre"


def _hours(text: str) -> tuple[float, float] | None:
    """ "9 h 30 - 12 h 30" → (9.5, 12.5)"""
    parts = text.split("-")
    if len(parts) != 2:
        return None
    bounds = []
    for part in parts:
        match = _START_HOUR.match(part)
        if not match:
            return None
        bounds.append(int(match.group(1)) + int(match.group(2) or 0) / 60)
    return bounds[0], bounds[1]


def bus_stop_at(moment: datetime, slack_hours: float = 0.5) -> str:
    """INSEE code of the commune where the job bus stood at that local time (its weekly round
    in territory.yml), or "" when it was not at a stop."""
    from bot.places import normalise_place
    from bot.territory import get_territory

    hour = moment.hour + moment.minute / 60
    for stop in get_territory().bus.get("weekly", []):
        hours = _hours(str(stop.get("hours", "")))
        if stop.get("weekday") != moment.weekday() or hours is None:
            continue
        if hours[0] - slack_hours <= hour <= hours[1] + slack_hours:
            place = normalise_place(stop["commune"])
            return place.key if place else ""
    return ""


def place_epci(code: str | None) -> str:
    """The EPCI (SIREN) of a commune or of an area covering one EPCI; "" otherwise."""
    from bot.places import place_by_key

    place = place_by_key(code) if code else None
    if place is None or len(place.epci) != 1:
        return ""
    return place.epci[0]


def day_bounds(day: date, config: ObservatoryConfig) -> tuple[datetime, datetime]:
    """The local day as naive UTC datetimes [start, end)."""
    start = datetime.combine(day, time(0), tzinfo=config.zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=config.zone)
    return (start.astimezone(timezone.utc).replace(tzinfo=None),
            end.astimezone(timezone.utc).replace(tzinfo=None))


def _epoch(naive_utc: datetime) -> float:
    return naive_utc.replace(tzinfo=timezone.utc).timestamp()


def local_day(naive_utc: datetime, config: ObservatoryConfig) -> date:
    return naive_utc.replace(tzinfo=timezone.utc).astimezone(config.zone).date()


@dataclass
class Cells:
    """Cells being counted: key → (senders seen, events, amount). Senders stay in memory."""

    people: dict[tuple, set[str]] = field(default_factory=lambda: defaultdict(set))
    counts: Counter = field(default_factory=Counter)
    amounts: dict[tuple, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, sender: str, metric: str, channel: str = "", key: str = "", key2: str = "",
            key3: str = "", count: int = 1, amount: float = 0.0) -> None:
        cell = (metric, channel, _cut(key), _cut(key2), _cut(key3))
        self.people[cell].add(sender)
        self.counts[cell] += count
        self.amounts[cell] += amount

    def rows(self, day: date) -> list[DailyCount]:
        return [DailyCount(day=day, metric=c[0], channel=c[1], key=c[2], key2=c[3], key3=c[4],
                           people=len(senders), count=self.counts[c],
                           amount=round(self.amounts[c], 2))
                for c, senders in self.people.items()]


def _cut(value: Any) -> str:
    return "" if value is None else str(value)[:120]


@dataclass
class Misunderstood:
    text: str
    predicted: str
    confidence: float


@dataclass
class Conversation:
    """What one sender did on the day (in memory while the day is computed)."""

    sender: str
    channel: str = ""
    first_at: float | None = None
    messages: int = 0
    intents: Counter = field(default_factory=Counter)
    searches: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, trade,
    # place, outcome
    no_car: bool = False
    location: str | None = None
    misunderstood: list[Misunderstood] = field(default_factory=list)


def tracker_engine(url: str | None = None) -> Engine:
    from bot.privacy import tracker_url

    return create_engine(url or tracker_url(), future=True)


def _has_events(engine: Engine) -> bool:
    return "events" in inspect(engine).get_table_names()


def _chunks(items: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _data(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read_conversations(engine: Engine, start: float, end: float) -> list[Conversation]:
    """Every conversation with a user message in [start, end), replayed from its beginning
    (slots set on an earlier day still count: "soudeur" said yesterday, searched today)."""
    if not _has_events(engine):
        return []
    with engine.connect() as connection:
        senders = connection.execute(
            select(EVENTS.c.sender_id).distinct().where(
                EVENTS.c.type_name == "user", EVENTS.c.timestamp >= start,
                EVENTS.c.timestamp < end)).scalars().all()
        conversations = []
        for chunk in _chunks(sorted(senders)):
            rows = connection.execute(
                select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp,
                       EVENTS.c.intent_name, EVENTS.c.action_name, EVENTS.c.data)
                .where(EVENTS.c.sender_id.in_(chunk), EVENTS.c.timestamp < end)
                .order_by(EVENTS.c.sender_id, EVENTS.c.id))
            current: list = []
            for row in rows:
                if current and current[0].sender_id != row.sender_id:
                    conversations.append(_replay(current, start))
                    current = []
                current.append(row)
            if current:
                conversations.append(_replay(current, start))
    return conversations


def _replay(rows: list, start: float) -> Conversation:
    conversation = Conversation(sender=rows[0].sender_id)
    slots: dict[str, Any] = {}
    search: list | None = None  # [kind, trade, place, outcome] until the next action
    for row in rows:
        today = (row.timestamp or 0) >= start
        if row.type_name in ("session_started", "restart"):
            slots = {}
        elif row.type_name == "slot":
            data = _data(row.data)
            slots[data.get("name") or row.action_name] = data.get("value")
            if today and data.get("name") == "has_car" and data.get("value") is False:
                conversation.no_car = True
            searched = data.get("value")
            if today and data.get("name") == "last_search" and isinstance(searched, dict):
                # The dialogue engine (action_indy) says what it searched and what it found.
                conversation.searches.append((
                    searched.get("kind") or "job", searched.get("trade") or "",
                    searched.get("place") or "", searched.get("outcome") or "found"))
        elif row.type_name == "action":
            if search is not None:
                conversation.searches.append(tuple(search))
                search = None
            if today and row.action_name == "action_search":
                search = [slots.get("search_kind") or "job", slots.get("job") or "",
                          slots.get("location") or "", "found"]
        elif row.type_name == "bot" and search is not None:
            utter = (_data(row.data).get("metadata") or {}).get("utter_action")
            outcome = SEARCH_OUTCOMES.get(utter)
            if outcome and search[3] != "none":
                search[3] = outcome
        elif row.type_name == "user" and today:
            _user(conversation, row)
    if search is not None:
        conversation.searches.append(tuple(search))
    conversation.location = slots.get("location")
    return conversation


def _user(conversation: Conversation, row) -> None:
    data = _data(row.data)
    parse = data.get("parse_data") or {}
    intent = row.intent_name or (parse.get("intent") or {}).get("name") or ""
    if conversation.first_at is None:
        conversation.first_at = row.timestamp
        conversation.channel = channel_of(data.get("input_channel"), conversation.sender)
    conversation.messages += 1
    conversation.intents[intent] += 1
    text = str(data.get("text") or "")
    if intent in FALLBACK_INTENTS and text.strip() and not text.startswith("/"):
        ranking = [r for r in parse.get("intent_ranking") or []
                   if r.get("name") and r.get("name") not in FALLBACK_INTENTS]
        best = ranking[0] if ranking else {}
        conversation.misunderstood.append(Misunderstood(
            mask_message(text), str(best.get("name") or ""),
            float(best.get("confidence") or 0.0)))


def conversation_cells(cells: Cells, conversations: Iterable[Conversation],
                       config: ObservatoryConfig) -> list[Misunderstood]:
    misunderstood: list[Misunderstood] = []
    for c in conversations:
        where = ""
        if c.channel == "kiosk" and c.first_at is not None:
            moment = datetime.fromtimestamp(c.first_at, config.zone)
            where = bus_stop_at(moment)
        cells.add(c.sender, "conversations", c.channel, key=where, count=c.messages)
        for intent, count in c.intents.items():
            cells.add(c.sender, "intent", c.channel, key=intent, count=count)
        for kind, trade, place, outcome in c.searches:
            cells.add(c.sender, "search", c.channel, key=kind, key2=trade, key3=place)
            if outcome != "found":  # nothing, or only related trades: unmet demand
                cells.add(c.sender, f"search_{outcome}", c.channel, key=kind, key2=trade,
                          key3=place)
                cells.add(c.sender, "search_unmet", c.channel, key=kind, key2=trade,
                          key3=place)
        epci = place_epci(c.location)
        barriers = Counter()
        for intent, count in c.intents.items():
            if intent in config.barrier_intents:
                barriers[config.barrier_intents[intent]] += count
        if c.no_car and config.no_car_barrier:
            barriers[config.no_car_barrier] += 1
        for barrier, count in barriers.items():
            cells.add(c.sender, "barrier", c.channel, key=barrier, key2=epci, count=count)
        fallbacks = sum(c.intents[i] for i in FALLBACK_INTENTS)
        if fallbacks:
            cells.add(c.sender, "fallback", c.channel, count=fallbacks)
        misunderstood.extend(c.misunderstood)
    return misunderstood


def ticket_cells(cells: Cells, session: Session, start: datetime, end: datetime) -> None:
    """Handoffs created that day: team × state (or outcome), waiting time until taken; the
    answers to the question after closing given that day: team × answer."""
    from bot.handoff.models import Ticket

    tickets = session.execute(select(Ticket).where(
        Ticket.created_at >= start, Ticket.created_at < end)).unique().scalars().all()
    for ticket in tickets:
        channel = channel_of(ticket.channel, ticket.sender_id)
        state = ticket.outcome if ticket.status == "closed" and ticket.outcome else ticket.status
        cells.add(ticket.sender_id, "handoff", channel, key=ticket.team, key2=state)
        if ticket.taken_at is not None:
            minutes = max(0.0, (ticket.taken_at - ticket.created_at).total_seconds() / 60)
            cells.add(ticket.sender_id, "handoff_wait", channel, key=ticket.team,
                      amount=minutes)
    # The question after closing: counted the day it was answered (a day already computed
    # is not computed again).
    answered = session.execute(select(Ticket).where(
        Ticket.satisfaction_at >= start, Ticket.satisfaction_at < end)).unique().scalars()
    for ticket in answered:
        cells.add(ticket.sender_id, "handoff_satisfaction",
                  channel_of(ticket.channel, ticket.sender_id), key=ticket.team,
                  key2=ticket.satisfaction)


def store_review(session: Session, day: date, items: list[Misunderstood]) -> None:
    """The day's misunderstood messages, one row per distinct masked text; labels kept."""
    grouped: dict[str, list[Misunderstood]] = defaultdict(list)
    for item in items:
        grouped[item.text].append(item)
    existing = {r.text: r for r in session.execute(
        select(ReviewItem).where(ReviewItem.day == day)).scalars()}
    for text, row in existing.items():
        if text not in grouped and row.status == "new":
            session.delete(row)
    for text, group in grouped.items():
        best = max(group, key=lambda m: m.confidence)
        row = existing.get(text)
        if row is None:
            session.add(ReviewItem(day=day, text=text, predicted_intent=best.predicted,
                                   confidence=round(best.confidence, 3),
                                   occurrences=len(group)))
        else:
            row.occurrences = max(row.occurrences, len(group))
            row.predicted_intent, row.confidence = best.predicted, round(best.confidence, 3)


def compute_day(session: Session, day: date, engine: Engine,
                config: ObservatoryConfig | None = None, now: datetime | None = None,
                final: bool | None = None) -> int:
    """Replaces the day's counts; returns how many cells were written."""
    config = config or observatory_config()
    now = now or datetime.utcnow()
    start, end = day_bounds(day, config)
    cells = Cells()
    conversations = read_conversations(engine, _epoch(start), _epoch(end))
    misunderstood = conversation_cells(cells, conversations, config)
    ticket_cells(cells, session, start, end)
    rows = cells.rows(day)
    session.execute(delete(DailyCount).where(DailyCount.day == day))
    session.add_all(rows)
    store_review(session, day, misunderstood)
    observed = session.get(ObservedDay, day)
    if observed is None:
        observed = ObservedDay(day=day)
        session.add(observed)
    observed.computed_at = now
    observed.final = bool(final) if final is not None else now >= end + SETTLE
    session.flush()
    return len(rows)


def today_local(config: ObservatoryConfig | None = None, now: datetime | None = None) -> date:
    config = config or observatory_config()
    return local_day(now or datetime.utcnow(), config)


def refresh(session: Session, days: int = 35, today: date | None = None,
            url: str | None = None, now: datetime | None = None, full: bool = True) -> list[date]:
    """Computes the days of the last `days` that are missing or not final yet (with
    full=False: only the missing ones, today and any day computed before it ended).
    Returns the days computed."""
    config = observatory_config()
    now = now or datetime.utcnow()
    today = today or local_day(now, config)
    first = today - timedelta(days=days - 1)
    known = {o.day: o for o in session.execute(
        select(ObservedDay).where(ObservedDay.day >= first)).scalars()}
    engine = tracker_engine(url)
    done = []
    try:
        for offset in range(days):
            day = first + timedelta(days=offset)
            observed = known.get(day)
            if observed is not None and observed.final:
                continue
            if observed is not None and not full:
                ended = day_bounds(day, config)[1]
                if observed.computed_at >= ended:
                    continue
            compute_day(session, day, engine, config, now)
            done.append(day)
    finally:
        engine.dispose()
    return done


def before_purge(session: Session, limit: datetime, url: str | None = None,
                 now: datetime | None = None) -> list[date]:
    """Called by the retention purge before it deletes anything older than `limit`: every
    day up to the limit's is computed (if not final) and made final, and the review queue
    of those days goes. Analytics then keep only counts."""
    from bot.handoff.models import Ticket

    config = observatory_config()
    now = now or datetime.utcnow()
    engine = tracker_engine(url)
    try:
        starts = []
        if _has_events(engine):
            with engine.connect() as connection:
                first = connection.execute(select(func.min(EVENTS.c.timestamp)).where(
                    EVENTS.c.timestamp < _epoch(limit))).scalar()
            if first is not None:
                starts.append(local_day(datetime.utcfromtimestamp(first), config))
        first_ticket = session.execute(select(func.min(Ticket.created_at)).where(
            Ticket.created_at < limit)).scalar()
        if first_ticket is not None:
            starts.append(local_day(first_ticket, config))
        last = local_day(limit, config)
        done = []
        if starts:
            final_days = set(session.execute(select(ObservedDay.day).where(
                and_(ObservedDay.final.is_(True), ObservedDay.day <= last))).scalars())
            day = min(starts)
            while day <= last:
                if day not in final_days:
                    compute_day(session, day, engine, config, now, final=True)
                    done.append(day)
                day += timedelta(days=1)
    finally:
        engine.dispose()
    session.execute(delete(ReviewItem).where(ReviewItem.day <= last))
    session.flush()
    return done
