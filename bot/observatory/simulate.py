"""A demo day: simulated young people talk to a running Indy through its real channels
(REST for the web page and the bus kiosk, the Telegram webhook, socket.io for the widget), so
that the observatory has something to show. For a demonstration instance only: these
conversations are counted like real ones.

Every person here is fictional; the script is deterministic for a given seed."""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

from bot.identity import CHANNEL_SECRET_HEADER, channel_secret, telegram_sender

# (weight, messages): a search, answered as Indy asks (car, place).
SEARCHES = [
    (6, ["je cherche un taf de soudeur vers thiers", "oui"]),
    (4, ["je cherche un taf de soudeur vers thiers", "non j'ai pas le permis"]),
    (5, ["une formation cariste", "montbrison"]),
    (4, ["immersion en coutellerie", "thiers", "non"]),
    (3, ["apprentissage en usinage vers ambert", "oui"]),
    (4, ["je cherche un job de maroquinier à arlanc", "non"]),
    (3, ["offre d'emploi fromager vers cunlhat", "oui"]),
    (3, ["je veux un travail d'opérateur de production à lezoux", "oui"]),
    (2, ["stage de 3e pour mon fils à ambert"]),
    (2, ["y a des job dating bientôt ?"]),
    (2, ["je cherche une alternance en maintenance vers montbrison", "non"]),
    (4, ["je cherche une alternance de frigoriste vers viverols", "non"]),
    (3, ["je voudrais faire une immersion comme dessinateur industriel à ambert", "oui"]),
]
BARRIERS = [
    (4, "j'ai pas le permis"),
    (3, "je cherche un logement près de l'usine"),
    (3, "y a des aides pour les jeunes ?"),
    (3, "j'ai pas de diplôme je peux bosser dans l'industrie ?"),
    (1, "j'ai un handicap je peux travailler en usine ?"),
]
OTHERS = ["c koi la mrs", "le bus passe quand a arlanc", "ça paye combien soudeur",
          "aide pour mon CV", "où est la mission locale"]
NOT_UNDERSTOOD = ["zzkq blorp frrt", "ma tante a un chien qui fait du ski jsp",
                  "azerty uiop qsdf", "kestu dis wsh lol mdrrr ptdr", "grmbl hmmf"]
FIRST_NAMES = ["Léa", "Sam", "Inès", "Noah", "Jade", "Enzo", "Lina", "Hugo"]
CHANNELS = [(5, "web"), (3, "kiosk"), (3, "telegram"), (2, "widget")]


def _pick(rng: random.Random, weighted: list[tuple[int, object]]):
    return rng.choices([item for _, item in weighted], weights=[w for w, _ in weighted])[0]


@dataclass
class Person:
    channel: str
    sender: str
    messages: list[str]


def people(count: int, seed: int = 8, channels: list[str] | None = None) -> list[Person]:
    """`count` fictional people with their messages (greeting, a search, often a barrier,
    sometimes something Indy will not understand, now and then a request for a person)."""
    rng = random.Random(seed)
    crowd = []
    for i in range(count):
        channel = channels[i % len(channels)] if channels else _pick(rng, CHANNELS)
        if channel == "telegram":
            sender = telegram_sender(rng.randrange(10**8, 10**9))
        elif channel == "widget":
            sender = rng.randbytes(16).hex()
        else:
            sender = f"{channel}-{rng.randbytes(12).hex()}"
        messages = ["salut"] if rng.random() < 0.6 else []
        messages += list(_pick(rng, SEARCHES))
        if rng.random() < 0.55:
            messages.append(_pick(rng, BARRIERS))
        if rng.random() < 0.3:
            messages.append(rng.choice(OTHERS))
        if rng.random() < 0.2:
            messages.append(rng.choice(NOT_UNDERSTOOD))
        if i % 12 == 5:
            messages += ["je veux parler à un conseiller", "/affirm", rng.choice(FIRST_NAMES)]
            if channel in ("web", "kiosk", "widget"):
                messages.append("non")  # no phone number: the answer comes in the chat
        elif rng.random() < 0.5:
            messages.append("merci")
        crowd.append(Person(channel, sender, messages))
    return crowd


@dataclass
class Outcome:
    people: Counter = field(default_factory=Counter)
    messages: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        channels = ", ".join(f"{name} {n}" for name, n in sorted(self.people.items()))
        text = (f"{sum(self.people.values())} personnes simulées ({channels}), "
                f"{self.messages} messages en {self.seconds:.0f} s")
        if self.failures:
            text += f" ; {len(self.failures)} échecs (premier : {self.failures[0]})"
        return text


async def _rest(http: aiohttp.ClientSession, rasa_url: str, person: Person,
                outcome: Outcome) -> None:
    path = "telegram" if person.channel == "telegram" else "rest"
    url = f"{rasa_url}/webhooks/{path}/webhook"
    # The Telegram input is the bridge's: the simulation shows its secret, as the bridge does.
    headers = {CHANNEL_SECRET_HEADER: channel_secret("telegram")} if path == "telegram" else {}
    for text in person.messages:
        async with http.post(url, json={"sender": person.sender, "message": text},
                             headers=headers,
                             timeout=aiohttp.ClientTimeout(total=90)) as reply:
            reply.raise_for_status()
            await reply.json()
        outcome.messages += 1


async def _widget(rasa_url: str, person: Person, outcome: Outcome, quiet_s: float = 0.8) -> None:
    """The widget's protocol over socket.io: one session, a message, the answers until a
    short silence."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    answers: asyncio.Queue = asyncio.Queue()
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: answers.put_nowait(data))
    client.on("session_confirm", lambda data: confirmed.set())
    # Long polling: the WebSocket transport of python-engineio 4.15 needs a newer aiohttp.
    await client.connect(rasa_url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": person.sender})
        await asyncio.wait_for(confirmed.wait(), 20)
        for text in person.messages:
            await client.emit("user_uttered", {"message": text})
            await asyncio.wait_for(answers.get(), 60)
            while True:
                try:
                    await asyncio.wait_for(answers.get(), quiet_s)
                except asyncio.TimeoutError:
                    break
            outcome.messages += 1
    finally:
        await client.disconnect()


async def _run(crowd: list[Person], rasa_url: str, parallel: int) -> Outcome:
    outcome = Outcome()
    gate = asyncio.Semaphore(parallel)
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        async def one(person: Person) -> None:
            async with gate:
                try:
                    if person.channel == "widget":
                        await _widget(rasa_url, person, outcome)
                    else:
                        await _rest(http, rasa_url, person, outcome)
                    outcome.people[person.channel] += 1
                except Exception as error:  # one failed person does not stop the day
                    outcome.failures.append(f"{person.channel}: {type(error).__name__} {error}")

        await asyncio.gather(*(one(p) for p in crowd))
    outcome.seconds = time.monotonic() - started
    return outcome


def simulate(rasa_url: str, count: int = 60, seed: int | None = None, parallel: int = 4,
             channels: list[str] | None = None) -> Outcome:
    crowd = people(count, seed if seed is not None else secrets.randbelow(10**6), channels)
    return asyncio.run(_run(crowd, rasa_url.rstrip("/"), parallel))
