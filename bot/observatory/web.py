"""The observatory in the web app, for admin accounts of the dashboard: charts, tables, CSV
files (UTF-8 with BOM, ";" separator: they open as they are in LibreOffice and Excel in French),
and the review queue of misunderstood messages (label, export as Rasa training data).

Under /conseillers/ because the dashboard's session cookie is scoped to that path;
/observatoire redirects there."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from aiohttp import web

from bot.catalogue.db import session_scope
from bot.observatory import charts, report, review
from bot.observatory.compute import refresh, today_local
from bot.web.dashboard import _me, checked_form, page

BASE = "/conseillers/observatoire"
PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30


async def _admin(request: web.Request) -> dict[str, Any]:
    me = await _me(request)
    if me["role"] != "admin":
        raise web.HTTPForbidden(text="L'observatoire est réservé aux comptes administrateur.")
    return me


def _days(request: web.Request) -> int:
    try:
        days = int(request.query.get("jours", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return min(max(days, 1), 366)


def _until(request: web.Request) -> date | None:
    """The period's last day (?fin=AAAA-MM-JJ), else today."""
    try:
        return date.fromisoformat(request.query["fin"]) if request.query.get("fin") else None
    except ValueError:
        return None


def build_report(days: int, today: date | None = None) -> report.Report:
    """Brings the counts of the period up to date (missing days, today), then reads them."""
    today = today or today_local()
    with session_scope() as session:
        refresh(session, days=days, today=today, full=False)
    with session_scope() as session:
        return report.build(session, today - timedelta(days=days - 1), today, today)


def numeric(cell: str) -> bool:
    """A table cell to align right: a count, a share, a hidden cell."""
    return bool(cell) and (cell[0].isdigit() or cell.startswith("< ") or cell in ("masqué", "—"))


async def overview(request: web.Request) -> web.Response:
    from bot.territory import get_territory

    me = await _admin(request)
    days = _days(request)
    built = await asyncio.to_thread(build_report, days, _until(request))
    territory = get_territory()
    return page(
        "observatoire.html", me=me, csrf=me["csrf"], r=built, days=days, periods=PERIODS,
        territory=territory.name, numeric=numeric,
        trades_chart=charts.trades_chart(built), map_chart=charts.demand_map(
            built, territory.communes), trend_chart=charts.trend_chart(built))


async def export(request: web.Request) -> web.Response:
    await _admin(request)
    days = _days(request)
    built = await asyncio.to_thread(build_report, days, _until(request))
    table_id = request.match_info["table"]
    try:
        table = built.table(table_id)
    except StopIteration:
        raise web.HTTPNotFound(text="Tableau inconnu.") from None
    name = f"indy-{table_id}-{built.first.isoformat()}-{built.last.isoformat()}.csv"
    return web.Response(body=report.csv_bytes(table), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _queue(status: str) -> dict[str, Any]:
    from bot.labels import intent_label

    with session_scope() as session:
        items = [{"id": i.id, "day": i.day.strftime("%d/%m/%Y"), "text": i.text,
                  "predicted": i.predicted_intent, "confidence": round(100 * i.confidence),
                  "occurrences": i.occurrences, "label": i.label}
                 for i in review.queue(session, status)]
        counts = review.counts(session)
    choices = [(name, f"{name} — {intent_label(name)}" if intent_label(name) else name)
               for name in review.intents()]
    return {"items": items, "counts": counts, "choices": choices}


async def review_page(request: web.Request, error: str | None = None) -> web.Response:
    me = await _admin(request)
    status = request.query.get("etat", "new")
    if status not in ("new", "labelled", "ignored"):
        status = "new"
    data = await asyncio.to_thread(_queue, status)
    response = page("observatoire_relecture.html", me=me, csrf=me["csrf"], status=status,
                    ignore=review.IGNORE, error=error, **data)
    if error:
        response.set_status(409)
    return response


async def label(request: web.Request) -> web.Response:
    me = await _admin(request)
    form = await checked_form(request, me)
    item_id = int(request.match_info["id"])
    if item_id > 2**31 - 1:  # no such row, and no database integer either
        raise web.HTTPNotFound(text="Message introuvable.")

    def _label() -> None:
        with session_scope() as session:
            review.label(session, item_id, str(form.get("intent", "")))

    try:
        await asyncio.to_thread(_label)
    except review.ReviewError as error:
        return await review_page(request, error=str(error))
    raise web.HTTPSeeOther(f"{BASE}/relecture")


async def export_labels(request: web.Request) -> web.Response:
    await _admin(request)

    def _export() -> str:
        with session_scope() as session:
            return review.export_nlu(session)

    text = await asyncio.to_thread(_export)
    return web.Response(text=text, content_type="application/x-yaml", charset="utf-8",
                        headers={"Content-Disposition":
                                 'attachment; filename="indy-relecture-nlu.yml"'})


async def short_url(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther(BASE + (f"?{request.query_string}" if request.query_string else ""))


def setup(app: web.Application) -> None:
    app.router.add_get("/observatoire", short_url)
    app.router.add_get(BASE, overview)
    app.router.add_get(BASE + "/export/{table:[a-z_]+}.csv", export)
    app.router.add_get(BASE + "/relecture", review_page)
    app.router.add_post(BASE + r"/relecture/{id:\d+}", label)
    app.router.add_get(BASE + "/relecture/nlu.yml", export_labels)
