"""Per-sender rate limiting (in process): a burst of messages from one conversation is slowed
down with a polite answer instead of reaching the assistant."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

MAX_MESSAGES = 15
PER_SECONDS = 10.0
MAX_SENDERS = 50_000  # memory bound: the oldest senders are forgotten first
MESSAGE = "Doucement 🙂 Attends quelques secondes avant de m'écrire à nouveau."


class RateLimiter:
    def __init__(self, limit: int = MAX_MESSAGES, period: float = PER_SECONDS,
                 clock=time.monotonic):
        self.limit, self.period, self.clock = limit, period, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, sender: str) -> bool:
        now = self.clock()
        with self._lock:
            times = self._seen.pop(sender, None) or deque()
            while times and now - times[0] > self.period:
                times.popleft()
            allowed = len(times) < self.limit
            if allowed:
                times.append(now)
            self._seen[sender] = times
            while len(self._seen) > MAX_SENDERS:
                self._seen.popitem(last=False)
            return allowed


LIMITER = RateLimiter()
