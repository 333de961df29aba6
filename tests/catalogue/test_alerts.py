"""Alerts: a new matching offer is sent once on Telegram (through a local Bot API)."""

from __future__ import annotations

from datetime import timedelta

from bot.catalogue.alerts import create_alert, pending_deliveries
from bot.catalogue.db import session_scope
from bot.catalogue.records import OfferRecord
from bot.catalogue.store import Resolver, offer_values, upsert_offers
from bot.notify import TelegramTransport, send_alerts
from tests.conftest import TODAY
from tests.support.telegram_api import TelegramApi


def offer(source_id: str, trade: str, commune: str, kind: str = "job") -> OfferRecord:
    return OfferRecord(source="test", source_id=source_id, kind=kind, title=f"Poste {source_id}",
                       organisation="Forges test", commune=commune, trade=trade,
                       expires_on=TODAY + timedelta(days=20))


def test_new_matching_offers_are_sent_once_and_failures_retried(empty_catalogue):
    with session_scope(empty_catalogue) as session:
        create_alert(session, "777", "telegram", "job", "soudeur", "63430")
        create_alert(session, "888", "rest", "job", None, None)
        resolver = Resolver(session)
        result = upsert_offers(session, [offer_values(r, resolver) for r in (
            offer("near", "soudeuse", "Courpière"),  # 14 km: within 30
            offer("far", "soudeur", "Montbrison"),  # too far
            offer("other", "cariste", "Thiers"),  # other trade
            offer("kind", "soudeur", "Thiers", kind="training"),  # other kind
        )])
        deliveries = pending_deliveries(session, result.new_offer_ids, TODAY)
        by_person = sorted((d.sender_id, d.title) for d in deliveries)
        assert ("777", "Poste near") in by_person and len([d for d in by_person
                                                           if d[0] == "777"]) == 1
        assert len([d for d in by_person if d[0] == "888"]) == 3  # every job, anywhere

        with TelegramApi() as api:
            api.fail_next = 1
            transports = {"telegram": TelegramTransport(api.token, api.base_url)}
            first = send_alerts(session, deliveries, transports)
            assert (first.sent, first.failed, first.no_transport) == (0, 1, 3)
            retry = send_alerts(session, pending_deliveries(session, result.new_offer_ids,
                                                            TODAY), transports)
            assert (retry.sent, retry.failed) == (1, 0)
            again = pending_deliveries(session, result.new_offer_ids, TODAY)
            assert [d.sender_id for d in again] == ["888"] * 3  # Telegram one is done
        assert len(api.sent) == 1 and api.sent[0]["chat_id"] in ("777", 777)
        assert "Poste near" in api.sent[0]["text"] and "Courpière" in api.sent[0]["text"]
