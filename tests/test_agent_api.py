"""The agent area (/agent on bot.web) against the real stack, and its reading of the store.

The module starts its own action server, Rasa server (REST, Telegram via the local
stand-in, HTTP API behind a token) and `python -m bot.web` with AGENT_USER/AGENT_PASSWORD, on
free ports with a temporary SQLite tracker store. Conversations are created the way customers
create them (REST and Telegram webhooks); the expected figures come from what was sent.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import queue
import socket
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from bot import localservices
from bot.agent.app import CSP
from bot.agent.auth import COOKIE, SESSION_SECONDS, Credentials, Sessions
from bot.agent.insights import analytics, handoff_queue, transcript
from bot.agent.store import Event, Resolution, TrackerDatabase
from bot.agent.throttle import MAX_FAILURES, Throttle
from bot.knowledge import KnowledgeBase
from bot.privacy import MASK
from bot.processes import MODEL, ProcessGroup, action_server_cmd, rasa_server_cmd, wait_until_up
from tests.conftest import ARTIFACTS, TELEGRAM, free_port
from tests.standin import StandIn
from tests.test_agent_cli import StoredConversation, write_trackers

pytestmark = pytest.mark.e2e

AGENT_USER = "agent"
AGENT_PASSWORD = "correct horse battery staple"
RASA_TOKEN = "agent-test-token"
FALLBACK = "nlu_fallback"
_chat_ids = itertools.count(700_000)


# --- the stack (also used by tests/test_agent_browser.py) -----------------------------------------
@dataclass
class AgentStack:
    rasa_url: str
    web_url: str
    tracker_db: Path
    web_log: Path

    def ask(self, text: str, sender: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def telegram(self, text: str, chat: int) -> None:
        update = {
            "update_id": next(_chat_ids),
            "message": {
                "message_id": next(_chat_ids),
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "language_code": "bg"},
                "text": text,
            },
        }
        response = requests.post(
            f"{self.rasa_url}/webhooks/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM["TELEGRAM_SECRET_TOKEN"]},
            timeout=60,
        )
        assert response.status_code == 200, response.text[:300]

    def get(self, path: str, auth: Any = (AGENT_USER, AGENT_PASSWORD), **kwargs: Any) -> requests.Response:
        return requests.get(self.web_url + path, auth=auth, allow_redirects=False, timeout=60, **kwargs)

    def post(self, path: str, auth: Any = (AGENT_USER, AGENT_PASSWORD), **kwargs: Any) -> requests.Response:
        return requests.post(self.web_url + path, auth=auth, allow_redirects=False, timeout=60, **kwargs)

    def api(self, path: str, **kwargs: Any) -> Any:
        response = self.get(f"/agent/api/{path}", **kwargs)
        assert response.status_code == 200, response.text[:300]
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        return response.json()


@contextmanager
def agent_stack(work: Path, name: str, extra_env: dict[str, str] | None = None) -> Iterator[AgentStack]:
    """Action server, Rasa server and bot.web on free ports; logs in tests/artifacts/<name>-*.log."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it)")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    group = ProcessGroup()
    group.env.update(
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        WEB_PORT=str(web_port),
        TRACKER_DB=str(work / "tracker.db"),
        RASA_ENDPOINTS="endpoints.yml",
        RASA_AUTH_TOKEN=RASA_TOKEN,
        RASA_URL=f"http://localhost:{rasa_port}",
        RATE_LIMIT_PER_MINUTE="0",
        AGENT_USER=AGENT_USER,
        AGENT_PASSWORD=AGENT_PASSWORD,
        **(extra_env or {}),
    )
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        actions = group.start(action_server_cmd(action_port), ARTIFACTS / f"{name}-actions.log")
        wait_until_up(f"http://localhost:{action_port}/health", 120, actions)
        rasa = group.start(rasa_server_cmd(rasa_port, MODEL, env=group.env), ARTIFACTS / f"{name}-rasa.log")
        wait_until_up(f"http://localhost:{rasa_port}/", 300, rasa)
        web_log = ARTIFACTS / f"{name}-web.log"
        web_log.unlink(missing_ok=True)
        web = group.start([sys.executable, "-m", "bot.web"], web_log)
        wait_until_up(f"http://localhost:{web_port}/", 30, web)
        yield AgentStack(
            f"http://localhost:{rasa_port}", f"http://localhost:{web_port}", work / "tracker.db", web_log
        )
    finally:
        group.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, standin: StandIn) -> Iterator[AgentStack]:
    telegram = {**TELEGRAM, "TELEGRAM_API_URL": standin.url}
    with agent_stack(tmp_path_factory.mktemp("agent"), "agent", telegram) as running:
        yield running


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def login(stack: AgentStack) -> requests.Session:
    """A browser-like session: signed in through the form."""
    session = requests.Session()
    response = session.post(
        f"{stack.web_url}/agent/login",
        data={"user": AGENT_USER, "password": AGENT_PASSWORD},
        headers={"Origin": stack.web_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/agent"
    return session


def raw_get(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET without client-side path clean-up."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- the live stream, read as a console would (GET /agent/api/events) -----------------------------
@dataclass
class Sse:
    id: str | None
    event: str
    data: Any


class EventStream:
    """One console's live stream over real HTTP, parsed in a thread as EventSource does."""

    def __init__(
        self,
        stack: AgentStack,
        auth: Any = (AGENT_USER, AGENT_PASSWORD),
        headers: dict[str, str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        get = session.get if session is not None else requests.get
        self.response = get(
            f"{stack.web_url}/agent/api/events", auth=auth, headers=headers, stream=True, timeout=(10, 60)
        )
        self.seen: list[Sse] = []
        self._queue: queue.Queue[Sse] = queue.Queue()
        self._opened = threading.Event()  # the first line is there: the server has subscribed us
        if self.response.status_code == 200:
            threading.Thread(target=self._read, daemon=True).start()
            assert self._opened.wait(30), "the stream sent nothing"

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.response.close()

    def _read(self) -> None:
        buffer, fields = "", {}
        try:
            for chunk in self.response.iter_content(chunk_size=None, decode_unicode=True):
                self._opened.set()
                buffer += chunk
                while "\n" in buffer:
                    line, buffer = buffer.split("\n", 1)
                    if line.startswith(":"):
                        continue  # a comment (keep-alive)
                    if line:
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    elif "event" in fields:
                        self._queue.put(Sse(fields.get("id"), fields["event"], json.loads(fields["data"])))
                        fields = {}
                    else:
                        fields = {}  # e.g. "retry: 3000"
        except (requests.RequestException, AttributeError, ValueError):
            pass  # closed

    def wait_for(self, wanted: Callable[[Sse], bool], timeout: float = 30) -> Sse:
        """The first event (already seen or still to come) that `wanted` accepts."""
        deadline = time.monotonic() + timeout
        found = next((event for event in self.seen if wanted(event)), None)
        while found is None and (left := deadline - time.monotonic()) > 0:
            try:
                event = self._queue.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(event)
            found = event if wanted(event) else None
        assert found is not None, f"none within {timeout} s: {[(e.event, e.data) for e in self.seen]}"
        return found

    def drain(self, seconds: float) -> list[Sse]:
        """Whatever arrives within `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.seen.append(self._queue.get(timeout=left))
            except queue.Empty:
                break
        return self.seen


def said(sender: str, by: str = "user", text: str | None = None) -> Callable[[Sse], bool]:
    """A `message` event of this conversation (by the customer or the bot)."""

    def wanted(event: Sse) -> bool:
        if event.event != "message" or event.data["sender_id"] != sender or event.data["sender"] != by:
            return False
        return text is None or event.data["message"]["text"] == text

    return wanted


def handed_over(sender: str) -> Callable[[Sse], bool]:
    return lambda event: event.event == "handoff" and event.data["sender_id"] == sender


# --- access ---------------------------------------------------------------------------------
API_PATHS = [
    "/agent/api/suggest?q=pop3",
    "/agent/api/handoffs",
    "/agent/api/conversations/{sender}",
    "/agent/api/analytics",
    "/agent/api/analytics.csv",
    "/agent/api/unknown",
]
PAGE_PATHS = [
    "/agent",
    "/agent/",
    "/agent/static/agent.js",
    "/agent/anything",
    "/agent/static/../api/handoffs",
]


def test_everything_is_locked_without_valid_credentials(stack: AgentStack) -> None:
    sender = new_sender("locked")
    stack.ask("искам да говоря с човек", sender)
    forged = Sessions(Credentials(AGENT_USER, "another password")).issue()
    api_paths = [p.format(sender=sender) for p in API_PATHS]
    for path in api_paths:
        for cookies in [None, {COOKIE: forged}, {COOKIE: "garbage"}]:
            response = stack.get(path, auth=None, cookies=cookies)
            assert response.status_code == 401, (path, cookies, response.status_code)
            assert response.json() == {"error": "authentication required"}  # never data
            assert response.headers["WWW-Authenticate"].startswith("Basic ")
        # The page's own script asks without a Basic challenge (no browser password dialog).
        response = stack.get(path, auth=None, headers={"X-Requested-With": "tea-agent"})
        assert response.status_code == 401 and "WWW-Authenticate" not in response.headers
    # Wrong credentials (few: failed attempts are throttled per client address).
    for path, auth in [(api_paths[1], (AGENT_USER, "wrong")), (api_paths[2], ("root", AGENT_PASSWORD))]:
        response = stack.get(path, auth=auth)
        assert response.status_code == 401 and sender not in response.text
    for path in PAGE_PATHS:
        status, headers, body = raw_get(stack.web_url, path)
        assert (status, headers.get("Location"), body) == (303, "/agent/login", b""), path
    assert stack.get("/agent", auth=(AGENT_USER, "wrong")).headers["Location"] == "/agent/login"
    # Writes too: nothing is resolved without credentials.
    assert stack.post(f"/agent/api/conversations/{sender}/resolve", auth=None).status_code == 401
    assert not next(h for h in stack.api("handoffs")["handoffs"] if h["sender_id"] == sender)["resolved"]
    # The login page (and its stylesheet) are the only things served to strangers.
    assert stack.get("/agent/login", auth=None).status_code == 200
    assert stack.get("/agent/static/agent.css", auth=None).status_code == 200
    # web/agent/ is not reachable as a plain static file of the demo page either.
    assert raw_get(stack.web_url, "/agent%2fstatic/agent.js")[0] == 303
    assert raw_get(stack.web_url, "/./agent/agent.js")[0] == 404
    assert raw_get(stack.web_url, "/")[0] == 200  # the demo page is unchanged


def test_without_agent_credentials_the_area_is_not_configured(tmp_path: Path) -> None:
    port = free_port()
    group = ProcessGroup()
    group.env.update(WEB_PORT=str(port), AGENT_USER="", AGENT_PASSWORD="", TRACKER_DB=str(tmp_path / "t.db"))
    try:
        web = group.start([sys.executable, "-m", "bot.web"], ARTIFACTS / "agent-unconfigured-web.log")
        wait_until_up(f"http://localhost:{port}/", 30, web)
        url = f"http://localhost:{port}"
        for path in ["/agent", "/agent/login", "/agent/api/handoffs", "/agent/api/analytics"]:
            assert (
                requests.get(url + path, auth=("", ""), timeout=10, allow_redirects=False).status_code == 503
            )
        login_attempt = requests.post(f"{url}/agent/login", data={"user": "", "password": ""}, timeout=10)
        assert login_attempt.status_code == 503
        assert requests.get(url + "/", timeout=10).status_code == 200
    finally:
        group.stop()


def test_a_store_that_cannot_be_read_is_a_503(tmp_path: Path) -> None:
    """PostgreSQL configured but not there: the API and the live stream say so, nothing crashes."""
    port, nobody = free_port(), free_port()
    group = ProcessGroup()
    group.env.update(
        WEB_PORT=str(port),
        AGENT_USER=AGENT_USER,
        AGENT_PASSWORD=AGENT_PASSWORD,
        RASA_ENDPOINTS="endpoints.scaled.yml",
        **{
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(nobody),
            "DB_NAME": "rasa",
            "DB_USER": "u",
            "DB_PASSWORD": "p",
        },
        **{"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(nobody)},
    )
    log = tmp_path / "web.log"
    try:
        wait_until_up(f"http://localhost:{port}/", 30, group.start([sys.executable, "-m", "bot.web"], log))
        url, auth = f"http://localhost:{port}", (AGENT_USER, AGENT_PASSWORD)
        unreadable = {"error": "the tracker store cannot be read (see the server log)"}
        for path in [
            "/agent/api/handoffs",
            "/agent/api/conversations/x",
            "/agent/api/analytics",
            "/agent/api/events",
        ]:
            response = requests.get(url + path, auth=auth, timeout=30)
            assert (response.status_code, response.json()) == (503, unreadable), path
        assert requests.get(url + "/", timeout=10).status_code == 200
    finally:
        group.stop()
    assert "agent request failed" not in log.read_text(encoding="utf-8")  # an outage, not a bug


def test_login_form_sets_a_signed_strict_httponly_cookie(stack: AgentStack) -> None:
    session = requests.Session()
    wrong = session.post(
        f"{stack.web_url}/agent/login",
        data={"user": AGENT_USER, "password": "guess"},
        headers={"Origin": stack.web_url},
        allow_redirects=False,
    )
    assert wrong.status_code == 401 and "Wrong user or password" in wrong.text
    assert "Set-Cookie" not in wrong.headers
    cross_site = session.post(
        f"{stack.web_url}/agent/login",
        data={"user": AGENT_USER, "password": AGENT_PASSWORD},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
    )
    assert cross_site.status_code == 403 and "Set-Cookie" not in cross_site.headers

    ok = session.post(
        f"{stack.web_url}/agent/login",
        data={"user": AGENT_USER, "password": AGENT_PASSWORD},
        headers={"Origin": stack.web_url},
        allow_redirects=False,
    )
    assert ok.status_code == 303
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/agent"):
        assert attribute in cookie
    page = session.get(f"{stack.web_url}/agent", allow_redirects=False)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "default-src 'self'" in CSP
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline
    assert session.get(f"{stack.web_url}/agent/api/handoffs").status_code == 200

    # A tampered cookie is worthless.
    value = session.cookies[COOKIE]
    payload, signature = value.split(".")
    evil = base64.urlsafe_b64encode(b"admin|9999999999").rstrip(b"=").decode()
    assert (
        stack.get("/agent/api/handoffs", auth=None, cookies={COOKIE: f"{evil}.{signature}"}).status_code
        == 401
    )
    assert stack.get("/agent/api/handoffs", auth=None, cookies={COOKIE: payload + ".x"}).status_code == 401

    out = session.post(
        f"{stack.web_url}/agent/logout", headers={"Origin": stack.web_url}, allow_redirects=False
    )
    assert out.status_code == 303 and "Max-Age=0" in out.headers["Set-Cookie"]
    assert session.get(f"{stack.web_url}/agent/api/handoffs").status_code == 401


def test_posts_need_our_own_origin(stack: AgentStack) -> None:
    sender = new_sender("csrf")
    stack.ask("искам да говоря с човек", sender)
    session = login(stack)
    url = f"{stack.web_url}/agent/api/conversations/{sender}/resolve"
    for headers in [
        {},  # a browser always sends Origin with a POST; none means not a page of ours
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": stack.web_url, "Sec-Fetch-Site": "cross-site"},
    ]:
        assert session.post(url, headers=headers).status_code == 403, headers
    assert not next(h for h in stack.api("handoffs")["handoffs"] if h["sender_id"] == sender)["resolved"]
    assert (
        session.post(url, headers={"Origin": stack.web_url, "Sec-Fetch-Site": "same-origin"}).status_code
        == 200
    )
    assert session.get(url).status_code == 405


# --- live updates ------------------------------------------------------------------------------
def test_live_events_push_new_handoffs_and_messages(stack: AgentStack) -> None:
    sender, chat = new_sender("live"), next(_chat_ids)
    with EventStream(stack) as console, EventStream(stack, auth=None, session=login(stack)) as other:
        assert console.response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert console.response.headers["Cache-Control"] == "no-store"
        assert console.response.headers["Content-Security-Policy"] == CSP
        stack.ask("искам да говоря с човек", sender)
        for stream in (console, other):  # every open console gets every event
            asked = stream.wait_for(said(sender, text="искам да говоря с човек"))
            assert asked.data["message"]["intent"]["name"] == "contact_support"
            assert asked.data["message"]["channel"] == "rest"
            handoff = stream.wait_for(handed_over(sender))
            assert handoff.data["reason"] == "requested" and int(handoff.id) > int(asked.id)
            assert datetime.fromisoformat(handoff.data["time"]).date() == datetime.now(timezone.utc).date()
            answer = stream.wait_for(said(sender, by="bot"))
            assert answer.data["message"]["text"]
        # A new customer message in the same conversation, and one on another channel.
        stack.ask("what are the disadvantages of POP3?", sender)
        stack.telegram("какво е IMAP", chat)
        console.wait_for(said(sender, text="what are the disadvantages of POP3?"))
        console.wait_for(said(str(chat), text="какво е IMAP"))
        console.wait_for(lambda e: said(str(chat), by="bot")(e) and int(e.id) > 0)
        assert [e for e in console.seen if handed_over(sender)(e)] == [handoff]  # a message is not a handoff
        ids = [int(e.id) for e in console.seen]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_live_events_need_a_signed_in_agent(stack: AgentStack) -> None:
    url = f"{stack.web_url}/agent/api/events"
    other_secret = Sessions(Credentials(AGENT_USER, AGENT_PASSWORD), b"not the server's secret").issue()
    for cookies in [None, {COOKIE: other_secret}, {COOKIE: "garbage"}, {COOKIE: other_secret[:-2]}]:
        response = requests.get(url, cookies=cookies, stream=True, timeout=30)
        assert response.status_code == 401, cookies
        assert response.headers["WWW-Authenticate"].startswith("Basic ")
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.json() == {"error": "authentication required"}
    # The page's EventSource gets no Basic challenge (a browser would show a password dialog).
    page = requests.get(url, headers={"Accept": "text/event-stream"}, stream=True, timeout=30)
    assert page.status_code == 401 and "WWW-Authenticate" not in page.headers
    assert requests.post(url, auth=(AGENT_USER, AGENT_PASSWORD), timeout=30).status_code == 405


def test_a_reconnecting_console_gets_what_it_missed(stack: AgentStack) -> None:
    sender = new_sender("resume")
    with EventStream(stack) as console:
        stack.ask("hello", sender)
        greeting = console.wait_for(said(sender, text="hello"))
        console.wait_for(lambda e: said(sender, by="bot")(e) and int(e.id) > int(greeting.id))
        last = max(int(e.id) for e in console.seen)
    # While no console is open the customer writes again and asks for a person.
    stack.ask("искам да говоря с човек", sender)
    with EventStream(stack, headers={"Last-Event-ID": str(last)}) as back:
        back.wait_for(said(sender, text="искам да говоря с човек"))
        back.wait_for(handed_over(sender))
        assert all(int(e.id) > last for e in back.seen)  # nothing it had already
    # A Last-Event-ID that is no row id is ignored: a fresh stream, with nothing old in it.
    with EventStream(stack, headers={"Last-Event-ID": "not-a-number"}) as fresh:
        assert fresh.response.status_code == 200
        assert fresh.drain(2.5) == []


# --- hostile requests: a clear 4xx, never a 500 -----------------------------------------------------
BASIC = b"Authorization: Basic " + base64.b64encode(f"{AGENT_USER}:{AGENT_PASSWORD}".encode()) + b"\r\n"
FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
HOSTILE_REQUESTS = [
    # (what, the bytes after the request's method, the status)
    (
        "a path over the header limit",
        b"GET /agent/api/conversations/" + b"x" * 20000 + b" HTTP/1.1\r\n\r\n",
        413,
    ),
    ("a long path", b"GET /agent/api/conversations/" + b"x" * 7000 + b" HTTP/1.1\r\n" + BASIC + b"\r\n", 404),
    ("a file name too long", b"GET /" + b"a" * 300 + b"/b.js HTTP/1.1\r\n\r\n", 404),
    ("bad escapes", b"GET /%ff%fe%00 HTTP/1.1\r\n\r\n", 404),
    ("bad escapes in an id", b"GET /agent/api/conversations/%ff%00 HTTP/1.1\r\n" + BASIC + b"\r\n", 404),
    ("a NUL byte", b"GET /a\x00b HTTP/1.1\r\n\r\n", 400),
    ("no HTTP version", b"GET /\r\n\r\n", 400),
    ("TLS to a plain port", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
    ("a header without a colon", b"GET / HTTP/1.1\r\nHost h\r\n\r\n", 400),
    (
        "a broken cookie",
        b'GET /agent/api/handoffs HTTP/1.1\r\nCookie: tea_agent_session="\\x00;;;=; =;\r\n\r\n',
        401,
    ),
    (
        "a huge cookie",
        b"GET /agent/api/handoffs HTTP/1.1\r\nCookie: tea_agent_session=" + b"A" * 6000 + b"\r\n\r\n",
        401,
    ),
    (
        "Basic without a password",
        b"GET /agent/api/handoffs HTTP/1.1\r\nAuthorization: Basic !!!\r\n\r\n",
        401,
    ),
    (
        "an oversized body",
        b"POST /agent/login HTTP/1.1\r\nContent-Length: 20000\r\n" + FORM + b"\r\n" + b"a" * 20000,
        413,
    ),
    ("an announced huge body", b"POST /agent/login HTTP/1.1\r\nContent-Length: 1000000000000\r\n\r\n", 413),
    (
        "an oversized chunked body",
        b"POST /agent/api/conversations/x/resolve HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
        + BASIC
        + b"\r\n5000\r\n"
        + b"a" * 0x5000
        + b"\r\n0\r\n\r\n",
        413,
    ),
    ("a Content-Length that is no number", b"POST /agent/login HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
    ("a negative Content-Length", b"POST /agent/login HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
    (
        "a form with too many fields",
        b"POST /agent/login HTTP/1.1\r\nContent-Length: 59\r\n" + FORM + b"\r\n" + b"&".join([b"a=1"] * 15),
        400,
    ),
    (
        "an Origin that is no URL",
        b"POST /agent/login HTTP/1.1\r\nOrigin: http://[bad\r\nContent-Length: 0\r\n\r\n",
        403,
    ),
    ("days that are no number", b"GET /agent/api/analytics?days=nan HTTP/1.1\r\n" + BASIC + b"\r\n", 400),
    ("days beyond a float", b"GET /agent/api/analytics?days=1e999 HTTP/1.1\r\n" + BASIC + b"\r\n", 400),
    ("a method nobody serves", b"BREW /agent/api/handoffs HTTP/1.1\r\n" + BASIC + b"\r\n", 405),
    ("a method the demo page does not take", b"DELETE / HTTP/1.1\r\n\r\n", 405),
]


def raw_request(url: str, data: bytes) -> int:
    """Send the bytes as they are; the status of the answer (0: none)."""
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(data)
        reply = b""
        while b"\r\n" not in reply and (chunk := connection.recv(65536)):
            reply += chunk
    status = reply.split(b"\r\n", 1)[0].split(b" ")
    return int(status[1]) if len(status) > 1 and status[1].isdigit() else 0


def test_hostile_requests_get_a_clear_4xx(stack: AgentStack) -> None:
    for what, data, status in HOSTILE_REQUESTS:
        assert raw_request(stack.web_url, data) == status, what
    # A session cookie signed with another key, or edited: worthless (itsdangerous' signature).
    cookie = login(stack).cookies[COOKIE]
    other_key = Sessions(Credentials(AGENT_USER, AGENT_PASSWORD), b"another key").issue()
    payload, signature = cookie.split(".")
    edited = base64.urlsafe_b64encode(b'{"user":"agent","exp":9999999999}').rstrip(b"=").decode()
    for value in [other_key, f"{edited}.{signature}", f"{payload}.{signature[::-1]}", cookie + "x", "." * 3]:
        assert stack.get("/agent/api/handoffs", auth=None, cookies={COOKIE: value}).status_code == 401, value
    assert stack.get("/agent/api/handoffs", auth=None, cookies={COOKIE: cookie}).status_code == 200
    broken_text = b"GET /agent/api/suggest?q=%ff%fe%00 HTTP/1.1\r\n" + BASIC + b"\r\n"
    assert raw_request(stack.web_url, broken_text) in (200, 400)  # read with replacement characters
    assert "Traceback" not in stack.web_log.read_text(encoding="utf-8")


# --- suggest --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "intent", "protocol"),
    [
        ("защо кутията ми е пълна", "mailbox_full", None),
        ("what are the cons of pop3", "protocol_disadvantages", "pop3"),
    ],
)
def test_suggest(stack: AgentStack, kb: KnowledgeBase, query: str, intent: str, protocol: str | None) -> None:
    result = stack.api("suggest", params={"q": query})
    assert result["intent"]["name"] == intent
    assert result["intents"][0]["name"] == intent and result["intents"][0]["confidence"] > 0.5
    assert result["intents"] == sorted(result["intents"], key=lambda i: -i["confidence"])
    assert [e["value"] for e in result["entities"] if e["entity"] == "protocol"] == (
        [protocol] if protocol else []
    )
    assert set(result["answers"]) == {"bg", "en"}
    for lang in ("bg", "en"):
        expected = kb.answer(intent, lang, protocol)
        assert result["answers"][lang]["text"] == expected.text
        assert [link["url"] for link in result["answers"][lang]["links"]] == [
            link.url for link in expected.links
        ]
    assert result["links"] and all(link["url"].startswith(kb.base_url) for link in result["links"])
    assert all(set(link["title"]) == {"bg", "en"} for link in result["links"])


def test_suggest_finds_the_email_client_and_validates_the_query(stack: AgentStack) -> None:
    result = stack.api("suggest", params={"q": "kak da nastroya outlook"})
    assert result["intent"]["name"] == "setup_email_client"
    assert {"entity": "email_client", "value": "outlook", "display": "Outlook"} in result["entities"]
    assert "Outlook" in result["answers"]["bg"]["text"] and "Outlook" in result["answers"]["en"]["text"]
    assert stack.get("/agent/api/suggest").status_code == 400
    assert stack.get("/agent/api/suggest", params={"q": "x" * 2001}).status_code == 400


def test_suggest_masks_a_password_before_anything_else(stack: AgentStack) -> None:
    result = stack.api("suggest", params={"q": "паролата ми е Kotka123! и кутията ми е пълна"})
    assert result["password_masked"] and MASK in result["query"]
    assert "Kotka123" not in json.dumps(result, ensure_ascii=False)
    assert "Kotka123" not in stack.web_log.read_text(encoding="utf-8")  # not even the access log


# --- handoffs, transcripts, resolving --------------------------------------------------------
def test_a_triaged_fault_is_queued_with_the_customers_words(stack: AgentStack) -> None:
    sender = new_sender("fault")
    stack.ask("пощата не работи", sender)
    stack.ask("не мога да изпращам, пише 550 relay denied", sender)
    [item] = [i for i in stack.api("handoffs")["handoffs"] if i["sender_id"] == sender]
    assert item["reason"] == "fault"
    assert item["summary"] == "пощата не работи / не мога да изпращам, пише 550 relay denied"


def test_a_handed_over_conversation_is_queued_with_its_transcript(
    stack: AgentStack, kb: KnowledgeBase
) -> None:
    first, second = new_sender("handoff"), new_sender("handoff")
    stack.ask("искам да говоря с човек", first)
    stack.ask("I want to talk to a person", second)
    queue = stack.api("handoffs")["handoffs"]
    senders = [item["sender_id"] for item in queue]
    assert senders.index(second) < senders.index(first)  # newest first
    item = next(item for item in queue if item["sender_id"] == first)
    assert (item["channel"], item["language"], item["reason"], item["resolved"]) == (
        "rest",
        "bg",
        "requested",
        False,
    )
    assert datetime.fromisoformat(item["time"]).date() == datetime.now(timezone.utc).date()

    conversation = stack.api(f"conversations/{first}")
    assert (conversation["sender_id"], conversation["channel"], conversation["language"]) == (
        first,
        "rest",
        "bg",
    )
    user, *rest = conversation["messages"]
    assert user["type"] == "user" and user["text"] == "искам да говоря с човек"
    assert user["intent"]["name"] == "contact_support" and 0.5 < user["intent"]["confidence"] <= 1
    assert {"entity": "language", "value": "bg"} in user["entities"]
    bot = next(m for m in rest if m["type"] == "bot")
    assert kb.phone in bot["text"] and bot["buttons"] and {"title", "payload"} <= set(bot["buttons"][0])
    assert any(m["type"] == "handoff" and m["reason"] == "requested" for m in rest)
    assert all(datetime.fromisoformat(m["time"]) for m in conversation["messages"])
    assert stack.get("/agent/api/conversations/nobody-at-all").status_code == 404


def test_resolving_uses_an_own_table_and_leaves_rasas_events_alone(stack: AgentStack) -> None:
    sender = new_sender("resolve")
    stack.ask("искам да говоря с човек", sender)

    def events_rows() -> list[tuple]:
        with sqlite3.connect(stack.tracker_db) as connection:
            return connection.execute(
                "SELECT * FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            ).fetchall()

    before = events_rows()
    response = stack.post(f"/agent/api/conversations/{sender}/resolve")  # Basic auth: a script
    assert response.status_code == 200, response.text
    assert response.json()["resolved"] is True and response.json()["resolved_by"] == AGENT_USER
    assert events_rows() == before
    item = next(h for h in stack.api("handoffs")["handoffs"] if h["sender_id"] == sender)
    assert item["resolved"] and item["resolved_by"] == AGENT_USER
    with sqlite3.connect(stack.tracker_db) as connection:
        assert connection.execute(
            "SELECT resolved_by FROM agent_resolved WHERE sender_id = ?", (sender,)
        ).fetchall() == [(AGENT_USER,)]
    # A new handoff after the resolution opens the conversation again.
    stack.ask("искам да говоря с оператор", sender)
    assert not next(h for h in stack.api("handoffs")["handoffs"] if h["sender_id"] == sender)["resolved"]
    assert stack.post("/agent/api/conversations/nobody-at-all/resolve").status_code == 404


def test_the_reader_cannot_write(stack: AgentStack) -> None:
    db = TrackerDatabase(sa.engine.URL.create("sqlite", database=str(stack.tracker_db)))
    with pytest.raises(sa.exc.OperationalError, match="readonly"), db.reader().begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))


# --- hostile text and passwords ----------------------------------------------------------------
HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">']


def test_customer_html_comes_back_as_plain_json_text(stack: AgentStack) -> None:
    sender = new_sender("hostile")
    for text in HOSTILE:
        stack.ask(text, sender)
    response = stack.get(f"/agent/api/conversations/{sender}")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    said = [m["text"] for m in response.json()["messages"] if m["type"] == "user"]
    assert said == HOSTILE
    unanswered = [item["text"] for item in stack.api("analytics")["unanswered"]]
    assert HOSTILE[0] in unanswered


def test_a_customers_password_never_reaches_an_agent(stack: AgentStack) -> None:
    sender = new_sender("password")
    stack.ask("паролата ми е Kotka123!", sender)
    stack.ask("my password is Hunter2secret", sender)
    stack.ask("искам да говоря с човек", sender)
    responses = [
        stack.get("/agent/api/handoffs"),
        stack.get(f"/agent/api/conversations/{sender}"),
        stack.get("/agent/api/analytics"),
        stack.get("/agent/api/analytics.csv"),
        stack.get("/agent/api/suggest", params={"q": "my password is Hunter2secret"}),
    ]
    for response in responses:
        assert response.status_code == 200
        assert "Kotka123" not in response.text and "Hunter2secret" not in response.text
    said = [m["text"] for m in responses[1].json()["messages"] if m["type"] == "user"]
    assert said[:2] == [f"паролата ми е {MASK}", f"my password is {MASK}"]


def test_contact_details_reach_the_agent_but_not_the_analytics_or_the_logs(stack: AgentStack) -> None:
    sender = new_sender("contacts")
    # Out of scope, so "unanswered": the analytics would show the message itself.
    text = "fakturata mi za hostinga ne e dosha, pishete na maria.k@firma-test.bg ili 0887 654 321"
    stack.ask(text, sender)
    said = [m["text"] for m in stack.api(f"conversations/{sender}")["messages"] if m["type"] == "user"]
    assert said == [text]  # the agent needs them to help
    masked = "fakturata mi za hostinga ne e dosha, pishete na [email] ili [phone]"
    unanswered = [item["text"] for item in stack.api("analytics")["unanswered"]]
    assert masked in unanswered
    csv_text = stack.get("/agent/api/analytics.csv").text
    assert masked in csv_text
    for body in (json.dumps(unanswered, ensure_ascii=False), csv_text, stack.web_log.read_text()):
        assert "maria.k@firma-test.bg" not in body and "0887 654 321" not in body


# --- analytics --------------------------------------------------------------------------------
@dataclass
class Sent:
    channel: str
    language: str
    turns: list[tuple[str, str]]  # (text, the intent it must get)
    handoff: bool


SENT = [
    Sent("rest", "bg", [("Защо кутията ми е пълна?", "mailbox_full"), ("Благодаря", "thank")], False),
    Sent("rest", "en", [("What are the disadvantages of POP3?", "protocol_disadvantages")], False),
    Sent("rest", "bg", [("искам да говоря с човек", "contact_support")], True),
    # Two messages in a row the NLU cannot place: the bot offers a person (repeated_failure).
    Sent("rest", "en", [("hello", "greet"), ("blorp snerk quux", FALLBACK), ("fnord blarg", FALLBACK)], True),
    Sent("telegram", "bg", [("какви са недостатъците на IMAP", "protocol_disadvantages")], False),
    Sent("telegram", "en", [("why is my mailbox full?", "mailbox_full")], False),
]


def test_analytics_match_the_conversations_sent(stack: AgentStack) -> None:
    before = stack.api("analytics")
    day = datetime.now(timezone.utc).date().isoformat()
    senders = []
    for conversation in SENT:
        if conversation.channel == "rest":
            sender = new_sender("analytics")
            for text, _ in conversation.turns:
                stack.ask(text, sender)
        else:
            chat = next(_chat_ids)
            sender = str(chat)
            for text, _ in conversation.turns:
                stack.telegram(text, chat)
        senders.append(sender)
    after = stack.api("analytics")

    def grew(counts_after: dict[str, int], counts_before: dict[str, int]) -> dict[str, int]:
        keys = set(counts_after) | set(counts_before)
        changes = {k: counts_after.get(k, 0) - counts_before.get(k, 0) for k in keys}
        return {k: v for k, v in changes.items() if v}

    total, handed_over = len(SENT), sum(c.handoff for c in SENT)
    messages = [intent for c in SENT for _, intent in c.turns]
    conv_before, conv_after = before["conversations"], after["conversations"]
    assert conv_after["total"] - conv_before["total"] == total
    assert conv_after["handed_over"] - conv_before["handed_over"] == handed_over
    assert grew(conv_after["per_channel"], conv_before["per_channel"]) == {"rest": 4, "telegram": 2}
    assert grew(conv_after["per_language"], conv_before["per_language"]) == {"bg": 3, "en": 3}
    if datetime.now(timezone.utc).date().isoformat() == day:
        assert grew(conv_after["per_day"], conv_before["per_day"]) == {day: total}
    expected_intents: dict[str, int] = {}
    for intent in messages:
        expected_intents[intent] = expected_intents.get(intent, 0) + 1
    assert grew(after["top_intents"], before["top_intents"]) == expected_intents
    assert list(after["top_intents"].values()) == sorted(after["top_intents"].values(), reverse=True)

    contained = conv_before["contained"] + total - handed_over
    assert after["containment_rate"] == pytest.approx(contained / conv_after["total"], abs=1e-4)
    user_messages = before["messages"]["user"] + len(messages)
    fallbacks = before["messages"]["fallback"] + messages.count(FALLBACK)
    assert after["messages"]["user"] == user_messages
    assert after["fallback_rate"] == pytest.approx(fallbacks / user_messages, abs=1e-4)
    missed_before = {item["text"]: item["count"] for item in before["unanswered"]}
    missed_after = {item["text"]: item["count"] for item in after["unanswered"]}
    for text in ("blorp snerk quux", "fnord blarg"):
        assert missed_after[text] - missed_before.get(text, 0) == 1

    # The handoff reasons are the ones the dialogue gives.
    reasons = {h["sender_id"]: h["reason"] for h in stack.api("handoffs")["handoffs"]}
    assert reasons[senders[2]] == "requested" and reasons[senders[3]] == "repeated_failure"
    csv_text = stack.get("/agent/api/analytics.csv").text
    assert csv_text.startswith("metric,key,value\n") and f"conversations,,{conv_after['total']}\n" in csv_text
    assert stack.get("/agent/api/analytics", params={"days": "abc"}).status_code == 400
    recent = stack.api("analytics", params={"days": "1"})
    assert recent["conversations"]["total"] == conv_after["total"]  # everything is from today


# --- the same reading on PostgreSQL (endpoints.scaled.yml) -------------------------------------------
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.skipif(not localservices.available(), reason="needs Debian's postgresql")
def test_postgresql_tracker_store_is_read_like_sqlite() -> None:
    group = ProcessGroup()
    try:
        port = localservices.start_postgres(group)
        env = {**localservices.scaled_env(port, 0), "REDIS_PORT": "0"}
        write_trackers(
            [
                StoredConversation(
                    "pg-1", [("искам човек", "contact_support", 0.9)], "bg", "rest", "requested"
                )
            ],
            dialect="postgresql",
            host="127.0.0.1",
            port=port,
            db="rasa",
            username="postgres",
        )
        db = TrackerDatabase.from_env(env)
        assert db.url.get_backend_name() == "postgresql"
        [item] = handoff_queue(db.events(), db.resolutions())
        assert (item["sender_id"], item["language"], item["reason"], item["resolved"]) == (
            "pg-1",
            "bg",
            "requested",
            False,
        )
        db.resolve("pg-1", AGENT_USER)
        assert handoff_queue(db.events(), db.resolutions())[0]["resolved"]
        with pytest.raises(sa.exc.InternalError, match="read-only"), db.reader().begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))
    finally:
        group.stop()


# --- the pieces, in-process ------------------------------------------------------------------------
def test_sessions_expire_and_die_with_a_new_password() -> None:
    credentials = Credentials(AGENT_USER, AGENT_PASSWORD)
    sessions = Sessions(credentials, b"secret")
    value = sessions.issue(now=1000.0)
    assert sessions.user(value, now=1000.0 + 60) == AGENT_USER
    assert sessions.user(value, now=1000.0 + SESSION_SECONDS + 1) is None
    assert Sessions(Credentials(AGENT_USER, "new password"), b"secret").user(value, now=1001.0) is None
    assert Sessions(credentials, b"other secret").user(value, now=1001.0) is None
    assert Sessions(credentials, b"secret").user(value, now=1001.0) == AGENT_USER  # AGENT_SESSION_SECRET
    assert "correct horse" not in repr(credentials)


def test_failed_sign_ins_are_throttled_per_client(stack: AgentStack) -> None:
    """Over HTTP from two other loopback addresses (the rest of this module uses 127.0.0.1)."""
    port = int(stack.web_url.rsplit(":", 1)[1])
    good = "Basic " + base64.b64encode(f"{AGENT_USER}:{AGENT_PASSWORD}".encode()).decode()
    bad = "Basic " + base64.b64encode(f"{AGENT_USER}:guess".encode()).decode()

    def call(method: str, path: str, headers: dict[str, str], client: str, body: bytes = b"") -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client, 0))
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def api(authorization: str, client: str = "127.0.0.2") -> int:
        return call("GET", "/agent/api/handoffs", {"Authorization": authorization}, client)

    assert api(good) == 200
    assert [api(bad) for _ in range(MAX_FAILURES)] == [401] * MAX_FAILURES
    assert api(good) == 429  # even the right password, for a while
    assert api(good, client="127.0.0.3") == 200  # another client is not affected
    form = {"Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"}
    assert call("POST", "/agent/login", form, "127.0.0.2", b"user=agent&password=x") == 429


def test_the_throttle_forgets_after_its_window_and_on_success() -> None:
    throttle = Throttle(limit=2, window=1)
    throttle.failed("a")
    assert not throttle.blocked("a")
    throttle.failed("a")
    assert throttle.blocked("a") and not throttle.blocked("b")
    time.sleep(1.1)
    assert not throttle.blocked("a")
    throttle.failed("a")
    throttle.succeeded("a")
    throttle.failed("a")
    assert not throttle.blocked("a")


def test_a_new_sessions_copy_of_the_slots_is_not_a_new_handoff() -> None:
    def slot(name: str, value: str, at: float) -> Event:
        return Event("s", "slot", at, {"event": "slot", "name": name, "value": value})

    def user(text: str, at: float) -> Event:
        parse = {"intent": {"name": "contact_support", "confidence": 0.9}, "entities": []}
        return Event(
            "s", "user", at, {"event": "user", "text": text, "input_channel": "rest", "parse_data": parse}
        )

    events = [
        Event("s", "session_started", 1.0, {}),
        user("искам човек", 2.0),
        slot("language", "bg", 2.1),
        slot("handoff_reason", "requested", 3.0),
        Event("s", "session_started", 100.0, {}),  # hours later: Rasa copies the slots over
        slot("language", "bg", 100.1),
        slot("handoff_reason", "requested", 100.2),
        user("благодаря", 101.0),
    ]
    [item] = handoff_queue(events, {"s": Resolution(50.0, AGENT_USER)})
    assert (item["handoffs"], item["timestamp"], item["resolved"]) == (1, 3.0, True)
    assert [m["type"] for m in transcript(events)] == ["user", "handoff", "session", "user"]
    # The same reason set again by the dialogue (not a copy) is a new handoff.
    again = [*events, slot("handoff_reason", "requested", 102.0)]
    [item] = handoff_queue(again, {"s": Resolution(50.0, AGENT_USER)})
    assert (item["handoffs"], item["resolved"]) == (2, False)
    report = analytics(again)
    assert (report["conversations"]["total"], report["conversations"]["handed_over"]) == (1, 1)
    assert report["containment_rate"] == 0.0 and report["fallback_rate"] == 0.0
