"""One JSON POST with retries on transient failures, run off the event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import requests

logger = logging.getLogger(__name__)

TRANSIENT_STATUS = {429, 500, 502, 503, 504}


class ApiError(RuntimeError):
    """The outside API refused the call or stayed unreachable after all retries."""


def post_json(
    session: requests.Session,
    url: str,
    payload: dict[str, Any],
    headers: dict[str, str] | None = None,
    attempts: int = 3,
    backoff: float = 0.5,
    timeout: float = 10,
) -> dict[str, Any]:
    """POST `payload`; retry connection errors, timeouts, 429 and 5xx with backoff."""
    for attempt in range(1, attempts + 1):
        try:
            response = session.post(url, json=payload, headers=headers, timeout=timeout)
            if response.status_code not in TRANSIENT_STATUS:
                if response.status_code >= 400:
                    raise ApiError(f"{url} answered {response.status_code}: {response.text[:200]}")
                return response.json() if response.content else {}
            reason = f"status {response.status_code}"
        except (requests.ConnectionError, requests.Timeout) as error:
            reason = type(error).__name__
        # Log the path only: Telegram's URL carries the bot token.
        safe_url = url.split("/bot")[0] if "/bot" in url else url
        logger.warning("call to %s failed (%s), attempt %d of %d", safe_url, reason, attempt, attempts)
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise ApiError(f"{safe_url} failed after {attempts} attempts")


async def post_json_async(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """`post_json` in a worker thread, so a slow API never blocks Rasa's event loop."""
    return await asyncio.to_thread(post_json, *args, **kwargs)
