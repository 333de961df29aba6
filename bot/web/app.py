"""Indy's own web app (port 8000): a page to chat, the privacy page, a health check.

The page talks to Rasa through /api/chat, so Rasa's API itself needs no CORS and can stay
on loopback. The website widget and the kiosk come with their own issue.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import mimetypes
import os
import re
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bot import rasa_client
from bot.catalogue.db import session_scope
from bot.channels.guard import technical_problem_message
from bot.edge import clean_message
from bot.handoff.outbox import deliver_due, pull
from bot.identity import browser_id_kind, issue_browser_id
from bot.logs import setup as setup_logs
from bot.notify import transports_from_env
from bot.origins import origin_allowed, over_https
from bot.privacy import erase_trackers, privacy_facts, purge_older_than
from bot.ratelimit import LIMITER
from bot.ratelimit import MESSAGE as RATE_MESSAGE
from bot.settings import get_settings
from bot.territory import get_territory
from bot.web import history
from bot.web.dashboard import add_routes

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# A host name or an IPv4 address, or an IPv6 address in brackets; then an optional port.
HOST = re.compile(r"^(?:([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))|(\[[0-9A-Fa-f:.]{2,45}\]))"
                  r"(?::\d{1,5})?$")
HTTP = web.AppKey("http", aiohttp.ClientSession)
OUTBOX_EVERY_S = 2
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Counsellors' pages (tickets, transcripts, observatory): never kept by a browser or proxy.
PRIVATE_PREFIXES = ("/conseillers", "/observatoire")
# What partners' pages load from us: the widget, its style sheet, its socket.io client.
EMBEDDED = frozenset({"/widget.js", "/static/widget.css", "/static/vendor/socket.io.min.js"})
HSTS = "max-age=31536000"
# Partners' pages load the widget at every visit: kept an hour, then checked (ETag).
EMBEDDED_CACHE = "public, max-age=3600"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@web.middleware
async def security_headers(request: web.Request, handler):
    """No page of ours in a frame of another site; the widget's files loadable anywhere; HSTS
    only when served over https (a reverse proxy terminating TLS sets its own)."""
    try:
        response = await handler(request)
    except web.HTTPException as error:  # redirects and errors raised by handlers too
        _add_security_headers(request, error.headers)
        raise
    _add_security_headers(request, response.headers)
    return response


@web.middleware
async def caching(request: web.Request, handler):
    """Our own files revalidated by ETag/Last-Modified (the widget's kept an hour), and text
    sent gzipped to a client that accepts it."""
    response = await handler(request)
    if request.path in EMBEDDED:
        response.headers["Cache-Control"] = EMBEDDED_CACHE
    elif request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-cache")
    compressible = (response.content_type or "").startswith(COMPRESSIBLE)
    if compressible and response.status == 200 and not response.prepared \
            and "gzip" in request.headers.get("Accept-Encoding", "").lower():
        response.enable_compression(web.ContentCoding.gzip)  # not a 304: it has no body
    return response


def send_file(request: web.Request, path: Path) -> web.Response:
    """One of our files, with its ETag and Last-Modified; 304 when the browser has it. (Read
    whole: they are small; aiohttp's FileResponse cannot be compressed safely: its 304 is
    decided too late.)"""
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise web.HTTPNotFound() from None
    etag = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
    if f'"{etag}"' in request.headers.get("If-None-Match", ""):
        response = web.Response(status=304)
    else:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        response = web.Response(body=path.read_bytes(), content_type=kind,
                                charset="utf-8" if kind.startswith("text/") else None)
    response.etag = etag
    response.last_modified = stat.st_mtime
    return response


async def static_file(request: web.Request) -> web.Response:
    """/static/<name>: a file of bot/web/static, never one outside it."""
    path = (STATIC / request.match_info["name"]).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        raise web.HTTPNotFound()
    return send_file(request, path)


def _add_security_headers(request: web.Request, headers) -> None:  # noqa: ANN001
    if request.path in EMBEDDED:
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)  # a page may set its own (the example page)
    if over_https(request):  # also behind the machine's TLS proxy (X-Forwarded-Proto)
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"


async def index(request: web.Request) -> web.Response:
    return send_file(request, STATIC / "index.html")


async def kiosk(request: web.Request) -> web.Response:
    """The job bus tablet: full screen, touch, wiped after inactivity."""
    return send_file(request, STATIC / "kiosk.html")


def rasa_public_url(request: web.Request) -> str:
    """Where browsers reach Rasa's socket.io: INDY_PUBLIC_RASA_URL, else this host's Rasa port."""
    configured = os.environ.get("INDY_PUBLIC_RASA_URL")
    if configured:
        return configured.rstrip("/")
    found = HOST.match(request.host or "")
    host = (found.group(1) or found.group(2)) if found else "localhost"  # the Host header is
    return f"{request.scheme}://{host}:{get_settings().rasa_port}"      # the client's to say


async def widget_js(request: web.Request) -> web.Response:
    """The embeddable widget, told where Rasa is (one <script> line on a partner's site); the
    chat page's poller for a counsellor's replies sent in front of it (one file to load)."""
    script = "\n".join((STATIC / name).read_text(encoding="utf-8")
                       for name in ("news.js", "widget.js"))
    script = script.replace('"__INDY_RASA_URL__"', json.dumps(rasa_public_url(request)))
    etag = hashlib.sha256(script.encode()).hexdigest()[:20]
    modified = max((STATIC / name).stat().st_mtime for name in ("news.js", "widget.js"))
    if etag in request.headers.get("If-None-Match", ""):
        response = web.Response(status=304)
    else:
        response = web.Response(text=script, content_type="application/javascript")
    response.etag = etag
    response.last_modified = modified
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


async def example_page(request: web.Request) -> web.Response:
    """A partner's page with the widget, as the README shows it."""
    response = send_file(request, STATIC / "exemple.html")
    rasa = rasa_public_url(request)
    websocket = rasa.replace("http", "ws", 1)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {rasa} {websocket}; frame-ancestors 'none'")
    return response


# Which pages use which endpoint: an id issued for the widget (socket.io) only collects its
# news here; the chat page and the kiosk talk through /api/chat.
TALKING = ("web", "kiosk")
COLLECTING = ("web", "kiosk", "widget")


def _refused(sender: object, kinds: tuple[str, ...]) -> web.Response | None:
    """None for an id this server issued for one of these pages, else the answer to give."""
    if not isinstance(sender, str) or not SENDER.match(sender):
        return web.json_response({"error": "identifiant de conversation invalide"}, status=400)
    if browser_id_kind(sender) not in kinds:
        return web.json_response(
            {"error": "Cette conversation n'est pas reconnue : recharge la page."}, status=403)
    return None


async def new_session(request: web.Request) -> web.Response:
    """The conversation id of a page: the one it holds if this server issued it for that kind
    of page, else a new one. Ids are never chosen by the browser (bot/identity.py)."""
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "JSON attendu"}, status=400)
    kind = body.get("kind") if isinstance(body, dict) else None
    if kind not in TALKING:
        return web.json_response({"error": "type de page inconnu"}, status=400)
    held = body.get("sender")
    code = body.get("resume")
    if kind == "web" and isinstance(code, str) and 0 < len(code) <= 40:
        taken = await asyncio.to_thread(_take_over, code)  # the kiosk's QR code on a phone
        if taken is None:
            return web.json_response(
                {"error": "Ce code ne marche plus (il sert une fois, 10 minutes)."}, status=410)
        held = taken
    keep = (kind,) if kind != "web" else ("web", "kiosk")  # a phone goes on with a kiosk's
    sender = held if browser_id_kind(held) in keep else issue_browser_id(kind)
    response = web.json_response({"sender": sender})
    response.headers["Cache-Control"] = "no-store"
    return response


