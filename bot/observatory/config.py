"""The observatory's settings, from territory.yml (`observatory`): another territory changes
them without code."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.content import load_yaml
from bot.settings import get_settings

DEFAULT_MIN_CELL = 5
DEFAULT_BARRIERS = {"ask_mobility": "mobilité", "ask_housing": "logement",
                    "ask_financial_aid": "argent", "ask_no_diploma": "diplôme",
                    "ask_disability": "handicap"}


@dataclass(frozen=True)
class ObservatoryConfig:
    min_cell: int = DEFAULT_MIN_CELL
    barrier_intents: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BARRIERS))
    no_car_barrier: str | None = "mobilité"
    timezone: str = "Europe/Paris"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def observatory_config() -> ObservatoryConfig:
    raw = load_yaml(get_settings().territory_dir / "territory.yml") or {}
    section = raw.get("observatory") or {}
    barriers = section.get("barriers") or {}
    min_cell = int(section.get("min_cell", DEFAULT_MIN_CELL))
    if min_cell < 1:
        raise ValueError("observatory.min_cell doit valoir 1 ou plus")
    return ObservatoryConfig(
        min_cell=min_cell,
        barrier_intents=dict(barriers.get("intents") or DEFAULT_BARRIERS),
        no_car_barrier=barriers.get("no_car", "mobilité") or None,
        timezone=(raw.get("handoff") or {}).get("timezone", "Europe/Paris"),
    )
