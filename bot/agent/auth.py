"""Who may use the agent area: AGENT_USER / AGENT_PASSWORD, a signed session cookie, Basic.

No default password: without both keys the agent area is "not configured" (503). The
session cookie is itsdangerous' URL-safe signed JSON `{"user": ..., "exp": ...}`
(HMAC-SHA256). Its key is AGENT_SESSION_SECRET (or a random per-process secret) and its salt
is derived from the credentials, so changing the password ends every session. Every
comparison of a secret is constant-time (itsdangerous compares signatures that way too).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadData, URLSafeSerializer

COOKIE = "tea_agent_session"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    # More agents (AGENT_USERS), so that a claim names a person: ((user, password, name), ...).
    others: tuple[tuple[str, str, str], ...] = field(default=(), repr=False)
    display: str = ""  # AGENT_DISPLAY_NAME: the main user's name as the customer sees it

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Credentials | None:
        user, password = env.get("AGENT_USER", "").strip(), env.get("AGENT_PASSWORD", "")
        if not (user and password):
            return None
        others = parse_agent_users(env.get("AGENT_USERS", ""))
        return cls(user, password, others, env.get("AGENT_DISPLAY_NAME", "").strip())

    @property
    def accounts(self) -> tuple[tuple[str, str, str], ...]:
        return ((self.user, self.password, self.display), *self.others)

    def check(self, user: str, password: str) -> bool:
        """Every account compared, both fields of each, in constant time."""
        found = False
        for known_user, known_password, _ in self.accounts:
            user_ok = hmac.compare_digest(user.encode(), known_user.encode())
            password_ok = hmac.compare_digest(password.encode(), known_password.encode())
            found |= user_ok & password_ok
        return found

    def display_name(self, user: str) -> str:
        """The name customers see for an agent (their user name when none is configured)."""
        return next((name or known for known, _, name in self.accounts if known == user), user)


def parse_agent_users(raw: str) -> tuple[tuple[str, str, str], ...]:
    """AGENT_USERS: `user:password[:Display Name]`, comma-separated. ValueError if malformed."""
    accounts = []
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        user, _, rest = entry.partition(":")
        password, _, name = rest.partition(":")
        if not user or not password:
            raise ValueError("AGENT_USERS: every entry is user:password[:Display Name]")
        accounts.append((user.strip(), password, name.strip()))
    return tuple(accounts)


@dataclass(frozen=True)
class Session:
    user: str
    expires: float


class Sessions:
    """Issues and checks the signed session cookie's value."""

    def __init__(self, credentials: Credentials, secret: bytes | None = None) -> None:
        accounts = "\x00".join(f"{user}\x00{password}" for user, password, _ in credentials.accounts)
        material = f"agent-session\x00{accounts}".encode()
        self._serializer = URLSafeSerializer(
            secret or secrets.token_bytes(32),
            salt=hashlib.sha256(material).hexdigest(),
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha256},
        )
        self._user = credentials.user
        self._users = {user for user, _, _ in credentials.accounts}

    @classmethod
    def from_env(cls, credentials: Credentials, env: Mapping[str, str] = os.environ) -> Sessions:
        secret = env.get("AGENT_SESSION_SECRET", "")
        return cls(credentials, secret.encode() if secret else None)

    def issue(self, now: float | None = None, user: str | None = None) -> str:
        expiry = int((time.time() if now is None else now) + SESSION_SECONDS)
        return str(self._serializer.dumps({"user": user or self._user, "exp": expiry}))

    def session(self, value: str | None, now: float | None = None) -> Session | None:
        """The session a cookie value stands for, or None (forged, expired, other credentials)."""
        if not value:
            return None
        try:
            payload: Any = self._serializer.loads(value)
        except BadData:  # bad signature, bad base64, bad JSON: all the same to us
            return None
        if not isinstance(payload, dict):
            return None
        user, expires = payload.get("user"), payload.get("exp")
        if not isinstance(expires, int) or isinstance(expires, bool) or user not in self._users:
            return None
        if expires < (time.time() if now is None else now):
            return None
        return Session(user, float(expires))

    def user(self, value: str | None, now: float | None = None) -> str | None:
        session = self.session(value, now)
        return session.user if session else None


def cookie_value(header: str | None, name: str) -> str | None:
    """One cookie of a Cookie header, read leniently.

    Not http.cookies.SimpleCookie (what Sanic's request.cookies uses): it stops at the first
    cookie it cannot parse, and cookies of other apps on the same host reach us too."""
    for part in (header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value
    return None


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
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:  # e.g. "http://[bad"
        return False
    return bool(host) and netloc.lower() == (host or "").lower()
