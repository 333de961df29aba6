"""The observatory on a real Rasa SQL tracker store and our database: counts, no personal data
in any aggregate or output, small cells hidden, the review queue, the admin page."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, inspect, select, text

from bot.catalogue.db import session_scope
from bot.handoff import accounts, tickets
from bot.handoff.models import Ticket
from bot.observatory import report, review
from bot.observatory.compute import compute_day, refresh, tracker_engine
from bot.observatory.models import DailyCount, ObservedDay, ReviewItem
from bot.observatory.terminal import stats
from bot.privacy import purge_older_than
from bot.web.app import create_app
from tests.conftest import use_database

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2025, 12, 1)  # a Monday: the job bus is at Arlanc from 9 h 30 to 12 h 30
THIERS, AMBERT, ARLANC = "63430", "63003", "63010"
PHONE, EMAIL = "06 12 34 56 78", "lea.martin@example.org"
SECRETS = ["Léa", "Martin", "Zoé", PHONE, "0612345678", EMAIL, "lea.martin",
           "je cherche un taf", "asdf qwerty", "mon cousin"]


def at(hour: int, minute: int = 0) -> float:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=PARIS).timestamp()


class Talk:
    """One conversation as Rasa stores it (the events of a real turn, in order)."""

    def __init__(self, sender: str, channel: str, when: float):
        self.sender, self.channel, self.t = sender, channel, when
        self.slots: dict = {}
        self.events = [ActionExecuted("action_session_start", timestamp=self._tick()),
                       SessionStarted(timestamp=self._tick()),
                       ActionExecuted("action_listen", timestamp=self._tick())]

    def _tick(self) -> float:
        self.t += 1
        return self.t

    def user(self, said: str, intent: str, confidence: float = 0.95, **slots):
        ranking = [{"name": intent, "confidence": confidence},
                   {"name": "search_job", "confidence": 0.2}]
        if intent == "nlu_fallback":
            ranking = [{"name": "nlu_fallback", "confidence": 0.7},
                       {"name": "ask_mobility", "confidence": 0.31},
                       {"name": "greet", "confidence": 0.1}]
        self.events.append(UserUttered(
            said, {"name": intent, "confidence": confidence}, [],
            parse_data={"intent": {"name": intent, "confidence": confidence}, "entities": [],
                        "text": said, "intent_ranking": ranking},
            timestamp=self._tick(), input_channel=self.channel))
        for name, value in slots.items():
            self.events.append(SlotSet(name, value, timestamp=self._tick()))
            self.slots[name] = value
        return self

    def bot(self, utter: str, said: str = "…"):
        self.events.append(ActionExecuted(utter, timestamp=self._tick()))
        self.events.append(BotUttered(said, metadata={"utter_action": utter},
                                      timestamp=self._tick()))
        return self

    def search(self, outcome: str = "found"):
        """What action_indy leaves in the tracker after a search: its messages, then the
        context's slots with `last_search` (kind, trade, place, outcome)."""
        self.events.append(ActionExecuted("action_indy", timestamp=self._tick()))
        self.events.append(BotUttered("Je cherche…", metadata={"utter_action":
                                                               "utter_search_noted"},
                                      timestamp=self._tick()))
        self.events.append(SlotSet("last_search", {
            "kind": self.slots.get("search_kind") or "job", "trade": self.slots.get("job") or "",
            "place": self.slots.get("location") or "", "outcome": outcome},
            timestamp=self._tick()))
        self.events.append(ActionExecuted("action_listen", timestamp=self._tick()))
        return self

    def save(self, store) -> None:
        tracker = DialogueStateTracker(self.sender, [])
        for event in self.events:
            tracker.update(event)
        asyncio.run(store.save(tracker))


