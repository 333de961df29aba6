"""Search ranking: trade exact then related, distance with a widening radius, expiry, no car."""

from __future__ import annotations

from datetime import timedelta

from bot.catalogue.db import session_scope
from bot.catalogue.records import OfferRecord
from bot.catalogue.search import ANY, Query, search
from bot.catalogue.store import Resolver, offer_values, upsert_offers
from tests.conftest import TODAY

THIERS, COURPIERE, AMBERT, MONTBRISON, ARLANC = "63430", "63125", "63003", "42147", "63010"


def add(url: str, *offers: tuple) -> None:
    """(id, kind, trade, commune[, extra]) tuples as offers of a test source."""
    with session_scope(url) as session:
        resolver = Resolver(session)
        records = []
        for n, (source_id, kind, trade, commune, *extra) in enumerate(offers):
            records.append(OfferRecord(
                source="test", source_id=source_id, kind=kind, title=f"Offre {source_id}",
                organisation="Usine test", commune=commune, trade=trade,
                expires_on=TODAY + timedelta(days=30 - n),
                extra=extra[0] if extra else {},
            ))
        upsert_offers(session, [offer_values(r, resolver) for r in records])


def ids(result) -> list[str]:
    return [hit.offer.source_id for hit in result.hits]


def test_nearest_first_within_the_first_radius(empty_catalogue):
    add(empty_catalogue, ("far", "job", "soudeur", MONTBRISON), ("near", "job", "soudeur", THIERS),
        ("mid", "job", "soudeur", COURPIERE))
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("job", "soudeur", THIERS), TODAY)
    assert ids(result) == ["near", "mid"] and result.total == 2
    assert result.radius_km == 15 and not result.widened_radius
    assert result.hits[0].distance_km < 2 < result.hits[1].distance_km < 15


def test_the_radius_widens_and_says_so(empty_catalogue):
    add(empty_catalogue, ("ambert", "job", "soudeur", AMBERT))
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("job", "soudeur", THIERS), TODAY)
    assert ids(result) == ["ambert"] and result.widened_radius
    assert result.radius_km == 50  # Ambert is about 45 km from Thiers


def test_related_trades_when_the_trade_has_nothing(empty_catalogue):
    add(empty_catalogue, ("chaudro", "job", "chaudronnier", THIERS),
        ("cariste", "job", "cariste", THIERS))
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("job", "soudeur", THIERS), TODAY)
    assert ids(result) == ["chaudro"] and result.widened_trade  # H2902 is near H2913


def test_kind_and_any_trade(empty_catalogue):
    add(empty_catalogue, ("j", "job", "soudeur", THIERS),
        ("a", "apprenticeship", "cariste", THIERS), ("a2", "apprenticeship", None, AMBERT))
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("apprenticeship", ANY, THIERS), TODAY)
    assert ids(result) == ["a"]
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("apprenticeship", None, "tiltam"), TODAY)
    assert sorted(ids(result)) == ["a", "a2"]


def test_an_area_keeps_to_its_intercommunalites(empty_catalogue):
    add(empty_catalogue, ("t", "job", None, THIERS), ("m", "job", None, MONTBRISON))
    with session_scope(empty_catalogue) as session:
        result = search(session, Query("job", None, "loire-forez"), TODAY)
    assert ids(result) == ["m"]


def test_without_a_car_offers_on_a_line_come_first(empty_catalogue):
    add(empty_catalogue, ("line", "job", "soudeur", COURPIERE, {"near_bus_line": True}),
        ("noline", "job", "soudeur", "63151"))  # Escoutoux: nearer, no line
    with session_scope(empty_catalogue) as session:
        with_car = search(session, Query("job", "soudeur", THIERS, has_car=True), TODAY)
        without = search(session, Query("job", "soudeur", THIERS, has_car=False), TODAY)
    assert ids(with_car)[0] == "noline"
    assert ids(without)[0] == "line"


def test_paging_three_at_a_time(empty_catalogue):
    add(empty_catalogue, *[(f"o{n}", "job", "soudeur", THIERS) for n in range(7)])
    seen = []
    with session_scope(empty_catalogue) as session:
        for offset in (0, 3, 6, 9):
            result = search(session, Query("job", "soudeur", THIERS, offset=offset), TODAY)
            seen.extend(ids(result))
    assert sorted(seen) == sorted(f"o{n}" for n in range(7)) and len(seen) == 7
