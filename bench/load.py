"""Concurrent users on one HTTP endpoint: each sends a script with its own sender id; the
requests, errors, throughput and latency percentiles (used by bench/run.py and bench/versus.py)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Callable

import aiohttp


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}


async def load(url: str, users: int, body: Callable[[str, str], dict], script: list[str],
               timeout_s: float = 300) -> dict[str, float]:
    timings: list[float] = []
    errors = 0

    async def user(http: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        for text in script:
            begin = time.perf_counter()
            try:
                async with http.post(url, json=body(sender, text)) as reply:
                    await reply.read()
                    if reply.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            timings.append(time.perf_counter() - begin)

    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=users)) as http:
        begin = time.perf_counter()
        await asyncio.gather(*(user(http) for _ in range(users)))
        wall = time.perf_counter() - begin
    return {"users": users, "requests": len(timings), "errors": errors,
            "throughput_rps": round(len(timings) / wall, 1), **percentiles(timings)}
