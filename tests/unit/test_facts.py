"""The facts Indy states (content/facts.yml), the emergency numbers (content/safety.yml) and the
operator's review sheet (python -m bot facts): every fact has its text, source and date, every
number is written in the messages of its category, nothing old goes unflagged."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot import facts as facts_module
from bot.cli import main
from bot.facts import (
    STALE_AFTER,
    ContentError,
    UnknownFact,
    fact,
    flagged_count,
    load_facts,
    parse_facts,
    parse_safety,
    review_sheet,
    safety,
    smic,
)
from bot.settings import ROOT
from bot.trades import load_trades

# The ids the dialogue calls (issue 15): each must exist.
REQUIRED = [
    "mrs", "immersion", "immersion_too_young", "immersion_pay", "internship", "internship_pay",
    "no_diploma", "financial_aid", "cej", "cej_too_old", "faj", "rsa", "apprentice_pay",
    "apprentice_hiring_aid", "training_pay", "mobility", "licence_aid", "housing", "disability",
    "industry_image", "cv_help", "orientation", "orientation_pupil", "too_late", "platforms",
    "who_helps_pupil", "who_helps_16_25", "who_helps_26_plus", "who_helps_rqth",
    "salary_general",
]
CATEGORIES = ["suicide", "shelter", "hunger", "minor_abuse", "violence", "harassment", "unwell"]
TODAY = date.today()


def _appears(number: str, text: str) -> bool:
    """« 15 » in « le 15 (le SAMU) » but not inside « 115 » or « 2015 »."""
    return re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text) is not None


@pytest.mark.parametrize("fact_id", REQUIRED)
def test_every_required_fact_loads_with_text_source_and_date(fact_id):
    f = fact(fact_id)
    assert f.title and f.source and isinstance(f.checked, date)
    assert 1 <= len(f.messages) <= 3
    assert all(m["text"].strip() for m in f.messages)


def test_unknown_fact_says_so_clearly():
    with pytest.raises(UnknownFact, match="Fait inconnu « nope »"):
        fact("nope")


def test_no_fact_older_than_a_year_unless_marked_verify():
    stale = [f.id for f in load_facts().values()
             if TODAY - f.checked > STALE_AFTER and not f.verify]
    assert stale == [], f"à revérifier (plus d'un an) : {stale}"


def test_fact_texts_are_short_plain_and_without_point_median():
    for f in load_facts().values():
        for text in f.texts:
            assert "·" not in re.sub(r"\s·\s", " ", text), f"point médian dans {f.id}"
            assert len(text) <= 650, f"{f.id} : message trop long ({len(text)} caractères)"
            assert "c'est noté" not in text.lower()


def test_fact_buttons_have_payloads():
    for f in load_facts().values():
        for m in f.messages:
            for b in m.get("buttons", []):
                assert b["title"] and b["payload"].startswith("/")


def test_ages_and_money_the_issue_names_are_stated():
    assert "16 ans" in " ".join(fact("immersion").texts)
    assert "parent" in " ".join(fact("immersion").texts)
    assert "pas payée" in " ".join(fact("immersion_pay").texts)
    assert "pas payé" in " ".join(fact("internship_pay").texts)
    pay = " ".join(fact("apprentice_pay").texts)
    assert "16-17 ans" in pay and "26 ans et plus" in pay and "1 823 €" in pay
    assert "29 ans" in " ".join(fact("cej").texts)
    assert "25 ans" in " ".join(fact("rsa").texts)
    pupil = " ".join(fact("who_helps_pupil").texts)
    assert "professeur principal" in pupil and "Mission Locale" not in pupil
    assert "1eleve1stage.education.gouv.fr" in " ".join(fact("internship").texts)
    assert "jamais trop tard" in " ".join(fact("too_late").texts).lower()
    assert "Cap emploi" in " ".join(fact("who_helps_rqth").texts)


def test_the_smic_used_for_pay_is_stated_with_its_date():
    block = smic()
    assert block["monthly_gross"] >= 1823.03 and block["since"] and block["source"]
    assert "1 823,03 €" in " ".join(fact("salary_general").texts)
    assert "1er janvier 2026" in " ".join(fact("salary_general").texts)


def test_every_fact_the_dialogue_asks_for_exists():
    """say_fact("…") / fact("…") / fact_messages("…") with a literal id anywhere in bot/ or
    actions/: a typo there would crash in front of a user."""
    known = set(load_facts())
    called = set()
    call = re.compile(r"""(?:say_fact|fact_messages|\bfact)\(\s*["']([a-z0-9_]+)["']""")
    for folder in ("bot", "actions"):
        for path in (ROOT / folder).rglob("*.py"):
            called |= set(call.findall(path.read_text(encoding="utf-8")))
    assert called - known == set()


# --- safety ---------------------------------------------------------------------------------

@pytest.mark.parametrize("category", CATEGORIES)
def test_every_number_of_a_category_is_written_in_its_messages(category):
    entry = safety().categories[category]
    text = " ".join(m["text"] for m in entry.messages)
    assert entry.numbers, category
    for number in entry.numbers:
        assert number in text and _appears(number, text), f"{category} : {number} absent"


@pytest.mark.parametrize("category", CATEGORIES)
def test_safety_messages_are_warm_and_say_it_is_free(category):
    entry = safety().categories[category]
    first = entry.messages[0]["text"]
    assert any(w in first for w in ("Merci", "désolé", "bien fait")), first
    text = " ".join(m["text"] for m in entry.messages).lower()
    assert "gratuit" in text
    assert "c'est noté" not in text and "😅" not in text and "mdr" not in text


def test_the_numbers_the_issue_names_are_where_they_belong():
    cats = safety().categories
    assert {"3114", "15", "112"} <= set(cats["suicide"].numbers)
    assert "115" in cats["shelter"].numbers
    assert "119" in cats["minor_abuse"].numbers
    assert {"17", "3919"} <= set(cats["violence"].numbers)
    assert "3018" in cats["harassment"].numbers
    assert "0 800 235 236" in cats["unwell"].numbers
    assert "CCAS" in " ".join(m["text"] for m in cats["hunger"].messages)


def test_every_number_has_hours_cost_source_and_a_recent_check():
    for n in safety().numbers.values():
        assert n.hours and n.cost and n.source
        assert TODAY - n.checked <= STALE_AFTER or n.verify, f"{n.number} à revérifier"


def test_the_dialogue_reads_the_same_safety_messages():
    from bot.dialogue import safety as layer

    for category in CATEGORIES:
        assert [m["text"] for m in layer.messages(category)] == \
            [m["text"] for m in safety().categories[category].messages]


# --- validation -----------------------------------------------------------------------------

def test_a_fact_without_source_is_refused_with_its_name():
    raw = {"facts": {"x": {"title": "X", "messages": [{"text": "t"}], "checked": "2026-12-03"}}}
    with pytest.raises(ContentError, match="« x ».*source"):
        parse_facts(raw)


def test_a_fact_without_text_or_date_is_refused():
    with pytest.raises(ContentError, match="text"):
        parse_facts({"facts": {"x": {"title": "X", "messages": [{"buttons": []}],
                                     "source": "s", "checked": "2026-12-03"}}})
    with pytest.raises(ContentError, match="checked"):
        parse_facts({"facts": {"x": {"title": "X", "messages": [{"text": "t"}], "source": "s"}}})


def test_a_category_naming_an_unknown_number_is_refused():
    raw = {"numbers": {"115": {"name": "n", "hours": "h", "cost": "c", "source": "s",
                               "checked": "2026-12-03"}},
           "categories": {"shelter": {"numbers": ["115", "999"], "messages": [{"text": "115"}]}}}
    with pytest.raises(ContentError, match="999"):
        parse_safety(raw)


# --- the review sheet -----------------------------------------------------------------------

def test_the_review_sheet_lists_every_fact_number_and_trade():
    sheet = review_sheet(TODAY)
    for f in load_facts().values():
        assert f"{f.id} — {f.title}" in sheet
        assert f.source in sheet
    for number in safety().numbers:
        assert f"{number} — " in sheet
    for trade in load_trades():
        assert f"{trade.name} — ROME {trade.rome}" in sheet


def test_the_review_sheet_flags_verify_and_what_gets_old():
    sheet = review_sheet(TODAY)
    assert "⚠ cej — " in sheet  # verify: true
    later = review_sheet(TODAY + timedelta(days=400))
    assert "VIEUX DE PLUS D'UN AN" in later and flagged_count(later) > flagged_count(sheet)
    assert "⚠ mrs — " in later


def test_a_review_date_close_or_past_is_announced():
    assert "À REVOIR AVANT LE 2027-01-01" in review_sheet(date(2026, 12, 15))
    assert "PÉRIMÉ DEPUIS LE 2027-01-01" in review_sheet(date(2027, 1, 2))


def test_every_trade_has_a_rome_code_a_gross_salary_and_a_net_ratio():
    raw = yaml.safe_load((ROOT / "content" / "trades.yml").read_text(encoding="utf-8"))
    assert raw["rome_checked"] and 0.7 < raw["net_ratio"] < 0.85
    for item in raw["trades"]:
        assert re.fullmatch(r"[A-N]\d{4}", item["rome"] or ""), item["name"]
        assert item["salary"]["min"] >= 1823 and "brut" in item["salary"]["unit"]
    production = next(t for t in raw["trades"] if t["name"] == "opérateur de production")
    assert production["rome"] != "H2102"  # food production only


def test_python_m_bot_facts_prints_the_sheet(capsys):
    assert main(["facts", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Fiche de relecture d'Indy" in out and "== Numéros d'urgence" in out
    assert main(["facts", "--strict", "--today", TODAY.isoformat()]) == 1  # some are flagged


def test_a_broken_content_dir_is_reported_by_the_command(tmp_path, monkeypatch, capsys):
    for name in ("facts.yml", "safety.yml", "trades.yml"):
        (tmp_path / name).write_text((ROOT / "content" / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    broken = yaml.safe_load((tmp_path / "facts.yml").read_text(encoding="utf-8"))
    del broken["facts"]["mrs"]["source"]
    (tmp_path / "facts.yml").write_text(yaml.safe_dump(broken, allow_unicode=True),
                                        encoding="utf-8")
    monkeypatch.setattr(facts_module, "_content_path",
                        lambda name, path: Path(path) if path else tmp_path / name)
    assert main(["facts"]) == 2
    assert "mrs" in capsys.readouterr().err
