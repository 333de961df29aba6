"""`python -m bot catalogue import`: all or nothing, line and reason for each error, idempotent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.catalogue.db import session_scope
from bot.catalogue.importer import import_file
from bot.catalogue.schema import Offer
from bot.catalogue.search import Query, search
from bot.settings import ROOT
from tests.conftest import TODAY

HEADER = ("source,source_id,kind,title,organisation,commune,trade,contract_type,start_date,"
          "expires_on,description,how_to_apply\n")
GOOD = HEADER + (
    "ml-thiers,T1,job,Soudeur TIG,Forges de la Durolle,63430,soudeuse,CDI,,2026-12-31,"
    "Tu soudes des pièces inox.,Envoie ton CV.\n"
    "ml-thiers,T2,training,CAP conducteur d'installations,GRETA,Ambert,,formation,2027-01-10,"
    "2027-01-05,Formation de 6 mois.,Inscris-toi à la Mission Locale.\n"
    "ml-thiers,T3,job,Cariste,Logistique du Forez,42147,cariste,intérim,,2026-11-20,"
    "Déjà expirée.,—\n"
)


def count(url: str) -> int:
    with session_scope(url) as session:
        return session.execute(select(func.count(Offer.id))).scalar_one()


def test_a_valid_csv_is_imported_and_reimporting_changes_nothing(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(GOOD, encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        report = import_file(session, path)
    assert report.ok and (report.result.created, report.result.updated) == (3, 0)
    with session_scope(empty_catalogue) as session:
        offer = session.execute(select(Offer).where(Offer.source_id == "T1")).scalar_one()
        assert offer.trade.name == "soudeur" and offer.place.name == "Thiers"
        assert offer.rome == "H2913" and offer.latitude is not None
        again = import_file(session, path)
    assert again.ok and (again.result.created, again.result.updated, again.result.unchanged) == (
        0, 0, 3)
    assert count(empty_catalogue) == 3


def test_a_changed_row_is_updated_in_place(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(GOOD, encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        import_file(session, path)
    path.write_text(GOOD.replace("Soudeur TIG", "Soudeur TIG confirmé"), encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        report = import_file(session, path)
        assert (report.result.created, report.result.updated) == (0, 1)
        titles = session.execute(select(Offer.title).where(Offer.source_id == "T1")).scalars()
        assert list(titles) == ["Soudeur TIG confirmé"]


def test_expired_offers_are_not_found(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(GOOD, encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        import_file(session, path)
        result = search(session, Query("job", "cariste", "42147"), TODAY)
    assert result.total == 0  # T3 expired on 2026-11-20


def test_a_broken_file_is_refused_whole_with_line_and_reason(empty_catalogue, tmp_path):
    broken = GOOD + (
        "ml-thiers,T4,boulot,Soudeur,Forges,63430,,,,,,\n"  # line 5: unknown kind
        "ml-thiers,T5,job,,Forges,Lyon,,,,2026-13-01,,\n"  # line 6: title, commune, date
        "ml-thiers,T1,job,Doublon,Forges,63430,,,,,,\n"  # line 7: duplicate source_id
    )
    path = tmp_path / "offres.csv"
    path.write_text(broken, encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        report = import_file(session, path)
    assert not report.ok
    lines = {line for line, _ in report.errors}
    assert lines == {5, 6, 7}
    reasons = dict(report.errors)
    assert "kind" in reasons[5] and "boulot" in reasons[5]
    assert "title : obligatoire" in reasons[6] and "date invalide" in reasons[6]
    assert "déjà vu ligne 2" in reasons[7]
    assert count(empty_catalogue) == 0  # the valid rows were not written either
    assert "rien n'a été importé" in report.lines()[0]


def test_a_commune_outside_the_territory_is_refused(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(HEADER + "x,1,job,Soudeur,Forges,Lyon,,,,,,\n", encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        report = import_file(session, path)
    assert report.errors == [(2, "commune : « Lyon » n'est pas une commune du territoire "
                                 "(code INSEE ou nom)")]


def test_json_is_accepted_and_bad_json_says_where(empty_catalogue, tmp_path):
    rows = [{"source": "lba", "source_id": "A1", "kind": "apprenticeship",
             "title": "Apprenti usineur", "organisation": "Décolletage de Thiers",
             "commune": "Thiers", "trade": "usinage", "contract_type": "apprentissage"}]
    path = tmp_path / "offres.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        assert import_file(session, path).ok
    path.write_text('[{"source": "lba",\n "source_id": }]', encoding="utf-8")
    with session_scope(empty_catalogue) as session:
        report = import_file(session, path)
    assert report.errors and "JSON invalide ligne 2" in report.errors[0][1]


def test_the_command_line_reports_and_exits_non_zero_on_errors(empty_catalogue, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(HEADER + "x,1,job,Soudeur,Forges,Lyon,,,,,,\n", encoding="utf-8")
    env = {"INDY_DATABASE_URL": empty_catalogue, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "bot", "catalogue", "import", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "ligne 2 : commune" in done.stderr
    good = Path(tmp_path / "ok.csv")
    good.write_text(GOOD, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot", "catalogue", "import", str(good)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 ajoutées" in done.stdout
