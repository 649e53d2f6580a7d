"""bot/trackerstore.py stores and loads exactly what Rasa's SQLTrackerStore does.

Run on SQLite and, where Debian's PostgreSQL is installed, on a real PostgreSQL server.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot import localservices
from bot.processes import ProcessGroup
from bot.settings import PROJECT_DIR
from bot.trackerstore import LeanSQLTrackerStore


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain.yml"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_config(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path_factory.mktemp("sqlite") / "t.db")}
        return
    if not localservices.available():
        pytest.skip("needs Debian's postgresql")
    group = ProcessGroup()
    try:
        port = localservices.start_postgres(group)
        yield {"dialect": "postgresql", "host": "127.0.0.1", "port": port, "db": "rasa"} | {
            "username": "postgres"
        }
    finally:
        group.stop()


def turn(text: str, intent: str, answer: str) -> list[Event]:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}, [{"entity": "protocol", "value": "imap"}]),
        SlotSet("protocol", "imap"),
        ActionExecuted("action_answer"),
        BotUttered(answer, {"buttons": [{"title": "POP3", "payload": "/ask"}]}),
        ActionExecuted("action_listen"),
    ]


def run(coroutine):  # noqa: ANN001, ANN201 - test helper
    return asyncio.run(coroutine)


def test_same_events_as_rasa_s_store_message_by_message(
    store_config: dict, domain: Domain, tmp_path: Path
) -> None:
    lean, rasas = LeanSQLTrackerStore(domain, **store_config), SQLTrackerStore(domain, **store_config)
    sender = f"s-{tmp_path.name}"
    start = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    tracker = DialogueStateTracker.from_events(sender, start, domain.slots)
    run(lean.save(tracker))
    for i in range(5):
        tracker = run(lean.retrieve(sender))  # as each message does: load, add, save
        for event in turn(f"what is imap {i}", "explain_protocol", f"answer {i}"):
            tracker.update(event)
        run(lean.save(tracker))
        run(lean.save(tracker))  # a second save of the same tracker adds nothing
    by_rasa = run(rasas.retrieve(sender))
    by_us = run(lean.retrieve(sender))
    assert list(by_us.events) == list(by_rasa.events)
    # From `session_started` on (action_session_start precedes it), as Rasa loads a session.
    assert len(by_us.events) == 2 + 5 * 5
    assert by_us.get_slot("protocol") == "imap"


def test_a_tracker_not_loaded_by_it_is_saved_without_duplicates(
    store_config: dict, domain: Domain, tmp_path: Path
) -> None:
    lean, rasas = LeanSQLTrackerStore(domain, **store_config), SQLTrackerStore(domain, **store_config)
    sender = f"r-{tmp_path.name}"
    tracker = DialogueStateTracker.from_events(sender, turn("hi", "greet", "hello"), domain.slots)
    run(rasas.save(tracker))  # written by Rasa's store
    fresh = DialogueStateTracker.from_events(sender, list(tracker.events), domain.slots)
    fresh.update(SlotSet("language", "en"))
    run(lean.save(fresh))  # knows nothing of what is stored: asks the database
    assert list(run(rasas.retrieve(sender)).events) == list(fresh.events)


def test_only_the_latest_session_is_loaded(store_config: dict, domain: Domain, tmp_path: Path) -> None:
    lean = LeanSQLTrackerStore(domain, **store_config)
    sender = f"n-{tmp_path.name}"
    old = turn("old question", "explain_protocol", "old answer")
    tracker = DialogueStateTracker.from_events(sender, old, domain.slots)
    run(lean.save(tracker))
    tracker = run(lean.retrieve(sender))
    new_session = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    new_session += turn("new question", "explain_protocol", "new answer")
    for event in new_session:
        tracker.update(event)
    run(lean.save(tracker))
    latest = run(lean.retrieve(sender))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["new question"]
    full = run(lean.retrieve_full_tracker(sender))
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["old question", "new question"]
    assert run(lean.retrieve("nobody-" + tmp_path.name)) is None


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.scaled.yml"])
def test_the_endpoint_files_select_it(
    endpoints: str, domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in re.findall(r"\$\{(\w+)\}", (PROJECT_DIR / endpoints).read_text()):
        monkeypatch.setenv(key, "1")
    monkeypatch.setenv("TRACKER_DB", ":memory:")
    config = read_endpoint_config(str(PROJECT_DIR / endpoints), "tracker_store")
    assert isinstance(config, EndpointConfig)
    assert config.type == "bot.trackerstore.LeanSQLTrackerStore"
    if endpoints == "endpoints.yml":
        # Rasa falls back to an in-memory store, silently, when the class can't be loaded.
        store = TrackerStore.create(config, domain)
        assert isinstance(getattr(store, "_tracker_store", store), LeanSQLTrackerStore)
