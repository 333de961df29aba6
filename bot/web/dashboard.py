"""The counsellors' dashboard: login, queue, a ticket's profile and transcript, take, reply,
close. Server-rendered (Jinja2 with autoescape: anything a person wrote shows as text), a
session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form. A counsellor sees
and acts on the tickets of their teams only (admins on all), checked on every request; another
team's ticket, or an id out of range, is 404 like a missing one. Logins are throttled
(bot/handoff/accounts.py) and scrypt runs in its own threads."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
import time
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from sqlalchemy import select

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.handoff.canned import canned_replies
from bot.handoff.models import Counsellor, OutboxMessage, Ticket
from bot.handoff.teams import teams, timezone
from bot.labels import labels
from bot.observatory.compute import channel_of
from bot.observatory.report import CHANNEL_LABELS
from bot.origins import over_https

COOKIE = "indy_conseiller"
THROTTLE = web.AppKey("login_throttle", accounts.LoginThrottle)
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
)
STATUS = {"waiting": "En attente", "taken": "Prise en charge", "closed": "Clôturée",
          "cancelled": "Annulée"}
REASONS = {"request": "Demande de la personne", "offer": "Intérêt pour une offre",
           "fallback": "Indy n'a pas compris", "events": "Événement", "firms": "Entreprise"}
AUTHORS = {"user": "Personne", "bot": "Indy", "counsellor": "Conseiller·e", "system": "Indy",
           "note": "Note interne"}


def page(name: str, **context: Any) -> web.Response:
    return web.Response(text=TEMPLATES.get_template(name).render(**context),
                        content_type="text/html")


def _waiting(ticket: Ticket, now: datetime) -> str:
    minutes = int((now - ticket.created_at).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d}" if hours < 48 else f"{hours // 24} jours"


def _local_now(utc_now: datetime) -> datetime:
    """`promised_by` is stored in the team's local time (naive): now, the same way."""
    return utc_now.replace(tzinfo=dt_timezone.utc).astimezone(timezone()).replace(tzinfo=None)


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.replace(tzinfo=timezone()) if moment.tzinfo is None else moment
    return local.strftime("%d/%m %H:%M")


def _message(message) -> dict[str, Any]:
    who = AUTHORS.get(message.author, message.author)
    if message.counsellor is not None:
        who = f"{who} · {message.counsellor.display_name}"
    return {"id": message.id, "author": message.author, "who": who,
            "when": _local(message.created_at), "text": message.text}


def _after(request: web.Request) -> int:
    """The `after` of a poll: the last id the page has shown."""
    try:
        return min(max(int(request.query.get("after", "0")), 0), tickets.MAX_ID)
    except ValueError:
        return 0


WAITING_EVERY_S = 300  # the queue's waiting times are drawn again this often


def _clock() -> float:
    return time.time()


SAID_BEFORE = 3  # the person's last lines before the request, in the case summary


def _case(ticket: Ticket, profile: dict[str, Any]) -> dict[str, Any]:
    """The case at a glance, from what the ticket stores: what the person asked (their last
    lines before the request), their search, the offers shown, the barriers they told Indy.
    What a ticket does not store is said as such (older tickets stored less)."""
    before = []
    for message in ticket.messages:
        if message.author not in ("user", "bot"):
            break
        if message.author == "user":
            before.append(message.text)
    kind = labels()["offer_kinds"].get(profile.get("kind") or "")
    search = " · ".join(str(v) for v in (kind, profile.get("trade"), profile.get("place_name"))
                        if v)
    barriers = []
    if profile.get("has_car") is False:
        barriers.append("mobilité : ni voiture ni permis")
    if profile.get("rqth"):
        barriers.append("RQTH (handicap reconnu)")
    if profile.get("pupil"):
        barriers.append("encore au collège ou au lycée")
    seen = profile.get("offers_seen")
    return {
        "asked": before[-SAID_BEFORE:],
        "search": search,
        "age": f"{profile['age']} ans" if profile.get("age") else "",
        "offers_seen": "" if seen is None else
        (f"{seen} offre{'s' if seen > 1 else ''} montrée{'s' if seen > 1 else ''} "
         "(dernière recherche)" if seen else "aucune offre montrée"),
        "offer": profile.get("offer") or "",
        "barriers": barriers,
        "car_known": "has_car" in profile,
    }


