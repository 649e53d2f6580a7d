"""Failed sign-ins per client address: too many within the window answer 429.

A moving window from the `limits` library (in memory: one web process owns the agent area).
limits 2.4 is the last release that accepts Rasa 3.6's pin of `packaging` (< 21).
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():  # limits 2.4 imports pkg_resources, which warns on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from limits import RateLimitItemPerSecond
    from limits.storage import MemoryStorage
    from limits.strategies import MovingWindowRateLimiter

MAX_FAILURES = 10  # failed sign-ins per client address within FAILURE_WINDOW ...
FAILURE_WINDOW = 15 * 60  # ... after which it gets 429 until the window has passed


class Throttle:
    def __init__(self, limit: int = MAX_FAILURES, window: int = FAILURE_WINDOW) -> None:
        self._item = RateLimitItemPerSecond(limit, window)  # `limit` per `window` seconds
        self._storage = MemoryStorage()  # kept here: the limiter holds only a weak reference
        self._limiter = MovingWindowRateLimiter(self._storage)

    def blocked(self, client: str) -> bool:
        return not self._limiter.test(self._item, client)

    def failed(self, client: str) -> None:
        self._limiter.hit(self._item, client)

    def succeeded(self, client: str) -> None:
        self._limiter.clear(self._item, client)
