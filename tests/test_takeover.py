"""Live takeover over real HTTP: the agent console (bot.web) claims, replies and releases, and
the real Rasa server pauses the assistant and delivers to the customer's own channel.

The module starts the action server, Rasa (REST, Telegram and Viber against the local
stand-in, the takeover channel) and `python -m bot.web` with two agents, on free ports with a
temporary SQLite tracker store. The restart test stops and starts the Rasa process itself.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from bot.agent.store import TrackerDatabase
from bot.channels.viber import signature
from bot.knowledge import default_knowledge
from bot.processes import MODEL, ProcessGroup, action_server_cmd, rasa_server_cmd, wait_until_up
from bot.retention import erase, export
from tests.conftest import ARTIFACTS, TELEGRAM, VIBER, free_port
from tests.standin import StandIn
from tests.test_agent_api import AgentStack

pytestmark = pytest.mark.e2e

MARIA = ("maria", "maria's long password")  # AGENT_USER, shown as AGENT_DISPLAY_NAME
IVAN = ("ivan", "ivan's long password")  # a second agent (AGENT_USERS)
MARIA_NAME, IVAN_NAME = "Мария", "Иван Петров"
RASA_TOKEN = "takeover-test-token"
_ids = itertools.count(900_000)


@dataclass
class TakeoverStack(AgentStack):
    group: ProcessGroup | None = None
    rasa_port: int = 0
    replicas: list[str] = field(default_factory=list)  # every bot.web's URL (web_url first)

    def get(self, path: str, auth: Any = MARIA, **kwargs: Any) -> requests.Response:
        return super().get(path, auth, **kwargs)

    def post(self, path: str, auth: Any = MARIA, **kwargs: Any) -> requests.Response:
        return super().post(path, auth, **kwargs)

    def claim(self, sender: str, agent: tuple[str, str] = MARIA) -> requests.Response:
        return self.post(f"/agent/api/conversations/{sender}/claim", auth=agent)

    def reply(self, sender: str, text: Any, agent: tuple[str, str] = MARIA) -> requests.Response:
        return self.post(f"/agent/api/conversations/{sender}/reply", auth=agent, json={"text": text})

    def release(self, sender: str, agent: tuple[str, str] = MARIA) -> requests.Response:
        return self.post(f"/agent/api/conversations/{sender}/release", auth=agent)

    def viber(self, text: str, user: str) -> None:
        event = {
            "event": "message",
            "timestamp": 1_760_000_000_000,
            "message_token": next(_ids),
            "sender": {"id": user, "name": "Customer", "language": "bg", "api_version": 10},
            "message": {"type": "text", "text": text},
        }
        body = json.dumps(event).encode()
        headers = {"X-Viber-Content-Signature": signature(body, VIBER["VIBER_AUTH_TOKEN"])}
        response = requests.post(
            f"{self.rasa_url}/webhooks/viber/webhook", data=body, headers=headers, timeout=60
        )
        assert response.status_code == 200, response.text[:300]

    def start_rasa(self) -> None:
        assert self.group is not None
        log = ARTIFACTS / "takeover-rasa.log"
        rasa = self.group.start(rasa_server_cmd(self.rasa_port, MODEL, env=self.group.env), log)
        wait_until_up(f"{self.rasa_url}/", 300, rasa)

    def stop_rasa(self) -> None:
        assert self.group is not None
        rasa = next(p for p in self.group.procs if "run" in p.args and "--model" in p.args)
        rasa.terminate()
        rasa.wait(60)
        self.group.procs.remove(rasa)

    def audit(self, sender: str) -> list[tuple[str, str, float, str | None]]:
        with sqlite3.connect(self.tracker_db) as db:
            query = "SELECT action, agent, at, text FROM agent_audit WHERE sender_id = ? ORDER BY id"
            return list(db.execute(query, (sender,)))

    def claims(self, sender: str) -> list[tuple[str, str]]:
        with sqlite3.connect(self.tracker_db) as db:
            query = "SELECT agent, display_name FROM agent_claims WHERE sender_id = ?"
            return list(db.execute(query, (sender,)))

    def tracker(self, sender: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def takeover_stack(
    work: Path, standin: StandIn, extra_env: dict[str, str] | None = None, web_replicas: int = 1
) -> Iterator[TakeoverStack]:
    """The stack on SQLite, or on what `extra_env` names (PostgreSQL + Redis); with
    `web_replicas` > 1, more bot.web processes on the same store (`stack.replicas`)."""
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
        # The demo page with the widget (tests/test_takeover_browser.py) talks to this Rasa.
        WEB_ORIGINS=f"http://localhost:{web_port},http://127.0.0.1:{web_port}",
        RASA_PUBLIC_URL=f"http://localhost:{rasa_port}",
        AGENT_USER=MARIA[0],
        AGENT_PASSWORD=MARIA[1],
        AGENT_DISPLAY_NAME=MARIA_NAME,
        AGENT_USERS=f"{IVAN[0]}:{IVAN[1]}:{IVAN_NAME}",
        TELEGRAM_API_URL=standin.url,
        VIBER_API_URL=standin.url,
        **TELEGRAM,
        **VIBER,
    )
    group.env.update(extra_env or {})
    ARTIFACTS.mkdir(exist_ok=True)
    stack = TakeoverStack(
        f"http://localhost:{rasa_port}",
        f"http://localhost:{web_port}",
        work / "tracker.db",
        ARTIFACTS / "takeover-web.log",
        group,
        rasa_port,
    )
    try:
        actions = group.start(action_server_cmd(action_port), ARTIFACTS / "takeover-actions.log")
        wait_until_up(f"http://localhost:{action_port}/health", 120, actions)
        stack.start_rasa()
        stack.web_log.unlink(missing_ok=True)
        web = group.start([sys.executable, "-m", "bot.web"], stack.web_log)
        wait_until_up(f"{stack.web_url}/", 30, web)
        stack.replicas = [stack.web_url]
        for number in range(1, web_replicas):
            port = free_port()
            group.env["WEB_PORT"] = str(port)
            replica = group.start([sys.executable, "-m", "bot.web"], ARTIFACTS / f"takeover-web-{number}.log")
            wait_until_up(f"http://localhost:{port}/", 30, replica)
            stack.replicas.append(f"http://localhost:{port}")
        group.env["WEB_PORT"] = str(web_port)
        yield stack
    finally:
        group.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, standin: StandIn) -> Iterator[TakeoverStack]:
    with takeover_stack(tmp_path_factory.mktemp("takeover"), standin) as running:
        yield running


def telegram_sent(standin: StandIn) -> list[str]:
    return [c["json"]["text"] for c in standin.take(f"/bot{TELEGRAM['TELEGRAM_BOT_TOKEN']}/sendMessage")]


def viber_sent(standin: StandIn) -> list[str]:
    return [c["json"]["text"] for c in standin.take("/pa/send_message")]


def texts(key: str, **values: str) -> dict[str, str]:
    return {lang: t.format(**values) for lang, t in default_knowledge().data["takeover_texts"][key].items()}


def chat_id() -> int:
    return next(_ids)


# --- Telegram: the whole takeover -------------------------------------------------------------------
def test_telegram_takeover_claim_reply_silence_release(stack: TakeoverStack, standin: StandIn) -> None:
    chat = chat_id()
    sender = str(chat)
    stack.telegram("искам да говоря с човек", chat)
    assert telegram_sent(standin), "the bot answered the handoff request"

    claimed = stack.claim(sender)
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["claim"]["agent"] == "maria"
    assert claimed.json()["claim"]["display_name"] == MARIA_NAME
    assert claimed.json()["delivery"] | {"paused": True} == claimed.json()["delivery"]
    assert telegram_sent(standin) == [texts("joined", agent=MARIA_NAME)["bg"]]

    queued = {item["sender_id"]: item for item in stack.api("handoffs")["handoffs"]}
    assert queued[sender]["claimed_by"] == "maria"

    # A second agent: the database's own uniqueness says no.
    second = stack.claim(sender, IVAN)
    assert second.status_code == 409 and "maria" in second.json()["error"]
    assert stack.reply(sender, "аз също съм тук", IVAN).status_code == 409
    assert stack.release(sender, IVAN).status_code == 409
    assert telegram_sent(standin) == []  # nothing reached the customer from Ivan

    sent = stack.reply(sender, "Здравейте! Ще проверя кутията ви.")
    assert sent.status_code == 200, sent.text
    frame = default_knowledge().data["takeover_texts"]["agent_message"]["bg"]
    expected = frame.format(agent=MARIA_NAME, text="Здравейте! Ще проверя кутията ви.")
    assert telegram_sent(standin) == [expected]

    # The customer answers: stored for the console, no bot reply and no apology.
    stack.telegram("благодаря, пощата ми е пълна", chat)
    assert telegram_sent(standin) == []
    conversation = stack.api(f"conversations/{sender}")
    kinds = [(m["type"], m.get("text")) for m in conversation["messages"]]
    assert ("agent", "Здравейте! Ще проверя кутията ви.") in kinds
    assert kinds[-1] == ("user", "благодаря, пощата ми е пълна")
    agent_item = next(m for m in conversation["messages"] if m["type"] == "agent")
    assert agent_item["agent"] == MARIA_NAME
    assert conversation["takeover"]["claim"]["agent"] == "maria"

    released = stack.release(sender)
    assert released.status_code == 200, released.text
    assert telegram_sent(standin) == [texts("released", agent=MARIA_NAME)["bg"]]
    assert stack.claims(sender) == []
    queued = {item["sender_id"]: item for item in stack.api("handoffs")["handoffs"]}
    assert queued[sender]["claimed_by"] is None

    stack.telegram("какво е IMAP", chat)
    answer = telegram_sent(standin)
    assert answer and "IMAP" in answer[0], answer

    audit = stack.audit(sender)
    assert [(a, who, text) for a, who, _, text in audit] == [
        ("claim", "maria", None),
        ("reply", "maria", "Здравейте! Ще проверя кутията ви."),
        ("release", "maria", None),
    ]
    times = [at for _, _, at, _ in audit]
    assert times == sorted(times) and abs(times[-1] - time.time()) < 120

    # An access request exports the audit and marks the agent's message; erasure deletes it all.
    db = TrackerDatabase(sa.engine.URL.create("sqlite", database=str(stack.tracker_db)))
    exported = export(db, sender)
    assert exported is not None
    exported_audit = exported["agent_records"]["agent_audit"]
    assert [row["action"] for row in exported_audit] == ["claim", "reply", "release"]
    assert {"agent": MARIA_NAME, "text": "Здравейте! Ще проверя кутията ви."}.items() <= next(
        e for e in exported["events"] if e.get("agent") and e["text"].startswith("Здравейте")
    ).items()
    assert erase(db, sender) is not None
    assert stack.audit(sender) == []


# --- Viber ---------------------------------------------------------------------------------------------
def test_viber_takeover(stack: TakeoverStack, standin: StandIn) -> None:
    user = f"viber-{uuid.uuid4().hex[:10]}=="
    stack.viber("искам да говоря с човек", user)
    assert viber_sent(standin)
    assert stack.claim(user, IVAN).status_code == 200
    assert viber_sent(standin) == [texts("joined", agent=IVAN_NAME)["bg"]]
    assert stack.reply(user, "Добър ден, тук съм.", IVAN).status_code == 200
    frame = default_knowledge().data["takeover_texts"]["agent_message"]["bg"]
    assert viber_sent(standin) == [frame.format(agent=IVAN_NAME, text="Добър ден, тук съм.")]
    stack.viber("как да настроя outlook", user)
    assert viber_sent(standin) == []
    assert stack.release(user, IVAN).status_code == 200
    assert viber_sent(standin) == [texts("released", agent=IVAN_NAME)["bg"]]
    stack.viber("как да настроя outlook", user)
    assert viber_sent(standin), "the assistant answers again"
    steps = [row[:2] for row in stack.audit(user)]
    assert steps == [("claim", "ivan"), ("reply", "ivan"), ("release", "ivan")]


# --- REST: silence while paused, bad input -----------------------------------------------------------
def test_a_paused_rest_conversation_gets_no_reply_and_no_apology(stack: TakeoverStack) -> None:
    sender = f"rest-{uuid.uuid4().hex[:8]}"
    stack.ask("what is imap", sender)
    assert stack.claim(sender).status_code == 200
    assert stack.ask("are you there?", sender) == []
    assert stack.ask("/restart", sender) == []  # stays with the agent until released
    assert stack.tracker(sender)["paused"] is True
    assert stack.release(sender).status_code == 200
    assert stack.ask("what is imap", sender), "the assistant answers after the release"


def test_takeover_requests_are_checked(stack: TakeoverStack) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    stack.ask("hello", sender)
    assert stack.claim("nobody-" + uuid.uuid4().hex).status_code == 404
    assert stack.reply(sender, "hi").status_code == 409  # not claimed yet
    assert stack.release(sender).status_code == 409
    assert stack.claim(sender).status_code == 200
    for body in [b"", b"not json", b"[1]", b'{"text": 5}', b'{"text": "   "}', b"\xff\xfe"]:
        headers = {"Content-Type": "application/json"}
        response = stack.post(f"/agent/api/conversations/{sender}/reply", data=body, headers=headers)
        assert response.status_code == 400, (body, response.text)
        assert response.headers["Content-Type"].startswith("application/json") and response.json()["error"]
    assert stack.reply(sender, "x" * 2001).status_code == 400
    assert stack.post(f"/agent/api/conversations/{sender}/reply", data=b"x" * 20_000).status_code == 413
    assert stack.post(f"/agent/api/conversations/{sender}/claim", auth=None).status_code == 401
    cross = stack.post(f"/agent/api/conversations/{sender}/release", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    assert stack.release(sender).status_code == 200

    # Rasa's side refuses anything without the token, and malformed deliveries.
    deliver = f"{stack.rasa_url}/webhooks/agent/deliver"
    body = {"sender_id": sender, "kind": "claim", "agent": "x"}
    assert requests.post(deliver, json=body, timeout=30).status_code == 401
    wrong = {"Authorization": "Bearer wrong"}
    assert requests.post(deliver, json=body, headers=wrong, timeout=30).status_code == 401
    good = {"Authorization": f"Bearer {RASA_TOKEN}"}
    for bad in [{}, {"sender_id": sender, "kind": "dance", "agent": "x"}, {**body, "kind": "reply"}]:
        assert requests.post(deliver, json=bad, headers=good, timeout=30).status_code == 400
    assert requests.post(deliver, data=b"{", headers=good, timeout=30).status_code == 400
    assert stack.tracker(sender)["paused"] is False


def test_a_paused_conversation_stays_paused_in_a_new_session(stack: TakeoverStack) -> None:
    sender = f"session-{uuid.uuid4().hex[:8]}"
    stack.ask("what is imap", sender)
    assert stack.claim(sender).status_code == 200
    # Three hours pass (session_expiration_time is 120 minutes): age every stored event.
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] -= 3 * 3600
            db.execute(
                "UPDATE events SET data = ?, timestamp = ? WHERE id = ?",
                (json.dumps(event), event["timestamp"], row_id),
            )
    assert stack.ask("hello again", sender) == []
    assert stack.tracker(sender)["paused"] is True
    with sqlite3.connect(stack.tracker_db) as db:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'session_started'"
        assert db.execute(query, (sender,)).fetchone() == (2,)  # a new session began, paused
    assert stack.release(sender).status_code == 200
    assert stack.ask("what is imap", sender)


# --- restart -------------------------------------------------------------------------------------------
def test_pausing_survives_a_rasa_restart_and_rasa_down_is_a_503(stack: TakeoverStack) -> None:
    sender, other = (f"restart-{uuid.uuid4().hex[:8]}" for _ in range(2))
    stack.ask("what is pop3", sender)
    stack.ask("what is pop3", other)
    assert stack.claim(sender).status_code == 200
    stack.stop_rasa()
    try:
        down = stack.claim(other)
        assert down.status_code == 503 and down.json()["error"]
        assert stack.claims(other) == [] and stack.audit(other) == []  # the failed claim was undone
        assert stack.reply(sender, "still here").status_code == 503
        assert stack.release(sender).status_code == 503
        assert stack.claims(sender) == [("maria", MARIA_NAME)]  # kept: Rasa is still paused
    finally:
        stack.start_rasa()
    assert stack.tracker(sender)["paused"] is True
    assert stack.ask("hello?", sender) == []
    assert stack.release(sender).status_code == 200
    assert stack.ask("what is pop3", sender)


# --- in-process: the pause outlasts a new session ----------------------------------------------------
def test_a_new_session_of_a_paused_conversation_is_paused_too() -> None:
    """Rasa's own action_session_start, as extended by bot/channels/agent.py, on real trackers."""
    import asyncio

    from rasa.core.actions.action import ActionSessionStart
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ConversationPaused, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    import bot.channels.agent  # noqa: F401 - installs the extension

    domain = Domain.load("domain.yml")

    def new_session(paused: bool) -> DialogueStateTracker:
        tracker = DialogueStateTracker.from_events("s", [UserUttered("hi")], domain.slots)
        tracker.update(SlotSet("language", "bg"))
        if paused:
            tracker.update(ConversationPaused())
        events = asyncio.run(ActionSessionStart().run(CollectingOutputChannel(), None, tracker, domain))
        for event in events:
            tracker.update(event)
        return tracker

    paused = new_session(paused=True)
    assert paused.is_paused() and paused.get_slot("language") == "bg"
    assert paused.events[-1].as_dict()["name"] == "action_listen"
    assert not new_session(paused=False).is_paused()