def _view(ticket: Ticket, now: datetime) -> dict[str, Any]:
    team = teams().get(ticket.team)
    profile = json.loads(ticket.profile or "{}")
    summary = ", ".join(str(v) for v in (profile.get("trade"), profile.get("place_name"),
                                         profile.get("offer")) if v)
    return {
        "id": ticket.id, "reference": ticket.reference, "first_name": ticket.first_name,
        "status": ticket.status, "status_label": STATUS.get(ticket.status, ticket.status),
        "team_name": team.name if team else ticket.team, "waiting": _waiting(ticket, now),
        "summary": summary or "—", "profile": profile, "channel": ticket.channel,
        "team": ticket.team,
        "late": ticket.status == "waiting" and ticket.promised_by is not None
        and ticket.promised_by < _local_now(now),
        "channel_label": CHANNEL_LABELS[channel_of(ticket.channel, ticket.sender_id)],
        "case": _case(ticket, profile),
        "contact": ticket.contact, "promise": _local(ticket.promised_by),
        "reason_label": REASONS.get(ticket.reason, ticket.reason),
        "created": _local(ticket.created_at),
        "outcome_label": tickets.OUTCOMES.get(ticket.outcome or "", ""),
        "satisfaction_label": tickets.SATISFACTION.get(ticket.satisfaction or "", ""),
        "counsellor": ticket.counsellor.display_name if ticket.counsellor else None,
        "open": ticket.status in tickets.OPEN,
        "messages": [_message(m) for m in ticket.messages],
        "last": max((m.id for m in ticket.messages), default=0),
    }


def _who(request: web.Request):
    """(session id data) of the logged-in counsellor, or None."""
    with session_scope() as session:
        current = accounts.current(session, request.cookies.get(COOKIE))
        if current is None:
            return None
        return {"id": current.counsellor.id, "display_name": current.counsellor.display_name,
                "role": current.counsellor.role, "csrf": current.csrf_token,
                "teams": sorted(accounts.teams_of(current.counsellor))}


async def _me(request: web.Request) -> dict[str, Any]:
    me = await asyncio.to_thread(_who, request)
    if me is None:
        raise web.HTTPSeeOther("/conseillers/connexion")
    return me


async def checked_form(request: web.Request, me: dict[str, Any]):
    """The posted form, once its CSRF token matches the session's."""
    form = await request.post()
    if not hmac.compare_digest(str(form.get("csrf", "")), me["csrf"]):
        raise web.HTTPForbidden(text="Formulaire expiré : recharge la page.")
    return form


LOGIN_COOKIE = "indy_connexion"
LOGIN_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def login_page(request: web.Request, error: str | None = None, status: int = 200
               ) -> web.Response:
    """The login form, with a token that the browser also holds in a cookie: another site can
    make a browser post the form (and log it into an account of theirs), not read the token."""
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not LOGIN_TOKEN.match(token):
        token = secrets.token_urlsafe(32)
    response = page("login.html", csrf=token, error=error)
    response.set_status(status)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="Strict",
                        path="/conseillers", max_age=3600, secure=over_https(request))
    return response


async def login_form(request: web.Request) -> web.Response:
    return login_page(request)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    held = request.cookies.get(LOGIN_COOKIE, "")
    if not (LOGIN_TOKEN.match(held) and hmac.compare_digest(str(form.get("csrf", "")), held)):
        return login_page(request, "Formulaire expiré : recharge la page.", 403)
    username = str(form.get("username", ""))[:200]
    address = request.remote or ""
    throttle = request.app[THROTTLE]
    wait = throttle.wait_s(username, address)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        response = login_page(request, f"Trop d'essais. Réessaie dans {minutes} min.", 429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response

    def _login():
        with session_scope() as session:
            return accounts.login(session, username, str(form.get("password", ""))[:1000])

    result = await asyncio.get_running_loop().run_in_executor(accounts.SCRYPT_POOL, _login)
    if result is None:
        throttle.failed(username, address)
        return login_page(request, "Identifiant ou mot de passe incorrect.", 401)
    throttle.succeeded(username)
    token, _ = result
    response = web.HTTPSeeOther("/conseillers")
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/conseillers",
                        max_age=accounts.SESSION_HOURS * 3600,
                        secure=over_https(request))  # behind the TLS proxy too
    raise response


