"""The safety layer's statistical detector, trained from the repository's files."""

from __future__ import annotations

from bot.dialogue import distress_model, safety


def test_it_reads_distress_it_was_not_shown_and_leaves_job_talk_alone():
    # Sentences written for this test, not taken from the training files.
    assert distress_model.category("franchement je vois plus l'interet de me lever le matin, "
                                   "je voudrais m'endormir et ne plus rien sentir")
    assert distress_model.category("mon beau pere me met des claques quand ma mere est au "
                                   "boulot") == "minor_abuse"
    for ordinary in ("je cherche une alternance de chaudronnier vers Ambert",
                     "c'est combien le salaire d'un cariste en intérim ?",
                     "merci beaucoup, bonne soirée"):
        assert distress_model.category(ordinary) is None, ordinary


def test_the_model_is_named_after_its_data_and_code(tmp_path):
    path = distress_model.model_file()
    assert path.name.startswith("safety-") and path.suffix == ".pkl"
    trained = distress_model._model_for.__wrapped__(tmp_path / path.name)  # written, not cached
    assert (tmp_path / path.name).exists() and list(trained.classes_).count("ordinary") == 1


def test_the_lexicon_still_decides_alone_when_asked():
    assert safety.detect("je veux mourir", statistical=False) == "suicide"
    assert safety.detect("/search_job") is None, "a button's payload is never distress"
