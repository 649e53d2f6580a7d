"""Handoffs without a server: case numbers, callback contacts, agent presence in a real SQLite
database, the handoff actions' texts (online / offline, bg / en), and transcripts that show
a pressed button by its title."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer, ActionCallback, current_case
from bot import handoff, localservices
from bot.agent import insights
from bot.agent.store import Callback, Event, TrackerDatabase, database_url
from bot.knowledge import KnowledgeBase
from bot.processes import ProcessGroup
from bot.support_hours import support_hours
from tests.conftest import make_tracker

ALWAYS = "Mon-Sun 00:00-24:00 UTC"


def test_case_numbers_are_short_stable_and_spread() -> None:
    case = handoff.case_number("customer-1", 1795893274.97)
    assert re.fullmatch(r"TEA-\d{6}", case)
    assert handoff.case_number("customer-1", 1795893274.97) == case
    many = {handoff.case_number(f"customer-{i}", 1795893274.0 + i) for i in range(2000)}
    assert len(many) >= 1990  # a clash is possible (and harmless), but rare


@pytest.mark.parametrize(
    ("typed", "case"),
    [
        ("TEA-482193", "TEA-482193"),
        (" tea-482193 ", "TEA-482193"),
        ("482193", "TEA-482193"),
        ("TEA-4821", None),
        ("TEA-48219x", None),
        ("", None),
        ("' OR 1=1 --", None),
    ],
)
def test_an_agent_may_type_a_case_number_loosely(typed: str, case: str | None) -> None:
    assert handoff.normalise_case(typed) == case


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("0888 123 456", "0888 123 456"),
        ("+359 888 123 456.", "+359 888 123 456"),
        ("(02) 439-67-00", "(02) 439-67-00"),
        ("Ivan.Petrov@ABV.bg", "ivan.petrov@abv.bg"),
        ("123", None),
        ("call me maybe", None),
        ("ivan@", None),
        ("1" * 30, None),
        ("<script>@x.bg", None),
    ],
)
def test_a_callback_contact_is_a_phone_or_an_email(text: str, contact: str | None) -> None:
    assert handoff.callback_contact(text) == contact


# --- a real SQLite database -------------------------------------------------------------------
@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TrackerDatabase]:
    """The tracker store the action server would open (endpoints.yml, TRACKER_DB), empty."""
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("RASA_ENDPOINTS", "endpoints.yml")
    handoff.store.cache_clear()
    db = handoff.store()
    assert db is not None and db.url == database_url(
        {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    )
    yield db
    handoff.store.cache_clear()


def test_an_agent_is_online_while_their_console_beats_within_the_hours(database: TrackerDatabase) -> None:
    now = time.time()
    always, never = (
        support_hours({"SUPPORT_HOURS": ALWAYS}),
        support_hours({"SUPPORT_HOURS": "Mon 00:00-00:01 UTC"}),
    )
    assert handoff.agents_online(database, now) == []  # no table yet
    assert not handoff.colleague_available(database, always, now)
    database.record_presence("maria", now - 10)
    database.record_presence("ivan", now - handoff.PRESENCE_SECONDS - 1)  # gone
    assert handoff.agents_online(database, now) == ["maria"]
    assert handoff.colleague_available(database, always, now)
    assert not handoff.colleague_available(database, never, time.mktime((2026, 12, 8, 12, 0, 0, 0, 0, 0)))
    database.record_presence("ivan", now)  # an upsert, not a second row
    with database.reader().connect() as connection:
        assert connection.execute(sa.text("select count(*) from agent_presence")).scalar() == 2


def run_answer(intent: str, lang: str, sender: str = "handoff-unit") -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent, slots={"language": lang})
    tracker.sender_id = sender
    events = ActionAnswer().run(dispatcher, tracker, {})
    return dispatcher.messages, events


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_nobody_online_gives_phone_hours_case_and_then_the_callback_offer(
    database: TrackerDatabase, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("SUPPORT_HOURS", "Mon-Fri 09:00-18:00 Europe/Sofia")
    messages, events = run_answer("contact_support", lang)
    assert len(messages) == 1
    text = messages[0]["text"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    case = slots["case_number"]
    assert re.fullmatch(r"TEA-\d{6}", case) and case in text
    assert slots["handoff_reason"] == "requested"
    days = kb.data["handoff"]["days"][lang]
    assert kb.phone in text and f"{days['mon']}-{days['fri']} 09:00-18:00 (Europe/Sofia)" in text
    assert text.startswith(kb.data["handoff"]["offline"][lang].split("{")[0])
    assert events[-1] == FollowupAction("callback_form")


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_an_agent_online_means_a_colleague_will_reply_here(
    database: TrackerDatabase, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("SUPPORT_HOURS", ALWAYS)
    database.record_presence("maria")
    messages, events = run_answer("contact_support", lang)
    case = next(e["value"] for e in events if e.get("name") == "case_number")
    expected = kb.data["handoff"]["online"][lang].format(case=case)
    assert messages[0]["text"].startswith(expected)
    assert not any(e["event"] == "followup" for e in events)
    # The same agent, after hours: nobody to reply here.
    monkeypatch.setenv("SUPPORT_HOURS", "Mon 00:00-00:01 UTC")
    if support_hours().is_open(datetime.now(timezone.utc)):
        pytest.skip("the test runs inside the one-minute window")
    messages, events = run_answer("contact_support", lang)
    assert kb.phone in messages[0]["text"] and events[-1] == FollowupAction("callback_form")


def callback_tracker(sender: str, consent: bool | None, contact: str | None, intent: str) -> Tracker:
    slots = {
        "language": "en",
        "case_number": "TEA-123456",
        "callback_consent": consent,
        "callback_contact": contact,
    }
    tracker = make_tracker(intent, text=contact or "no", slots=slots)
    tracker.sender_id = sender
    return tracker


def test_a_consented_callback_is_stored_and_listed_and_a_refused_one_is_not(
    database: TrackerDatabase, kb: KnowledgeBase
) -> None:
    dispatcher = CollectingDispatcher()
    events = ActionCallback().run(
        dispatcher, callback_tracker("cb-yes", True, "0888 123 456", "nlu_fallback"), {}
    )
    assert "0888 123 456" in dispatcher.messages[0]["text"] and "TEA-123456" in dispatcher.messages[0]["text"]
    assert any(e.get("name") == "callback_consent_at" and e["value"] for e in events)
    [stored] = database.callbacks()
    assert (stored.sender_id, stored.case_number, stored.contact, stored.language) == (
        "cb-yes",
        "TEA-123456",
        "0888 123 456",
        "en",
    )
    dispatcher = CollectingDispatcher()
    ActionCallback().run(dispatcher, callback_tracker("cb-no", False, None, "deny"), {})
    assert dispatcher.messages[0]["text"].startswith(kb.data["callback"]["declined"]["en"].split("{")[0])
    assert [c.sender_id for c in database.callbacks()] == ["cb-yes"]
    # Erasure covers the callback table.
    assert database.erase(["cb-yes"]).agent_rows == 1
    assert database.callbacks() == []


# --- transcripts --------------------------------------------------------------------------------
def test_a_pressed_button_reads_as_its_title_in_the_transcript() -> None:
    buttons = [{"title": "I use IMAP", "payload": '/mailbox_full{"protocol": "imap"}'}]

    def user(text: str, at: float, refused: bool = False) -> Event:
        parse = {"intent": {"name": "mailbox_full", "confidence": 1.0}, "entities": []}
        if refused:
            parse["payload_refused"] = True
        return Event("s", "user", at, {"text": text, "parse_data": parse, "input_channel": "rest"})

    events = [
        user("my mailbox is full", 1.0),
        Event("s", "bot", 2.0, {"text": "Which protocol?", "data": {"buttons": buttons}}),
        user('/mailbox_full{"protocol":"imap"}', 3.0),  # the same payload, spelt differently
        user('/mailbox_full{"protocol": "pop3"}', 4.0),  # not offered: readable, not raw
        user('/greet{"language": "ru"}', 5.0, refused=True),  # refused: shown as typed
    ]
    shown = [m for m in insights.transcript(events) if m["type"] == "user"]
    assert [m["text"] for m in shown] == [
        "my mailbox is full",
        "I use IMAP",
        "mailbox_full (protocol: pop3)",
        '/greet{"language": "ru"}',
    ]
    assert shown[1]["payload"] == '/mailbox_full{"protocol":"imap"}' and shown[0]["payload"] is None


def test_a_second_handoff_within_a_day_keeps_the_case_number() -> None:
    now = time.time()
    recent = datetime.fromtimestamp(now - 3600, timezone.utc).isoformat()
    old = datetime.fromtimestamp(now - 2 * 86400, timezone.utc).isoformat()
    tracker = make_tracker("contact_support", slots={"case_number": "TEA-111111", "handoff_at": recent})
    assert current_case(tracker, now) == "TEA-111111"
    tracker = make_tracker("contact_support", slots={"case_number": "TEA-111111", "handoff_at": old})
    assert current_case(tracker, now) == handoff.case_number(tracker.sender_id, now) != "TEA-111111"
    tracker = make_tracker("contact_support", slots={"case_number": "TEA-111111", "handoff_at": "garbage"})
    assert current_case(tracker, now) != "TEA-111111"


# --- PostgreSQL: the store as the action server and the console reach it ------------------------
@pytest.fixture(scope="module")
def postgres() -> Iterator[int]:
    if localservices.postgres_bin() is None:
        pytest.skip("needs Debian's postgresql (scripts/install-system-deps installs it as root)")
    group = ProcessGroup()
    try:
        yield localservices.start_postgres(group)
    finally:
        group.stop()


def test_callbacks_and_presence_on_postgresql(postgres: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {**localservices.scaled_env(postgres, 0), "REDIS_PORT": "0"}.items():
        monkeypatch.setenv(key, value)
    handoff.store.cache_clear()
    db = handoff.store()
    try:
        assert db is not None and db.url.get_backend_name() == "postgresql"
        now = time.time()
        assert handoff.agents_online(db, now) == []
        db.record_presence("maria", now)
        db.record_presence("maria", now + 1)
        assert handoff.agents_online(db, now + 2) == ["maria"]
        assert handoff.colleague_available(db, support_hours({"SUPPORT_HOURS": ALWAYS}), now + 2)
        db.add_callback(Callback("pg-1", "TEA-000001", "0888 123 456", "bg", now))
        db.add_callback(Callback("pg-2", "TEA-000002", "ivan@example.com", "en", now + 5))
        assert [c.sender_id for c in db.callbacks()] == ["pg-2", "pg-1"]
        assert [c.contact for c in db.callbacks(sender_id="pg-1")] == ["0888 123 456"]
        assert db.erase(["pg-1"]).agent_rows == 1
        assert [c.sender_id for c in db.callbacks()] == ["pg-2"]
        assert db.knows("pg-2") and not db.knows("pg-1")
    finally:
        if db is not None:
            with db.writer().begin() as connection:
                connection.execute(sa.text("delete from agent_callbacks"))
                connection.execute(sa.text("delete from agent_presence"))
        handoff.store.cache_clear()
