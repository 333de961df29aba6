from dataclasses import asdict, replace
from datetime import date, timedelta

import pytest

from bot.bus import round_stops
from bot.catalogue import records
from bot.catalogue.demo import demo_offers, served_communes
from bot.territory import get_territory
from bot.trades import load_trades

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def territory():
    return get_territory()


@pytest.fixture(scope="module")
def trades():
    return load_trades()


@pytest.fixture(scope="module")
def offers(territory, trades):
    return demo_offers(TODAY, territory, trades)


def test_enough_records_of_every_kind(offers):
    assert len(offers) >= 400
    kinds = {o.kind for o in offers}
    assert kinds == set(records.KINDS)
    assert sum(o.kind == "job" for o in offers) >= 120
    assert sum(o.kind == "mrs" for o in offers) >= 15


def test_canonical_trades_with_their_rome(offers, trades):
    by_name = {t.name: t for t in trades}
    used = {o.trade for o in offers if o.trade}
    assert len(used) >= 30
    assert used <= set(by_name)
    assert all(o.rome == by_name[o.trade].rome for o in offers if o.trade)
    assert all(o.trade for o in offers if o.kind != "event")


def test_every_intercommunalite_and_many_communes(offers, territory):
    epci = {c["code"]: c["epci"] for c in territory.communes}
    assert all(o.commune in epci for o in offers)
    counts = {code: sum(epci[o.commune] == code for o in offers) for code in set(epci.values())}
    assert len(counts) == 4
    assert min(counts.values()) >= len(offers) * 0.08
    assert len({o.commune for o in offers}) >= 60


def test_deterministic_and_stable_ids(offers, territory, trades):
    assert demo_offers(TODAY, territory, trades) == offers
    ids = [o.source_id for o in offers]
    assert len(set(ids)) == len(ids)
    tomorrow = demo_offers(TODAY + timedelta(days=1), territory, trades)
    assert [(o.source_id, o.organisation, o.trade) for o in tomorrow] == [
        (o.source_id, o.organisation, o.trade) for o in offers
    ]
    assert demo_offers(TODAY, territory, trades, seed=8) != offers


@pytest.mark.parametrize("today", [TODAY, date(2027, 6, 1), date(2027, 7, 14)])
def test_dates_are_consistent_and_relative_to_today(today, territory, trades):
    offers = demo_offers(today, territory, trades)
    for o in offers:
        assert o.start_date is not None, o.source_id
        assert o.end_date is None or o.end_date >= o.start_date, o.source_id
    expired = [o for o in offers if o.expires_on and o.expires_on < today]
    assert 0.02 <= len(expired) / len(offers) <= 0.10
    for o in offers:
        if o.kind == "job" and o not in expired:
            assert today + timedelta(days=15) <= o.expires_on <= today + timedelta(days=60)
            published = date.fromisoformat(o.extra["published_on"])
            assert today - timedelta(days=30) <= published <= today
        if o.kind in ("training", "apprenticeship"):
            assert today + timedelta(weeks=2) <= o.start_date <= today + timedelta(weeks=20)
        if o.kind in ("event", "mrs"):
            assert today < o.start_date <= today + timedelta(days=60)
            assert o.expires_on >= today
        if o.kind == "internship":
            assert o.start_date.weekday() == 0 and o.end_date.weekday() == 4
        if o.kind == "mrs":
            assert o.end_date == o.start_date and o.places_available


def test_one_day_events_end_the_day_they_start(offers):
    one_day = [o for o in offers if o.event_type in ("job_dating", "factory_visit",
                                                     "info_session")]
    assert one_day and all(o.end_date == o.start_date for o in one_day)
    assert {o.event_type for o in offers if o.kind == "event"} == set(records.EVENT_TYPES)


def test_every_record_survives_the_import_check(offers):
    for o in offers:
        row = {k: v for k, v in asdict(o).items() if k != "extra"}
        for key in ("start_date", "end_date", "expires_on"):
            row[key] = row[key].isoformat() if row[key] else ""
        row["demo"] = "true"
        assert records.record_from_mapping(row) == replace(o, extra={}), o.source_id


def test_demo_flags_and_fictional_organisations(offers):
    assert all(o.source == "demo" and o.demo for o in offers)
    assert all(o.organisation.endswith(" (démo)") for o in offers)
    assert all("(démo)" not in o.title + o.description for o in offers)
    assert all(o.url is None for o in offers)
    assert all(o.contract_type in records.CONTRACT_TYPES for o in offers if o.contract_type)
    assert {o.contract_type for o in offers if o.kind == "job"} == {"CDI", "CDD", "intérim"}
    assert all((o.event_type is not None) == (o.kind == "event") for o in offers)
    assert all(o.description and o.requirements and o.how_to_apply for o in offers)


def test_near_bus_line_follows_the_configured_communes(offers, territory):
    served = served_communes(territory)
    assert any(o.extra["near_bus_line"] for o in offers) == bool(served)
    assert all(o.extra["near_bus_line"] == (o.commune in served) for o in offers)


def test_bus_stops_only_on_the_configured_weekdays(territory):
    weekly = territory.bus["weekly"]
    codes = {c["name"]: c["code"] for c in territory.communes}
    expected = {(codes[s["commune"]], s["weekday"]) for s in weekly}
    stops = round_stops(TODAY, weeks=8)
    assert len(stops) == 8 * len(weekly)
    for code, spot, day, hours in stops:
        assert (code, day.weekday()) in expected
        assert TODAY <= day < TODAY + timedelta(weeks=8)
        assert spot and hours
    assert stops == sorted(stops, key=lambda s: s[2])