async def logout(request: web.Request) -> web.Response:
    me = await _me(request)
    await checked_form(request, me)

    def _logout():
        with session_scope() as session:
            accounts.logout(session, request.cookies.get(COOKIE))

    await asyncio.to_thread(_logout)
    response = web.HTTPSeeOther("/conseillers/connexion")
    response.del_cookie(COOKIE, path="/conseillers")
    raise response


def _queue(counsellor_id: int, after: int = -1) -> dict[str, Any] | None:
    """The queue's tickets and its marker; None when the marker is not beyond `after`. The
    marker also grows every few minutes, so that the waiting times shown stay true."""
    now = datetime.utcnow()
    with session_scope() as session:
        counsellor = session.get(Counsellor, counsellor_id)
        marker = tickets.queue_marker(session, counsellor) + int(_clock() // WAITING_EVERY_S)
        if marker <= after:
            return None
        views = [_view(t, now) for t in tickets.queue(session, counsellor)]
    groups: dict[str, dict[str, Any]] = {}
    for view in views:  # oldest first in each team
        group = groups.setdefault(view["team"], {"name": view["team_name"], "tickets": []})
        group["tickets"].append(view)
    return {"marker": marker, "tickets": views, "groups": list(groups.values()),
            "waiting": sum(v["status"] == "waiting" for v in views),
            "late": sum(v["late"] for v in views)}


async def queue(request: web.Request) -> web.Response:
    me = await _me(request)
    return page("queue.html", me=me, csrf=me["csrf"], live=True,
                **await asyncio.to_thread(_queue, me["id"]))


async def search_page(request: web.Request) -> web.Response:
    """Past requests of this counsellor's teams, by number, name, trade, place or words."""
    me = await _me(request)
    words = str(request.query.get("q", ""))[:200]

    def _found():
        now = datetime.utcnow()
        with session_scope() as session:
            counsellor = session.get(Counsellor, me["id"])
            return [_view(t, now) for t in tickets.search(session, counsellor, words)]

    found = await asyncio.to_thread(_found) if words.strip() else []
    return page("search.html", me=me, csrf=me["csrf"], q=words, found=found,
                limit=tickets.SEARCH_LIMIT)


async def queue_news(request: web.Request) -> web.Response:
    """What the queue page polls: its list again, once something changed (else nothing)."""
    me = await _me(request)
    current = await asyncio.to_thread(_queue, me["id"], _after(request))
    if current is None:
        return web.json_response({"messages": []})
    html = TEMPLATES.get_template("queue_list.html").render(me=me, **current)
    return web.json_response({"messages": [{"id": current["marker"], "html": html,
                                            "waiting": current["waiting"]}]})


async def ticket_news(request: web.Request) -> web.Response:
    """What a ticket's page polls: the transcript's lines after `after`."""
    me = await _me(request)
    after = _after(request)

    def _news():
        with session_scope() as session:
            try:
                ticket = tickets.ticket_for(session, int(request.match_info["id"]),
                                            session.get(Counsellor, me["id"]))
            except tickets.TicketNotFound:
                return None
            return {"status": ticket.status,
                    "messages": [_message(m) for m in ticket.messages if m.id > after]}

    news = await asyncio.to_thread(_news)
    if news is None:
        raise _not_found()
    return web.json_response(news)


def _load(ticket_id: int, counsellor_id: int) -> dict[str, Any] | None:
    with session_scope() as session:
        try:
            ticket = tickets.ticket_for(session, ticket_id,
                                        session.get(Counsellor, counsellor_id))
        except tickets.TicketNotFound:
            return None
        counsellor = session.get(Counsellor, counsellor_id)
        view = _view(ticket, datetime.utcnow())
        view["colleagues"] = [{"id": c.id, "name": c.display_name}
                              for c in tickets.colleagues(session, ticket, counsellor)]
        view["canned"] = canned_replies(ticket.team)
        view["other_teams"] = [{"id": team.id, "name": team.name}
                               for team in teams().values() if team.id != ticket.team]
        view["undelivered"] = [
            {"text": row.text, "error": row.last_error or ""}
            for row in session.execute(select(OutboxMessage).where(
                OutboxMessage.ticket_id == ticket.id, OutboxMessage.status == "failed")
                .order_by(OutboxMessage.id)).scalars()]
        return view


def _not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text="Demande introuvable.")