def _take_over(code: str) -> str | None:
    """The conversation a kiosk's one-time code names (used up, bot/handoff/resume.py), for
    the phone that scanned it; None if the code is unknown, used or expired."""
    from bot.handoff.models import ResumeCode
    from bot.handoff.resume import resume
    from bot.handoff.tickets import open_ticket_for

    with session_scope() as session:
        row = session.get(ResumeCode, code)
        if row is None:
            return None
        ticket = open_ticket_for(session, row.sender_id)
        channel = ticket.channel if ticket is not None else "rest"
        return row.sender_id if resume(session, code, row.sender_id, channel) else None


async def continue_on_phone(request: web.Request) -> web.Response:
    """A one-time code for this conversation (the kiosk's QR code): a Telegram deep link
    where Telegram is set up, else for the chat page on the phone (`/?reprendre=<code>`)."""
    from bot.handoff.resume import deep_link, new_code

    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "JSON attendu"}, status=400)
    sender = body.get("sender") if isinstance(body, dict) else None
    refused = _refused(sender, TALKING)
    if refused is not None:
        return refused
    def _code() -> str:
        with session_scope() as session:
            return new_code(session, sender)

    code = await asyncio.to_thread(_code)
    response = web.json_response({"code": code, "link": deep_link(code)})
    response.headers["Cache-Control"] = "no-store"
    return response


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def privacy(request: web.Request) -> web.Response:
    facts = {k: html.escape(v) for k, v in privacy_facts().items()}
    territory = html.escape(get_territory().name)
    page = (STATIC / "confidentialite.html").read_text(encoding="utf-8")
    for key, value in {**facts, "territory": territory}.items():
        page = page.replace("{{" + key + "}}", value)
    return web.Response(text=page, content_type="text/html")


