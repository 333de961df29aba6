from datetime import date

from bot.bus import next_stops, upcoming_stops
from bot.local_services import services_near
from bot.search import SearchRequest

MONDAY = date(2026, 11, 23)


def test_bus_round_repeats_weekly_and_is_sorted_by_day():
    stops = upcoming_stops(MONDAY, days=7)
    assert [s.day.weekday() for s in stops] == sorted(s.day.weekday() for s in stops)
    assert stops[0].commune == "Arlanc" and stops[0].day == MONDAY


def test_next_stop_at_a_served_commune():
    answer = next_stops(date(2026, 11, 25), "63010")  # Arlanc, asked on a Wednesday
    assert answer.served is True
    assert [(s.commune, s.day) for s in answer.stops] == [("Arlanc", date(2026, 11, 30))]


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


def test_search_is_said_back_in_plain_words():
    said = SearchRequest("search_job", "soudeur", "63430").said_back()
    assert said == {"what": "un job", "trade": " de soudeur", "place": " vers Thiers"}
    said = SearchRequest("search_training", "cariste", None).said_back()
    assert said == {"what": "une formation", "trade": " en cariste", "place": ""}
    said = SearchRequest("search_events", "cariste", "tiltam").said_back()
    assert said == {"what": "les événements", "trade": "", "place": " sur tout le territoire"}
