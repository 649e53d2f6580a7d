"""Live updates for the agent console: what changed in the tracker store, as Server-Sent Events.

Rasa writes every conversation event to the `events` table, whichever replica or channel
handled the message, and its primary key grows with every row. So one poller per web
process reads the rows after the last one it saw (about once a second, only while a
console is connected) and fans them out to every open stream (`GET /agent/api/events`). Each SSE
event's `id` is that row's id: a reconnecting EventSource sends it back as Last-Event-ID
and gets what it missed from the table itself.

Event types (`LiveEvent.type`); later parts add their own (claim, reply, release) in
`live_events` without changing the stream:

    handoff   a conversation was handed over: {"sender_id", "reason", "time", "timestamp"}
    message   a customer, bot or agent message was stored: {"sender_id", "sender": "user"|"bot"|"agent",
              "message": <the transcript item, as GET /agent/api/conversations/<id> has it>}
    resync    more was missed than the stream replays: reload the lists
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.agent import insights
from bot.agent.store import READ_ERRORS, Event, TrackerDatabase

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
BATCH = 500  # rows per read; a fuller batch is followed by the next read at once
BACKLOG = 1000  # rows replayed to a reconnecting console at most; beyond that, `resync`
QUEUE_SIZE = 1000  # events waiting for one slow console; beyond that it is disconnected
KEEPALIVE_SECONDS = 15.0  # a comment line this often keeps proxies (and Sanic's timeout) from closing it
RETRY_MS = 3000  # how soon EventSource reconnects
# A stream ends after this, and the browser reconnects (Last-Event-ID): its sign-in is
# checked again, so an expired session or a changed password ends live updates too.
STREAM_SECONDS = 600.0
# Rows the stream looks at: messages, handoff slots, and session starts (to tell a new
# session's copy of the handoff slot from a new handoff).
LIVE_TYPES = ("user", "bot", "slot", "session_started")


@dataclass(frozen=True)
class LiveEvent:
    id: int  # the `events` row it comes from; 0: not resumable (resync)
    type: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        """The SSE wire form (JSON on one line: no "\\n" can end the data field early)."""
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        head = f"id: {self.id}\n" if self.id else ""
        return f"{head}event: {self.type}\ndata: {data}\n\n".encode()


# Told instead of what a console missed when that cannot be replayed: it reloads its lists.
RESYNC = LiveEvent(0, "resync", {"reason": "missed events cannot be replayed"})


def live_events(rows: Iterable[Event], copies: insights.SessionCopies) -> list[LiveEvent]:
    """What the consoles are told about newly stored rows, in stored order."""
    found: list[LiveEvent] = []
    for row in rows:
        item = insights.transcript_item(row, copies)
        if item is None:
            continue
        if item["type"] == "handoff":
            data = {"sender_id": row.sender_id, "reason": item["reason"], "time": item["time"]}
            found.append(LiveEvent(row.id, "handoff", data | {"timestamp": row.timestamp}))
        elif item["type"] in ("user", "bot", "agent"):  # "agent": a support agent's message
            data = {"sender_id": row.sender_id, "sender": item["type"], "message": item}
            found.append(LiveEvent(row.id, "message", data))
    return found


def last_event_id(header: str | None) -> int | None:
    """Last-Event-ID as a row id; anything else is ignored (a fresh stream, not an error:
    EventSource would send the same bad value on every reconnect)."""
    value = (header or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue[LiveEvent | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def put(self, event: LiveEvent) -> bool:
        """Queue an event; False when the console is too far behind (then it is told to go)."""
        try:
            self.queue.put_nowait(event)
            return True
        except asyncio.QueueFull:
            self.close()
            return False

    def close(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)  # None: the stream ends (the browser reconnects)

    async def get(self, timeout: float) -> LiveEvent | None:
        """The next event; TimeoutError when none came within `timeout` seconds."""
        return await asyncio.wait_for(self.queue.get(), timeout)


class EventHub:
    """The one poller of `events` in this process, and the consoles it feeds.

    Reads run in a worker thread (SQLAlchemy blocks); everything else on the event loop."""

    def __init__(
        self,
        database: Callable[[], TrackerDatabase],
        interval: float = POLL_SECONDS,
        batch: int = BATCH,
    ) -> None:
        self._database = database
        self.interval, self.batch = interval, batch
        self._subscribers: set[Subscription] = set()
        self._cursor: int | None = None  # the last row seen; None while nobody listens
        self._copies = insights.SessionCopies()
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="agent-live-poller")

    async def stop(self) -> None:
        """End every stream (so that the server can stop at once) and the poller."""
        for subscription in list(self._subscribers):
            subscription.close()
        self._subscribers.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def subscribe(self) -> Subscription:
        """A new console stream: it gets every row stored from now on."""
        if self._cursor is None:
            cursor = await asyncio.to_thread(self._database().last_event_id)
            if self._cursor is None:  # another console may have set it meanwhile
                self._cursor = cursor
        subscription = Subscription()
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)
        if not self._subscribers:  # nobody listens: stop reading; the next console starts afresh
            self._cursor = None
            self._copies = insights.SessionCopies()

    async def backlog(self, after: int) -> list[LiveEvent]:
        """What a console that last saw row `after` has missed (up to BACKLOG rows; then `resync`)."""
        rows = await asyncio.to_thread(self._database().events_after, after, BACKLOG, LIVE_TYPES)
        events = live_events(rows, insights.SessionCopies())
        if len(rows) == BACKLOG:
            events.append(RESYNC)
        return events

    def publish(self, events: Iterable[LiveEvent]) -> None:
        for event in events:
            for subscription in list(self._subscribers):
                if not subscription.put(event):
                    self.unsubscribe(subscription)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            while self._subscribers and await self._poll():
                pass  # a full batch: read on at once

    async def _poll(self) -> bool:
        """Read and publish the rows after the cursor; True when there may be more."""
        cursor = self._cursor
        if cursor is None:
            return False
        try:
            rows, latest = await asyncio.to_thread(self._read, cursor)
        except READ_ERRORS:
            if not self._failing:  # once per outage, not once a second
                logger.exception("live updates: the tracker store cannot be read")
            self._failing = True
            return False
        if self._failing:
            logger.warning("live updates: the tracker store can be read again")
            self._failing = False
        if self._cursor != cursor:  # the last console left meanwhile (cursor reset)
            return False
        if rows:
            self._cursor = rows[-1].id
            self.publish(live_events(rows, self._copies))
        elif latest < cursor:
            # SQLite reuses the ids of deleted rows at the end of the table (erasure,
            # retention): follow the table back down, or new rows would go unseen.
            self._cursor = latest
        return len(rows) == self.batch

    def _read(self, cursor: int) -> tuple[list[Event], int]:
        db = self._database()
        rows = db.events_after(cursor, self.batch, LIVE_TYPES)
        return rows, (cursor if rows else db.last_event_id())


async def serve(
    hub: EventHub,
    subscription: Subscription,
    send: Callable[[bytes], Awaitable[None]],
    last_id: int | None,
    until: float,
    heartbeat: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Feed one console: what it missed (after Last-Event-ID), then every new event, with
    keep-alive comments, until `until` (the loop's clock) or until the hub ends it.
    Subscribe before: then nothing stored meanwhile falls between the backlog and the feed.
    `heartbeat` runs at the start and with every keep-alive: the agent's presence."""
    await send(f"retry: {RETRY_MS}\n\n".encode())
    await _beat(heartbeat)
    sent = 0
    if last_id is not None:
        try:
            backlog = await hub.backlog(last_id)
        except READ_ERRORS:
            logger.exception("live updates: the tracker store cannot be read")
            backlog = [RESYNC]
        for event in backlog:
            await send(event.encode())
            sent = max(sent, event.id)
    loop = asyncio.get_running_loop()
    while (left := until - loop.time()) > 0:
        try:
            event = await subscription.get(min(KEEPALIVE_SECONDS, left))
        except asyncio.TimeoutError:
            await send(b": keep-alive\n\n")
            await _beat(heartbeat)
            continue
        if event is None:
            break
        if event.id and event.id <= sent:
            continue  # the backlog had it already
        await send(event.encode())


async def _beat(heartbeat: Callable[[], Awaitable[None]] | None) -> None:
    """Record the agent's presence; a store that cannot be written does not end the stream."""
    if heartbeat is None:
        return
    try:
        await heartbeat()
    except Exception:  # a 503 from in_thread, or the store's own error: logged, the stream goes on
        logger.warning("live updates: the agent's presence could not be recorded", exc_info=True)
