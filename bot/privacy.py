"""What Indy tells about personal data (territory/<name>/territory.yml, `privacy`)."""

from __future__ import annotations

from bot.territory import get_territory


def privacy_facts() -> dict[str, str]:
    privacy = get_territory().privacy
    return {
        "privacy_contact": privacy.get("contact", ""),
        "retention_days": str(privacy.get("retention_days", "")),
        "controller": privacy.get("controller", ""),
    }
