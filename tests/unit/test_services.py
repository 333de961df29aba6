from datetime import timedelta

import pytest

from bot.bus import next_stops, upcoming_stops
from bot.local_services import services_near
from tests.conftest import TODAY

MONDAY = TODAY + timedelta(days=(7 - TODAY.weekday()) % 7)  # today or the next Monday
WEDNESDAY = MONDAY + timedelta(days=2)


@pytest.fixture(autouse=True)
def _catalogue(catalogue_url):  # the bus stops are read from the catalogue
    return catalogue_url


def test_bus_round_repeats_weekly_and_is_sorted_by_day():
    stops = upcoming_stops(MONDAY, days=7)
    assert [s.day.weekday() for s in stops] == sorted(s.day.weekday() for s in stops)
    assert stops[0].commune == "Arlanc" and stops[0].day == MONDAY


def test_next_stop_at_a_served_commune():
    answer = next_stops(WEDNESDAY, "63010")  # Arlanc, asked on a Wednesday
    assert answer.served is True
    assert [(s.commune, s.day) for s in answer.stops] == [("Arlanc", MONDAY + timedelta(7))]


def test_unserved_commune_gets_the_stops_of_its_intercommunalite():
    answer = next_stops(MONDAY, "63003")  # Ambert: no stop, same EPCI as Arlanc
    assert answer.served is False and answer.commune == "Ambert"
    assert answer.stops and all(s.epci == "200070761" for s in answer.stops)


def test_no_place_gives_the_next_stops():
    answer = next_stops(MONDAY, None, count=3)
    assert answer.served is None and len(answer.stops) == 3


def test_services_near_a_commune_are_those_of_its_intercommunalite():
    answer = services_near("63003")  # Ambert
    assert answer.place_known
    assert {s["id"] for s in answer.services} == {"ml-ambert", "ft-ambert"}
    assert answer.demo


def test_services_for_an_unknown_place_list_them_all():
    answer = services_near("Lyon")
    assert not answer.place_known and len(answer.services) == 6
