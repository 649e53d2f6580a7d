"""GDPR: how long conversations are kept, erasing one customer, exporting one customer's data.

* Retention: RETENTION_DAYS (default 180; 0 = keep for ever). A conversation (sender id) whose
  latest event is older than that is deleted from Rasa's tracker store (`events`) and from
  every agent table (bot.agent.store.AGENT_TABLES). `expire` does it once; `RetentionScheduler`
  does it at start-up and then every 24 hours in a daemon thread.

  It runs in the web server process (`python -m bot.web`, started by `make run`; the
  scheduler is started by `AgentApp.from_env`, which the web server calls): that is the
  process that owns the agent tables, and there is one of it however many Rasa replicas
  share the PostgreSQL store, so no Rasa process needs to know about retention. A second web
  process would only repeat the same idempotent deletes. Without the web server (a
  deployment that runs Rasa only), schedule `python -m bot retention` (cron, systemd timer).

* Erasure: `erase(sender_id)` (`python -m bot erase SENDER_ID`, the agent page's
  "Erase conversation", POST /agent/api/conversations/<sender_id>/erase).

* Access: `export(sender_id)` (`python -m bot export SENDER_ID [--out FILE]`): the
  conversation as JSON, shape EXPORT_FORMAT, documented in docs/agent-api.md.

Everything goes through SQLAlchemy on the store Rasa is configured with (RASA_ENDPOINTS).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.agent import insights
from bot.agent.store import (
    AGENT_TABLES,
    AUDIT,
    CALLBACKS,
    EVENTS,
    RESOLVED,
    Erased,
    Event,
    StoreConfigError,
    TrackerDatabase,
)
from bot.agent.takeover import audit_of
from bot.privacy import redact

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 180
DAY = 86400.0
INTERVAL = DAY  # between two retention runs
RETRY = 3600.0  # after a failed run (database down)
EXPORT_FORMAT = "tea-conversation-export/1"
EXPORTED_TYPES = ("user", "bot", "slot", "session_started")


class RetentionConfigError(ValueError):
    """RETENTION_DAYS is not a whole number of days >= 0."""


def retention_days(env: Mapping[str, str] = os.environ) -> int:
    """RETENTION_DAYS: whole days >= 0; 0 keeps conversations for ever."""
    raw = (env.get("RETENTION_DAYS") or "").strip()
    if not raw:
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if days < 0:
        raise RetentionConfigError(
            f"RETENTION_DAYS={raw!r}: expected a whole number of days (0 = keep for ever)"
        )
    return days


# -- retention -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetentionRun:
    days: int
    cutoff: float | None  # events before this were deleted; None: retention is off
    erased: Erased

    @property
    def conversations(self) -> int:
        return self.erased.conversations

    def describe(self) -> str:
        if self.cutoff is None:
            return "retention: RETENTION_DAYS=0, conversations are kept for ever"
        return (
            f"retention: removed {self.erased.conversations} conversation(s) whose latest event is "
            f"older than {self.days} days (before {insights.iso(self.cutoff)}): "
            f"{self.erased.events} event(s), {self.erased.agent_rows} agent record(s)"
        )


def expire(db: TrackerDatabase, days: int, now: float | None = None) -> RetentionRun:
    """Delete every conversation whose latest event is older than `days` days."""
    if days <= 0:
        return RetentionRun(days, None, Erased(0, 0, 0))
    cutoff = (time.time() if now is None else now) - days * DAY
    senders = db.idle_senders(cutoff)
    erased = db.erase(senders, before=cutoff)
    # Agent rows of conversations whose events are already gone (erased elsewhere, older runs).
    orphans = db.orphaned_agent_senders(cutoff)
    if orphans:
        extra = db.erase(orphans)
        erased = Erased(
            erased.conversations + extra.conversations, erased.events, erased.agent_rows + extra.agent_rows
        )
    return RetentionRun(days, cutoff, erased)


class RetentionScheduler:
    """Runs `expire` now and then every `interval` seconds, in a daemon thread."""

    def __init__(
        self,
        database: Callable[[], TrackerDatabase],
        days: int,
        interval: float = INTERVAL,
        retry: float = RETRY,
    ) -> None:
        self._database = database
        self.days = days
        self.interval, self.retry = interval, retry
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_run: RetentionRun | None = None

    def start(self) -> RetentionScheduler:
        if self.days <= 0:
            logger.info("retention: RETENTION_DAYS=0, conversations are kept for ever")
            return self
        self._thread = threading.Thread(target=self._loop, name="retention", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def run_once(self) -> RetentionRun:
        run = expire(self._database(), self.days)
        self.last_run = run
        logger.info("%s", run.describe())
        return run

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                wait = self.interval
            except (SQLAlchemyError, StoreConfigError, OSError):
                logger.exception("retention: the run failed; next attempt in %.0f minutes", self.retry / 60)
                wait = self.retry
            self._stop.wait(wait)


def start_scheduler(
    database: Callable[[], TrackerDatabase], env: Mapping[str, str] = os.environ
) -> RetentionScheduler:
    """Start the daily retention of this process (the web server's); raises on a bad RETENTION_DAYS."""
    _ensure_log_output()
    return RetentionScheduler(database, retention_days(env)).start()


def _ensure_log_output() -> None:
    """The web server configures no logging: make this module's INFO lines reach stderr."""
    if logging.getLogger().handlers or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


# -- erasure -------------------------------------------------------------------------------------
def erase(db: TrackerDatabase, sender_id: str) -> Erased | None:
    """Delete everything stored about one sender; None when nothing is stored about them."""
    if not db.knows(sender_id):
        return None
    return db.erase([sender_id])


# -- export --------------------------------------------------------------------------------------
def _events(db: TrackerDatabase, sender_id: str) -> list[Event]:
    """All of the sender's messages, replies, slots and sessions, in stored order."""
    if not db.exists():
        return []
    query = (
        sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(EXPORTED_TYPES))
        .order_by(EVENTS.c.id)
    )
    with db.reader().connect() as connection:
        if not sa.inspect(connection).has_table(EVENTS.name):
            return []
        rows = connection.execute(query).all()
    return [Event(r.sender_id, r.type_name, r.timestamp or 0.0, _data(r.data)) for r in rows]


