"""Words Indy uses to name intents and search kinds (content/labels.yml)."""

from __future__ import annotations

from typing import Any

from bot.content import load_yaml
from bot.settings import get_settings


def labels() -> dict[str, Any]:
    return load_yaml(get_settings().content_dir / "labels.yml")


def intent_label(intent: str) -> str | None:
    return labels()["intents"].get(intent)


def search_kind_label(intent: str) -> str:
    return labels()["search_kinds"].get(intent, "ta recherche")


def weekday_name(weekday: int) -> str:
    return labels()["weekdays"][weekday]
