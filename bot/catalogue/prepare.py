"""Makes the catalogue ready: schema migrated, reference data synced, demo data if configured."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete

from bot.bus import round_stops
from bot.catalogue.db import migrate, session_scope
from bot.catalogue.schema import Offer
from bot.catalogue.store import (
    Resolver,
    offer_values,
    replace_bus_stops,
    sync_reference,
    upsert_offers,
)
from bot.territory import get_territory


def demo_enabled() -> bool:
    from bot.content import load_yaml
    from bot.settings import get_settings

    config = load_yaml(get_settings().territory_dir / "territory.yml")
    return bool(config.get("catalogue", {}).get("demo", False))


def prepare(url: str | None = None, today: date | None = None, demo: bool | None = None) -> dict:
    """Idempotent: run at every start. Returns counts for the log."""
    today = today or date.today()
    demo = demo_enabled() if demo is None else demo
    territory = get_territory()
    migrate(url)
    with session_scope(url) as session:
        counts = sync_reference(session, territory)
        if demo:
            from bot.catalogue.demo import demo_offers
            from bot.trades import load_trades

            resolver = Resolver(session)
            records = demo_offers(today, territory, load_trades())
            result = upsert_offers(session, (offer_values(r, resolver) for r in records))
            counts["demo_offers"] = len(records)
            counts["demo_new"] = result.created
        else:
            session.execute(delete(Offer).where(Offer.demo.is_(True)))
        counts["bus_stops"] = replace_bus_stops(
            session, round_stops(today), demo=bool(territory.bus.get("demo"))
        )
    return counts
