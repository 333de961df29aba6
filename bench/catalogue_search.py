"""Catalogue search latency on a large catalogue (`make bench`).

Builds a temporary SQLite catalogue (reference data + N offers spread over the territory's
communes, trades and kinds), then times random searches as the conversation makes them
(kind + trade + commune, kind + area, kind only) and prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.catalogue.db import session_scope
from bot.catalogue.prepare import prepare
from bot.catalogue.records import KINDS
from bot.catalogue.schema import Offer, Place, Trade
from bot.catalogue.search import ANY, Query, search


def fill(url: str, count: int, today: date, seed: int = 1) -> None:
    rng = random.Random(seed)
    with session_scope(url) as session:
        places = session.execute(select(Place).where(Place.kind == "commune")).scalars().all()
        trades = session.execute(select(Trade)).scalars().all()
        weights = [max(p.population, 50) for p in places]
        rows = []
        now = datetime.utcnow()
        for n in range(count):
            place = rng.choices(places, weights)[0]
            trade = rng.choice(trades)
            kind = rng.choice(KINDS)
            rows.append(dict(
                source="bench", source_id=str(n), kind=kind,
                event_type="forum" if kind == "event" else None, title=f"{trade.name} {n}",
                organisation="Entreprise (bench)", trade_id=trade.id, rome=trade.rome,
                place_code=place.code, latitude=place.latitude, longitude=place.longitude,
                start_date=today + timedelta(days=rng.randint(-30, 90)),
                expires_on=today + timedelta(days=rng.randint(-10, 60)),
                description="", requirements="", how_to_apply="", near_bus_line=False,
                demo=True, fingerprint=str(n), created_at=now, updated_at=now,
            ))
            if len(rows) == 5000:
                session.execute(insert(Offer), rows)
                rows = []
        if rows:
            session.execute(insert(Offer), rows)


def run(count: int, queries: int) -> dict[str, float]:
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        prepare(url, today=today, demo=False)
        started = time.perf_counter()
        fill(url, count, today)
        filled = time.perf_counter() - started
        rng = random.Random(2)
        with session_scope(url) as session:
            communes = session.execute(
                select(Place.code).where(Place.kind == "commune")).scalars().all()
            areas = session.execute(select(Place.code).where(Place.kind == "area")).scalars().all()
            trades = session.execute(select(Trade.name)).scalars().all()
            timings = []
            for n in range(queries):
                shape = n % 3
                query = Query(
                    kind=rng.choice(KINDS),
                    trade=rng.choice(trades) if shape == 0 else ANY,
                    place=rng.choice(communes) if shape != 2 else rng.choice(areas),
                    has_car=rng.choice([True, False, None]),
                    offset=rng.choice([0, 0, 3]),
                )
                begin = time.perf_counter()
                search(session, query, today)
                timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    return {
        "offers": count, "queries": queries, "fill_s": round(filled, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    result = run(args.offers, args.queries)
    print("Recherche dans le catalogue : " + ", ".join(f"{k} {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