async def ticket_page(request: web.Request, error: str | None = None, action: str = "",
                      draft: str = "", note: str = "") -> web.Response:
    """The ticket; after a refused action, again with the reason (beside the close form for a
    close) and the reply being written kept in its box: nothing typed is lost."""
    me = await _me(request)
    view = await asyncio.to_thread(_load, int(request.match_info["id"]), me["id"])
    if view is None:
        raise _not_found()
    response = page("ticket.html", me=me, csrf=me["csrf"], t=view, error=error, live=True,
                    error_on=action, draft=draft, note=note, outcomes=tickets.OUTCOMES)
    if error:
        response.set_status(409)
    return response


def _act(action: str, ticket_id: int, counsellor_id: int, form) -> None:
    with session_scope() as session:
        counsellor = session.get(Counsellor, counsellor_id)
        if action == "take":
            tickets.take(session, ticket_id, counsellor)
        elif action == "reply":
            tickets.reply(session, ticket_id, counsellor, str(form.get("text", "")))
        elif action == "close":
            tickets.close(session, ticket_id, counsellor, str(form.get("outcome", "")))
        elif action == "note":
            tickets.add_note(session, ticket_id, counsellor, str(form.get("note", "")))
        elif action == "hand":
            colleague = str(form.get("colleague", ""))
            tickets.transfer_to_counsellor(session, ticket_id, counsellor,
                                           int(colleague) if colleague.isdigit() else 0)
        elif action == "team":
            tickets.transfer_to_team(session, ticket_id, counsellor, str(form.get("team", "")))


# Where the page opens again after an action: where the counsellor goes on.
BACK_TO = {"take": "repondre", "reply": "repondre", "close": "conversation", "note": "note",
           "hand": "confier"}


def _handler(action: str):
    async def handle(request: web.Request) -> web.Response:
        me = await _me(request)
        form = await checked_form(request, me)
        ticket_id = int(request.match_info["id"])
        try:
            await asyncio.to_thread(_act, action, ticket_id, me["id"], form)
        except tickets.TicketNotFound:
            raise _not_found() from None
        except tickets.TicketError as error:
            return await ticket_page(request, error=str(error), action=action,
                                     draft=str(form.get("text", "")),
                                     note=str(form.get("note", "")))
        if action == "team":  # out of this counsellor's hands: back to their queue
            raise web.HTTPSeeOther("/conseillers")
        raise web.HTTPSeeOther(f"/conseillers/demandes/{ticket_id}#{BACK_TO[action]}")

    return handle


def add_routes(app: web.Application) -> None:
    app[THROTTLE] = accounts.LoginThrottle()
    app.router.add_get("/conseillers/connexion", login_form)
    app.router.add_post("/conseillers/connexion", login)
    app.router.add_post("/conseillers/deconnexion", logout)
    app.router.add_get("/conseillers", queue)
    app.router.add_get("/conseillers/file", queue_news)
    app.router.add_get("/conseillers/recherche", search_page)
    app.router.add_get(r"/conseillers/demandes/{id:\d+}/nouveau", ticket_news)
    app.router.add_get(r"/conseillers/demandes/{id:\d+}", ticket_page)
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/prendre", _handler("take"))
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/repondre", _handler("reply"))
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/cloturer", _handler("close"))
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/note", _handler("note"))
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/confier", _handler("hand"))
    app.router.add_post(r"/conseillers/demandes/{id:\d+}/transmettre", _handler("team"))