def _data(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return None if value is None else redact(str(value))[0]


def _slot_value(value: Any) -> Any:
    return _text(value) if isinstance(value, str) else value


def _message(event: Event) -> dict[str, Any]:
    base: dict[str, Any] = {"type": event.type_name, "time": insights.iso(event.timestamp)}
    base["timestamp"] = event.timestamp
    data = event.data
    if event.type_name == "user":
        name, confidence = insights.understanding(event)
        base.update(
            text=_text(data.get("text")),
            channel=data.get("input_channel"),
            intent={"name": name, "confidence": confidence},
            entities=[
                {"entity": e.get("entity"), "value": _slot_value(e.get("value"))}
                for e in (data.get("parse_data") or {}).get("entities") or []
                if isinstance(e, dict)
            ],
            metadata=data.get("metadata") or {},
        )
    elif event.type_name == "bot":
        extra = data.get("data") or {}
        base.update(
            text=_text(data.get("text")),
            buttons=[
                {"title": b.get("title"), "payload": b.get("payload")}
                for b in extra.get("buttons") or []
                if isinstance(b, dict)
            ],
        )
        metadata = data.get("metadata")
        if isinstance(metadata, dict) and metadata.get("agent"):  # a support agent's (live takeover)
            base["agent"] = str(metadata["agent"])
    elif event.type_name == "slot":
        base.update(name=data.get("name"), value=_slot_value(data.get("value")))
    else:
        base["type"] = "session_started"
    return base


def export(db: TrackerDatabase, sender_id: str, now: float | None = None) -> dict[str, Any] | None:
    """One sender's conversation as a JSON-ready dict (EXPORT_FORMAT); None if nothing is stored."""
    events = _events(db, sender_id)
    resolution = db.resolution(sender_id)
    if not events and resolution is None:
        return None
    slots: dict[str, Any] = {}
    channels: list[str] = []
    for event in events:
        if event.type_name == "slot" and event.data.get("name"):
            slots[str(event.data["name"])] = _slot_value(event.data.get("value"))
        channel = event.data.get("input_channel") if event.type_name == "user" else None
        if channel and channel not in channels:
            channels.append(str(channel))
    conversation = insights.conversations(events).get(sender_id)
    queue = insights.handoff_queue(events, {sender_id: resolution} if resolution else {})
    handoffs = [m for m in insights.transcript(events) if m["type"] == "handoff"]
    messages = [_message(e) for e in events]
    return {
        "format": EXPORT_FORMAT,
        "sender_id": sender_id,
        "exported_at": insights.iso(time.time() if now is None else now),
        "channel": conversation.channel if conversation else insights.UNKNOWN,
        "channels": channels,
        "language": conversation.language if conversation else insights.UNKNOWN,
        "first_event_at": messages[0]["time"] if messages else None,
        "last_event_at": messages[-1]["time"] if messages else None,
        "counts": {
            "user_messages": sum(m["type"] == "user" for m in messages),
            "bot_messages": sum(m["type"] == "bot" for m in messages),
            "sessions": sum(m["type"] == "session_started" for m in messages),
        },
        "slots": slots,
        "handoff": queue[0] if queue else None,
        "handoffs": [{key: h[key] for key in ("time", "timestamp", "reason")} for h in handoffs],
        "agent_records": {
            RESOLVED.name: (
                [{"resolved_at": insights.iso(resolution.resolved_at), "resolved_by": resolution.resolved_by}]
                if resolution
                else []
            ),
            CALLBACKS.name: [
                {"case_number": c.case_number, "contact": c.contact, "consent_at": insights.iso(c.consent_at)}
                for c in db.callbacks(sender_id=sender_id)
            ],
            AUDIT.name: audit_of(db, sender_id),  # every claim, reply and release (bot/agent/takeover.py)
        },
        "events": messages,
    }


# -- command line ----------------------------------------------------------------------------------
def _open_db(command: str) -> TrackerDatabase | None:
    try:
        return TrackerDatabase.from_env()
    except (StoreConfigError, OSError) as problem:
        print(f"{command}: cannot use the tracker store: {problem}", file=sys.stderr)
        return None


def erase_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot erase",
        description="Delete everything stored about one customer: tracker events and agent records.",
    )
    parser.add_argument("sender_id", help="the conversation's sender id (REST sender, Telegram chat id, ...)")
    args = parser.parse_args(argv)
    db = _open_db("erase")
    if db is None:
        return 1
    try:
        erased = erase(db, args.sender_id)
    except SQLAlchemyError as problem:
        print(f"erase: the tracker store failed: {problem}", file=sys.stderr)
        return 1
    if erased is None:
        print("erase: nothing is stored for that sender id", file=sys.stderr)
        return 1
    print(
        f"Erased {args.sender_id}: {erased.events} event(s), {erased.agent_rows} agent record(s) "
        f"({', '.join(t.name for t in (EVENTS, *AGENT_TABLES))})."
    )
    return 0


