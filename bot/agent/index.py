"""The conversation index: what the handoff queue, the conversation list and the analytics
read, kept up to date from Rasa's `events` table instead of re-reading it on every request.

`refresh` reads the rows stored after the last one it saw (by primary key, as live.py
does), folds them into the tables of bot/agent/index_tables.py and moves its cursor, in one
transaction per batch; every read calls it first, so the views are never behind the store.
The folding follows bot/agent/insights.py rule for rule (which slot is a handoff, which a
session's copy, which message counts as unanswered): tests/test_agent_index.py checks that
the figures equal insights' full scan on SQLite and PostgreSQL, after new events and after
an erasure. All rows are per sender, so erasure and retention delete them with the events.

Reads cost what a page holds, not what history holds: the queue and the list are keyset
pages on an index, and `analytics` reads only the window's per-day rows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.agent import insights
from bot.agent.index_tables import (
    CONVERSATION_DAYS,
    CONVERSATIONS,
    DAILY,
    INDEX_META,
    INDEX_NAME,
    INDEX_STATE,
    INTENT_DAYS,
    UNANSWERED,
)
from bot.agent.store import EVENTS, QUEUE_TYPES, RESOLVED, Event, TrackerDatabase
from bot.privacy import mask_contacts, redact

logger = logging.getLogger(__name__)

BATCH = 5000  # events folded per transaction
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CHUNK = 500  # sender ids per IN (...)
DAY = 86400.0


REQUEST_BATCHES = 4  # a request folds in at most this many batches itself (well under a second)
LOCK_WAIT = 2.0  # seconds a request waits for another thread's batch


class PageError(ValueError):
    """A `limit` or `before` that cannot be used (the API answers 400)."""


class IndexBuilding(RuntimeError):
    """The index is far behind the store (its first build on a large store): the API answers
    503 with Retry-After while `build_in_background` catches up, instead of one request
    doing minutes of work."""


def day_of(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).date().isoformat()


def window_start(days: float, now: float) -> float:
    """The start of the last `days` UTC calendar days, today included (2.5 counts as 3):
    analytics windows are whole days, so that they are sums of the per-day rows."""
    today = datetime.fromtimestamp(now, timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - timedelta(days=max(1, math.ceil(days)) - 1)).timestamp()


# -- paging ----------------------------------------------------------------------------------------
def page_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw[:6]) <= MAX_LIMIT:
        raise PageError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def encode_cursor(at: float, sender_id: str) -> str:
    raw = json.dumps([at, sender_id], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(raw: str | None) -> tuple[float, str] | None:
    """The `before` cursor a previous page gave as `next`; PageError for anything else."""
    if raw is None or raw == "":
        return None
    try:
        if len(raw) > 1400:
            raise ValueError("too long")
        value = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        at, sender = value
        if isinstance(at, bool) or not isinstance(at, int | float) or not isinstance(sender, str):
            raise ValueError("wrong types")
        if not math.isfinite(at):
            raise ValueError("not finite")
        return float(at), sender
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise PageError("before must be the `next` value of a previous page") from None


# -- folding events into rows ----------------------------------------------------------------------
@dataclass
class _Conversation:
    """A row of CONVERSATIONS while a batch is folded."""

    sender_id: str
    first_at: float | None = None
    last_at: float | None = None
    user_messages: int = 0
    channel: str | None = None
    language: str | None = None
    handoff_at: float | None = None
    handoff_reason: str | None = None
    handoffs: int = 0
    summary: str | None = None
    case_number: str | None = None
    copying: bool = False
    last_event_id: int = 0
    first_day: str | None = None
    language_at: float | None = None


@dataclass
class _Day:
    user_messages: int = 0
    fallback: int = 0
    low: int = 0
    handoffs: int = 0
    last_user_id: int = 0
    channel: str | None = None
    language_id: int = 0
    language: str | None = None


@dataclass
class _Missed:
    count: int = 0
    first_id: int = 0
    last_id: int = 0
    text: str = ""


@dataclass
class _Batch:
    conversations: dict[str, _Conversation]
    days: dict[tuple[str, str], _Day] = field(default_factory=dict)
    intents: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    missed: dict[tuple[str, str, str, str], _Missed] = field(default_factory=dict)
    daily: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (day, metric, key)

    def fold(self, event: Event) -> None:
        """One event, as insights.conversations and insights.analytics read it."""
        conv = self.conversations.setdefault(event.sender_id, _Conversation(event.sender_id))
        conv.last_event_id = max(conv.last_event_id, event.id)
        day = self.days.setdefault((event.sender_id, day_of(event.timestamp)), _Day())
        # insights.SessionCopies, with its state kept on the row.
        if event.type_name == "session_started":
            conv.copying = True
        elif event.type_name == "user":
            conv.copying = False
        if event.type_name == "user":
            self._user(conv, day, event)
        elif event.type_name == "slot":
            name, value = event.data.get("name"), event.data.get("value")
            if name == "handoff_reason" and value and not conv.copying:
                conv.handoffs += 1
                day.handoffs += 1
                if conv.handoff_at is None or event.timestamp > conv.handoff_at:  # max(): first wins
                    conv.handoff_at, conv.handoff_reason = event.timestamp, str(value)
            if name == "language" and value:
                conv.language = day.language = str(value)
                conv.language_at = event.timestamp
                day.language_id = event.id
            elif name == "handoff_summary" and value:
                conv.summary = redact(str(value))[0]
            elif name == "case_number" and value:
                conv.case_number = str(value)

    def _user(self, conv: _Conversation, day: _Day, event: Event) -> None:
        today = day_of(event.timestamp)
        if not conv.user_messages:
            conv.first_at, conv.first_day = event.timestamp, today
        conv.user_messages += 1
        conv.last_at = event.timestamp
        conv.channel = day.channel = str(event.data.get("input_channel") or insights.UNKNOWN)
        day.user_messages += 1
        day.last_user_id = event.id
        name, confidence = insights.understanding(event)
        intent = name or insights.UNKNOWN
        self.intents[(event.sender_id, today, intent)] += 1
        self.daily[(today, "intent", intent)] += 1
        self.daily[(today, "user", "")] += 1
        if name == insights.FALLBACK_INTENT:
            day.fallback += 1
            self.daily[(today, "fallback", "")] += 1
        if name in insights.NOT_ANSWERED or confidence is None or confidence < insights.LOW_CONFIDENCE:
            day.low += 1
            self.daily[(today, "low", "")] += 1
            text = mask_contacts(insights.customer_text(event))
            key = insights._normalise(text)
            if key:
                digest = hashlib.sha1(key.encode()).hexdigest()
                missed = self.missed.setdefault(
                    (event.sender_id, today, digest, intent), _Missed(first_id=event.id)
                )
                missed.count += 1
                missed.last_id, missed.text = event.id, text


def _upsert(
    connection: sa.engine.Connection, table: sa.Table, rows: list[dict[str, Any]], merge: Any
) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    keys = [c.name for c in table.primary_key.columns]
    connection.execute(
        statement.on_conflict_do_update(index_elements=keys, set_=merge(table, statement.excluded)), rows
    )


def _later(current: Any, incoming: Any, current_id: Any, incoming_id: Any) -> Any:
    return sa.case((incoming_id > current_id, incoming), else_=current)


def _greatest(a: Any, b: Any) -> Any:  # SQLite has no GREATEST/LEAST
    return sa.case((b > a, b), else_=a)


def _least(a: Any, b: Any) -> Any:
    return sa.case((b < a, b), else_=a)


def _merge_days(t: sa.Table, x: Any) -> dict[str, Any]:
    return {
        "user_messages": t.c.user_messages + x.user_messages,
        "fallback": t.c.fallback + x.fallback,
        "low": t.c.low + x.low,
        "handoffs": t.c.handoffs + x.handoffs,
        "channel": _later(t.c.channel, x.channel, t.c.last_user_id, x.last_user_id),
        "last_user_id": _greatest(t.c.last_user_id, x.last_user_id),
        "language": _later(t.c.language, x.language, t.c.language_id, x.language_id),
        "language_id": _greatest(t.c.language_id, x.language_id),
    }


def _merge_count(t: sa.Table, x: Any) -> dict[str, Any]:
    return {"count": t.c.count + x.count}


def _merge_missed(t: sa.Table, x: Any) -> dict[str, Any]:
    return {
        "count": t.c.count + x.count,
        "text": _later(t.c.text, x.text, t.c.last_id, x.last_id),
        "first_id": _least(t.c.first_id, x.first_id),
        "last_id": _greatest(t.c.last_id, x.last_id),
    }


def _replace(t: sa.Table, x: Any) -> dict[str, Any]:
    return {c.name: getattr(x, c.name) for c in t.columns if not c.primary_key}


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# -- the index ------------------------------------------------------------------------------------
class ConversationIndex:
    """The index of one tracker store; thread-safe (one refresh at a time in this process,
    and a cursor that moves only from the value read, so two processes never fold a row twice)."""

    def __init__(self, db: TrackerDatabase, batch: int = BATCH) -> None:
        self.db = db
        self.batch = batch
        self._lock = threading.Lock()
        self._ready = False

    def _ensure_tables(self) -> None:
        if not self._ready:
            # Idempotent: CREATE TABLE/INDEX only where missing, on SQLite and PostgreSQL.
            engine = self.db.writer()
            INDEX_META.create_all(engine, checkfirst=True)
            RESOLVED.metadata.create_all(engine, tables=[RESOLVED], checkfirst=True)
            with engine.begin() as connection:
                dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
                start = dialect.insert(INDEX_STATE).values(name=INDEX_NAME, last_id=0)
                connection.execute(start.on_conflict_do_nothing(index_elements=["name"]))
            self._ready = True

    def refresh(self, max_batches: int | None = None, wait: float = -1) -> int:
        """Fold the events stored since the last refresh; how many were folded. The lock is
        taken per batch, so a long build and the requests take turns; `wait` (seconds, -1:
        for ever) bounds the wait for it, then IndexBuilding."""
        if not self.db.exists():
            return 0
        with self.db.reader().connect() as connection:
            if not sa.inspect(connection).has_table(EVENTS.name):
                return 0
        folded = batches = 0
        while max_batches is None or batches < max_batches:
            if not self._lock.acquire(timeout=wait):
                raise IndexBuilding("the conversation index is being built; try again in a few seconds")
            try:
                self._ensure_tables()
                count = self._fold_batch()
            finally:
                self._lock.release()
            folded += count
            batches += 1
            if count < self.batch:
                return folded
        return folded

    def current(self) -> None:
        """Bring the index up to date before a read, or IndexBuilding when that is too much."""
        if self.refresh(REQUEST_BATCHES, wait=LOCK_WAIT) >= REQUEST_BATCHES * self.batch:  # more to read
            raise IndexBuilding("the conversation index is being built; try again in a few seconds")

    def build_in_background(self) -> threading.Thread:
        """Catch up with the store in a daemon thread (the web server calls it at start-up)."""

        def build() -> None:
            try:
                self.refresh()
            except Exception:  # the store down at start-up: requests refresh it later
                logger.exception("conversation index: the first refresh failed")

        thread = threading.Thread(target=build, name="conversation-index", daemon=True)
        thread.start()
        return thread

    def _fold_batch(self) -> int:
        # Read first, then one short write transaction that starts by moving the cursor: it
        # takes SQLite's write lock at once (no lock upgrade to deadlock on with Rasa), and
        # it moves only from the value read, so a row is never folded twice.
        with self.db.writer().connect() as connection:
            state = connection.execute(
                sa.select(INDEX_STATE.c.last_id).where(INDEX_STATE.c.name == INDEX_NAME)
            ).scalar()
            rows = self.db.events_after(int(state or 0), self.batch, QUEUE_TYPES)
            if not rows:
                return 0
            senders = sorted({row.sender_id for row in rows})
            batch = _Batch(self._load(connection, senders))
            for row in rows:
                batch.fold(row)
            with connection.begin():
                moved = connection.execute(
                    sa.update(INDEX_STATE)
                    .where(INDEX_STATE.c.name == INDEX_NAME, INDEX_STATE.c.last_id == state)
                    .values(last_id=rows[-1].id)
                )
                if moved.rowcount != 1:  # another process folded these rows meanwhile: read again
                    return len(rows)
                self._write(connection, batch)
        return len(rows)

    @staticmethod
    def _load(connection: sa.engine.Connection, senders: list[str]) -> dict[str, _Conversation]:
        found: dict[str, _Conversation] = {}
        for chunk in _chunks(senders):
            for row in connection.execute(
                sa.select(CONVERSATIONS).where(CONVERSATIONS.c.sender_id.in_(chunk))
            ):
                found[row.sender_id] = _Conversation(**dict(row._mapping))
        return found

    @staticmethod
    def _write(connection: sa.engine.Connection, batch: _Batch) -> None:
        _upsert(connection, CONVERSATIONS, [vars(c) for c in batch.conversations.values()], _replace)
        days = [{"sender_id": s, "day": d, **vars(v)} for (s, d), v in batch.days.items()]
        _upsert(connection, CONVERSATION_DAYS, days, _merge_days)
        intents = [
            {"sender_id": s, "day": d, "intent": i, "count": n} for (s, d, i), n in batch.intents.items()
        ]
        _upsert(connection, INTENT_DAYS, intents, _merge_count)
        missed = [
            {"sender_id": s, "day": d, "key_hash": k, "intent": i, **vars(m)}
            for (s, d, k, i), m in batch.missed.items()
        ]
        _upsert(connection, UNANSWERED, missed, _merge_missed)
        daily = [{"day": d, "metric": m, "key": k, "count": n} for (d, m, k), n in batch.daily.items()]
        _upsert(connection, DAILY, daily, _merge_count)

    # -- the handoff queue and the conversation list ---------------------------------------------
    def handoffs(
        self,
        limit: int,
        before: tuple[float, str] | None,
        open_only: bool = False,
        case: str | None = None,
    ) -> dict[str, Any]:
        """A page of handed-over conversations, newest handoff first (insights.handoff_queue's
        items); with `case`, only the conversation whose latest handoff has that case number."""
        self.current()
        c, r = CONVERSATIONS, RESOLVED
        is_open = sa.or_(r.c.resolved_at.is_(None), r.c.resolved_at < c.c.handoff_at)
        base = sa.and_(c.c.handoff_at.isnot(None), c.c.user_messages > 0)
        if case is not None:
            base = sa.and_(base, c.c.case_number == case)
        joined = c.outerjoin(r, r.c.sender_id == c.c.sender_id)
        query = sa.select(c, r.c.resolved_at, r.c.resolved_by).select_from(joined).where(base)
        if open_only:
            query = query.where(is_open)
        if before is not None:
            at, sender = before
            query = query.where(
                sa.or_(c.c.handoff_at < at, sa.and_(c.c.handoff_at == at, c.c.sender_id < sender))
            )
        query = query.order_by(c.c.handoff_at.desc(), c.c.sender_id.desc()).limit(limit + 1)
        counts = (
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((is_open, 1), else_=0)), 0))
            .select_from(joined)
            .where(base)
        )
        with self.db.reader().connect() as connection:
            rows = connection.execute(query).all()
            total, still_open = connection.execute(counts).one()
        items = [_queue_item(row) for row in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return {
            "handoffs": items,
            "limit": limit,
            "next": encode_cursor(last.handoff_at, last.sender_id) if last else None,
            "total": int(total),
            "open": int(still_open),
        }

    def conversations(self, limit: int, before: tuple[float, str] | None) -> dict[str, Any]:
        """A page of every conversation, latest customer message first."""
        self.current()
        c, r = CONVERSATIONS, RESOLVED
        joined = c.outerjoin(r, r.c.sender_id == c.c.sender_id)
        query = (
            sa.select(c, r.c.resolved_at, r.c.resolved_by).select_from(joined).where(c.c.user_messages > 0)
        )
        if before is not None:
            at, sender = before
            query = query.where(sa.or_(c.c.last_at < at, sa.and_(c.c.last_at == at, c.c.sender_id < sender)))
        query = query.order_by(c.c.last_at.desc(), c.c.sender_id.desc()).limit(limit + 1)
        total = sa.select(sa.func.count()).select_from(c).where(c.c.user_messages > 0)
        with self.db.reader().connect() as connection:
            rows = connection.execute(query).all()
            count = connection.execute(total).scalar()
        items = []
        for row in rows[:limit]:
            items.append(
                {
                    "sender_id": row.sender_id,
                    "channel": row.channel or insights.UNKNOWN,
                    "language": row.language or insights.UNKNOWN,
                    "first_message_at": insights.iso(row.first_at),
                    "last_message_at": insights.iso(row.last_at),
                    "timestamp": row.last_at,
                    "user_messages": row.user_messages,
                    "handoffs": row.handoffs,
                    "handoff": _queue_item(row) if row.handoff_at is not None else None,
                }
            )
        last = rows[limit - 1] if len(rows) > limit else None
        cursor = encode_cursor(last.last_at, last.sender_id) if last else None
        return {"conversations": items, "limit": limit, "next": cursor, "total": int(count or 0)}

    # -- analytics ---------------------------------------------------------------------------------
    def analytics(self, since: float | None) -> dict[str, Any]:
        """insights.analytics of the events since `since` (a UTC midnight, or None: all time).

        A conversation is in the window when its latest customer message is; its channel is
        then that message's, its language the latest language slot if that is in the window
        too, and it is handed over when its latest handoff is: one GROUP BY on
        agent_conversations. Message counts are sums of agent_daily's rows."""
        self.current()
        first_day = day_of(since) if since is not None else None
        c = CONVERSATIONS
        if since is None:
            in_window = c.c.user_messages > 0
            language: Any = c.c.language
            handed = c.c.handoff_at.isnot(None)
            day: Any = c.c.first_day
        else:
            in_window = sa.and_(c.c.last_at >= since, c.c.user_messages > 0)
            language = sa.case((c.c.language_at >= since, c.c.language), else_=None)
            handed = sa.and_(c.c.handoff_at.isnot(None), c.c.handoff_at >= since)
            day = sa.case((c.c.first_at >= since, c.c.first_day), else_=None)
        handed_flag = sa.case((handed, 1), else_=0)
        groups = sa.select(c.c.channel, language, handed_flag, day, sa.func.count()).where(in_window)
        groups = groups.group_by(c.c.channel, language, handed_flag, day)
        d = DAILY
        daily = sa.select(d.c.metric, d.c.key, sa.func.sum(d.c.count)).group_by(d.c.metric, d.c.key)
        if first_day:
            daily = daily.where(d.c.day >= first_day)
        u = UNANSWERED
        u_window = u.c.day >= first_day if first_day else sa.true()
        count = sa.func.sum(u.c.count)
        top = (
            sa.select(u.c.key_hash, count, sa.func.min(u.c.first_id), sa.func.max(u.c.last_id))
            .where(u_window)
            .group_by(u.c.key_hash)
            .order_by(count.desc(), sa.func.min(u.c.first_id))
            .limit(insights.TOP_UNANSWERED)
        )
        with self.db.reader().connect() as connection:
            grouped = connection.execute(groups).all()
            sums = connection.execute(daily).all()
            spanning = self._spanning_first_days(connection, since, first_day) if since is not None else []
            unanswered = self._unanswered(connection, connection.execute(top).all(), u_window)
        total = handed_over = 0
        per_day: Counter[str] = Counter(spanning)
        per_channel: Counter[str] = Counter()
        per_language: Counter[str] = Counter()
        for channel, lang, flag, first, n in grouped:
            total += n
            handed_over += n if flag else 0
            per_channel[channel or insights.UNKNOWN] += n
            per_language[lang or insights.UNKNOWN] += n
            if first is not None:
                per_day[first] += n
        messages: Counter[str] = Counter()
        intents: Counter[str] = Counter()
        for metric, key, n in sums:
            if metric == "intent":
                if n:
                    intents[key] += int(n)
            else:
                messages[metric] += int(n or 0)
        return {
            "generated_at": insights.iso(datetime.now(timezone.utc).timestamp()),
            "since": insights.iso(since),
            "conversations": {
                "total": total,
                "handed_over": handed_over,
                "contained": total - handed_over,
                "per_day": dict(sorted(per_day.items())),
                "per_channel": dict(per_channel.most_common()),
                "per_language": dict(per_language.most_common()),
            },
            "containment_rate": insights._share(total - handed_over, total),
            "messages": {
                "user": messages["user"],
                "fallback": messages["fallback"],
                "low_confidence": messages["low"],
            },
            "fallback_rate": insights._share(messages["fallback"], messages["user"]),
            "low_confidence_threshold": insights.LOW_CONFIDENCE,
            "top_intents": dict(intents.most_common()),
            "unanswered": unanswered,
        }

    @staticmethod
    def _spanning_first_days(
        connection: sa.engine.Connection, since: float, first_day: str | None
    ) -> list[str]:
        """The first day in the window of the conversations that began before it (few)."""
        c, d = CONVERSATIONS, CONVERSATION_DAYS
        query = (
            sa.select(sa.func.min(d.c.day))
            .select_from(c.join(d, d.c.sender_id == c.c.sender_id))
            .where(c.c.last_at >= since, c.c.first_at < since, c.c.user_messages > 0)
            .where(d.c.day >= first_day, d.c.user_messages > 0)
            .group_by(c.c.sender_id)
        )
        return [day for (day,) in connection.execute(query)]

    @staticmethod
    def _unanswered(connection: sa.engine.Connection, top: list[Any], in_window: Any) -> list[dict[str, Any]]:
        """The top missed texts: latest spelling, and the intent they were most read as."""
        if not top:
            return []
        u = UNANSWERED
        keys = [row[0] for row in top]
        texts = dict(
            connection.execute(
                sa.select(u.c.last_id, u.c.text).where(
                    in_window, u.c.key_hash.in_(keys), u.c.last_id.in_([r[3] for r in top])
                )
            ).all()
        )
        per_intent = connection.execute(
            sa.select(u.c.key_hash, u.c.intent, sa.func.sum(u.c.count), sa.func.min(u.c.first_id))
            .where(in_window, u.c.key_hash.in_(keys))
            .group_by(u.c.key_hash, u.c.intent)
        ).all()
        best: dict[str, tuple[int, int, str]] = {}
        for key, intent, count, first in per_intent:
            rank = (-int(count), int(first), intent)  # most often; on a tie the first seen
            if key not in best or rank < best[key]:
                best[key] = rank
        return [{"text": texts[r[3]], "count": int(r[1]), "intent": best[r[0]][2]} for r in top]


def _queue_item(row: Any) -> dict[str, Any]:
    """One handoff as insights.handoff_queue gives it."""
    resolved = row.resolved_at is not None and row.resolved_at >= row.handoff_at
    return {
        "sender_id": row.sender_id,
        "channel": row.channel or insights.UNKNOWN,
        "language": row.language or insights.UNKNOWN,
        "reason": row.handoff_reason,
        "summary": row.summary,
        "case_number": row.case_number,
        "time": insights.iso(row.handoff_at),
        "timestamp": row.handoff_at,
        "handoffs": row.handoffs,
        "last_message_at": insights.iso(row.last_at),
        "resolved": resolved,
        "resolved_at": insights.iso(row.resolved_at) if resolved else None,
        "resolved_by": row.resolved_by if resolved else None,
    }


def full_scan(db: TrackerDatabase, since: float | None = None) -> Mapping[str, Any]:
    """insights.analytics over every stored event: what the index must equal (tests, bench)."""
    return insights.analytics(db.events(types=QUEUE_TYPES, since=since), since)
