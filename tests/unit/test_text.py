from bot.text import edit_distance, fold, sound


def test_fold_removes_accents_case_hyphens_and_expands_saint():
    assert fold("Saint-Rémy-sur-Durolle") == "saint remy sur durolle"
    assert fold("St-Just  St-Rambert") == "saint just saint rambert"
    assert fold("Écotay-l’Olme") == "ecotay l olme"
    assert fold("  ") == ""


def test_edit_distance_counts_swaps_as_one_and_stops_at_limit():
    assert edit_distance("soudeur", "soudeur", 1) == 0
    assert edit_distance("soudeur", "suodeur", 1) == 1
    assert edit_distance("cariste", "carriste", 1) == 1
    assert edit_distance("thiers", "ambert", 2) == 3


def test_sound_groups_french_spellings():
    assert sound("ambair") == sound("Ambert")
    assert sound("Thier") == sound("Thiers")
    assert sound("montbrizon") != sound("Thiers")
