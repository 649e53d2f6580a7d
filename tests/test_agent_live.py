"""The console's live stream (bot/agent/live.py) in-process, on a tracker store that Rasa's
own SQLTrackerStore writes (the HTTP side, with the real Rasa: tests/test_agent_api.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.agent import live
from bot.agent.insights import SessionCopies
from bot.agent.live import EventHub, LiveEvent, Subscription, last_event_id, live_events
from bot.agent.store import Event, TrackerDatabase
from tests.test_agent_cli import StoredConversation, write_trackers

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Rasa on loading domain.yml
FAST = 0.05  # poll interval in these tests


@pytest.fixture
def store(tmp_path: Path) -> tuple[dict[str, Any], TrackerDatabase]:
    path = tmp_path / "tracker.db"
    return {"dialect": "sqlite", "db": str(path)}, TrackerDatabase(
        sa.engine.URL.create("sqlite", database=str(path))
    )


def conversation(sender: str, text: str = "здравей", handoff: str | None = None) -> StoredConversation:
    return StoredConversation(sender, [(text, "greet", 0.9)], "bg", handoff=handoff, bot_says=["Здравейте!"])


async def store_in_thread(config: dict[str, Any], *conversations: StoredConversation) -> None:
    # write_trackers runs its own event loop: not on this one.
    await asyncio.to_thread(write_trackers, list(conversations), **config)


async def next_events(subscription: Subscription, count: int, timeout: float = 10) -> list[LiveEvent]:
    found: list[LiveEvent] = []
    while len(found) < count:
        event = await subscription.get(timeout)
        assert event is not None, "the stream was closed"
        found.append(event)
    return found


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


# --- the pieces ---------------------------------------------------------------------------------
def test_an_event_is_one_sse_block_with_its_json_on_one_line() -> None:
    event = LiveEvent(42, "message", {"text": "ред 1\nred 2\r\n\n", "sender_id": "s"})
    data = '{"text":"ред 1\\nred 2\\r\\n\\n","sender_id":"s"}'
    assert event.encode() == f"id: 42\nevent: message\ndata: {data}\n\n".encode()
    assert live.RESYNC.encode().startswith(b"event: resync\n")  # no id: not a place to resume from


def test_rows_become_message_and_handoff_events() -> None:
    def user(row: int, text: str) -> Event:
        parse = {"intent": {"name": "contact_support", "confidence": 0.9}, "entities": []}
        return Event(
            "s", "user", float(row), {"text": text, "input_channel": "rest", "parse_data": parse}, row
        )

    def slot(row: int, name: str, value: str | None) -> Event:
        return Event("s", "slot", float(row), {"name": name, "value": value}, row)

    rows = [
        Event("s", "session_started", 1.0, {}, 1),
        user(2, "искам човек"),
        slot(3, "language", "bg"),
        slot(4, "handoff_reason", "requested"),
        Event("s", "bot", 5.0, {"text": "Ето телефона", "data": {"buttons": []}}, 5),
        Event("s", "session_started", 6.0, {}, 6),
        slot(7, "handoff_reason", "requested"),  # the new session's copy of the slots
        user(8, "благодаря"),
        slot(9, "handoff_reason", None),  # a reset is no handoff either
    ]
    events = live_events(rows, SessionCopies())
    assert [(e.id, e.type) for e in events] == [
        (2, "message"),
        (4, "handoff"),
        (5, "message"),
        (8, "message"),
    ]
    assert events[0].data["sender"] == "user" and events[0].data["message"]["text"] == "искам човек"
    assert events[1].data | {"time": None} == {
        "sender_id": "s",
        "reason": "requested",
        "time": None,
        "timestamp": 4.0,
    }
    assert events[2].data["sender"] == "bot" and events[2].data["message"]["text"] == "Ето телефона"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        (None, None),
        ("", None),
        ("abc", None),
        ("-1", None),
        ("1e3", None),
        ("١٢", None),
        ("9" * 19, None),
    ],
)
def test_last_event_id_is_a_row_id_or_ignored(header: str | None, expected: int | None) -> None:
    assert last_event_id(header) == expected


# --- the hub on a real store ------------------------------------------------------------------------
def test_every_console_gets_what_is_stored_after_it_connected(
    store: tuple[dict[str, Any], TrackerDatabase],
) -> None:
    config, db = store

    async def scenario() -> None:
        await store_in_thread(config, conversation("earlier", handoff="requested"))
        hub = EventHub(lambda: db, interval=FAST)
        hub.start()
        first, second = await hub.subscribe(), await hub.subscribe()
        await store_in_thread(config, conversation("later", "искам човек", handoff="requested"))
        for subscription in (first, second):
            events = await next_events(subscription, 3)
            assert [(e.type, e.data["sender_id"]) for e in events] == [
                ("message", "later"),
                ("message", "later"),
                ("handoff", "later"),
            ]
            assert [e.data.get("sender") for e in events[:2]] == ["user", "bot"]
        await hub.stop()
        assert await first.get(1) is None  # stopping the server ends every stream
        assert hub.subscribers == 0

    run(scenario)


def test_a_console_that_comes_back_gets_the_rows_after_its_last_event_id(
    store: tuple[dict[str, Any], TrackerDatabase],
) -> None:
    config, db = store

    async def scenario() -> None:
        await store_in_thread(config, conversation("one"))
        seen = db.last_event_id()
        await store_in_thread(config, conversation("two", handoff="fault"))
        hub = EventHub(lambda: db, interval=FAST)
        missed = await hub.backlog(seen)
        assert [(e.type, e.data["sender_id"]) for e in missed] == [
            ("message", "two"),
            ("message", "two"),
            ("handoff", "two"),
        ]
        assert all(e.id > seen for e in missed)
        assert await hub.backlog(db.last_event_id()) == []

    run(scenario)


def test_too_much_missed_is_a_resync(store: tuple[dict[str, Any], TrackerDatabase], monkeypatch: Any) -> None:
    config, db = store
    monkeypatch.setattr(live, "BACKLOG", 3)

    async def scenario() -> None:
        await store_in_thread(config, *(conversation(f"c{n}") for n in range(3)))
        missed = await EventHub(lambda: db).backlog(0)
        assert len(missed) == 3 and missed[-1] == live.RESYNC  # 3 rows read, then "reload"

    run(scenario)


def test_rows_deleted_at_the_end_of_the_table_do_not_hide_new_ones(
    store: tuple[dict[str, Any], TrackerDatabase],
) -> None:
    """SQLite reuses the ids of the last rows after they are deleted (an erasure)."""
    config, db = store

    async def scenario() -> None:
        await store_in_thread(config, conversation("kept"))
        hub = EventHub(lambda: db, interval=FAST)
        hub.start()
        subscription = await hub.subscribe()
        await store_in_thread(config, conversation("erased"))
        assert {e.data["sender_id"] for e in await next_events(subscription, 2)} == {"erased"}
        before = db.last_event_id()
        await asyncio.to_thread(db.erase, ["erased"])
        await asyncio.sleep(FAST * 6)  # the poller sees the table shrink
        await store_in_thread(config, conversation("new"))
        events = await next_events(subscription, 2)
        assert {e.data["sender_id"] for e in events} == {"new"}
        assert min(e.id for e in events) <= before  # the ids were reused, and still seen
        await hub.stop()

    run(scenario)


def test_a_stream_sends_keep_alives_and_ends_on_time(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setattr(live, "KEEPALIVE_SECONDS", 0.1)
    db = TrackerDatabase(sa.engine.URL.create("sqlite", database=str(tmp_path / "none-yet.db")))
    sent: list[bytes] = []

    async def send(data: bytes) -> None:
        sent.append(data)

    async def scenario() -> None:
        hub = EventHub(lambda: db, interval=FAST)
        hub.start()
        subscription = await hub.subscribe()  # no database file yet: nothing to read, no error
        loop = asyncio.get_running_loop()
        started = loop.time()
        await live.serve(hub, subscription, send, None, until=started + 0.5)
        assert 0.45 < loop.time() - started < 2
        await hub.stop()

    run(scenario)
    assert sent[0] == f"retry: {live.RETRY_MS}\n\n".encode()
    assert sent[1:] and set(sent[1:]) == {b": keep-alive\n\n"}


def test_a_console_too_far_behind_is_disconnected(monkeypatch: Any) -> None:
    monkeypatch.setattr(live, "QUEUE_SIZE", 2)

    async def scenario() -> None:
        hub = EventHub(lambda: None)  # type: ignore[arg-type,return-value]
        hub._cursor = 0  # as if a console had connected
        slow = Subscription()
        hub._subscribers.add(slow)
        hub.publish(LiveEvent(n, "message", {}) for n in range(1, 4))
        assert hub.subscribers == 0
        assert await slow.get(1) is None  # its stream ends; the browser reconnects and catches up

    run(scenario)


def test_the_real_table_has_the_key_the_stream_follows(store: tuple[dict[str, Any], TrackerDatabase]) -> None:
    config, db = store
    write_trackers([conversation("x")], **config)
    with sqlite3.connect(config["db"]) as connection:
        columns = {row[1]: row for row in connection.execute("PRAGMA table_info(events)")}
    assert columns["id"][5] == 1 and columns["id"][2].upper() == "INTEGER"  # the rowid: only grows on insert
    rows = db.events_after(0, 100)
    assert [e.id for e in rows] == sorted(e.id for e in rows) and rows[0].id >= 1
