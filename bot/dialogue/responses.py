"""The buttons of a domain.yml response, filled in as Rasa fills them, so a typed answer can be
matched against the buttons Indy just offered."""

from __future__ import annotations

from typing import Any

from bot.content import load_yaml
from bot.settings import ROOT


def responses() -> dict[str, Any]:
    """domain.yml's responses (read once: load_yaml caches by path)."""
    return load_yaml(ROOT / "domain.yml")["responses"]


def _fill(template: str, variables: dict[str, Any]) -> str:
    try:
        return template.format(**variables)
    except (KeyError, IndexError, ValueError):
        return template


def buttons_of(response: str, variables: dict[str, Any]) -> list[dict[str, str]]:
    """The buttons Rasa would send with this response (its last variation without a
    condition), or those passed explicitly as the `buttons` variable."""
    if variables.get("buttons"):
        return [dict(b) for b in variables["buttons"]]
    variations = responses().get(response) or []
    plain = [v for v in variations if not v.get("condition")] or variations
    if not plain:
        return []
    return [{"title": _fill(b["title"], variables), "payload": _fill(b["payload"], variables)}
            for b in plain[-1].get("buttons") or []]
