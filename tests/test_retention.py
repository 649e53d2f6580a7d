"""GDPR: retention (RETENTION_DAYS), erasure and export, on the real tracker stores.

Conversations are written through the project's tracker store class (LeanSQLTrackerStore,
what Rasa runs with) with chosen timestamps, into a temporary SQLite file and into a real
PostgreSQL server (Debian's package, bot.localservices; skipped with a reason when it is not
installed). The commands run as `python -m bot ...` subprocesses, the agent route on a real
`python -m bot.web`; the last tests run the whole stack (Rasa, actions, web) and Chromium.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import localservices
from bot.agent.store import EVENTS, RESOLVED, TrackerDatabase
from bot.privacy import MASK, redact
from bot.processes import ProcessGroup, wait_until_up
from bot.retention import (
    DAY,
    EXPORT_FORMAT,
    RetentionConfigError,
    RetentionScheduler,
    expire,
    retention_days,
)
from bot.settings import PROJECT_DIR
from bot.trackerstore import LeanSQLTrackerStore
from tests.conftest import ARTIFACTS, CHROMIUM, free_port
from tests.test_agent_api import AGENT_PASSWORD as STACK_PASSWORD
from tests.test_agent_api import AGENT_USER as STACK_USER
from tests.test_agent_api import agent_stack

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Rasa on loading domain.yml
AGENT_USER = "agent"
AGENT_PASSWORD = "erase-test password"
NOW = time.time()


# --- the two stores -------------------------------------------------------------------------------
@dataclass
class Backend:
    name: str
    store_kwargs: dict[str, Any]  # for LeanSQLTrackerStore (as endpoints*.yml give Rasa)
    env: dict[str, str]  # RASA_ENDPOINTS and its keys, for the commands and bot.web
    sqlite_file: Path | None = None

    def database(self) -> TrackerDatabase:
        return TrackerDatabase.from_env({**os.environ, **self.env})


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain.yml"))


@pytest.fixture(scope="module")
def postgres() -> Iterator[int]:
    if localservices.postgres_bin() is None:
        pytest.skip("needs Debian's postgresql (scripts/install-system-deps installs it as root)")
    group = ProcessGroup()
    try:
        yield localservices.start_postgres(group)
    finally:
        group.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """An empty tracker store of either kind, configured the way `make run` configures it."""
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        env = {"RASA_ENDPOINTS": "endpoints.yml", "TRACKER_DB": str(path)}
        yield Backend("sqlite", {"dialect": "sqlite", "db": str(path)}, env, path)
        return
    port = request.getfixturevalue("postgres")
    env = {**localservices.scaled_env(port, 0), "REDIS_PORT": "0"}
    kwargs = {
        "dialect": "postgresql",
        "host": "127.0.0.1",
        "port": port,
        "db": "rasa",
        "username": "postgres",
    }
    found = Backend("postgresql", kwargs, env)
    engine = found.database().writer()
    with engine.begin() as connection:  # every test starts on empty tables
        for table in (EVENTS, RESOLVED):
            if sa.inspect(connection).has_table(table.name):
                connection.execute(sa.delete(table))
    yield found


# --- conversations --------------------------------------------------------------------------------
@dataclass
class Conversation:
    sender: str
    started_days_ago: float
    last_days_ago: float | None = None  # a later turn, so the latest event is this recent
    channel: str = "rest"
    language: str = "bg"
    texts: list[str] = field(default_factory=lambda: ["защо кутията ми е пълна"])
    handoff: str | None = None

    def events(self) -> list[Event]:
        start = NOW - self.started_days_ago * DAY
        out: list[Event] = [
            ActionExecuted("action_session_start", timestamp=start),
            SessionStarted(timestamp=start),
            ActionExecuted("action_listen", timestamp=start),
        ]
        times = [start + 1.0]
        if self.last_days_ago is not None:
            times.append(NOW - self.last_days_ago * DAY)
        for at in times:
            for i, text in enumerate(self.texts):
                t = at + 10 * i
                parse = {"intent": {"name": "mailbox_full", "confidence": 0.93}, "entities": [], "text": text}
                out += [
                    UserUttered(
                        text,
                        parse["intent"],
                        [],
                        parse,
                        timestamp=t,
                        input_channel=self.channel,
                        metadata={"language_code": self.language},
                    ),
                    SlotSet("language", self.language, timestamp=t),
                    ActionExecuted("action_answer", timestamp=t + 0.5),
                    BotUttered(
                        f"Отговор за {self.sender}: {text}",
                        {"buttons": [{"title": "POP3 или IMAP?", "payload": "/pop3_vs_imap"}]},
                        timestamp=t + 0.6,
                    ),
                    ActionExecuted("action_listen", timestamp=t + 0.7),
                ]
        if self.handoff:
            t = times[-1] + 100
            out += [
                SlotSet("handoff_reason", self.handoff, timestamp=t),
                SlotSet("handoff_at", "2026-01-01T00:00:00+00:00", timestamp=t),
            ]
        return out


def store(backend: Backend, domain: Domain, *conversations: Conversation) -> None:
    tracker_store = LeanSQLTrackerStore(domain, **backend.store_kwargs)
    for conversation in conversations:
        tracker = DialogueStateTracker.from_events(conversation.sender, conversation.events(), domain.slots)
        asyncio.run(tracker_store.save(tracker))


def rows(backend: Backend, table: sa.Table = EVENTS) -> dict[str, list[tuple]]:
    """Every row of the table, by sender id (the id column left out)."""
    db = backend.database()
    with db.reader().connect() as connection:
        if not sa.inspect(connection).has_table(table.name):
            return {}
        found: dict[str, list[tuple]] = {}
        order = table.c.id if "id" in table.c else table.c.sender_id
        for row in connection.execute(sa.select(table).order_by(order)):
            mapping = dict(row._mapping)
            mapping.pop("id", None)
            found.setdefault(mapping["sender_id"], []).append(tuple(mapping.values()))
        return found


def retrieve(backend: Backend, domain: Domain, sender: str) -> DialogueStateTracker | None:
    tracker_store = LeanSQLTrackerStore(domain, **backend.store_kwargs)
    return asyncio.run(tracker_store.retrieve_full_tracker(sender))


def run_bot(backend: Backend, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, **backend.env, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# --- retention ------------------------------------------------------------------------------------
def mixed_population() -> tuple[list[Conversation], list[Conversation]]:
    """(expired, kept) for RETENTION_DAYS=180."""
    expired = [
        Conversation(new_id("old"), 200),
        Conversation(new_id("old-handoff"), 365, handoff="requested", channel="telegram"),
        Conversation(new_id("old-viber"), 181, channel="viber", language="en"),
    ]
    kept = [
        Conversation(new_id("new"), 1),
        # Started long ago, but the customer wrote again 10 days ago: its latest event counts.
        Conversation(new_id("revived"), 300, last_days_ago=10, handoff="repeated_failure"),
        Conversation(new_id("edge"), 179.9),
    ]
    return expired, kept


def test_retention_removes_exactly_the_conversations_older_than_the_limit(
    backend: Backend, domain: Domain
) -> None:
    expired, kept = mixed_population()
    store(backend, domain, *expired, *kept)
    db = backend.database()
    # Agent records: a resolution of an expired and of a kept conversation, and a leftover one
    # whose events are gone already.
    db.resolve(expired[1].sender, AGENT_USER, at=NOW - 360 * DAY)
    db.resolve(kept[1].sender, AGENT_USER, at=NOW - 9 * DAY)
    db.resolve("leftover-" + uuid.uuid4().hex[:6], AGENT_USER, at=NOW - 400 * DAY)
    before = rows(backend)
    assert set(before) == {c.sender for c in expired + kept}

    run = expire(db, 180)
    assert run.conversations == len(expired) + 1  # + the leftover resolution
    assert run.erased.events == sum(len(before[c.sender]) for c in expired)
    assert run.erased.agent_rows == 2
    assert f"removed {len(expired) + 1} conversation(s)" in run.describe()
    after = rows(backend)
    assert after == {c.sender: before[c.sender] for c in kept}  # the others not touched at all
    assert set(rows(backend, RESOLVED)) == {kept[1].sender}
    for conversation in expired:
        assert retrieve(backend, domain, conversation.sender) is None
    revived = retrieve(backend, domain, kept[1].sender)
    assert (
        revived is not None
        and [e.text for e in revived.events if isinstance(e, UserUttered)] == ["защо кутията ми е пълна"] * 2
    )

    assert expire(db, 180).conversations == 0  # nothing left to do
    assert expire(db, 0).cutoff is None and rows(backend) == after  # 0 = keep for ever
    assert expire(db, 5).conversations == 2  # "revived" (10 days) and "edge" (179.9 days)
    assert set(rows(backend)) == {kept[0].sender}


def test_a_message_arriving_during_retention_survives_it(backend: Backend, domain: Domain) -> None:
    old = Conversation(new_id("racing"), 200)
    store(backend, domain, old)
    db = backend.database()
    senders = db.idle_senders(NOW - 180 * DAY)
    assert senders == [old.sender]
    # The customer writes again between the selection and the delete.
    tracker_store = LeanSQLTrackerStore(domain, **backend.store_kwargs)
    tracker = asyncio.run(tracker_store.retrieve(old.sender))
    assert tracker is not None
    tracker.update(UserUttered("отново аз", {"name": "greet", "confidence": 1.0}, timestamp=time.time()))
    asyncio.run(tracker_store.save(tracker))
    erased = db.erase(senders, before=NOW - 180 * DAY)
    assert erased.conversations == 1 and erased.events == len(old.events())
    assert [json.loads(r[-1])["text"] for r in rows(backend)[old.sender]] == ["отново аз"]


def test_the_web_server_runs_retention_at_start_up_and_logs_the_count(
    backend: Backend, domain: Domain, tmp_path: Path
) -> None:
    expired, kept = mixed_population()
    store(backend, domain, *expired, *kept)
    port = free_port()
    group = ProcessGroup()
    # The agent area is not configured: retention runs all the same.
    group.env.update(backend.env, WEB_PORT=str(port), RETENTION_DAYS="180", AGENT_USER="", AGENT_PASSWORD="")
    log = tmp_path / "web.log"
    try:
        web = group.start([sys.executable, "-m", "bot.web"], log)
        wait_until_up(f"http://localhost:{port}/", 30, web)
        deadline = time.monotonic() + 30
        while "retention: removed" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        text = log.read_text(encoding="utf-8")
        assert (
            f"retention: removed {len(expired)} conversation(s) whose latest event is older than 180 days"
            in (text)
        ), text
    finally:
        group.stop()
    assert set(rows(backend)) == {c.sender for c in kept}


def test_bad_retention_days_stop_the_web_server_with_a_clear_message(tmp_path: Path) -> None:
    assert retention_days({}) == 180 and retention_days({"RETENTION_DAYS": " 30 "}) == 30
    assert retention_days({"RETENTION_DAYS": "0"}) == 0
    for bad in ["-1", "abc", "1.5"]:
        with pytest.raises(RetentionConfigError, match="RETENTION_DAYS"):
            retention_days({"RETENTION_DAYS": bad})
    env = {**os.environ, "RETENTION_DAYS": "half a year", "WEB_PORT": str(free_port())}
    env["TRACKER_DB"] = str(tmp_path / "t.db")
    result = subprocess.run(
        [sys.executable, "-m", "bot.web"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "RETENTION_DAYS='half a year'" in result.stderr


def test_the_scheduler_repeats_until_stopped(backend: Backend, domain: Domain) -> None:
    first, second = Conversation(new_id("first"), 40), Conversation(new_id("second"), 50)
    store(backend, domain, first, Conversation(new_id("recent"), 2))
    scheduler = RetentionScheduler(backend.database, days=30, interval=0.3).start()
    try:
        deadline = time.monotonic() + 20
        while first.sender in rows(backend) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first.sender not in rows(backend)
        store(backend, domain, second)  # stored after the first run: the next run takes it
        while second.sender in rows(backend) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert second.sender not in rows(backend) and len(rows(backend)) == 1
        assert scheduler.last_run is not None and scheduler.last_run.days == 30
    finally:
        scheduler.stop()


def test_the_retention_command(backend: Backend, domain: Domain) -> None:
    expired, kept = mixed_population()
    store(backend, domain, *expired, *kept)
    dry = run_bot(backend, "retention", "--dry-run")
    assert dry.returncode == 0 and f"{len(expired)} conversation(s) are older than 180 days" in dry.stdout
    assert len(rows(backend)) == len(expired + kept)
    assert "kept for ever" in run_bot(backend, "retention", RETENTION_DAYS="0").stdout
    done = run_bot(backend, "retention", RETENTION_DAYS="180")
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"removed {len(expired)} conversation(s)" in done.stdout
    assert set(rows(backend)) == {c.sender for c in kept}
    assert run_bot(backend, "retention", RETENTION_DAYS="soon").returncode == 2


# --- erasure --------------------------------------------------------------------------------------
# Ids that must be matched exactly: a Telegram group's negative chat id, SQL and LIKE wildcards.
TRICKY_IDS = ["-1001234567", "o'brien\"; DROP TABLE events; --", "a%", "a_", "кирилица/с наклонена"]


def test_erase_removes_one_sender_everywhere_and_leaves_the_others(backend: Backend, domain: Domain) -> None:
    marker = uuid.uuid4().hex
    target = Conversation(
        new_id("erase-me"), 3, texts=[f"моят адрес е {marker}@example.bg"], handoff="requested"
    )
    others = [Conversation(sender, 2) for sender in ["ab", "a", "a__", "erase-me", *TRICKY_IDS[:1]]]
    store(backend, domain, target, *others)
    db = backend.database()
    db.resolve(target.sender, AGENT_USER)
    db.resolve(others[0].sender, AGENT_USER)
    before = rows(backend)

    result = run_bot(backend, "erase", target.sender)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{len(before[target.sender])} event(s), 1 agent record(s)" in result.stdout
    assert rows(backend) == {k: v for k, v in before.items() if k != target.sender}
    assert set(rows(backend, RESOLVED)) == {others[0].sender}
    assert retrieve(backend, domain, target.sender) is None
    assert not db.knows(target.sender)
    if backend.sqlite_file is not None:  # secure_delete: not even in the file's free pages
        raw = backend.sqlite_file.read_bytes()
        assert marker.encode() not in raw and target.sender.encode() not in raw

    unknown = run_bot(backend, "erase", target.sender)
    assert unknown.returncode == 1 and "nothing is stored" in unknown.stderr
    assert rows(backend) == {k: v for k, v in before.items() if k != target.sender}


def test_erase_matches_the_sender_id_exactly(backend: Backend, domain: Domain) -> None:
    conversations = [Conversation(sender, 2) for sender in [*TRICKY_IDS, "ab", "aX", "a", "b"]]
    store(backend, domain, *conversations)
    remaining = set(rows(backend))
    for sender in TRICKY_IDS:
        result = run_bot(backend, "erase", sender)
        assert result.returncode == 0, (sender, result.stderr[-2000:])
        remaining.discard(sender)
        assert set(rows(backend)) == remaining, sender
    assert remaining == {"ab", "aX", "a", "b"}
    with backend.database().reader().connect() as connection:
        assert sa.inspect(connection).has_table("events")  # and nothing was dropped


def test_erase_removes_agent_records_of_a_conversation_without_events(
    backend: Backend, domain: Domain
) -> None:
    store(backend, domain, Conversation(new_id("keep"), 1))
    db = backend.database()
    db.resolve("only-agent-record", AGENT_USER)
    assert run_bot(backend, "erase", "only-agent-record").returncode == 0
    assert rows(backend, RESOLVED) == {}


# --- export ---------------------------------------------------------------------------------------
def test_export_returns_that_customers_conversation(backend: Backend, domain: Domain, tmp_path: Path) -> None:
    target = Conversation(
        new_id("export"),
        20,
        last_days_ago=2,
        channel="telegram",
        texts=["zashto kutiqta mi e pulna", "паролата ми е Kotka123!"],  # as if a password had been stored
        handoff="requested",
    )
    other = Conversation(new_id("other"), 1, texts=["чужд разговор"], language="en")
    store(backend, domain, target, other)
    backend.database().resolve(target.sender, AGENT_USER, at=NOW)

    result = run_bot(backend, "export", target.sender)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["format"] == EXPORT_FORMAT and data["sender_id"] == target.sender
    assert (data["channel"], data["channels"], data["language"]) == ("telegram", ["telegram"], "bg")
    assert data["slots"]["language"] == "bg" and data["slots"]["handoff_reason"] == "requested"
    assert data["slots"]["handoff_at"] == "2026-01-01T00:00:00+00:00"
    handoff = data["handoff"]
    assert (handoff["reason"], handoff["resolved"], handoff["resolved_by"]) == ("requested", True, AGENT_USER)
    assert [h["reason"] for h in data["handoffs"]] == ["requested"]
    assert data["agent_records"]["agent_resolved"][0]["resolved_by"] == AGENT_USER

    users = [e for e in data["events"] if e["type"] == "user"]
    bots = [e for e in data["events"] if e["type"] == "bot"]
    # Texts pass bot.privacy.redact on the way out, like everything the agent tools show.
    assert [u["text"] for u in users] == [redact(t)[0] for t in target.texts] * 2
    assert users[1]["text"].endswith(MASK)
    assert all(u["channel"] == "telegram" and u["metadata"] == {"language_code": "bg"} for u in users)
    assert [b["text"] for b in bots] == [
        redact(f"Отговор за {target.sender}: {t}")[0] for t in target.texts
    ] * 2
    assert bots[0]["buttons"] == [{"title": "POP3 или IMAP?", "payload": "/pop3_vs_imap"}]
    stored = [e for e in target.events() if isinstance(e, UserUttered)]
    assert [u["timestamp"] for u in users] == pytest.approx([e.timestamp for e in stored])
    assert all(u["time"].endswith("+00:00") for u in users)
    assert data["counts"] == {"user_messages": 4, "bot_messages": 4, "sessions": 1}
    assert data["first_event_at"] < data["last_event_at"]
    text = result.stdout
    assert "Kotka123" not in text and "чужд разговор" not in text and other.sender not in text

    out = tmp_path / "export.json"
    written = run_bot(backend, "export", target.sender, "--out", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["events"] == data["events"]
    missing = run_bot(backend, "export", "nobody-" + uuid.uuid4().hex)
    assert missing.returncode == 1 and missing.stdout == ""


# --- the agent route, on a real bot.web -----------------------------------------------------------
@dataclass
class Web:
    url: str
    log: Path

    def erase_url(self, sender: str) -> str:
        return f"{self.url}/agent/api/conversations/{quote(sender, safe='')}/erase"

    def login(self) -> requests.Session:
        session = requests.Session()
        response = session.post(
            f"{self.url}/agent/login",
            data={"user": AGENT_USER, "password": AGENT_PASSWORD},
            headers={"Origin": self.url},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 303
        return session


@pytest.fixture
def web(backend: Backend, tmp_path: Path) -> Iterator[Web]:
    port = free_port()
    group = ProcessGroup()
    group.env.update(backend.env, WEB_PORT=str(port), AGENT_USER=AGENT_USER, AGENT_PASSWORD=AGENT_PASSWORD)
    log = tmp_path / "web.log"
    try:
        wait_until_up(f"http://localhost:{port}/", 30, group.start([sys.executable, "-m", "bot.web"], log))
        yield Web(f"http://localhost:{port}", log)
    finally:
        group.stop()


def test_the_erase_route_needs_an_agent_and_our_own_origin(
    backend: Backend, domain: Domain, web: Web
) -> None:
    target, other = Conversation(new_id("route"), 1, handoff="requested"), Conversation(new_id("route"), 1)
    slashed = Conversation("viber/" + uuid.uuid4().hex[:6], 1)
    store(backend, domain, target, other, slashed)
    before = rows(backend)
    url = web.erase_url(target.sender)
    # Nobody signed in, a wrong password, a forged cookie: 401, and nothing is erased.
    for kwargs in [
        {},
        {"auth": (AGENT_USER, "wrong")},
        {"cookies": {"tea_agent_session": "forged.value"}},
        {"headers": {"Origin": web.url}},
    ]:
        response = requests.post(url, timeout=30, **kwargs)
        assert response.status_code == 401 and response.json() == {"error": "authentication required"}
    session = web.login()
    # Signed in, but not from our page: no Origin, someone else's, a cross-site fetch.
    for headers in [
        {},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": web.url, "Sec-Fetch-Site": "cross-site"},
    ]:
        assert session.post(url, headers=headers, timeout=30).status_code == 403, headers
    basic_cross_site = requests.post(
        url, auth=(AGENT_USER, AGENT_PASSWORD), headers={"Origin": "http://evil.example"}, timeout=30
    )
    assert basic_cross_site.status_code == 403
    assert session.get(url, timeout=30).status_code == 405
    assert rows(backend) == before

    response = session.post(url, headers={"Origin": web.url, "Sec-Fetch-Site": "same-origin"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sender_id": target.sender,
        "erased": True,
        "events": len(before[target.sender]),
        "agent_records": 0,
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert rows(backend) == {k: v for k, v in before.items() if k != target.sender}
    assert session.get(f"{web.url}/agent/api/conversations/{target.sender}", timeout=30).status_code == 404

    # Unknown and just-erased senders get the same 404, whatever else is stored.
    answers = {
        (r.status_code, r.text)
        for r in [
            session.post(url, headers={"Origin": web.url}, timeout=30),
            session.post(web.erase_url("never-" + uuid.uuid4().hex), headers={"Origin": web.url}, timeout=30),
        ]
    }
    assert answers == {(404, '{"error": "no such conversation"}')}
    # A script with Basic auth (no Origin header), and an id with a slash in it.
    scripted = requests.post(web.erase_url(slashed.sender), auth=(AGENT_USER, AGENT_PASSWORD), timeout=30)
    assert scripted.status_code == 200 and scripted.json()["sender_id"] == slashed.sender
    assert set(rows(backend)) == {other.sender}
    log = web.log.read_text(encoding="utf-8")
    assert "agent agent erased a conversation" in log
    assert target.sender not in log.replace(f"/conversations/{target.sender}", "")  # only the access log


# --- the whole stack: Rasa, actions, web, and the page in Chromium --------------------------------
@pytest.mark.e2e
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")
def test_erasing_a_live_conversation_from_the_agent_page(tmp_path: Path, browser: Any) -> None:
    """A customer talks to the real bot; the agent exports, then erases it from the page."""
    from playwright.sync_api import expect

    with agent_stack(tmp_path, "retention") as stack:
        customer, other = new_id("gdpr"), new_id("gdpr")
        stack.ask("искам да говоря с човек", customer)
        stack.ask("what are the disadvantages of POP3?", other)
        env = {"RASA_ENDPOINTS": "endpoints.yml", "TRACKER_DB": str(stack.tracker_db)}
        backend = Backend("sqlite", {"dialect": "sqlite", "db": str(stack.tracker_db)}, env)
        exported = json.loads(run_bot(backend, "export", customer).stdout)
        assert [e["text"] for e in exported["events"] if e["type"] == "user"] == ["искам да говоря с човек"]
        assert exported["channel"] == "rest" and exported["handoff"]["reason"] == "requested"
        assert any(e["type"] == "bot" and e["text"] for e in exported["events"])
        before = rows(backend)
        assert {customer, other} <= set(before)

        context = browser.new_context(base_url=stack.web_url)
        page = context.new_page()
        dialogs: list[str] = []

        def accept(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        page.goto("/agent/login")
        page.fill("#user", STACK_USER)
        page.fill("#password", STACK_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/agent")
        page.goto(f"/agent#conversation/{quote(customer, safe='')}")
        expect(page.locator("#transcript li.msg.user")).to_have_count(1, timeout=30_000)
        page.get_by_role("button", name="Erase conversation").click()
        expect(page.locator("#conversation-status")).to_contain_text("erased", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "agent-erased.png"))
        context.close()
        assert dialogs and customer in dialogs[0]
        after = rows(backend)
        assert customer not in after and after[other] == before[other]
        assert stack.api(f"conversations/{other}")["sender_id"] == other
        assert customer not in [h["sender_id"] for h in stack.api("handoffs")["handoffs"]]

        # The customer comes back: Rasa starts a fresh conversation, nothing of the old one.
        assert stack.ask("hello", customer)
        again = rows(backend)[customer]
        texts = [json.loads(r[-1]).get("text") for r in again if r[1] == "user"]
        assert texts == ["hello"]