def demo_day(store) -> dict[str, list[str]]:
    """The day of the tests: 7 web, 5 Telegram, 2 kiosk (at Arlanc), 5 widget users."""
    senders: dict[str, list[str]] = {"web": [], "telegram": [], "kiosk": [], "widget": []}
    for i in range(6):  # welders in Thiers, found
        sender = f"web-{i:02d}aa11bb22cc33dd44ee55"
        Talk(sender, "rest", at(14, i)).user("je cherche un taf de soudeur vers thiers",
                                             "search_job", job="soudeur", location=THIERS) \
            .user("oui", "affirm", has_car=True).search("found").save(store)
        senders["web"].append(sender)
    for i in range(5):  # forklift drivers in Ambert, nothing found, no car
        sender = f"55500{i:04d}"
        Talk(sender, "telegram", at(16, i)).user("cariste à ambert", "search_job",
                                                 job="cariste", location=AMBERT) \
            .user("non", "deny", has_car=False).search("none").save(store)
        senders["telegram"].append(sender)
    for i in range(2):  # two people at the bus kiosk in Arlanc: small cells
        sender = f"kiosk-{i:02d}ff00ee11dd22cc33bb44"
        Talk(sender, "rest", at(10, 15 + i)).user("usineur arlanc", "search_job",
                                                  job="usineur", location=ARLANC) \
            .user("non", "deny", has_car=False).search("none") \
            .user("j'ai pas le permis", "ask_mobility").bot("utter_ask_mobility").save(store)
        senders["kiosk"].append(sender)
    for i in range(5):  # housing asked on a partner's site, in Thiers
        sender = f"{i:02d}c0ffee0123456789abcdef0123"
        Talk(sender, "socketio", at(18, i)).user("logement près de l'usine à thiers",
                                                 "ask_housing", location=THIERS) \
            .bot("utter_ask_housing").save(store)
        senders["widget"].append(sender)
    sender = "web-0f0f0f0f0f0f0f0f0f0f0f0f"
    Talk(sender, "rest", at(20)).user(
        f"je m'appelle Léa Martin, mon {PHONE} ou {EMAIL} asdf qwerty", "nlu_fallback", 0.4) \
        .bot("action_indy_fallback").user("mon cousin zzz", "nlu_fallback", 0.3) \
        .user("/ask_mobility", "ask_mobility").save(store)
    senders["web"].append(sender)
    return senders


@pytest.fixture
def day(empty_catalogue, monkeypatch, tmp_path):
    tracker_db = tmp_path / "tracker.db"
    monkeypatch.setenv("INDY_TRACKER_DB", str(tracker_db))
    monkeypatch.delenv("INDY_TRACKER_URL", raising=False)
    monkeypatch.delenv("INDY_COUNSELLORS_CHAT", raising=False)
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker_db))
    senders = demo_day(store)
    with use_database(empty_catalogue, monkeypatch):
        with session_scope() as session:
            created = datetime(2025, 12, 1, 13, 0)  # UTC
            for i, who in enumerate(senders["web"][:2]):
                tickets.create_ticket(session, tickets.Request(
                    who, "rest", ["Léa", "Zoé"][i], EMAIL if i else PHONE, "request",
                    {"trade": "soudeur"}, [("user", "je cherche un taf, je m'appelle Léa")]))
            for ticket in session.execute(select(Ticket)).unique().scalars():
                ticket.created_at = created
                if ticket.first_name == "Léa":
                    ticket.taken_at = created + timedelta(minutes=42)
                    ticket.status = "taken"
            accounts.add_counsellor(session, "admin", "Admin", "motdepasse-solide", role="admin")
            accounts.add_counsellor(session, "julie", "Julie", "motdepasse-solide")
        with session_scope() as session:
            engine = tracker_engine()
            compute_day(session, DAY, engine)
            engine.dispose()
        yield senders, f"sqlite:///{tracker_db}"


def cells(session, metric: str) -> dict[tuple, tuple[int, int]]:
    return {(r.channel, r.key, r.key2, r.key3): (r.people, r.count) for r in session.execute(
        select(DailyCount).where(DailyCount.day == DAY, DailyCount.metric == metric)).scalars()}


def test_the_day_is_counted_right(day):
    with session_scope() as session:
        conversations = cells(session, "conversations")
        assert conversations == {("web", "", "", ""): (7, 15), ("telegram", "", "", ""): (5, 10),
                                 ("kiosk", ARLANC, "", ""): (2, 6),
                                 ("widget", "", "", ""): (5, 5)}
        searches = cells(session, "search")
        assert searches[("web", "job", "soudeur", THIERS)] == (6, 6)
        assert searches[("telegram", "job", "cariste", AMBERT)] == (5, 5)
        assert cells(session, "search_none") == {
            ("telegram", "job", "cariste", AMBERT): (5, 5), ("kiosk", "job", "usineur", ARLANC):
            (2, 2)}
        barriers = cells(session, "barrier")
        assert barriers[("widget", "logement", "200070712", "")] == (5, 5)
        assert barriers[("telegram", "mobilité", "200070761", "")] == (5, 5)  # no car
        assert barriers[("kiosk", "mobilité", "200070761", "")] == (2, 4)  # no car + asked
        assert cells(session, "intent")[("web", "nlu_fallback", "", "")] == (1, 2)
        assert cells(session, "fallback") == {("web", "", "", ""): (1, 2)}
        assert cells(session, "handoff") == {("web", "ml-thiers", "taken", ""): (1, 1),
                                             ("web", "ml-thiers", "waiting", ""): (1, 1)}
        wait = session.execute(select(DailyCount).where(
            DailyCount.metric == "handoff_wait")).scalar_one()
        assert (wait.count, wait.amount) == (1, 42.0)
        before = sorted((r.metric, r.channel, r.key, r.key2, r.key3, r.people, r.count)
                        for r in session.execute(select(DailyCount)).scalars())
        assert session.get(ObservedDay, DAY).final  # long past: tickets settled
        refresh(session, days=3, today=DAY + timedelta(days=1))  # final: not computed again
        compute_day(session, DAY, tracker_engine())  # forced: same rows, not twice as many
        after = sorted((r.metric, r.channel, r.key, r.key2, r.key3, r.people, r.count)
                       for r in session.execute(select(DailyCount)).scalars())
        assert after == before
        assert len(session.execute(select(ReviewItem)).scalars().all()) == 2