def test_more_agents_sign_in_on_their_own_with_their_names() -> None:
    from bot.agent.auth import Credentials, Sessions

    env = {
        "AGENT_USER": "maria",
        "AGENT_PASSWORD": "pw-maria",
        "AGENT_DISPLAY_NAME": "Мария",
        "AGENT_USERS": "ivan:pw-ivan:Иван Петров, petya:pw:petya",
    }
    credentials = Credentials.from_env(env)
    assert credentials is not None
    assert credentials.check("ivan", "pw-ivan") and credentials.check("maria", "pw-maria")
    assert not credentials.check("ivan", "pw-maria") and not credentials.check("nobody", "pw")
    names = [credentials.display_name(u) for u in ("maria", "ivan", "petya")]
    assert names == ["Мария", "Иван Петров", "petya"]
    sessions = Sessions(credentials, b"key")
    assert sessions.user(sessions.issue(user="ivan")) == "ivan"
    assert sessions.user(sessions.issue()) == "maria"
    assert Sessions(credentials, b"key").user(Sessions(credentials, b"key").issue(user="mallory")) is None
    # A changed password of any agent ends every session (the salt covers all accounts).
    changed = Credentials.from_env(env | {"AGENT_USERS": "ivan:new:Иван Петров, petya:pw:petya"})
    assert changed is not None and Sessions(changed, b"key").user(sessions.issue(user="ivan")) is None
    with pytest.raises(ValueError, match="AGENT_USERS"):
        Credentials.from_env(env | {"AGENT_USERS": "ivan"})


