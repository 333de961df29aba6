"""A period of the observatory, as tables and chart data, with small cells hidden.

The same `Report` feeds the admin page, the CSV files and `python -m bot stats`.

Small cells. `people` of a cell is summed over the days of the period (person-days: a person
is a conversation on one day; ids are not kept, so two days of the same person count twice).
A cell of 1 to `min_cell - 1` people is shown as "< 5" (never the number), in every output,
and so are its other columns (messages, share, waiting time). Zero is shown: it names no one.

Totals and differences. A total or a coarser table (a trade over all communes, a channel over
all weeks) is the sum of the cells SHOWN in the finer table, plus the hidden cells pooled
together when their pool reaches the threshold (then it gathers at least two hidden cells, so
none of them can be deduced); otherwise the total is shown as "12 +" (the shown cells, and a
few more), or "< 5" when all its cells are hidden. Total minus shown cells is therefore never
one hidden cell. The
unmet share is shown only when both "found nothing" and "found something" are 0 or at least
the threshold. Known limit: two different breakdowns of the same people (kiosk conversations
by week and by bus stop) are not cross-protected; both only count conversations, no other
attribute.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.observatory.config import observatory_config
from bot.observatory.models import DailyCount, ReviewItem

CHANNEL_LABELS = {"web": "Page web", "widget": "Widget (sites partenaires)",
                  "kiosk": "Borne du bus", "telegram": "Telegram", "api": "API", "autre": "Autre"}
CHANNEL_ORDER = ["web", "widget", "kiosk", "telegram", "api", "autre"]
STATES = {"waiting": "En attente", "taken": "Prise en charge", "cancelled": "Annulée",
          "closed": "Clôturée"}
KIND_LABELS = {"job": "emploi", "training": "formation", "apprenticeship": "alternance",
               "internship": "stage", "immersion": "immersion", "event": "événement",
               "mrs": "MRS"}


@dataclass
class Table:
    id: str  # CSV file name
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Value:
    """A number to show, or hidden (small cell)."""

    n: int
    hidden: bool
    partial: bool = False  # a margin without some hidden cells: the true total is higher

    def text(self, k: int) -> str:
        if self.hidden:
            return f"< {k}"
        return f"{_int(self.n)} +" if self.partial else _int(self.n)


GROUPED_NUMBER = re.compile(r"^\d{1,3}(\u202f\d{3})+$")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_cell(cell: str) -> str:
    """A count as the page shows it ("1 234") becomes a number a spreadsheet reads ("1234").
    A cell a spreadsheet would run as a formula (= + - @, tab, CR first: a name or a word
    from a conversation) is made text with a leading apostrophe."""
    if GROUPED_NUMBER.match(cell):
        return cell.replace("\u202f", "")
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a BOM, ";" between cells: opens as is in LibreOffice and Excel in French."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([[_spreadsheet_cell(str(cell)) for cell in row] for row in table.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _int(n: float) -> str:
    return f"{int(round(n)):,}".replace(",", "\u202f")


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


class Protector:
    def __init__(self, k: int):
        self.k = k

    def small(self, n: int) -> bool:
        return 0 < n < self.k

    def value(self, n: int) -> Value:
        return Value(n, self.small(n))

    def margin(self, cells: Iterable[int]) -> Value:
        """Sum of the shown cells, plus the hidden ones pooled when the pool is big enough."""
        shown = pooled = 0
        for n in cells:
            if self.small(n):
                pooled += n
            else:
                shown += n
        if pooled >= self.k:
            return Value(shown + pooled, False)
        if shown == 0:
            return Value(pooled, self.small(pooled))  # the whole margin is a small cell
        return Value(shown, False, partial=pooled > 0)

    def total(self, values: Iterable[Value]) -> Value:
        """A headline over margins: their shown parts, "+" if any of them is incomplete."""
        values = list(values)
        n = sum(v.n for v in values if not v.hidden)
        partial = any(v.partial or v.hidden for v in values)
        if n == 0 and partial:
            return Value(0, True)
        return Value(n, False, partial)

    def share(self, part: int, whole: int) -> str:
        """part/whole as a percentage, unless it reveals a small group (part or the rest)."""
        if self.small(whole) or self.small(part) or self.small(whole - part) or whole <= 0:
            return f"< {self.k}" if self.small(whole) else "masqué"
        return _pct(part, whole)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-S{week:02d}"


def place_name(code: str) -> str:
    from bot.places import place_by_key

    if not code:
        return "lieu non précisé"
    place = place_by_key(code)
    return place.name if place else code


def trade_name(name: str) -> str:
    from bot.catalogue.search import ANY

    return {"": "métier non précisé", ANY: "tous métiers"}.get(name, name)


def epci_name(code: str) -> str:
    from bot.territory import get_territory

    return get_territory().epci_name(code) if code else "non connue"


def intent_name(intent: str) -> str:
    from bot.labels import intent_label

    if intent == "nlu_fallback":
        return "pas compris (nlu_fallback)"
    label = intent_label(intent)
    return f"{label} ({intent})" if label else intent


def team_name(team: str) -> str:
    from bot.handoff.teams import teams

    found = teams().get(team)
    return found.name if found else team


def state_name(state: str) -> str:
    from bot.handoff.tickets import OUTCOMES

    if state in OUTCOMES:
        return f"Clôturée : {OUTCOMES[state]}"
    return STATES.get(state, state)


def offers_by_trade(session: Session, today: date) -> dict[str, int]:
    """Offers open today per trade (the catalogue: no personal data, nothing hidden)."""
    from bot.catalogue.schema import Offer, Trade

    rows = session.execute(
        select(Trade.name, func.count(Offer.id)).join(Offer, Offer.trade_id == Trade.id)
        .where(or_(Offer.expires_on.is_(None), Offer.expires_on >= today))
        .group_by(Trade.name)).all()
    return {name: count for name, count in rows}


@dataclass
class Cell:
    people: int = 0
    count: int = 0
    amount: float = 0.0


def _sum(rows: Iterable[DailyCount], key: Callable[[DailyCount], Any]) -> dict[Any, Cell]:
    cells: dict[Any, Cell] = defaultdict(Cell)
    for row in rows:
        cell = cells[key(row)]
        cell.people += row.people
        cell.count += row.count
        cell.amount += row.amount
    return cells


@dataclass
class Report:
    first: date
    last: date
    k: int
    tables: list[Table] = field(default_factory=list)
    headline: list[tuple[str, str]] = field(default_factory=list)
    weeks: list[str] = field(default_factory=list)
    trend: dict[str, dict[str, int | None]] = field(default_factory=dict)  # channel → week → n
    trades: list[tuple[str, int | None, int]] = field(default_factory=list)  # asked, offers
    communes: list[dict[str, Any]] = field(default_factory=list)  # for the map
    days_computed: int = 0

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)


def build(session: Session, first: date, last: date, today: date | None = None) -> Report:
    from bot.observatory.models import ObservedDay

    k = observatory_config().min_cell
    protect = Protector(k)
    report = Report(first, last, k)
    rows = list(session.execute(select(DailyCount).where(
        DailyCount.day >= first, DailyCount.day <= last)).scalars())
    report.days_computed = session.execute(select(func.count()).select_from(ObservedDay).where(
        ObservedDay.day >= first, ObservedDay.day <= last)).scalar_one()
    by_metric: dict[str, list[DailyCount]] = defaultdict(list)
    for row in rows:
        by_metric[row.metric].append(row)

    _conversations(report, protect, by_metric["conversations"])
    _intents(report, protect, by_metric["intent"])
    _searches(report, protect, by_metric, offers_by_trade(session, today or last))
    _barriers(report, protect, by_metric["barrier"])
    _handoffs(report, protect, by_metric["handoff"], by_metric["handoff_wait"])
    _satisfaction(report, protect, by_metric["handoff_satisfaction"])
    _fallbacks(report, protect, by_metric["fallback"], session, first, last)
    return report


def _conversations(report: Report, protect: Protector, rows: list[DailyCount]) -> None:
    k = report.k
    day = report.first
    weeks = []
    while day <= report.last:
        if iso_week(day) not in weeks:
            weeks.append(iso_week(day))
        day += timedelta(days=1)
    report.weeks = weeks
    cells = _sum(rows, lambda r: (iso_week(r.day), r.channel))
    channels = [c for c in CHANNEL_ORDER if any(ch == c for _, ch in cells)]
    channels += sorted({ch for _, ch in cells} - set(channels))
    table_rows = []
    for week in weeks:
        values = [cells.get((week, c), Cell()).people for c in channels]
        table_rows.append([week] + [protect.value(v).text(k) for v in values]
                          + [protect.margin(values).text(k)])
    report.tables.append(Table(
        "conversations_semaines", "Conversations par semaine et par canal",
        ["Semaine"] + [CHANNEL_LABELS.get(c, c) for c in channels] + ["Total affiché"],
        table_rows, "Personnes-jours : une conversation compte une fois par jour."))
    report.trend = {c: {w: (None if protect.small(cells.get((w, c), Cell()).people)
                            else cells.get((w, c), Cell()).people) for w in weeks}
                    for c in channels}

    channel_rows, total_people = [], []
    for channel in channels:
        people = protect.margin(cells.get((w, channel), Cell()).people for w in weeks)
        messages = sum(cells.get((w, channel), Cell()).count for w in weeks
                       if not protect.small(cells.get((w, channel), Cell()).people))
        channel_rows.append([CHANNEL_LABELS.get(channel, channel), people.text(k),
                             f"< {k}" if people.hidden else _int(messages)])
        total_people.append(people)
    report.tables.append(Table(
        "canaux", "Conversations par canal sur la période",
        ["Canal", "Conversations", "Messages"], channel_rows,
        "Somme des cases affichées par semaine (les cases de moins de "
        f"{k} personnes sont regroupées si leur total atteint {k})."))
    report.headline.append(("Conversations", protect.total(total_people).text(k)))

    stops = _sum([r for r in rows if r.channel == "kiosk"], lambda r: r.key)
    stop_rows = [[place_name(code) if code else "hors arrêt connu",
                  protect.value(c.people).text(k)]
                 for code, c in sorted(stops.items(), key=lambda i: -i[1].people)]
    report.tables.append(Table(
        "borne_arrets", "Borne du bus : conversations par arrêt", ["Arrêt", "Conversations"],
        stop_rows, "Arrêt de la tournée (territory.yml) à l'heure de la conversation."))


def _intents(report: Report, protect: Protector, rows: list[DailyCount]) -> None:
    k = report.k
    cells = _sum(rows, lambda r: r.key)
    table_rows = []
    for intent, cell in sorted(cells.items(), key=lambda i: (-i[1].people, i[0])):
        value = protect.value(cell.people)
        table_rows.append([intent_name(intent), value.text(k),
                           f"< {k}" if value.hidden else _int(cell.count)])
    report.tables.append(Table("intentions", "Ce que les personnes demandent (intentions)",
                               ["Intention", "Personnes", "Messages"], table_rows))


def _searches(report: Report, protect: Protector, by_metric: dict[str, list[DailyCount]],
              offers: dict[str, int]) -> None:
    from bot.catalogue.search import ANY
    from bot.places import place_by_key
    from bot.territory import get_territory

    k = report.k
    asked = _sum(by_metric["search"], lambda r: (r.key2, r.key3))
    none = _sum(by_metric["search_unmet"], lambda r: (r.key2, r.key3))
    detail = []
    for (trade, place), cell in sorted(asked.items(), key=lambda i: (-i[1].people, i[0])):
        value = protect.value(cell.people)
        nothing = none.get((trade, place), Cell()).people
        detail.append([trade_name(trade), place_name(place), value.text(k),
                       f"< {k}" if value.hidden else protect.value(nothing).text(k),
                       f"< {k}" if value.hidden else protect.share(nothing, cell.people)])
    report.tables.append(Table(
        "recherches", "Recherches par métier et par lieu",
        ["Métier", "Lieu", "Personnes", "Non satisfaites", "Part non satisfaite"], detail,
        "Demande non satisfaite : rien trouvé, même en élargissant, ou seulement des métiers "
        "proches."))

    def margins(group: Callable[[str, str], str]) -> dict[str, tuple[Value, Value]]:
        grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for (trade, place), cell in asked.items():
            grouped[group(trade, place)].append(
                (cell.people, none.get((trade, place), Cell()).people))
        return {g: (protect.margin(a for a, _ in pairs), protect.margin(n for _, n in pairs))
                for g, pairs in grouped.items()}

    by_trade = margins(lambda trade, place: trade)
    trade_rows = []
    names = sorted(set(by_trade) | {t for t in offers},
                   key=lambda t: (-(by_trade[t][0].n if t in by_trade else 0), t))
    for trade in names:
        wanted, nothing = by_trade.get(trade, (Value(0, False), Value(0, False)))
        trade_rows.append([trade_name(trade), wanted.text(k), nothing.text(k),
                           _int(offers.get(trade, 0))])
        if trade in by_trade and trade not in ("", ANY):  # the chart: named trades only
            report.trades.append((trade_name(trade), None if wanted.hidden else wanted.n,
                                  offers.get(trade, 0)))
    report.tables.append(Table(
        "metiers", "Métiers demandés et offres disponibles",
        ["Métier", "Personnes qui cherchent", "Non satisfaites", "Offres ouvertes"], trade_rows,
        "Offres ouvertes aujourd'hui dans le catalogue, par métier."))
    report.headline.append(("Recherches (personnes)",
                            protect.total(w for w, _ in by_trade.values()).text(k)))
    report.headline.append(("Demande non satisfaite",
                            protect.total(n for _, n in by_trade.values()).text(k)))

    by_place = margins(lambda trade, place: place)
    place_rows = []
    for code, (wanted, nothing) in sorted(by_place.items(), key=lambda i: (-i[1][0].n, i[0])):
        place = place_by_key(code) if code else None
        place_rows.append([place_name(code), place.kind if place else "", wanted.text(k),
                           nothing.text(k)])
        if place is not None and place.kind == "commune" and not wanted.hidden and wanted.n:
            commune = next((c for c in get_territory().communes if c["code"] == code), None)
            if commune and commune.get("latitude") is not None:
                report.communes.append({
                    "code": code, "name": place.name, "people": wanted.n,
                    "none": None if nothing.hidden else nothing.n,
                    "lat": commune["latitude"], "lon": commune["longitude"]})
    report.tables.append(Table(
        "lieux", "Demande par commune ou zone", ["Lieu", "Type", "Personnes", "Non satisfaites"],
        place_rows, "Le lieu où la personne cherche (commune ou zone du territoire)."))

    from bot.observatory.compute import place_epci

    by_epci = margins(lambda trade, place: place_epci(place))
    report.tables.append(Table(
        "epci", "Demande par intercommunalité", ["Intercommunalité", "Personnes",
                                                  "Non satisfaites"],
        [[epci_name(code), wanted.text(k), nothing.text(k)]
         for code, (wanted, nothing) in sorted(by_epci.items(), key=lambda i: -i[1][0].n)]))


def _barriers(report: Report, protect: Protector, rows: list[DailyCount]) -> None:
    k = report.k
    cells = _sum(rows, lambda r: (r.key, r.key2))
    grouped: dict[str, list[int]] = defaultdict(list)
    detail = []
    for (barrier, epci), cell in sorted(cells.items(), key=lambda i: (i[0][0], -i[1].people)):
        grouped[barrier].append(cell.people)
        detail.append([barrier, epci_name(epci), protect.value(cell.people).text(k)])
    totals = [[barrier, protect.margin(values).text(k)]
              for barrier, values in sorted(grouped.items(),
                                            key=lambda i: -protect.margin(i[1]).n)]
    report.tables.append(Table("freins", "Freins évoqués", ["Frein", "Personnes"], totals,
                               "Intentions et réponses configurées dans territory.yml "
                               "(observatory.barriers)."))
    report.tables.append(Table("freins_epci", "Freins par intercommunalité",
                               ["Frein", "Intercommunalité", "Personnes"], detail))


def _handoffs(report: Report, protect: Protector, rows: list[DailyCount],
              waits: list[DailyCount]) -> None:
    k = report.k
    cells = _sum(rows, lambda r: (r.key, r.key2))
    detail = []
    per_team: dict[str, list[int]] = defaultdict(list)
    for (team, state), cell in sorted(cells.items(), key=lambda i: (i[0][0], -i[1].people)):
        per_team[team].append(cell.people)
        detail.append([team_name(team), state_name(state), protect.value(cell.people).text(k)])
    waited = _sum(waits, lambda r: r.key)
    teams_rows = []
    for team, values in sorted(per_team.items()):
        total = protect.margin(values)
        wait = waited.get(team)
        if wait is None or wait.count == 0:
            average = "—"
        elif protect.small(wait.people):
            average = f"< {k} prises en charge"
        else:
            average = f"{_int(wait.amount / wait.count)} min"
        teams_rows.append([team_name(team), total.text(k), average])
    report.tables.append(Table(
        "relais", "Passages de relais à une personne", ["Équipe", "Demandes", "Attente moyenne"],
        teams_rows, "Attente : de la demande à la prise en charge."))
    report.tables.append(Table("relais_issues", "Relais par état ou issue",
                               ["Équipe", "État ou issue", "Personnes"], detail))
    report.headline.append(("Relais vers une personne",
                            protect.total(protect.margin(v) for v in per_team.values()).text(k)))


def _satisfaction(report: Report, protect: Protector, rows: list[DailyCount]) -> None:
    """The one question after a counsellor closed a request: answers per team."""
    from bot.handoff.tickets import SATISFACTION

    cells = _sum(rows, lambda r: (r.key, r.key2))
    report.tables.append(Table(
        "relais_satisfaction", "Après un relais : « ça t'a aidé ? »",
        ["Équipe", "Réponse", "Personnes"],
        [[team_name(team), SATISFACTION.get(answer, answer),
          protect.value(cell.people).text(report.k)]
         for (team, answer), cell in sorted(cells.items())],
        "Une question envoyée à la personne après la clôture (pas après « Sans suite ») ; "
        "seules les réponses comptent."))


def _fallbacks(report: Report, protect: Protector, rows: list[DailyCount], session: Session,
               first: date, last: date) -> None:
    k = report.k
    cells = _sum(rows, lambda r: iso_week(r.day))
    report.tables.append(Table(
        "incompris", "Messages non compris par semaine", ["Semaine", "Personnes", "Messages"],
        [[week, protect.value(cells[week].people).text(k),
          f"< {k}" if protect.small(cells[week].people) else _int(cells[week].count)]
         for week in report.weeks if week in cells],
        "Les messages eux-mêmes sont dans la file de relecture."))
    waiting = session.execute(select(func.count()).select_from(ReviewItem).where(
        ReviewItem.status == "new", ReviewItem.day >= first, ReviewItem.day <= last)).scalar_one()
    report.headline.append(("Messages à relire", _int(waiting)))
