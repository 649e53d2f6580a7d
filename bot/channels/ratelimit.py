"""Per-sender rate limit for the public channels (token bucket, in memory per process).

RATE_LIMIT_PER_MINUTE (default 30, 0 turns it off) messages a minute per sender, with bursts
up to the same number. With several Rasa replicas each process limits on its own.
"""

from __future__ import annotations

import os
import threading
import time
from functools import lru_cache

MAX_TRACKED_SENDERS = 100_000


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.capacity <= 0:
            return True
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1
            self.buckets[key] = (tokens - 1 if allowed else tokens, now)
            if len(self.buckets) > MAX_TRACKED_SENDERS:  # forget the longest-idle senders
                for stale in sorted(self.buckets, key=lambda k: self.buckets[k][1])[
                    : MAX_TRACKED_SENDERS // 10
                ]:
                    del self.buckets[stale]
            return allowed


@lru_cache(maxsize=1)
def default_limiter() -> RateLimiter:
    return RateLimiter(int(os.environ.get("RATE_LIMIT_PER_MINUTE", "30")))