def _all_values(url: str, tables: list[str]) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        values = [str(v) for table in tables
                  for row in connection.execute(text(f"SELECT * FROM {table}"))
                  for v in row]
    engine.dispose()
    return "\n".join(values).lower()


def _outputs(senders) -> list[str]:
    """The aggregates tables, the CSV files, the terminal and the page's tables."""
    with session_scope() as session:
        built = report.build(session, DAY - timedelta(days=6), DAY, DAY)
    csvs = [report.csv_bytes(t).decode("utf-8-sig") for t in built.tables]
    return csvs + [stats(7, DAY)]


def test_no_personal_data_reaches_the_aggregates_or_any_output(day, empty_catalogue):
    senders, _ = day
    forbidden = [s.lower() for s in SECRETS] + [s.lower() for group in senders.values()
                                                 for s in group]
    aggregates = _all_values(empty_catalogue, ["observatory_counts", "observatory_days"])
    for secret in forbidden:
        assert secret not in aggregates, secret
    for output in _outputs(senders):
        for secret in forbidden:
            assert secret not in output.lower(), secret
    # The review queue keeps what Indy did not understand, masked, with no sender column.
    columns = {c["name"] for c in inspect(create_engine(empty_catalogue)).get_columns(
        "observatory_review")}
    assert not columns & {"sender_id", "sender", "message_id", "conversation"}
    queue = _all_values(empty_catalogue, ["observatory_review"])
    for secret in ["léa", "martin", PHONE, "0612345678", EMAIL.lower()] + forbidden[10:]:
        assert secret.lower() not in queue, secret
    assert "[prénom]" in queue and "[téléphone]" in queue and "[e-mail]" in queue


def test_small_cells_are_hidden_in_tables_csv_and_terminal(day):
    with session_scope() as session:
        built = report.build(session, DAY - timedelta(days=6), DAY, DAY)
    searches = {(row[0], row[1]): row for row in built.table("recherches").rows}
    assert searches[("usineur", "Arlanc")][2:] == ["< 5", "< 5", "< 5"]  # 2 people
    assert searches[("cariste", "Ambert")][2:] == ["5", "5", "100 %"]
    assert searches[("soudeur", "Thiers")][2:] == ["6", "0", "0 %"]
    stops = dict(built.table("borne_arrets").rows)
    assert stops == {"Arlanc": "< 5"}
    barriers = dict(built.table("freins").rows)
    # Barrier × EPCI: 7 in Ambert Livradois Forez, 1 without a place (hidden): not "8".
    assert barriers == {"mobilité": "7 +", "logement": "5"}
    assert ["mobilité", "non connue", "< 5"] in built.table("freins_epci").rows
    channels = {row[0]: row[1:] for row in built.table("canaux").rows}
    assert channels["Borne du bus"] == ["< 5", "< 5"]
    csv = report.csv_bytes(built.table("recherches"))
    assert csv.startswith("\ufeff".encode()) and b"usineur;Arlanc;< 5;< 5;< 5\r\n" in csv
    printed = stats(7, DAY)
    line = next(x for x in printed.splitlines() if x.strip().startswith("usineur"))
    assert "< 5" in line and not re.search(r"\b2\b", line)
    assert ("Arlanc", None, 0) not in built.trades  # hidden demand is not drawn
    assert ("usineur", None, 0) in built.trades
    assert {c["name"] for c in built.communes} == {"Thiers", "Ambert"}