async def chat(request: web.Request) -> web.Response:
    """Relays one message to Rasa's REST channel and returns Indy's answers."""
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "JSON attendu"}, status=400)
    sender = body.get("sender") if isinstance(body, dict) else None
    text = body.get("message") if isinstance(body, dict) else None
    refused = _refused(sender, TALKING)
    if refused is not None:
        return refused
    text = clean_message(text) if isinstance(text, str) else ""
    if not text:
        return web.json_response({"error": "message vide"}, status=400)
    if not LIMITER.allow(sender):
        return web.json_response({"messages": [{"text": RATE_MESSAGE}]}, status=429)
    settings = get_settings()
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    try:
        messages = await rasa_client.send(request.app[HTTP], url, sender, text, timeout_s=45)
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("Rasa unreachable: %s", type(error).__name__)
        messages = [technical_problem_message()]
    return web.json_response({"messages": messages})


async def updates(request: web.Request) -> web.Response:
    """Messages waiting for this conversation (a counsellor's reply, the end of a handoff):
    the chat page asks every few seconds, since the REST channel cannot push. `after` is the
    last message id the page has shown: those are marked delivered, newer ones are sent (and
    sent again until acknowledged, so a lost answer loses nothing)."""
    sender = request.query.get("sender", "")
    refused = _refused(sender, COLLECTING)
    if refused is not None:
        return refused
    after_text = request.query.get("after")
    after = int(after_text) if after_text and after_text.isdigit() and len(after_text) < 10 \
        else (0 if after_text is not None else None)

    def _pull() -> list[dict]:
        with session_scope() as session:
            messages = pull(session, sender, after)
            who = history.authors(session, [m["id"] for m in messages])
        return [{**m, "who": who.get(m["id"], "bot")} for m in messages]

    return _for_pages(request, web.json_response({"messages": await asyncio.to_thread(_pull)}))


def _for_pages(request: web.Request, response: web.Response) -> web.Response:
    """Readable by the widget on a partners' site (territory.yml), never kept by a cache."""
    origin = request.headers.get("Origin")
    if origin and origin_allowed(origin, request.host, request.scheme):
        response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-store"
    return response


