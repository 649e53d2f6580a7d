"""The conversation index (bot/agent/index.py) against insights' full scan of the events.

Real stores (a temporary SQLite file and a throw-away PostgreSQL server, the fixtures of
tests/test_retention.py), conversations written through LeanSQLTrackerStore as Rasa writes
them: a mix of channels, languages, intents, fallbacks, repeated unanswered texts, handoffs,
new sessions that copy the handoff slot, over 40 days. The queue, its pages and the
analytics of several windows must equal the full recomputation: at first, after new
events arrive, and after an erasure (whose rows must leave the index too).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
import requests
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.agent import insights
from bot.agent.index import (
    ConversationIndex,
    IndexBuilding,
    PageError,
    decode_cursor,
    encode_cursor,
    full_scan,
    page_limit,
    window_start,
)
from bot.agent.index_tables import INDEX_META, INDEX_TABLES
from bot.agent.store import EVENTS, QUEUE_TYPES, RESOLVED
from bot.retention import DAY, erase, expire
from bot.trackerstore import LeanSQLTrackerStore
from tests.conftest import ARTIFACTS, CHROMIUM, browser  # noqa: F401 (fixture)
from tests.test_retention import AGENT_PASSWORD, AGENT_USER, Backend, Web, domain, postgres, web  # noqa: F401
from tests.test_retention import backend as store_backend  # noqa: F401 (fixture)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Rasa on loading domain.yml
NOW = time.time()
T = TypeVar("T")
INTENTS = [("mailbox_full", 0.93), ("pop3_vs_imap", 0.88), ("greet", 0.99), ("nlu_fallback", 0.31)]
MISSED = ["blorp snerk", "Blorp  SNERK", "fnord", "моят имейл е ivan@example.bg", "quux"]


@pytest.fixture
def backend(store_backend: Backend) -> Iterator[Backend]:  # noqa: F811
    """The store of test_retention, with no index left from an earlier test (PostgreSQL is shared)."""
    engine = store_backend.database().writer()
    INDEX_META.drop_all(engine, checkfirst=True)
    yield store_backend


def user(text: str, intent: str, confidence: float | None, at: float, channel: str) -> UserUttered:
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    return UserUttered(text, parse["intent"], [], parse, timestamp=at, input_channel=channel)


def turn(rng: random.Random, at: float, channel: str, language: str | None) -> list[Event]:
    if rng.random() < 0.3:
        text, (intent, confidence) = (
            rng.choice(MISSED),
            rng.choice([("out_of_scope", 0.9), ("nlu_fallback", 0.4)]),
        )
    else:
        intent, confidence = rng.choice(INTENTS)
        text = f"въпрос {rng.randrange(1000)}"
    if rng.random() < 0.05:
        confidence = None  # no confidence at all counts as low
    return [
        user(text, intent, confidence, at, channel),
        *([SlotSet("language", language, timestamp=at + 0.1)] if language else []),
        ActionExecuted("action_answer", timestamp=at + 0.2),
        BotUttered("отговор", {}, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def conversation(rng: random.Random, start: float) -> list[Event]:
    channel = rng.choice(["rest", "telegram", "viber", "socketio"])
    language = rng.choice(["bg", "en"])
    events: list[Event] = [SessionStarted(timestamp=start), ActionExecuted("action_listen", timestamp=start)]
    at = start + 1
    for _ in range(rng.randint(1, 4)):
        events += turn(rng, at, channel, language)
        at += rng.uniform(5, 500)
    if rng.random() < 0.4:
        events.append(SlotSet("handoff_reason", rng.choice(["requested", "repeated_failure"]), timestamp=at))
        events.append(SlotSet("handoff_summary", "не работи, парола: x1", timestamp=at))
    return events


def later_session(rng: random.Random, tracker: DialogueStateTracker, at: float) -> list[Event]:
    """A new session some days later: Rasa copies the slots (a handoff copy is no handoff)."""
    copies: list[Event] = [SessionStarted(timestamp=at)]
    for name in ("language", "handoff_reason"):
        value = tracker.get_slot(name)
        if value:
            copies.append(SlotSet(name, value, timestamp=at))
    language = rng.choice(["bg", "en"])  # the customer may switch language
    return copies + turn(rng, at + 1, rng.choice(["rest", "telegram"]), language)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API keeps a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Population:
    def __init__(self, backend: Backend, domain: Domain, seed: int) -> None:  # noqa: F811
        self.backend, self.domain = backend, domain
        self.rng = random.Random(seed)
        self.store = LeanSQLTrackerStore(domain, **backend.store_kwargs)
        self.senders: list[str] = []

    def add(self, count: int, days_ago: tuple[float, float]) -> None:
        for _ in range(count):
            sender = f"s-{uuid.uuid4().hex[:10]}"
            start = NOW - self.rng.uniform(*days_ago) * DAY
            tracker = DialogueStateTracker.from_events(
                sender, conversation(self.rng, start), self.domain.slots
            )
            run(self.store.save(tracker))
            self.senders.append(sender)

    def continue_some(self, count: int) -> None:
        for sender in self.rng.sample(self.senders, count):
            tracker = run(self.store.retrieve_full_tracker(sender))
            assert tracker is not None
            at = max(NOW - self.rng.uniform(0, 3) * DAY, (tracker.events[-1].timestamp or 0) + 1)
            # A new session with copied slots, or (rarely in Rasa) the old one going on
            # days later without the language being set again.
            more = (
                later_session(self.rng, tracker, at)
                if self.rng.random() < 0.6
                else turn(self.rng, at, "viber", None)
            )
            for event in more:
                tracker.update(event)
            if self.rng.random() < 0.5:  # and a real new handoff
                tracker.update(SlotSet("handoff_reason", "requested", timestamp=at + 50))
            run(self.store.save(tracker))


def without_time(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "generated_at"}


def assert_index_equals_full_scan(backend: Backend) -> None:
    db = backend.database()
    index = ConversationIndex(db, batch=97)  # small batches: conversations span several
    index.refresh()  # all of it (a request folds in a few batches only)
    for since in [None, window_start(1, NOW), window_start(7, NOW), window_start(30, NOW)]:
        assert without_time(index.analytics(since)) == without_time(dict(full_scan(db, since))), since
    expected = insights.handoff_queue(db.events(types=QUEUE_TYPES), db.resolutions())
    assert expected, "the population has handoffs"
    page = index.handoffs(200, None)
    assert page["handoffs"] == expected and page["total"] == len(expected) and page["next"] is None
    assert page["open"] == sum(not item["resolved"] for item in expected)
    # Walking the pages gives the same list, each item once.
    walked, cursor = [], None
    while True:
        page = index.handoffs(7, cursor)
        walked += page["handoffs"]
        cursor = page["next"] and decode_cursor(page["next"])
        if cursor is None:
            break
    assert walked == expected
    opened = index.handoffs(200, None, open_only=True)["handoffs"]
    assert opened == [item for item in expected if not item["resolved"]]
    every = insights.conversations(db.events(types=QUEUE_TYPES))
    listed = index.conversations(200, None)
    assert listed["total"] == len(every)
    assert {item["sender_id"] for item in listed["conversations"]} == set(every)
    for item in listed["conversations"]:
        found = every[item["sender_id"]]
        assert (item["channel"], item["language"], item["user_messages"]) == (
            found.channel,
            found.language,
            found.user_messages,
        )
    stamps = [item["timestamp"] for item in listed["conversations"]]
    assert stamps == sorted(stamps, reverse=True)


def index_rows(backend: Backend, senders: list[str]) -> int:
    with backend.database().reader().connect() as connection:
        return sum(
            connection.execute(sa.select(sa.func.count()).where(table.c.sender_id.in_(senders))).scalar()
            for table in INDEX_TABLES
        )


def test_the_index_equals_the_full_scan_before_and_after_new_events_and_erasure(
    backend: Backend,
    domain: Domain,  # noqa: F811
) -> None:
    people = Population(backend, domain, seed=12)
    people.add(60, (0, 40))
    db = backend.database()
    for sender in people.senders[:8]:  # resolved ones, some before a later handoff
        db.resolve(sender, "agent", at=NOW - 2 * DAY)
    assert_index_equals_full_scan(backend)

    people.add(15, (0, 2))  # new conversations after the index was built
    people.continue_some(20)  # and old ones going on, in new sessions with copied slots
    assert_index_equals_full_scan(backend)

    gone = people.senders[:5]
    assert index_rows(backend, gone) > 0
    for sender in gone:
        assert erase(db, sender) is not None
    assert index_rows(backend, gone) == 0  # erasure removes the index rows with the events
    # The newest conversation too: SQLite then reuses its ids for the next rows.
    with db.reader().connect() as connection:  # the owner of the table's last rows
        newest = connection.execute(sa.select(EVENTS.c.sender_id).order_by(EVENTS.c.id.desc())).first()[0]
    erase(db, newest)
    people.senders.remove(newest)
    people.add(3, (0, 0.5))
    assert_index_equals_full_scan(backend)

    expire(db, 30)  # retention: the conversations idle for 30 days go, index rows and all
    assert_index_equals_full_scan(backend)


def test_the_index_refreshes_from_where_it_stopped(backend: Backend, domain: Domain) -> None:  # noqa: F811
    people = Population(backend, domain, seed=5)
    people.add(10, (0, 5))
    index = ConversationIndex(backend.database(), batch=10)
    first = index.refresh(max_batches=1)
    assert first == 10  # one batch only
    rest = index.refresh()
    assert rest > 0 and index.refresh() == 0  # nothing new: nothing read twice
    again = ConversationIndex(backend.database())  # another process: the cursor is in the database
    assert again.refresh() == 0
    assert_index_equals_full_scan(backend)


def test_queries_use_the_indexes(backend: Backend, domain: Domain) -> None:  # noqa: F811
    Population(backend, domain, seed=1).add(5, (0, 3))
    db = backend.database()
    ConversationIndex(db).refresh()
    with db.reader().connect() as connection:
        if db.is_sqlite:
            plan = " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT data FROM events WHERE sender_id = 'x' ORDER BY id"
                )
            )
            assert "USING INDEX" in plan and "ix_events_sender_id" in plan, plan
            queue = " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT * FROM agent_conversations WHERE handoff_at IS NOT NULL "
                    "ORDER BY handoff_at DESC, sender_id DESC LIMIT 51"
                )
            )
            assert "ix_agent_conversations_handoff" in queue and "TEMP B-TREE" not in queue, queue
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # a tiny table: force the choice
            plan = " ".join(
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN SELECT data FROM events WHERE sender_id = 'x' ORDER BY id"
                )
            )
            assert "ix_events_sender_id" in plan, plan
            queue = " ".join(
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN SELECT * FROM agent_conversations WHERE handoff_at IS NOT NULL "
                    "ORDER BY handoff_at DESC, sender_id DESC LIMIT 51"
                )
            )
            assert "ix_agent_conversations_handoff" in queue, queue


def test_paging_arguments() -> None:
    assert page_limit(None) == 50 and page_limit("") == 50 and page_limit("200") == 200
    for bad in ["0", "201", "-1", "abc", "1e3", "٣", "9" * 40]:
        with pytest.raises(PageError):
            page_limit(bad)
    cursor = encode_cursor(1234.5, "кирилица/'; --")
    assert decode_cursor(cursor) == (1234.5, "кирилица/'; --")
    for bad in ["!!", "bnVsbA", "W10", "WyJhIiwxXQ", "x" * 2000, encode_cursor(float("nan"), "a")]:
        with pytest.raises(PageError):
            decode_cursor(bad)


def test_analytics_windows_are_whole_utc_days() -> None:
    noon = 1_700_000_000 - 1_700_000_000 % 86400 + 43200
    assert window_start(1, noon) == noon - 43200
    assert window_start(30, noon) == noon - 43200 - 29 * 86400
    assert window_start(0.5, noon) == window_start(1, noon)


def test_no_resolutions_table_is_needed(backend: Backend, domain: Domain) -> None:  # noqa: F811
    Population(backend, domain, seed=3).add(3, (0, 1))
    db = backend.database()
    with db.writer().begin() as connection:
        RESOLVED.drop(connection, checkfirst=True)
    assert ConversationIndex(db).handoffs(50, None)["limit"] == 50


# --- over HTTP, on the real web server ----------------------------------------------------------
def test_the_paged_routes_over_http(backend: Backend, domain: Domain, web: Web) -> None:  # noqa: F811
    people = Population(backend, domain, seed=7)
    people.add(40, (0, 10))
    db = backend.database()
    expected = insights.handoff_queue(db.events(types=QUEUE_TYPES), db.resolutions())
    auth = (AGENT_USER, AGENT_PASSWORD)

    def get(path: str, **params: str) -> requests.Response:
        return requests.get(f"{web.url}/agent/api/{path}", params=params, auth=auth, timeout=60)

    walked, params = [], {"limit": "4"}
    while True:
        page = get("handoffs", **params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["handoffs"]) <= 4 and body["limit"] == 4 and body["total"] == len(expected)
        # The API adds who holds each conversation (takeover), which the index does not keep.
        assert all(item.pop("claimed_by") is None for item in body["handoffs"])
        walked += body["handoffs"]
        if body["next"] is None:
            break
        params = {"limit": "4", "before": body["next"]}
    assert walked == expected and len(expected) > 4
    listed = get("conversations", limit="200").json()
    assert listed["total"] == len(insights.conversations(db.events(types=QUEUE_TYPES)))
    assert get("handoffs").json()["limit"] == 50  # the default
    for path, params in [
        ("handoffs", {"limit": "0"}),
        ("handoffs", {"limit": "201"}),
        ("handoffs", {"limit": "ten"}),
        ("handoffs", {"limit": "9" * 5000}),
        ("handoffs", {"before": "not a cursor"}),
        ("handoffs", {"before": "x" * 5000}),
        ("handoffs", {"before": "' OR 1=1 --"}),
        ("conversations", {"before": encode_cursor(float("inf"), "a")}),
        ("conversations", {"limit": "-5"}),
    ]:
        response = get(path, **params)
        assert response.status_code == 400, (path, params, response.text[:200])
        assert response.headers["Content-Type"].startswith("application/json") and response.json()["error"]
    # Erased through the route: gone from the list at once.
    target = expected[0]["sender_id"]
    erased = requests.post(
        f"{web.url}/agent/api/conversations/{quote(target, safe='')}/erase", auth=auth, timeout=60
    )
    assert erased.status_code == 200
    after = get("handoffs", limit="200").json()
    assert target not in [item["sender_id"] for item in after["handoffs"]]
    assert after["total"] == len(expected) - 1
    assert index_rows(backend, [target]) == 0


# --- the console page in Chromium ---------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")
def test_the_console_pages_the_handoff_list(backend: Backend, domain: Domain, web: Web, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    if backend.name != "sqlite":
        pytest.skip("the page is the same on either store")
    people = Population(backend, domain, seed=9)
    people.add(160, (0, 20))
    db = backend.database()
    expected = insights.handoff_queue(db.events(types=QUEUE_TYPES), db.resolutions())
    assert len(expected) > 50
    db.resolve(expected[0]["sender_id"], AGENT_USER)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{web.url}/agent/login")
        page.get_by_label("User").fill(AGENT_USER)
        page.get_by_label("Password").fill(AGENT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{web.url}/agent#handoffs")
        rows = page.locator("#handoffs-table tbody tr")
        expect(rows).to_have_count(50)
        more = page.get_by_role("button", name="Show more")
        expect(page.locator("#handoffs-status")).to_contain_text(
            f"{len(expected) - 1} open, 1 resolved; showing 50"
        )
        more.click()
        expect(rows).to_have_count(min(100, len(expected)))
        shown = [link.inner_text() for link in page.locator("#handoffs-table a.sender").all()]
        assert shown == [item["sender_id"] for item in expected[:100]]
        while more.is_visible():
            more.click()
            page.wait_for_timeout(300)
        expect(rows).to_have_count(len(expected))
        page.get_by_label("Open only").check()  # the server filters: the resolved one is gone
        expect(page.locator("#handoffs-status")).to_contain_text("showing 50")
        first = page.locator("#handoffs-table a.sender").first
        expect(first).to_have_text(expected[1]["sender_id"])
        page.screenshot(path=str(ARTIFACTS / "agent-handoffs-paged.png"), full_page=True)
    finally:
        context.close()


def test_a_request_does_not_build_a_large_index_itself(backend: Backend, domain: Domain) -> None:  # noqa: F811
    Population(backend, domain, seed=4).add(30, (0, 3))
    index = ConversationIndex(backend.database(), batch=20)  # far behind: more than 4 batches
    with pytest.raises(IndexBuilding):
        index.handoffs(50, None)
    assert index.build_in_background().join(60) is None and index.refresh() == 0
    assert index.handoffs(50, None)["total"] > 0  # caught up: served