def export_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot export",
        description=f"One customer's conversation as JSON ({EXPORT_FORMAT}, see docs/agent-api.md).",
    )
    parser.add_argument("sender_id", help="the conversation's sender id")
    parser.add_argument("--out", metavar="FILE", type=Path, help="write to FILE (mode 600) instead of stdout")
    args = parser.parse_args(argv)
    db = _open_db("export")
    if db is None:
        return 1
    try:
        data = export(db, args.sender_id)
    except SQLAlchemyError as problem:
        print(f"export: the tracker store failed: {problem}", file=sys.stderr)
        return 1
    if data is None:
        print("export: nothing is stored for that sender id", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"Wrote {args.out} ({len(data['events'])} events)", file=sys.stderr)
    return 0


def retention_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot retention",
        description="Delete the conversations whose latest event is older than RETENTION_DAYS, once.",
    )
    parser.add_argument("--days", type=int, help="instead of RETENTION_DAYS (default 180; 0 = keep all)")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    args = parser.parse_args(argv)
    try:
        days = args.days if args.days is not None else retention_days()
    except RetentionConfigError as problem:
        print(f"retention: {problem}", file=sys.stderr)
        return 2
    if days < 0:
        parser.error("--days must be >= 0")
    db = _open_db("retention")
    if db is None:
        return 1
    try:
        if args.dry_run:
            if days == 0:
                print("retention: RETENTION_DAYS=0, conversations are kept for ever")
                return 0
            senders = db.idle_senders(time.time() - days * DAY)
            print(f"retention (dry run): {len(senders)} conversation(s) are older than {days} days")
            return 0
        print(expire(db, days).describe())
    except SQLAlchemyError as problem:
        print(f"retention: the tracker store failed: {problem}", file=sys.stderr)
        return 1
    return 0
