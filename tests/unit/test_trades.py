import pytest

from bot.trades import load_trades, normalise_trade, trade_gazetteer


def test_the_catalogue_has_at_least_forty_distinct_trades():
    trades = load_trades()
    assert len(trades) >= 40
    assert len({t.name for t in trades}) == len(trades)


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("soudeuse", "soudeur"),
        ("Soudeur", "soudeur"),
        ("soudeure", "soudeur"),
        ("opérateur de prod", "opérateur de production"),
        ("operatrice de prod", "opérateur de production"),
        ("technicien de maintenace", "technicien de maintenance"),
        ("technicienne de maintenance", "technicien de maintenance"),
        ("carriste", "cariste"),
        ("usinnage", "usineur"),
        ("chaudronière", "chaudronnier"),
        ("coutellerie", "coutelier"),
        ("fraiseuze", "usineur"),
    ],
)
def test_synonyms_feminine_forms_and_typos_normalise_to_one_trade(written, canonical):
    trade = normalise_trade(written)
    assert trade is not None and trade.name == canonical


@pytest.mark.parametrize("word", ["travail", "boulot", "usine", "bonjour"])
def test_generic_words_are_not_trades(word):
    assert normalise_trade(word) is None


def test_everyday_words_need_a_cue_before_counting_as_a_trade():
    gazetteer = trade_gazetteer()
    assert gazetteer.find("je bois un cafe") == []
    assert [f.entry.name for f in gazetteer.find("un poste en maintenance")] == [
        "technicien de maintenance"
    ]


def test_the_trades_suggested_for_a_like_are_trades_of_the_list():
    from bot.content import load_yaml
    from bot.settings import get_settings
    from bot.trades import load_trades

    names = {t.name for t in load_trades()}
    raw = load_yaml(get_settings().content_dir / "trades.yml")
    assert raw["likes"] and raw["gentle_words"]
    for like in raw["likes"] + raw["near_outside"]:
        assert set(like["trades"]) <= names, like["said"]


def test_the_trades_close_to_one_outside_industry():
    from bot.trades import near_outside

    assert "contrôleur qualité" in near_outside("infirmière").trades
    assert "boulanger industriel" in near_outside("pâtissier").trades
    assert near_outside("astronaute") is None
