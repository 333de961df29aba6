"""What Indy says about catalogue searches, as (response name, variables) pairs.

The sentences themselves are responses of domain.yml (operators edit them there); this module
decides which ones, in which order, with which values. Actions only dispatch them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.catalogue.db import session_scope
from bot.catalogue.schema import Offer
from bot.catalogue.search import ANY, PAGE, Hit, Query, Result, search
from bot.labels import labels

Message = tuple[str, dict[str, Any]]

# Intent → kind of offer searched.
INTENT_KINDS = {
    "search_job": "job",
    "search_training": "training",
    "search_apprenticeship": "apprenticeship",
    "search_internship": "internship",
    "search_immersion": "immersion",
    "search_events": "event",
}
KIND_INTENTS = {kind: intent for intent, kind in INTENT_KINDS.items()}
# Kinds where the trade matters (asked when missing) and where a car matters.
TRADE_KINDS = ("job", "training", "apprenticeship", "immersion")
CAR_KINDS = ("job", "apprenticeship", "immersion")


@dataclass
class Answer:
    messages: list[Message] = field(default_factory=list)
    shown: int = 0  # offers shown in this answer
    total: int = 0
    ids: list[int] = field(default_factory=list)  # the offers shown, in order
    radius_km: int | None = None  # the radius they were found in

    def say(self, response: str, **variables: Any) -> None:
        self.messages.append((response, variables))


def _date(day: date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}" if day else ""


def _when(offer: Offer, today: date) -> str:
    words = labels()["offer_when"]
    if offer.kind in ("event", "mrs") and offer.start_date:
        return words["on"].format(day=_date(offer.start_date))
    if offer.start_date and offer.start_date > today:
        return words["from"].format(day=_date(offer.start_date))
    if offer.expires_on:
        return words["until"].format(day=_date(offer.expires_on))
    return words["now"]


def _where(hit: Hit) -> str:
    name = hit.offer.place.name
    if hit.distance_km is None:
        return name
    if hit.distance_km < 2:
        return labels()["offer_where"]["here"].format(place=name)
    return labels()["offer_where"]["far"].format(place=name, km=round(hit.distance_km))


def card(hit: Hit, today: date) -> Message:
    offer = hit.offer
    kinds = labels()["offer_kinds"]
    what = kinds["event_types"].get(offer.event_type, kinds["event"]) if offer.kind == "event" \
        else kinds.get(offer.kind, "")
    details = " · ".join(x for x in (offer.contract_type or "", _when(offer, today)) if x)
    heading = offer.title if offer.title.lower().startswith(what.lower()) else \
        f"{what} · {offer.title}"
    return ("utter_offer_card", {
        "offer_id": str(offer.id), "icon": kinds["icons"].get(offer.kind, "•"),
        "heading": heading, "organisation": offer.organisation, "where": _where(hit),
        "details": details,
    })


def said_back(kind: str, trade: str | None, place_name: str | None,
              trade_said: str | None = None) -> dict[str, str]:
    """What Indy understood, in the person's words: « magasinier » stays « magasinier »,
    with the trade it is filed under beside it."""
    words = labels()
    what = words["search_kinds"].get(KIND_INTENTS.get(kind, f"search_{kind}"), "")
    trade_part = ""
    if trade and trade != ANY and kind in TRADE_KINDS:
        shown = f"{trade_said} ({trade})" if trade_said else trade
        of = "d'" if shown[:1].lower() in "aeiouyéèêh" else "de "
        trade_part = f" en {shown}" if kind == "training" else f" {of}{shown}"
    where = f" vers {place_name}" if place_name else ""
    return {"what": what, "trade": trade_part, "place": where}


def run_search(kind: str, trade: str | None, place: str | None, has_car: bool | None,
               offset: int = 0, today: date | None = None, url: str | None = None,
               contract: str | None = None, grade: str | None = None,
               min_radius_km: int | None = None, trade_said: str | None = None) -> Answer:
    """One page of results, with what Indy says before and after it."""
    today = today or date.today()
    answer = Answer()
    with session_scope(url) as session:
        result = search(session, Query(kind, trade, place, has_car, offset, PAGE,
                                       contract if kind == "job" else None,
                                       grade if kind == "internship" else None,
                                       min_radius_km), today)
        answer.radius_km = result.radius_km
        if offset == 0:
            _intro(answer, kind, result, trade, trade_said)
        if not result.hits:
            _nothing(answer, kind, result, offset)
            return answer
        for hit in result.hits:
            answer.messages.append(card(hit, today))
            answer.ids.append(hit.offer.id)
        answer.shown, answer.total = len(result.hits), result.total
        if any(hit.offer.demo for hit in result.hits) and offset == 0:
            answer.say("utter_search_demo")
        more = offset + len(result.hits) < result.total
        if more:
            answer.say("utter_search_footer_more", count=str(result.total))
        elif result.radius_km is not None:  # not yet the whole territory: farther is offered
            answer.say("utter_search_footer_last_wider", km=str(result.radius_km))
        else:
            answer.say("utter_search_footer_last")
    return answer


def _intro(answer: Answer, kind: str, result: Result, trade: str | None,
           trade_said: str | None = None) -> None:
    place = "tout le territoire" if result.place_name is None else result.place_name
    variables = said_back(kind, trade, place if result.place_name else None, trade_said)
    answer.say("utter_search_noted", **variables)
    if result.widened_trade and result.trade_name:
        answer.say("utter_search_related_trades", trade=result.trade_name)
    if result.widened_radius and result.radius_km:
        answer.say("utter_search_widened", km=str(result.radius_km))
    elif result.widened_radius and result.radius_km is None and result.place_name:
        answer.say("utter_search_whole_territory")


def _nothing(answer: Answer, kind: str, result: Result, offset: int) -> None:
    if offset > 0:
        if result.radius_km is not None:
            answer.say("utter_more_results_none_wider", km=str(result.radius_km))
        else:
            answer.say("utter_more_results_none")
        return
    answer.say("utter_search_none")
    if kind in ("job", "apprenticeship"):
        answer.say("utter_search_none_try_immersion")
    answer.say("utter_search_none_next")


def offer_details(offer_id: int, url: str | None = None) -> Answer:
    answer = Answer()
    with session_scope(url) as session:
        offer = session.get(Offer, offer_id)
        if offer is None:
            answer.say("utter_offer_gone")
            return answer
        answer.say("utter_offer_details", title=offer.title, organisation=offer.organisation,
                   place=offer.place.name,
                   description=offer.description or "—",
                   requirements=offer.requirements or "—",
                   how_to_apply=offer.how_to_apply or "—", offer_id=str(offer.id))
        if offer.demo:
            answer.say("utter_search_demo")
    return answer


def offer_kind(offer_id: int, url: str | None = None) -> str | None:
    with session_scope(url) as session:
        offer = session.get(Offer, offer_id)
        return offer.kind if offer else None


def offer_summary(offer_id: int, url: str | None = None) -> str | None:
    """"Soudeur TIG — Coutellerie X (Thiers)": what a counsellor sees of an offer."""
    with session_scope(url) as session:
        offer = session.get(Offer, offer_id)
        if offer is None:
            return None
        return f"{offer.title} — {offer.organisation} ({offer.place.name})"


def trade_answer(trade_name: str | None, topic: str, url: str | None = None) -> Answer:
    """ask_job_info (topic "info"), how to get there (topic "ways_in": the diplomas and
    certificates, else the whole card) or ask_salary (topic "salary") about one trade, from the
    catalogue; the general answer when the trade is unknown or not described yet."""
    from sqlalchemy import select

    from bot.catalogue.schema import Trade

    answer = Answer()
    trade = None
    if trade_name and trade_name != ANY:
        with session_scope(url) as session:
            trade = session.execute(
                select(Trade).where(Trade.name == trade_name)
            ).scalar_one_or_none()
    if topic == "ways_in" and trade is not None and trade.ways_in:
        answer.say("utter_trade_ways_in_for", trade=trade.name, ways_in="\n".join(
            f"• {way}" for way in trade.ways_in.split("|")))
        answer.say("utter_trade_info_next", trade=trade.name)
        return answer
    if topic in ("info", "ways_in"):
        if trade is None or not trade.description:
            answer.say("utter_ask_job_info_1")
            answer.say("utter_ask_job_info_2")
            return answer
        answer.say("utter_trade_info", trade=trade.name, description=trade.description,
                   conditions=trade.conditions or "")
        if trade.ways_in:
            answer.say("utter_trade_ways_in", ways_in="\n".join(
                f"• {way}" for way in trade.ways_in.split("|")))
        answer.say("utter_trade_info_next", trade=trade.name)
        return answer
    if trade is None or trade.salary_min is None:
        answer.say("utter_ask_salary_1")
        answer.say("utter_ask_salary_2")
        return answer
    ratio = net_ratio()
    answer.say("utter_trade_salary", trade=trade.name, min=_euros(trade.salary_min),
               max=_euros(trade.salary_max or trade.salary_min),
               unit=trade.salary_unit or "€ brut par mois",
               net_min=_euros(round(trade.salary_min * ratio, -1)),
               net_max=_euros(round((trade.salary_max or trade.salary_min) * ratio, -1)),
               source=trade.salary_source or "", date=trade.salary_date or "")
    answer.say("utter_trade_salary_next", trade=trade.name)
    return answer


def _euros(amount: float) -> str:
    return f"{int(amount):,}".replace(",", "\u202f")


def net_ratio() -> float:
    """Net over gross for a private-sector employee (content/trades.yml, with its source)."""
    from bot.content import load_yaml
    from bot.settings import get_settings

    return float(load_yaml(get_settings().content_dir / "trades.yml").get("net_ratio", 0.78))


def alert_answer(action: str, sender_id: str, channel: str | None = None,
                 kind: str | None = None, trade: str | None = None, place: str | None = None,
                 alert_id: int | None = None, url: str | None = None) -> Answer:
    """create / list / stop alerts, and what Indy says about it."""
    from bot.catalogue.alerts import active_alerts, create_alert, stop_alerts
    from bot.catalogue.schema import Place

    answer = Answer()
    with session_scope(url) as session:
        if action == "create":
            if not kind:
                answer.say("utter_alert_no_search")
                return answer
            alert, created = create_alert(session, sender_id, channel or "", kind, trade, place)
            if not created:
                answer.say("utter_alert_exists")
                return answer
            where = session.get(Place, place) if place else None
            place_name = where.name if where else None
            answer.say("utter_alert_created", **said_back(kind, trade, place_name))
            answer.say("utter_alert_created_how")
        elif action == "list":
            alerts = active_alerts(session, sender_id)
            if not alerts:
                answer.say("utter_alerts_none")
            for alert in alerts:
                answer.say("utter_alert_line", alert_id=str(alert.id), **said_back(
                    alert.kind, alert.trade.name if alert.trade else None,
                    alert.place.name if alert.place else None))
        else:
            count = stop_alerts(session, sender_id, alert_id)
            answer.say("utter_alerts_stopped" if count else "utter_alerts_none", count=str(count))
    return answer
