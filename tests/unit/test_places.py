import pytest

from bot.places import normalise_place, place_by_key, place_gazetteer
from bot.territory import get_territory


def test_every_commune_of_the_four_intercommunalites_is_known():
    territory = get_territory()
    assert len(territory.communes) == 186
    assert {c["epci"] for c in territory.communes} == {e["code"] for e in territory.epci}
    for commune in territory.communes:
        place = normalise_place(commune["name"])
        assert place is not None and place.key == commune["code"], commune["name"]


@pytest.mark.parametrize(
    "written, insee",
    [
        ("thiers", "63430"),
        ("thier", "63430"),
        ("AMBERT", "63003"),
        ("ambair", "63003"),
        ("montbrisson", "42147"),
        ("st just st rambert", "42279"),
        ("saint just saint rambert", "42279"),
        ("courpiere", "63125"),
        ("st remy sur durolle", "63393"),
        ("boen", "42019"),
        ("noiretable", "42159"),
        ("puy guillaume", "63291"),
        ("arlanc", "63010"),
        ("celles sur durolle", "63066"),
        ("vers lezoux", "63195"),
    ],
)
def test_misspelled_communes_normalise_to_their_insee_code(written, insee):
    place = normalise_place(written)
    assert place is not None and place.key == insee


@pytest.mark.parametrize(
    "written, area",
    [("Livradois", "ambert-livradois-forez"), ("forez", "loire-forez"),
     ("montagne thiernoise", "thiers-dore-et-montagne"), ("peu importe où", "tiltam")],
)
def test_area_names_normalise_to_an_area(written, area):
    place = normalise_place(written)
    assert place is not None and place.kind == "area" and place.key == area


def test_places_outside_the_territory_are_not_forced_onto_a_commune():
    assert normalise_place("Marseille") is None
    assert normalise_place("Clermont-Ferrand") is None


def test_ambiguous_commune_names_need_a_preposition_in_free_text():
    gazetteer = place_gazetteer()
    assert [f.entry.name for f in gazetteer.find("je cherche un job")] == []
    assert [f.entry.name for f in gazetteer.find("j'habite a job")] == ["Job"]


def test_find_returns_spans_of_the_original_text():
    text = "un taf vers St-Just-St-Rambert ou Thiers"
    found = place_gazetteer().find(text)
    assert [(text[f.start:f.end], f.entry.key) for f in found] == [
        ("St-Just-St-Rambert", "42279"), ("Thiers", "63430")
    ]


def test_place_by_key():
    assert place_by_key("63430").name == "Thiers"
    assert place_by_key("00000") is None


def test_a_name_of_several_communes_lists_them_the_largest_first():
    from bot.places import places_named_with

    names = [p.name for p in places_named_with("à st just")]
    assert names[0] == "Saint-Just-Saint-Rambert" and {"Saint-Just", "Saint-Just-en-Bas"} <= \
        set(names)
    assert len(places_named_with("Saint-Bonnet")) >= 3
    assert places_named_with("Thiers") == () and places_named_with("Saint-Just-Saint-Rambert") == ()


def test_a_short_form_that_is_an_ordinary_word_is_not_a_place():
    assert normalise_place("l'hôpital") is None  # « un job à l'hôpital »
    assert normalise_place("L'Hôpital-le-Grand").key == "42108"