# --- hostile bodies: a 4xx, never a 500 -------------------------------------------------------------
def test_hostile_takeover_bodies_never_get_a_500(stack: TakeoverStack) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.test_fuzz import json_values, raw_bodies

    sender = f"fuzz-{uuid.uuid4().hex[:8]}"
    stack.ask("hello", sender)
    assert stack.claim(sender).status_code == 200
    session = requests.Session()
    deliver = f"{stack.rasa_url}/webhooks/agent/deliver"
    bearer = {"Authorization": f"Bearer {RASA_TOKEN}", "Content-Type": "application/json"}
    shaped = st.builds(
        lambda v: json.dumps(v).encode(),
        st.fixed_dictionaries(
            {"sender_id": st.one_of(st.just(sender), json_values), "kind": json_values, "agent": json_values},
            optional={"text": json_values},
        ),
    )
    statuses: set[int] = set()

    @settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.one_of(raw_bodies, shaped))
    def hostile(body: bytes) -> None:
        reply = session.post(
            f"{stack.web_url}/agent/api/conversations/{sender}/reply", data=body, auth=MARIA, timeout=60
        )
        rasa = session.post(deliver, data=body, headers=bearer, timeout=60)
        statuses.update((reply.status_code, rasa.status_code))
        assert reply.status_code < 500 and rasa.status_code < 500, (body[:200], reply.text, rasa.text)
        for response in (reply, rasa):
            if response.status_code >= 400:
                assert response.json()["error"]

    hostile()
    assert 400 in statuses
    assert stack.release(sender).status_code == 200