async def conversation(request: web.Request) -> web.Response:
    """The conversation so far, as the page showed it (bot/web/history.py), for a page that
    was reloaded: only for the id's holder (the id is signed and secret, bot/identity.py).
    `news` is the last handoff message included: the page gives it as `after` when it polls."""
    sender = request.query.get("sender", "")
    refused = _refused(sender, COLLECTING)
    if refused is not None:
        return _for_pages(request, refused)
    settings = get_settings()
    url = f"{settings.rasa_url}/conversations/{sender}/tracker"
    try:
        async with request.app[HTTP].get(url, params={"token": settings.rasa_token},
                                         timeout=aiohttp.ClientTimeout(total=10)) as reply:
            reply.raise_for_status()
            events = (await reply.json()).get("events") or []
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        logger.warning("Rasa's tracker unreachable: %s", type(error).__name__)
        return _for_pages(request, web.json_response(
            {"error": "La connexion ne passe pas."}, status=503))

    def _handoff() -> tuple[list, int]:
        with session_scope() as session:
            return history.from_handoff(session, sender)

    handoff, news = await asyncio.to_thread(_handoff)
    messages = history.merged(history.from_tracker(events), handoff)
    return _for_pages(request, web.json_response({"messages": messages, "news": news}))


def deliver_once() -> None:
    """One round of the background worker: the outbox, then the erasures asked for."""
    with session_scope() as session:
        deliver_due(session, transports_from_env())
    with session_scope() as session:
        erase_trackers(session)


def purge_once() -> None:
    """The retention of territory.yml, applied (the observatory keeps its counts first)."""
    with session_scope() as session:
        purged = purge_older_than(session)
    logger.info("retention purge: %d conversations, %d closed requests erased",
                purged.conversations, purged.tickets)


def purge_every_s() -> float:
    """How often the web app applies the retention: INDY_PURGE_EVERY_H hours (24; 0: never,
    when a systemd timer or cron runs `python -m bot privacy purge` instead)."""
    return float(os.environ.get("INDY_PURGE_EVERY_H", "24")) * 3600


async def _outbox_worker(app: web.Application):
    """Delivers the outbox (Telegram) while the web app runs: stored first, retried with
    backoff, so a restart loses nothing. Applies the retention at start, then daily."""

    async def loop() -> None:
        every = purge_every_s()
        next_purge = time.monotonic() if every > 0 else float("inf")
        while True:
            try:
                await asyncio.to_thread(deliver_once)
                if time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + every
                    await asyncio.to_thread(purge_once)
            except Exception:  # keep delivering after any failure
                logger.exception("outbox delivery or retention purge failed")
            await asyncio.sleep(OUTBOX_EVERY_S)

    task = asyncio.create_task(loop())
    yield
    task.cancel()


async def _http_session(app: web.Application):
    app[HTTP] = aiohttp.ClientSession()
    yield
    await app[HTTP].close()


def create_app() -> web.Application:
    app = web.Application(middlewares=[security_headers, caching], client_max_size=64 * 1024)
    app.cleanup_ctx.append(_http_session)
    app.cleanup_ctx.append(_outbox_worker)
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/confidentialite", privacy)
    app.router.add_post("/api/session", new_session)
    app.router.add_post("/api/chat", chat)
    app.router.add_get("/api/updates", updates)
    app.router.add_get("/api/history", conversation)
    app.router.add_post("/api/continue", continue_on_phone)
    app.router.add_get("/kiosk", kiosk)
    app.router.add_get("/widget.js", widget_js)
    app.router.add_get("/exemple", example_page)
    add_routes(app)
    from bot.observatory.web import setup as setup_observatory  # admins' observatory
    setup_observatory(app)
    app.router.add_get("/static/{name:.+}", static_file)
    return app


def serve() -> None:
    settings = get_settings()
    setup_logs(name="web")
    web.run_app(create_app(), host=settings.host, port=settings.web_port, print=None)
