"""`python -m bot catalogue import FILE`: offers from a CSV or JSON file, all or nothing.

Every row is checked first (fields, dates, commune of the territory, duplicates in the file).
One error anywhere refuses the whole file, with the line and the reason of each error, and
nothing is written. A valid file is upserted by (source, source_id): importing it again changes
nothing. The schema is documented in docs/catalogue.md.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue.records import RecordError, record_from_mapping
from bot.catalogue.store import Resolver, UpsertResult, offer_values, upsert_offers

MAX_ERRORS_SHOWN = 50


@dataclass
class ImportReport:
    path: str
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    result: UpsertResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.errors:
            first = self.errors[:MAX_ERRORS_SHOWN]
            shown = [f"  ligne {line} : {reason}" for line, reason in first]
            more = len(self.errors) - MAX_ERRORS_SHOWN
            if more > 0:
                shown.append(f"  … et {more} autres erreurs")
            return [f"{self.path} refusé : {len(self.errors)} erreur(s), rien n'a été importé.",
                    *shown]
        r = self.result
        assert r is not None
        return [f"{self.path} : {self.rows} offres lues, {r.created} ajoutées, "
                f"{r.updated} mises à jour, {r.unchanged} inchangées."]


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs. CSV: the header is line 1. JSON: a list of objects, numbered
    from 1 by position. Raises RecordError when the file itself cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordError(f"le fichier n'est pas en UTF-8 ({error.reason})") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise RecordError(f"JSON invalide ligne {error.lineno} : {error.msg}") from None
        if isinstance(data, dict) and isinstance(data.get("offers"), list):
            data = data["offers"]
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise RecordError("JSON : une liste d'objets est attendue (ou {\"offers\": [...]})")
        return list(enumerate(data, start=1))
    if path.suffix.lower() != ".csv":
        raise RecordError("format inconnu : le fichier doit finir par .csv ou .json")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise RecordError("fichier vide : la première ligne doit nommer les colonnes")
    rows = []
    for row in reader:
        if None in row:
            rows.append((reader.line_num, {"": "trop de valeurs sur la ligne", **row}))
            continue
        rows.append((reader.line_num, row))
    return rows


def import_file(session: Session, path: Path) -> ImportReport:
    report = ImportReport(str(path))
    try:
        rows = read_rows(path)
    except (OSError, RecordError) as error:
        report.errors.append((0, str(error)))
        return report
    report.rows = len(rows)
    if not rows:
        report.errors.append((0, "aucune offre dans le fichier"))
        return report
    resolver = Resolver(session)
    values, seen = [], {}
    for line, row in rows:
        if "" in row and row[""] == "trop de valeurs sur la ligne":
            report.errors.append((line, "trop de valeurs sur la ligne (séparateur dans un texte "
                                        "sans guillemets ?)"))
            continue
        try:
            record = record_from_mapping(row)
            values.append(offer_values(record, resolver))
        except RecordError as error:
            report.errors.append((line, str(error)))
            continue
        key = (record.source, record.source_id)
        if key in seen:
            report.errors.append((line, f"source_id « {record.source_id} » déjà vu ligne "
                                        f"{seen[key]}"))
        seen.setdefault(key, line)
    if report.errors:
        return report
    report.result = upsert_offers(session, values)
    return report