def test_totals_never_reveal_one_hidden_cell():
    protect = report.Protector(5)
    assert protect.margin([10, 3]).text(5) == "10 +"  # not 13: 13 - 10 would give the 3
    assert protect.margin([10, 3, 4]).text(5) == "17"  # 7 people pooled from two cells
    assert protect.margin([3]).text(5) == "< 5"
    assert protect.margin([0, 6]).text(5) == "6"
    assert protect.share(2, 10) == "masqué" and protect.share(8, 10) == "masqué"
    assert protect.share(5, 10) == "50 %" and protect.share(0, 7) == "0 %"


def test_purge_keeps_the_counts_and_only_them(day, empty_catalogue):
    senders, tracker = day
    with session_scope() as session:
        session.execute(text("DELETE FROM observatory_counts"))
        session.execute(text("DELETE FROM observatory_days"))
        purged = purge_older_than(session, 180, now=datetime(2026, 7, 1))
    assert purged.conversations == 19
    with session_scope() as session:
        assert session.get(ObservedDay, DAY).final
        assert cells(session, "search")[("web", "job", "soudeur", THIERS)] == (6, 6)
        assert session.execute(select(ReviewItem)).first() is None  # gone with the retention
    with create_engine(tracker).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM events")).scalar_one() == 0


def test_label_and_export_as_rasa_training_data(day, tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    with session_scope() as session:
        items = review.queue(session)
        assert [i.occurrences for i in items] == [1, 1]
        first = next(i for i in items if "[prénom]" in i.text)
        assert (first.predicted_intent, first.confidence) == ("ask_mobility", 0.31)
        review.label(session, first.id, "request_human")
        other = next(i for i in items if i.id != first.id)
        review.label(session, other.id, review.IGNORE)
        with pytest.raises(review.ReviewError):
            review.label(session, other.id, "not_an_intent")
        exported = review.export_nlu(session)
    path = tmp_path / "labels.yml"
    path.write_text(exported, encoding="utf-8")
    examples = load_data(str(path)).intent_examples
    assert [(m.get("intent"), m.get("text")) for m in examples] == [
        ("request_human", "je m'appelle prénom, mon téléphone ou e-mail asdf qwerty")]


def run(check):
    async def go():
        async with TestClient(TestServer(create_app())) as client:
            await check(client)

    asyncio.run(go())


async def login(client, username: str) -> None:
    form = await (await client.get("/conseillers/connexion")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = await client.post("/conseillers/connexion", data={
        "username": username, "password": "motdepasse-solide", "csrf": token},
        allow_redirects=False)
    assert response.status == 303


def test_the_page_is_for_admins_and_labels_need_the_csrf_token(day):
    senders, _ = day
    url = "/conseillers/observatoire?fin=2025-12-01"

    async def check(client):
        anonymous = await client.get(url, allow_redirects=False)
        assert anonymous.status == 303 and anonymous.headers["Location"].endswith("/connexion")
        await login(client, "julie")
        assert (await client.get(url)).status == 403
        assert (await client.get("/conseillers/observatoire/relecture")).status == 403
        assert (await client.get("/conseillers/observatoire/export/recherches.csv")).status \
            == 403
        await client.post("/conseillers/deconnexion", data={"csrf": "x"})
        client.session.cookie_jar.clear()
        await login(client, "admin")
        page = await (await client.get(url)).text()
        assert page.count("<svg") == 3 and "Métiers demandés" in page
        assert "usineur" in page and "&lt; 5" in page
        assert "<script" not in page and " style=" not in page
        for secret in SECRETS[:6] + [s for group in senders.values() for s in group]:
            assert secret not in page
        exported = await client.get("/conseillers/observatoire/export/metiers.csv"
                                    "?fin=2025-12-01")
        assert exported.headers["Content-Type"].startswith("text/csv")
        assert (await exported.read()).startswith("\ufeffMétier;".encode())
        queue = await (await client.get("/conseillers/observatoire/relecture")).text()
        item = re.search(r'action="/conseillers/observatoire/relecture/(\d+)"', queue).group(1)
        token = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)
        forged = await client.post(f"/conseillers/observatoire/relecture/{item}",
                                   data={"csrf": "forged", "intent": "greet"})
        assert forged.status == 403
        done = await client.post(f"/conseillers/observatoire/relecture/{item}",
                                 data={"csrf": token, "intent": "greet"})
        assert done.status == 200 and "Étiquetés (1)" in await done.text()
        labels = await (await client.get("/conseillers/observatoire/relecture/nlu.yml")).text()
        assert "- intent: greet" in labels

    run(check)
