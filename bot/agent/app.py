"""The /agent routes of the demo server (bot/web.py), independent of the HTTP server itself.

    GET  /agent                                   the agent page (Suggest, Handoffs, Analytics)
    GET  /agent/login, POST /agent/login          the login form; POST /agent/logout
    GET  /agent/static/agent.js|agent.css         web/agent/ (the stylesheet also for the login)
    GET  /agent/api/suggest?q=...                 NLU reading + bg/en answers + links
    GET  /agent/api/handoffs                      handed-over conversations, newest first
    GET  /agent/api/conversations/<sender_id>     the transcript with the bot's understanding
    POST /agent/api/conversations/<sender_id>/resolve
    POST /agent/api/conversations/<sender_id>/erase  delete everything stored about the sender
    GET  /agent/api/analytics[.csv]?days=N        volumes, containment, fallback rate, ...

Unauthenticated: API calls get 401, pages a redirect to the login form; nothing else. POSTs
must pass the Origin check (the session cookie is SameSite=Strict as well).
docs/agent-api.md documents the API. `AgentApp.from_env` (the web server's app) also starts
the daily retention of bot/retention.py: this process owns the agent tables.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.exc import SQLAlchemyError

from bot.agent import insights, pages
from bot.agent.auth import (
    COOKIE,
    SESSION_SECONDS,
    Credentials,
    Sessions,
    Throttle,
    basic_credentials,
    same_origin,
)
from bot.agent.store import QUEUE_TYPES, StoreConfigError, TrackerDatabase
from bot.agent.suggest import NluUnavailable, Parser, RasaHttpNlu, suggest
from bot.retention import RetentionScheduler, erase, start_scheduler
from bot.settings import PROJECT_DIR

logger = logging.getLogger(__name__)

STATIC_DIR = PROJECT_DIR / "web" / "agent"
STATIC = {"agent.js": "text/javascript; charset=utf-8", "agent.css": "text/css; charset=utf-8"}
PUBLIC_STATIC = {"agent.css"}  # the login page needs it; it holds no data
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
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
# Sent by agent.js: its 401s then carry no Basic challenge (no browser password dialog).
SCRIPT_HEADER = "X-Requested-With"


def is_agent_path(target: str) -> bool:
    path = unquote(urlsplit(target).path)
    return path == "/agent" or path.startswith("/agent/")


@dataclass
class Request:
    method: str
    target: str  # path and query as sent
    headers: Mapping[str, str]  # case-insensitive (http.client.HTTPMessage)
    body: bytes = b""
    client: str = ""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(status: int, payload: Any) -> Response:
    return Response(status, json.dumps(payload, ensure_ascii=False).encode(), JSON)


def error(status: int, message: str) -> Response:
    return json_response(status, {"error": message})


def html_response(status: int, page: str) -> Response:
    return Response(status, page.encode(), HTML)


def redirect(location: str, *headers: tuple[str, str]) -> Response:
    return Response(HTTPStatus.SEE_OTHER, b"", headers=[("Location", location), *headers])


def _cookies(header: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name not in found:
            found[name] = value
    return found


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


@dataclass
class Agent:
    user: str
    via_basic: bool


class AgentApp:
    def __init__(
        self,
        credentials: Credentials | None,
        sessions: Sessions | None = None,
        database: Callable[[], TrackerDatabase] = TrackerDatabase.from_env,
        nlu: Parser | None = None,
        secure_cookie: bool = False,
        static_dir: Path = STATIC_DIR,
    ) -> None:
        self.credentials = credentials
        self.sessions = sessions or (Sessions(credentials) if credentials else None)
        self._database_factory = database
        self._database: TrackerDatabase | None = None
        self.nlu: Parser = nlu or RasaHttpNlu.from_env()
        self.secure_cookie = secure_cookie
        self.static_dir = static_dir
        self.throttle = Throttle()
        self.retention: RetentionScheduler | None = None

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
        return app

    def database(self) -> TrackerDatabase:
        if self._database is None:
            self._database = self._database_factory()
        return self._database

    # -- entry point -------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        response = self._route(request)
        response.headers += SECURITY_HEADERS
        return response

    def _route(self, request: Request) -> Response:
        parts = urlsplit(request.target)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        is_api = segments[1:2] == ["api"]
        method = "GET" if request.method == "HEAD" else request.method
        if self.credentials is None or self.sessions is None:
            text = "The agent area is not configured: set AGENT_USER and AGENT_PASSWORD."
            return (
                error(503, text) if is_api else html_response(503, pages.message_page("Not configured", text))
            )
        if segments[1:] == ["login"]:
            return self._login(request, method)
        if segments[1:] == ["logout"] and method == "POST":
            return self._logout(request)
        if segments[1:2] == ["static"] and len(segments) == 3 and segments[2] in PUBLIC_STATIC:
            return self._static(segments[2])

        if basic_credentials(request.headers.get("Authorization")) and self.throttle.blocked(request.client):
            return error(429, "too many failed sign-ins; try again later")
        agent = self._authenticate(request)
        if agent is None:
            if not is_api:
                return redirect("/agent/login")
            response = error(401, "authentication required")
            if SCRIPT_HEADER not in request.headers:
                response.headers.append(("WWW-Authenticate", 'Basic realm="TEA agent API", charset="UTF-8"'))
            return response
        if method == "POST" and not same_origin(
            request.headers.get("Origin"),
            request.headers.get("Host"),
            request.headers.get("Sec-Fetch-Site"),
            require_origin=not agent.via_basic,
        ):
            return error(403, "cross-site request refused")

        if segments[1:] in ([], [""]):
            return self._only(method, "GET") or html_response(200, pages.app_page(agent.user))
        if segments[1:2] == ["static"] and len(segments) == 3 and segments[2] in STATIC:
            return self._only(method, "GET") or self._static(segments[2])
        if is_api:
            try:
                return self._api(method, segments[2:], parse_qs(parts.query), agent)
            except (SQLAlchemyError, StoreConfigError, OSError):
                logger.exception("the tracker store cannot be read")
                return error(503, "the tracker store cannot be read (see the server log)")
        return error(404, "not found") if is_api else html_response(404, pages.message_page("Not found", ""))

    @staticmethod
    def _only(method: str, allowed: str) -> Response | None:
        if method == allowed:
            return None
        return Response(HTTPStatus.METHOD_NOT_ALLOWED, b"", headers=[("Allow", allowed)])

    # -- authentication ----------------------------------------------------------------------
    def _authenticate(self, request: Request) -> Agent | None:
        assert self.credentials is not None and self.sessions is not None
        basic = basic_credentials(request.headers.get("Authorization"))
        if basic is not None:
            if self.credentials.check(*basic):
                return Agent(self.credentials.user, via_basic=True)
            self.throttle.failed(request.client)
            return None
        user = self.sessions.user(_cookies(request.headers.get("Cookie")).get(COOKIE))
        return Agent(user, via_basic=False) if user else None

    def _cookie(self, value: str, max_age: int) -> tuple[str, str]:
        secure = "; Secure" if self.secure_cookie else ""
        return (
            "Set-Cookie",
            f"{COOKIE}={value}; Path=/agent; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}",
        )

    def _login(self, request: Request, method: str) -> Response:
        assert self.credentials is not None and self.sessions is not None
        if method == "GET":
            if self.sessions.user(_cookies(request.headers.get("Cookie")).get(COOKIE)):
                return redirect("/agent")
            return html_response(200, pages.login_page())
        if method != "POST":
            return Response(HTTPStatus.METHOD_NOT_ALLOWED, b"", headers=[("Allow", "GET, POST")])
        headers = request.headers
        if not same_origin(headers.get("Origin"), headers.get("Host"), headers.get("Sec-Fetch-Site"), False):
            return html_response(403, pages.message_page("Refused", "Cross-site sign-in refused."))
        if self.throttle.blocked(request.client):
            return html_response(429, pages.login_page("Too many failed sign-ins. Try again in 15 minutes."))
        form = parse_qs(request.body.decode("utf-8", "replace"), max_num_fields=10)
        user, password = form.get("user", [""])[0], form.get("password", [""])[0]
        if not self.credentials.check(user, password):
            self.throttle.failed(request.client)
            return html_response(401, pages.login_page("Wrong user or password.", user))
        self.throttle.succeeded(request.client)
        return redirect("/agent", self._cookie(self.sessions.issue(), SESSION_SECONDS))

    def _logout(self, request: Request) -> Response:
        headers = request.headers
        if not same_origin(headers.get("Origin"), headers.get("Host"), headers.get("Sec-Fetch-Site"), False):
            return html_response(403, pages.message_page("Refused", "Cross-site request refused."))
        return redirect("/agent/login", self._cookie("", 0))

    def _static(self, name: str) -> Response:
        return Response(200, (self.static_dir / name).read_bytes(), STATIC[name])

    # -- the JSON API --------------------------------------------------------------------------
    def _api(self, method: str, route: list[str], query: dict[str, list[str]], agent: Agent) -> Response:
        if route == ["suggest"]:
            return self._only(method, "GET") or self._suggest(query.get("q", [""])[0])
        if route == ["handoffs"]:
            return self._only(method, "GET") or self._handoffs()
        if route in (["analytics"], ["analytics.csv"]):
            return self._only(method, "GET") or self._analytics(query.get("days", [""])[0], route[0])
        if len(route) == 2 and route[0] == "conversations" and route[1]:
            return self._only(method, "GET") or self._conversation(route[1])
        if len(route) == 3 and route[0] == "conversations" and route[1] and route[2] == "resolve":
            return self._only(method, "POST") or self._resolve(route[1], agent.user)
        if len(route) == 3 and route[0] == "conversations" and route[1] and route[2] == "erase":
            return self._only(method, "POST") or self._erase(route[1], agent.user)
        return error(404, "not found")

    def _suggest(self, text: str) -> Response:
        try:
            return json_response(200, suggest(text, self.nlu))
        except ValueError as problem:
            return error(400, str(problem))
        except NluUnavailable as problem:
            logger.warning("suggest: %s", problem)
            return error(502, f"the NLU is not available: {problem}")

    def _handoffs(self) -> Response:
        db = self.database()
        queue = insights.handoff_queue(db.events(types=QUEUE_TYPES), db.resolutions())
        return json_response(200, {"handoffs": queue})

    def _conversation(self, sender_id: str) -> Response:
        db = self.database()
        events = db.events(sender_id=sender_id)
        if not events:
            return error(404, "no such conversation")
        summary = insights.handoff_queue(events, db.resolutions())
        conversation = insights.conversations(events).get(sender_id)
        return json_response(
            200,
            {
                "sender_id": sender_id,
                "channel": conversation.channel if conversation else insights.UNKNOWN,
                "language": conversation.language if conversation else insights.UNKNOWN,
                "handoff": summary[0] if summary else None,
                "messages": insights.transcript(events),
            },
        )

    def _resolve(self, sender_id: str, agent: str) -> Response:
        db = self.database()
        if not db.has_conversation(sender_id):
            return error(404, "no such conversation")
        resolution = db.resolve(sender_id, agent)
        return json_response(
            200,
            {
                "sender_id": sender_id,
                "resolved": True,
                "resolved_at": insights.iso(resolution.resolved_at),
                "resolved_by": resolution.resolved_by,
            },
        )

    def _erase(self, sender_id: str, agent: str) -> Response:
        erased = erase(self.database(), sender_id)
        if erased is None:
            return error(404, "no such conversation")
        # No sender id in the log: the erased conversation leaves no trace here either.
        counts = (erased.events, erased.agent_rows)
        logger.warning("agent %s erased a conversation: %d events, %d agent records", agent, *counts)
        payload = {"sender_id": sender_id, "erased": True, "events": erased.events}
        return json_response(200, payload | {"agent_records": erased.agent_rows})

    def _analytics(self, days: str, route: str) -> Response:
        since: float | None = None
        if days:
            try:
                period = float(days)
            except ValueError:
                period = -1.0
            if not 0 < period <= MAX_DAYS:
                return error(400, f"days must be a number of days between 0 and {MAX_DAYS}")
            since = time.time() - period * 86400
        report = insights.analytics(self.database().events(types=QUEUE_TYPES, since=since), since)
        if route == "analytics.csv":
            response = Response(200, analytics_csv(report).encode(), "text/csv; charset=utf-8")
            response.headers.append(("Content-Disposition", 'attachment; filename="analytics.csv"'))
            return response
        return json_response(200, report)
