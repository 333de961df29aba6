"""Who answers a request, and by when: teams, opening hours and routing from territory.yml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.content import load_yaml
from bot.labels import weekday_name
from bot.settings import get_settings

# Each waiting ticket ahead in the queue adds this much work before ours.
MINUTES_PER_TICKET = 20


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    who: str
    hours: dict[int, tuple[tuple[time, time], ...]]
    reply_within_hours: float

    def is_open(self, moment: datetime) -> bool:
        return any(start <= moment.time() < end for start, end in self.hours.get(
            moment.weekday(), ()))


def _slots(raw: list[str]) -> tuple[tuple[time, time], ...]:
    result = []
    for slot in raw:
        start, end = slot.split("-")
        result.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
    return tuple(result)


@lru_cache(maxsize=4)
def _config(territory_dir: str) -> dict[str, Any]:
    return load_yaml(get_settings().territory_dir / "territory.yml").get("handoff", {})


def config() -> dict[str, Any]:
    return _config(str(get_settings().territory_dir))


def timezone() -> ZoneInfo:
    return ZoneInfo(config().get("timezone", "Europe/Paris"))


def teams() -> dict[str, Team]:
    return {
        t["id"]: Team(t["id"], t["name"], t["who"],
                      {int(day): _slots(slots) for day, slots in t.get("hours", {}).items()},
                      float(t.get("reply_within_hours", 4)))
        for t in config().get("teams", [])
    }


def route(epci: str | None, age: int | None, topic: str) -> Team:
    """The first routing rule that matches (epci, age when known: min_age, max_age; topic)."""
    all_teams = teams()
    for rule in config().get("routing", []):
        if "topics" in rule and topic not in rule["topics"]:
            continue
        if "epci" in rule and epci not in rule["epci"]:
            continue
        if "max_age" in rule and age is not None and age > int(rule["max_age"]):
            continue
        if "min_age" in rule and age is not None and age < int(rule["min_age"]):
            continue
        return all_teams[rule["team"]]
    return next(iter(all_teams.values()))


def add_working_time(team: Team, start: datetime, minutes: float) -> datetime:
    """The moment `minutes` of the team's opening hours have passed after `start`."""
    moment = start
    remaining = timedelta(minutes=minutes)
    for _ in range(60):  # at most ~2 months of days: hours always exist in practice
        day = moment.date()
        for open_at, close_at in team.hours.get(moment.weekday(), ()):
            slot_start = datetime.combine(day, open_at, moment.tzinfo)
            slot_end = datetime.combine(day, close_at, moment.tzinfo)
            if slot_end <= moment:
                continue
            begin = max(slot_start, moment)
            if begin + remaining <= slot_end:
                return begin + remaining
            remaining -= slot_end - begin
            moment = slot_end
        moment = datetime.combine(day + timedelta(days=1), time(0), moment.tzinfo)
    raise ValueError(f"team {team.id} has no opening hours")


def promise(team: Team, now: datetime, waiting_before: int) -> datetime:
    """By when someone answers: the queue ahead, then the team's reply time, in opening hours,
    rounded up to the next full hour."""
    local = now.astimezone(timezone())
    minutes = team.reply_within_hours * 60 + waiting_before * MINUTES_PER_TICKET
    deadline = add_working_time(team, local, minutes)
    if deadline.minute or deadline.second or deadline.microsecond:
        deadline = deadline.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return deadline


def say_when(deadline: datetime, now: datetime) -> str:
    """ "aujourd'hui avant 16 h", "demain avant 10 h", "mardi avant 10 h" """
    local_now = now.astimezone(deadline.tzinfo)
    hour = f"{deadline.hour} h" + (f" {deadline.minute:02d}" if deadline.minute else "")
    days = (deadline.date() - local_now.date()).days
    if days == 0:
        day = "aujourd'hui"
    elif days == 1:
        day = "demain"
    elif days < 7:
        day = weekday_name(deadline.weekday())
    else:
        day = f"le {deadline.day}/{deadline.month:02d}"
    return f"{day} avant {hour}"
