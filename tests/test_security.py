"""Rasa's HTTP API needs the token; CORS follows the configured origins; senders are rate-limited."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.channels.ratelimit import RateLimiter
from tests.conftest import API_TOKEN, LiveAssistant

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/status", "/conversations/someone/tracker", "/version/../status"])
def test_http_api_refuses_requests_without_the_token(assistant: LiveAssistant, path: str) -> None:
    response = requests.get(f"{assistant.url}{path}", timeout=10)
    assert response.status_code in (401, 403, 404)


def test_http_api_answers_with_the_token(assistant: LiveAssistant) -> None:
    response = requests.get(f"{assistant.url}/status", params={"token": API_TOKEN}, timeout=10)
    assert response.status_code == 200


def test_cors_allows_only_the_configured_origins(assistant: LiveAssistant) -> None:
    def preflight(origin: str) -> str | None:
        response = requests.options(
            f"{assistant.url}/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        return response.headers.get("Access-Control-Allow-Origin")

    assert preflight("http://localhost:8080") == "http://localhost:8080"
    assert preflight("https://evil.example") is None


def test_a_flooding_sender_is_rate_limited_and_others_are_not(assistant: LiveAssistant) -> None:
    flooder = f"flood-{uuid.uuid4().hex[:6]}"
    codes = [
        requests.post(
            f"{assistant.url}/webhooks/rest/webhook", json={"sender": flooder, "message": "hi"}, timeout=30
        ).status_code
        for _ in range(100)
    ]
    assert codes.count(429) >= 10 and codes[0] == 200, codes
    assert assistant.ask("hi", sender=f"calm-{uuid.uuid4().hex[:6]}")


def test_token_bucket() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    assert all(RateLimiter(per_minute=0).allow("x") for _ in range(100))
