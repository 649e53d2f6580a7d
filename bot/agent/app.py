"""What the agent area does, without HTTP: who may sign in, and the data behind each route.

The routes (bot/agent/routes.py, a Sanic blueprint on the demo server bot/web.py):

    GET  /agent                                   the agent page (Suggest, Handoffs, Analytics)
    GET  /agent/login, POST /agent/login          the login form; POST /agent/logout
    GET  /agent/static/agent.js|agent.css         web/agent/ (the stylesheet also for the login)
    GET  /agent/api/suggest?q=...                 NLU reading + bg/en answers + links
    GET  /agent/api/handoffs?limit=&before=&open=&case=  handed-over conversations, newest first, paged
    GET  /agent/api/conversations?limit=&before=  every conversation, latest message first, paged
    GET  /agent/api/callbacks                     callback requests left with consent
    GET  /agent/api/conversations/<sender_id>     the transcript with the bot's understanding
    POST /agent/api/conversations/<sender_id>/resolve
    POST /agent/api/conversations/<sender_id>/erase  delete everything stored about the sender
    POST /agent/api/conversations/<sender_id>/claim|reply|release  live takeover (takeover.py)
    GET  /agent/api/analytics[.csv]?days=N        volumes, containment, fallback rate, ...
    GET  /agent/api/events                        live updates (Server-Sent Events, bot/agent/live.py)

Unauthenticated: API calls get 401, pages a redirect to the login form; nothing else. POSTs
must pass the Origin check (the session cookie is SameSite=Strict as well).
docs/agent-api.md documents the API. `AgentApp.from_env` (the web server's app) also starts
the daily retention of bot/retention.py: this process owns the agent tables.

Everything here blocks (SQLAlchemy, HTTP to Rasa): the routes call it in a worker thread.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.adapters.rasa_takeover import RasaTakeover
from bot.agent import insights
from bot.agent.auth import COOKIE, Credentials, Sessions, basic_credentials, cookie_value
from bot.agent.index import DEFAULT_LIMIT, ConversationIndex, window_start
from bot.agent.store import READ_ERRORS, TrackerDatabase
from bot.agent.suggest import Parser, RasaHttpNlu, suggest
from bot.agent.takeover import Takeover
from bot.agent.throttle import Throttle
from bot.retention import RetentionScheduler, erase, start_scheduler
from bot.settings import PROJECT_DIR

logger = logging.getLogger(__name__)

STATIC_DIR = PROJECT_DIR / "web" / "agent"
STATIC = {"agent.js": "text/javascript; charset=utf-8", "agent.css": "text/css; charset=utf-8"}
MAX_BODY_BYTES = 16 * 1024
MAX_DAYS = 3660
# The page's own script and stylesheet, nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),  # not no-referrer: forms would then send "Origin: null"
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]


def is_agent_path(target: str) -> bool:
    path = unquote(urlsplit(target).path)
    return path == "/agent" or path.startswith("/agent/")


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheets from running customer text as a formula (CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def analytics_csv(report: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "key", "value"])
    writer.writerows(
        (metric, _safe_cell(key), value) for metric, key, value in insights.analytics_rows(report)
    )
    return out.getvalue()


def analytics_since(days: str, now: float | None = None) -> float | None:
    """The start of `?days=N`: the last N UTC calendar days, today included (None: all time);
    ValueError unless 0 < N <= MAX_DAYS. Whole days: the index keeps per-day rows."""
    if not days:
        return None
    try:
        period = float(days)
    except ValueError:
        period = -1.0
    if not 0 < period <= MAX_DAYS:  # also NaN
        raise ValueError(f"days must be a number of days between 0 and {MAX_DAYS}")
    return window_start(period, time.time() if now is None else now)


@dataclass(frozen=True)
class Agent:
    user: str
    via_basic: bool
    expires: float | None = None  # the session cookie's expiry (Basic: every request is checked)


class AgentApp:
    def __init__(
        self,
        credentials: Credentials | None,
        sessions: Sessions | None = None,
        database: Callable[[], TrackerDatabase] = TrackerDatabase.from_env,
        nlu: Parser | None = None,
        secure_cookie: bool = False,
        static_dir: Path = STATIC_DIR,
        takeover: RasaTakeover | None = None,
    ) -> None:
        self.credentials = credentials
        self.sessions = sessions or (Sessions(credentials) if credentials else None)
        self._database_factory = database
        self._database: TrackerDatabase | None = None
        self._index: ConversationIndex | None = None
        self.nlu: Parser = nlu or RasaHttpNlu.from_env()
        self.secure_cookie = secure_cookie
        self.static_dir = static_dir
        self.throttle = Throttle()
        self.retention: RetentionScheduler | None = None
        self.takeover = Takeover(self.database, takeover or RasaTakeover.from_env())

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, retention: bool = True) -> AgentApp:
        """The web server's app; with `retention`, RETENTION_DAYS runs now and daily in this process."""
        credentials = Credentials.from_env(env)
        sessions = Sessions.from_env(credentials, env) if credentials else None
        secure = env.get("AGENT_COOKIE_SECURE", "").lower() in ("1", "true", "yes")
        app = cls(credentials, sessions, secure_cookie=secure)
        if retention:
            # Whether or not the agent area is configured: retention is not an agent feature.
            app.retention = start_scheduler(app.database, env)
        if app.configured:
            try:  # the first build on a large store takes minutes: not in a request
                app.index().build_in_background()
            except READ_ERRORS:
                logger.exception("conversation index: the tracker store cannot be read")
        return app

    def database(self) -> TrackerDatabase:
        if self._database is None:
            self._database = self._database_factory()
        return self._database

    def index(self) -> ConversationIndex:
        """The queue, list and analytics tables (bot/agent/index.py), kept by this process."""
        if self._index is None:
            self._index = ConversationIndex(self.database())
        return self._index

    @property
    def configured(self) -> bool:
        return self.credentials is not None and self.sessions is not None

    # -- who is asking -----------------------------------------------------------------------
    def throttled(self, client: str) -> bool:
        return self.throttle.blocked(client)

    def authenticate(self, authorization: str | None, cookie_header: str | None, client: str) -> Agent | None:
        """The agent behind a request (HTTP Basic first, else the session cookie), or None.
        A wrong Basic password counts as a failed sign-in of `client`."""
        assert self.credentials is not None and self.sessions is not None
        basic = basic_credentials(authorization)
        if basic is not None:
            if self.credentials.check(*basic):
                return Agent(basic[0], via_basic=True)
            self.throttle.failed(client)
            return None
        session = self.sessions.session(cookie_value(cookie_header, COOKIE))
        return Agent(session.user, via_basic=False, expires=session.expires) if session else None

    def sign_in(self, user: str, password: str, client: str) -> str | None:
        """A new session cookie's value for the right credentials; None (and a failure) otherwise."""
        assert self.credentials is not None and self.sessions is not None
        if not self.credentials.check(user, password):
            self.throttle.failed(client)
            return None
        self.throttle.succeeded(client)
        return self.sessions.issue(user=user)

    # -- the data behind the API (blocking) ----------------------------------------------------
    def suggest(self, text: str) -> dict[str, Any]:
        """ValueError for an unusable message, NluUnavailable when Rasa cannot parse it."""
        return suggest(text, self.nlu)

    def handoffs(
        self,
        limit: int = DEFAULT_LIMIT,
        before: tuple[float, str] | None = None,
        open_only: bool = False,
        case: str | None = None,
    ) -> dict[str, Any]:
        """A page of the queue; with `case` (a normalised case number), only that case."""
        page = self.index().handoffs(limit, before, open_only, case)
        page["handoffs"] = self.with_claims(page["handoffs"])
        return page

    def conversations(
        self, limit: int = DEFAULT_LIMIT, before: tuple[float, str] | None = None
    ) -> dict[str, Any]:
        return self.index().conversations(limit, before)

    def callbacks(self) -> dict[str, Any]:
        """Callback requests customers left with their consent, newest first."""
        rows = self.database().callbacks()
        return {
            "callbacks": [
                {
                    "sender_id": c.sender_id,
                    "case_number": c.case_number,
                    "contact": c.contact,
                    "language": c.language,
                    "consent_at": insights.iso(c.consent_at),
                }
                for c in rows
            ]
        }

    def seen(self, agent: str) -> None:
        """The agent's console is open (the live stream's heartbeat): they count as online."""
        self.database().record_presence(agent)

    def conversation(self, sender_id: str) -> dict[str, Any] | None:
        db = self.database()
        events = db.events(sender_id=sender_id)  # Rasa's index on sender_id: this one only
        if not events:
            return None
        resolution = db.resolution(sender_id)
        summary = insights.handoff_queue(events, {sender_id: resolution} if resolution else {})
        conversation = insights.conversations(events).get(sender_id)
        return {
            "sender_id": sender_id,
            "channel": conversation.channel if conversation else insights.UNKNOWN,
            "language": conversation.language if conversation else insights.UNKNOWN,
            "handoff": summary[0] if summary else None,
            "messages": insights.transcript(events),
            "takeover": self.takeover_state(sender_id),
        }

    def resolve(self, sender_id: str, agent: str) -> dict[str, Any] | None:
        db = self.database()
        if not db.has_conversation(sender_id):
            return None
        resolution = db.resolve(sender_id, agent)
        return {
            "sender_id": sender_id,
            "resolved": True,
            "resolved_at": insights.iso(resolution.resolved_at),
            "resolved_by": resolution.resolved_by,
        }

    def erase(self, sender_id: str, agent: str) -> dict[str, Any] | None:
        erased = erase(self.database(), sender_id)
        if erased is None:
            return None
        # No sender id in the log: the erased conversation leaves no trace here either.
        counts = (erased.events, erased.agent_rows)
        logger.warning("agent %s erased a conversation: %d events, %d agent records", agent, *counts)
        payload = {"sender_id": sender_id, "erased": True, "events": erased.events}
        return payload | {"agent_records": erased.agent_rows}

    def analytics(self, since: float | None) -> dict[str, Any]:
        return self.index().analytics(since)

    # -- live takeover (bot/agent/takeover.py) ------------------------------------------------
    def takeover_state(self, sender_id: str) -> dict[str, Any]:
        claim = self.takeover.holder(sender_id)
        return {"claim": claim.as_dict() if claim else None, "audit": self.takeover.audit(sender_id)}

    def with_claims(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Queue items with `claimed_by` (the agent holding the conversation, or None)."""
        claims = self.takeover.claims()
        for item in items:
            claim = claims.get(item["sender_id"])
            item["claimed_by"] = claim.agent if claim else None
        return items

    def display_name(self, user: str) -> str:
        return self.credentials.display_name(user) if self.credentials else user

    def claim(self, sender_id: str, agent: str) -> dict[str, Any]:
        return self.takeover.claim(sender_id, agent, self.display_name(agent))

    def reply(self, sender_id: str, agent: str, text: Any) -> dict[str, Any]:
        return self.takeover.reply(sender_id, agent, text)

    def release(self, sender_id: str, agent: str) -> dict[str, Any]:
        return self.takeover.release(sender_id, agent)
