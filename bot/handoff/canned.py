"""The counsellors' canned replies (content/canned_replies.yml): those for every team, then
the ticket's team's own. The one reader of that file."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import load_yaml
from bot.settings import get_settings

FILE = "canned_replies.yml"


@dataclass(frozen=True)
class CannedReply:
    title: str
    text: str


def _items(raw) -> list[CannedReply]:
    return [CannedReply(str(item["titre"]).strip(), str(item["texte"]).strip())
            for item in raw or [] if item.get("titre") and item.get("texte")]


def canned_replies(team_id: str) -> list[CannedReply]:
    path = get_settings().content_dir / FILE
    if not path.exists():
        return []
    raw = load_yaml(path) or {}
    return _items(raw.get("toutes")) + _items((raw.get("equipes") or {}).get(team_id))
