"""Who may use the agent area: AGENT_USER / AGENT_PASSWORD, a signed session cookie, Basic.

No default password: without both keys the agent area is "not configured" (503). The
session cookie is `<user>|<expiry>` signed with HMAC-SHA256; the key mixes
AGENT_SESSION_SECRET (or a random per-process secret) with the credentials, so changing the
password ends every session. Every comparison of a secret is constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

COOKIE = "tea_agent_session"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 10  # failed logins per client address within FAILURE_WINDOW ...
FAILURE_WINDOW = 15 * 60  # ... after which it gets 429 until the window has passed


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Credentials | None:
        user, password = env.get("AGENT_USER", "").strip(), env.get("AGENT_PASSWORD", "")
        return cls(user, password) if user and password else None

    def check(self, user: str, password: str) -> bool:
        """Both compared in constant time, and both always compared."""
        user_ok = hmac.compare_digest(user.encode(), self.user.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return user_ok & password_ok


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sessions:
    """Issues and checks the signed session cookie's value."""

    def __init__(self, credentials: Credentials, secret: bytes | None = None) -> None:
        secret = secret or secrets.token_bytes(32)
        material = f"{credentials.user}\x00{credentials.password}".encode()
        self._key = hmac.new(secret, b"agent-session\x00" + material, hashlib.sha256).digest()
        self._credentials = credentials

    @classmethod
    def from_env(cls, credentials: Credentials, env: Mapping[str, str] = os.environ) -> Sessions:
        secret = env.get("AGENT_SESSION_SECRET", "")
        return cls(credentials, secret.encode() if secret else None)

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, now: float | None = None) -> str:
        expiry = int((time.time() if now is None else now) + SESSION_SECONDS)
        payload = _b64(f"{self._credentials.user}|{expiry}".encode())
        return f"{payload}.{self._sign(payload)}"

    def user(self, value: str | None, now: float | None = None) -> str | None:
        """The agent a cookie value belongs to, or None (forged, expired, other credentials)."""
        if not value or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        try:
            user, _, expiry = _unb64(payload).decode().rpartition("|")
            expires = int(expiry)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if expires < (time.time() if now is None else now) or user != self._credentials.user:
            return None
        return user


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic ...` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def same_origin(origin: str | None, host: str | None, fetch_site: str | None, require_origin: bool) -> bool:
    """Whether a state-changing request comes from our own pages (CSRF check).

    Origin must name this server (its host:port as the client addressed it); browsers send
    it with every POST, so it is required unless the caller is a script (HTTP Basic).
    Sec-Fetch-Site, when sent, must be same-origin (or none: typed by the user)."""
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    if origin is None:
        return not require_origin
    return bool(host) and urlsplit(origin).netloc.lower() == (host or "").lower()


class Throttle:
    """Failed logins per client address; too many within the window answer 429."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(client, []) if now - t < self.window]
        if recent:
            self._failures[client] = recent
        else:
            self._failures.pop(client, None)
        return recent

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._failures[client] = [*self._recent(client, now), now]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
