"""Indy's facts, each written once with its source and the date it was checked.

content/facts.yml holds every fact-bearing answer (`fact(id)`); content/safety.yml what Indy says
to a person in distress and the emergency numbers (`safety()`); content/trades.yml the trades'
ROME codes and starting salaries. `review_sheet(today)` lists all of them for the operator
(`python -m bot facts`, `make facts`) and flags what is older than a year, marked
`verify: true`, or past its `review_by` date.

Loading validates every entry: a missing text, source or checked date raises ContentError,
naming the file and the entry, so a bad edit fails at start (and in the tests), not in front of
a young person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.content import load_yaml
from bot.settings import get_settings

STALE_AFTER = timedelta(days=365)
SOON = timedelta(days=31)  # a review_by date this close is announced on the sheet
NNBSP = "\u202f"


class ContentError(ValueError):
    """A content file (facts, safety, trades) is missing something an answer needs."""


class UnknownFact(KeyError):
    """fact(id) for an id that content/facts.yml does not have."""

    def __str__(self) -> str:  # KeyError's str() quotes its argument
        return str(self.args[0])


@dataclass(frozen=True)
class Fact:
    id: str
    title: str
    messages: list[dict[str, Any]]  # each: text, and optionally buttons [{title, payload}]
    source: str
    checked: date
    verify: bool = False
    notes: str = ""
    review_by: date | None = None

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages]


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    name: str
    hours: str
    cost: str
    source: str
    checked: date
    role: str = ""
    verify: bool = False
    notes: str = ""


@dataclass(frozen=True)
class SafetyCategory:
    id: str
    numbers: tuple[str, ...]
    messages: list[dict[str, Any]]


@dataclass(frozen=True)
class Safety:
    numbers: dict[str, EmergencyNumber]
    categories: dict[str, SafetyCategory]
    local_help: dict[str, dict[str, Any]] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------

def _content_path(name: str, path: Path | None) -> Path:
    return Path(path) if path else get_settings().content_dir / name


def _date(value: Any, where: str, key: str, required: bool = True) -> date | None:
    """YAML gives a date for 2026-12-03; a string "2026-12-03" or "2026-11" is read too."""
    if value is None or value == "":
        if required:
            raise ContentError(f"{where} : « {key} » manque (une date AAAA-MM-JJ).")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ContentError(f"{where} : « {key} » n'est pas une date (AAAA-MM-JJ) : {value!r}.")


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where} : « {key} » manque ou est vide.")
    return value.strip()


def _button_ok(button: Any) -> bool:
    return (isinstance(button, dict) and bool(button.get("title"))
            and str(button.get("payload", "")).startswith("/"))


def _messages(raw: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{where} : « messages » manque (au moins un message avec un texte).")
    messages = []
    for i, message in enumerate(raw, 1):
        here = f"{where}, message {i}"
        if not isinstance(message, dict):
            raise ContentError(f"{here} : un message s'écrit « - text: \"…\" ».")
        out: dict[str, Any] = {"text": _text(message.get("text"), here, "text")}
        buttons = message.get("buttons")
        if buttons:
            if not isinstance(buttons, list) or not all(_button_ok(b) for b in buttons):
                raise ContentError(f"{here} : chaque bouton a un « title » et un « payload » "
                                   "qui commence par « / ».")
            out["buttons"] = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        messages.append(out)
    return messages


def parse_facts(raw: Any, where: str = "facts.yml") -> dict[str, Fact]:
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), dict) or not raw["facts"]:
        raise ContentError(f"{where} : la clé « facts » manque ou est vide.")
    facts = {}
    for fact_id, entry in raw["facts"].items():
        here = f"{where}, fait « {fact_id} »"
        if not isinstance(entry, dict):
            raise ContentError(f"{here} : l'entrée doit avoir title, messages, source, checked.")
        facts[fact_id] = Fact(
            id=fact_id,
            title=_text(entry.get("title"), here, "title"),
            messages=_messages(entry.get("messages"), here),
            source=_text(entry.get("source"), here, "source"),
            checked=_date(entry.get("checked"), here, "checked"),
            verify=bool(entry.get("verify", False)),
            notes=(entry.get("notes") or "").strip(),
            review_by=_date(entry.get("review_by"), here, "review_by", required=False),
        )
    return facts


def parse_safety(raw: Any, where: str = "safety.yml") -> Safety:
    if not isinstance(raw, dict):
        raise ContentError(f"{where} : le fichier est vide.")
    numbers = {}
    for number, entry in (raw.get("numbers") or {}).items():
        here = f"{where}, numéro « {number} »"
        if not isinstance(entry, dict):
            raise ContentError(f"{here} : il faut name, hours, cost, source, checked.")
        numbers[str(number)] = EmergencyNumber(
            number=str(number), name=_text(entry.get("name"), here, "name"),
            hours=_text(entry.get("hours"), here, "hours"),
            cost=_text(entry.get("cost"), here, "cost"),
            source=_text(entry.get("source"), here, "source"),
            checked=_date(entry.get("checked"), here, "checked"),
            role=(entry.get("role") or "").strip(), verify=bool(entry.get("verify", False)),
            notes=(entry.get("notes") or "").strip())
    if not numbers:
        raise ContentError(f"{where} : la clé « numbers » manque ou est vide.")
    categories = {}
    for category, entry in (raw.get("categories") or {}).items():
        here = f"{where}, catégorie « {category} »"
        if not isinstance(entry, dict):
            raise ContentError(f"{here} : il faut messages et numbers.")
        listed = tuple(str(n) for n in entry.get("numbers") or ())
        unknown = [n for n in listed if n not in numbers]
        if unknown:
            raise ContentError(
                f"{here} : numéro(s) absent(s) de « numbers » : {', '.join(unknown)}.")
        categories[category] = SafetyCategory(category, listed,
                                              _messages(entry.get("messages"), here))
    if not categories:
        raise ContentError(f"{where} : la clé « categories » manque ou est vide.")
    local_help = {}
    for key, entry in (raw.get("local_help") or {}).items():
        here = f"{where}, aide locale « {key} »"
        _text((entry or {}).get("source"), here, "source")
        _date((entry or {}).get("checked"), here, "checked")
        local_help[key] = dict(entry)
    return Safety(numbers, categories, local_help)


def load_facts(path: Path | None = None) -> dict[str, Fact]:
    path = _content_path("facts.yml", path)
    return _parsed(path, parse_facts)


def safety(path: Path | None = None) -> Safety:
    path = _content_path("safety.yml", path)
    return _parsed(path, parse_safety)


_CACHE: dict[tuple[Path, Any], tuple[int, Any]] = {}


def _parsed(path: Path, parse):  # noqa: ANN001, ANN202
    """Parsed once per file (load_yaml caches the YAML itself; this caches the validation)."""
    raw = load_yaml(path)
    key = (path, parse)
    cached = _CACHE.get(key)
    if cached and cached[0] == id(raw):
        return cached[1]
    value = parse(raw, path.name)
    _CACHE[key] = (id(raw), value)
    return value


def fact(fact_id: str, path: Path | None = None) -> Fact:
    facts = load_facts(path)
    try:
        return facts[fact_id]
    except KeyError:
        raise UnknownFact(f"Fait inconnu « {fact_id} » : il n'est pas dans content/facts.yml "
                          f"({len(facts)} faits : {', '.join(sorted(facts))}).") from None


def has_fact(fact_id: str, path: Path | None = None) -> bool:
    return fact_id in load_facts(path)


def smic(path: Path | None = None) -> dict[str, Any]:
    """The SMIC block of facts.yml (monthly_gross, monthly_net, since, source…)."""
    return dict(load_yaml(_content_path("facts.yml", path)).get("smic") or {})


# --- the operator's review sheet ----------------------------------------------------------

def _flags(checked: date | None, verify: bool, today: date,
           review_by: date | None = None) -> list[str]:
    flags = []
    if checked is None:
        flags.append("SANS DATE")
    elif today - checked > STALE_AFTER:
        flags.append(f"VIEUX DE PLUS D'UN AN ({(today - checked).days} j)")
    if verify:
        flags.append("À VÉRIFIER")
    if review_by is not None:
        if review_by <= today:
            flags.append(f"PÉRIMÉ DEPUIS LE {review_by.isoformat()}")
        elif review_by - today <= SOON:
            flags.append(f"À REVOIR AVANT LE {review_by.isoformat()}")
    return flags


def _euros(value: Any) -> str:
    """1823.03 -> « 1 823,03 € » (French writing, narrow no-break space for thousands)."""
    if not isinstance(value, (int, float)):
        return f"{value} €"
    whole, cents = f"{value:,.2f}".split(".")
    return whole.replace(",", NNBSP) + "," + cents + " €"


def _line(label: str, flags: list[str]) -> str:
    return f"{'⚠ ' if flags else '  '}{label}" + (f"  [{' · '.join(flags)}]" if flags else "")


def _trade_rows(path: Path | None) -> tuple[list[dict[str, Any]], date | None]:
    raw = load_yaml(_content_path("trades.yml", path))
    rome_checked = _date(raw.get("rome_checked"), "trades.yml", "rome_checked", required=False)
    return raw.get("trades") or [], rome_checked


def review_sheet(today: date | None = None, content_dir: Path | None = None) -> str:
    """Every fact, every emergency number, every trade's salary and ROME code, with its source
    and date; ⚠ before what is older than a year, marked verify or past its review date."""
    today = today or date.today()
    base = Path(content_dir) if content_dir else None
    facts = load_facts(base / "facts.yml" if base else None)
    safe = safety(base / "safety.yml" if base else None)
    trades, rome_checked = _trade_rows(base / "trades.yml" if base else None)
    raw_facts = load_yaml(_content_path("facts.yml", base / "facts.yml" if base else None))
    flagged = 0
    out = [f"Fiche de relecture d'Indy — {today.isoformat()}",
           "⚠ = plus vieux d'un an, marqué « à vérifier », ou date de révision proche ou "
           "passée.", ""]

    block = raw_facts.get("smic") or {}
    if block:
        since = _date(block.get("since"), "facts.yml", "smic.since", required=False)
        checked = _date(block.get("checked"), "facts.yml", "smic.checked", required=False)
        review_by = _date(block.get("review_by"), "facts.yml", "smic.review_by", required=False)
        flags = _flags(checked, bool(block.get("verify")), today, review_by)
        flagged += bool(flags)
        out += ["== SMIC ==",
                _line(f"{_euros(block.get('monthly_gross'))} brut par mois "
                      f"({_euros(block.get('hourly_gross'))} de l'heure), environ "
                      f"{_euros(block.get('monthly_net'))} net, depuis le "
                      f"{since.isoformat() if since else '?'}", flags),
                f"    source : {block.get('source', '—')}",
                f"    vérifié le {checked.isoformat() if checked else '—'}"]
        if block.get("notes"):
            out.append(f"    note : {block['notes']}")
        out.append("")

    out.append(f"== Faits ({len(facts)}) ==")
    for f in facts.values():
        flags = _flags(f.checked, f.verify, today, f.review_by)
        flagged += bool(flags)
        out += [_line(f"{f.id} — {f.title}", flags),
                f"    source : {f.source}", f"    vérifié le {f.checked.isoformat()}"]
        if f.notes:
            out.append(f"    note : {f.notes}")
    out.append("")

    out.append(f"== Numéros d'urgence ({len(safe.numbers)}) ==")
    for n in safe.numbers.values():
        flags = _flags(n.checked, n.verify, today)
        flagged += bool(flags)
        used = [c.id for c in safe.categories.values() if n.number in c.numbers]
        out += [_line(f"{n.number} — {n.name} ({n.hours}, {n.cost})", flags),
                f"    pour : {', '.join(used) or '—'}",
                f"    source : {n.source}", f"    vérifié le {n.checked.isoformat()}"]
        if n.notes:
            out.append(f"    note : {n.notes}")
    for key, entry in safe.local_help.items():
        checked = _date(entry.get("checked"), "safety.yml", f"{key}.checked")
        flags = _flags(checked, bool(entry.get("verify")), today)
        flagged += bool(flags)
        out += [_line(f"{entry.get('name', key)} — {entry.get('what', '')}", flags),
                f"    source : {entry.get('source')}", f"    vérifié le {checked.isoformat()}"]
    out.append("")

    rome_flags = _flags(rome_checked, False, today)
    flagged += bool(rome_flags)
    out.append(_line(f"== Métiers ({len(trades)}) : codes ROME vérifiés le "
                     f"{rome_checked.isoformat() if rome_checked else '—'} ==", rome_flags))
    for item in trades:
        salary = item.get("salary") or {}
        salary_date = _date(salary.get("date"), "trades.yml", f"{item.get('name')}.salary.date",
                            required=False)
        flags = _flags(salary_date, False, today)
        if not item.get("rome"):
            flags.append("SANS CODE ROME")
        if not salary:
            flags.append("SANS SALAIRE")
        flagged += bool(flags)
        pay = (f"{salary.get('min')}–{salary.get('max')} {salary.get('unit', '€ brut par mois')}"
               if salary else "—")
        out += [_line(f"{item.get('name')} — ROME {item.get('rome') or '—'} — {pay}", flags),
                f"    salaire : {salary.get('source', '—')} ({salary.get('date', '—')})"]
    out += ["", f"{flagged} élément(s) signalé(s) ⚠."]
    return "\n".join(out) + "\n"


def flagged_count(sheet: str) -> int:
    match = re.search(r"^(\d+) élément\(s\) signalé", sheet, re.M)
    return int(match.group(1)) if match else 0
