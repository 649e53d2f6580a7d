"""Rasa's tracker store, read with SQLAlchemy from the configuration Rasa itself uses.

The `tracker_store` section of RASA_ENDPOINTS (default endpoints.yml, `${VAR}` filled from the
environment) names the database: the SQLite file TRACKER_DB, or PostgreSQL with
endpoints.scaled.yml. The agent views read Rasa's `events` table over a read-only
connection (SQLite `mode=ro`, PostgreSQL read-only transactions). The tables written are
this module's own AGENT_TABLES (`agent_resolved`: which handed-over conversations an agent
has dealt with) and, only to delete whole conversations (erasure and retention,
bot/retention.py), `events`: `erase` and `idle_senders` below.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import pathname2url

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.elements import ColumnElement

from bot.agent.index_tables import DAILY, INDEX_NAME, INDEX_STATE, INDEX_TABLES, subtract_erased
from bot.settings import PROJECT_DIR

_META = sa.MetaData()
# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py), as far as it is read here.
EVENTS = sa.Table(
    "events",
    _META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),  # the slot's name for `slot` events
    sa.Column("data", sa.Text),
)
_OWN_META = sa.MetaData()
RESOLVED = sa.Table(
    "agent_resolved",
    _OWN_META,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("resolved_at", sa.Float, nullable=False),
    sa.Column("resolved_by", sa.String(255), nullable=False),
)
# -- handoff: callbacks and agent presence ------------------------------------------------------
# A callback the customer asked for, with their consent (actions.ActionCallback writes it):
# customer data, so it is one of AGENT_TABLES (erasure, retention, export).
CALLBACKS = sa.Table(
    "agent_callbacks",
    _OWN_META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("case_number", sa.String(32)),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("language", sa.String(8)),
    sa.Column("consent_at", sa.Float, nullable=False),
)
# When each agent's console last showed it was open (the live stream's keep-alive). About
# agents, not customers: keyed by the agent, so not one of AGENT_TABLES.
PRESENCE = sa.Table(
    "agent_presence",
    _OWN_META,
    sa.Column("agent", sa.String(255), primary_key=True),
    sa.Column("seen_at", sa.Float, nullable=False),
)
# -- live takeover (bot/agent/takeover.py) ---------------------------------------------------
# Who holds a conversation now: the primary key makes a second claim fail in the database
# itself, so two agents (or two web replicas) can never both hold one.
CLAIMS = sa.Table(
    "agent_claims",
    _OWN_META,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("agent", sa.String(255), nullable=False),
    sa.Column("display_name", sa.String(255), nullable=False),
    sa.Column("claimed_at", sa.Float, nullable=False),
)
# Every claim, reply and release, with the agent and the time (and a reply's text).
AUDIT = sa.Table(
    "agent_audit",
    _OWN_META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("agent", sa.String(255), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("text", sa.Text),
)
# Every table the agent tools keep about a conversation, each keyed by `sender_id`: erasing
# a conversation or expiring it (bot/retention.py) deletes its rows from all of them.
AGENT_TABLES = (RESOLVED, CALLBACKS, CLAIMS, AUDIT, *INDEX_TABLES)  # the index: bot/agent/index.py
ERASE_BATCH = 500  # sender ids per DELETE (SQLite allows 999 bound parameters in old builds)
# The slots the agent tools read; other slot events are never loaded.
SLOTS = ("language", "handoff_reason", "handoff_summary", "case_number")
ALL_TYPES = ("user", "bot", "slot", "session_started")
QUEUE_TYPES = ("user", "slot", "session_started")  # enough for the handoff queue and analytics
_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_CREATE_LOCK = threading.Lock()
_CREATE_LOCK_KEY = 0x7EA_A6E7  # the advisory lock under which the agent tables are created


class StoreConfigError(RuntimeError):
    """The tracker store is not an SQL store the agent tools can read."""


# What reading the store can raise when it is down or misconfigured (not a bug: a 503).
READ_ERRORS = (SQLAlchemyError, StoreConfigError, OSError)


@dataclass(frozen=True)
class Event:
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]
    id: int = 0  # the row's primary key (events_after); 0 where it was not read


@dataclass(frozen=True)
class Resolution:
    resolved_at: float
    resolved_by: str


@dataclass(frozen=True)
class Callback:
    sender_id: str
    case_number: str | None
    contact: str
    language: str | None
    consent_at: float


@dataclass(frozen=True)
class Erased:
    """What `TrackerDatabase.erase` deleted."""

    conversations: int  # sender ids that had any row
    events: int  # rows of Rasa's `events`
    agent_rows: int  # rows of AGENT_TABLES


def _substitute(value: Any, env: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value

    def variable(match: re.Match[str]) -> str:
        if match.group(1) not in env:
            raise StoreConfigError(f"the endpoints file needs ${{{match.group(1)}}}, which is not set")
        return env[match.group(1)]

    return _VARIABLE.sub(variable, value)


# Rasa's SQL store and ours (bot/trackerstore.py), which keeps the same table.
SQL_STORE_TYPES = {"sql", "bot.trackerstore.leansqltrackerstore"}


def tracker_store_config(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The `tracker_store` section of RASA_ENDPOINTS, with `${VAR}` replaced as Rasa does."""
    path = PROJECT_DIR / env.get("RASA_ENDPOINTS", "endpoints.yml")
    endpoints = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    section = endpoints.get("tracker_store") or {}
    if str(section.get("type", "")).lower() not in SQL_STORE_TYPES:
        raise StoreConfigError(f"{path.name}: the agent tools need Rasa's SQL tracker store")
    return {key: _substitute(value, env) for key, value in section.items()}


def database_url(config: Mapping[str, Any]) -> URL:
    """The SQLAlchemy URL of the store, built like Rasa's SQLTrackerStore.get_db_url."""
    dialect = str(config.get("dialect") or "sqlite")
    if dialect == "sqlite":
        db = Path(str(config.get("db") or "rasa.db"))
        return URL.create("sqlite", database=str(db if db.is_absolute() else PROJECT_DIR / db))
    host, port = config.get("url"), config.get("port")
    if host and "://" in str(host):
        return sa.engine.make_url(str(host))
    if host:
        parsed = urlsplit(f"scheme://{host}")
        host, port = parsed.hostname or host, parsed.port or port
    return URL.create(
        dialect,
        username=config.get("username") or None,
        password=config.get("password") or None,
        host=host or None,
        port=int(port) if port else None,
        database=config.get("db") or None,
        query=config.get("query") or {},
    )


class TrackerDatabase:
    """Read access to `events`, read/write access to `agent_resolved` (created on first write)."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._reader: Engine | None = None
        self._writer: Engine | None = None
        self._table_ready = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> TrackerDatabase:
        return cls(database_url(tracker_store_config(env)))

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def exists(self) -> bool:
        """False only for an SQLite file Rasa has not created yet (nothing to read)."""
        return not self.is_sqlite or Path(self.url.database or "").is_file()

    def reader(self) -> Engine:
        if self._reader is None:
            if self.is_sqlite:
                uri = f"file:{pathname2url(self.url.database or '')}?mode=ro"
                self._reader = sa.create_engine(
                    "sqlite://",
                    creator=lambda: sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False),
                    poolclass=NullPool,
                )
            else:
                engine = sa.create_engine(self.url, pool_pre_ping=True)
                self._reader = engine.execution_options(postgresql_readonly=True)
        return self._reader

    def writer(self) -> Engine:
        if self._writer is None:
            if self.is_sqlite:
                self._writer = sa.create_engine(self.url, connect_args={"timeout": 10}, poolclass=NullPool)
                # Deleted rows are overwritten with zeros, not left in the file's free pages.
                sa.event.listen(self._writer, "connect", _sqlite_secure_delete)
            else:
                self._writer = sa.create_engine(self.url, pool_pre_ping=True)
        return self._writer

    # -- Rasa's events -------------------------------------------------------------------------
    def events(
        self,
        sender_id: str | None = None,
        types: Iterable[str] = ALL_TYPES,
        since: float | None = None,
    ) -> list[Event]:
        """Events in the order Rasa stored them; of the slots, only SLOTS."""
        if not self.exists():
            return []
        query = sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        query = query.where(_of_types(types))
        if sender_id is not None:
            query = query.where(EVENTS.c.sender_id == sender_id)
        if since is not None:
            query = query.where(EVENTS.c.timestamp >= since)
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            rows = connection.execute(query.order_by(EVENTS.c.id)).all()
        return [Event(row.sender_id, row.type_name, row.timestamp or 0.0, _json(row.data)) for row in rows]

    def events_after(self, after: int, limit: int, types: Iterable[str] = ALL_TYPES) -> list[Event]:
        """Up to `limit` events stored after row `after` (by primary key), with their ids.

        The key only grows while rows are added, on SQLite and PostgreSQL alike, whichever
        Rasa process stored them: what the console's live stream follows (bot/agent/live.py)."""
        if not self.exists():
            return []
        query = (
            sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.id > after, _of_types(types))
            .order_by(EVENTS.c.id)
            .limit(limit)
        )
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            rows = connection.execute(query).all()
        return [
            Event(row.sender_id, row.type_name, row.timestamp or 0.0, _json(row.data), row.id) for row in rows
        ]

    def last_event_id(self) -> int:
        """The highest primary key of `events` (0 when there is none)."""
        if not self.exists():
            return 0
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            return int(connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0)

    def has_conversation(self, sender_id: str) -> bool:
        if not self.exists():
            return False
        query = sa.select(EVENTS.c.id).where(EVENTS.c.sender_id == sender_id).limit(1)
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return False
            return connection.execute(query).first() is not None

    # -- deleting whole conversations (bot/retention.py) ------------------------------------------
    def idle_senders(self, before: float) -> list[str]:
        """Sender ids whose latest event is older than `before` (an event without a time is old)."""
        if not self.exists():
            return []
        latest = sa.func.max(sa.func.coalesce(EVENTS.c.timestamp, 0.0))
        query = sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(latest < before)
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            return [sender for (sender,) in connection.execute(query.order_by(EVENTS.c.sender_id))]

    def erase(self, sender_ids: Iterable[str], before: float | None = None) -> Erased:
        """Delete the conversations' rows from `events` and from every agent table.

        With `before` (retention), only events older than that go: a message that arrives
        while a conversation is being expired survives it. One transaction per batch."""
        senders = list(dict.fromkeys(sender_ids))
        if not senders or not self.exists():
            return Erased(0, 0, 0)
        conversations = events = agent_rows = 0
        with self.writer().connect() as connection:
            inspector = sa.inspect(connection)
            tables = [t for t in (EVENTS, *AGENT_TABLES) if inspector.has_table(t.name)]
            for start in range(0, len(senders), ERASE_BATCH):
                batch = senders[start : start + ERASE_BATCH]
                found: set[str] = set()
                with connection.begin():
                    if inspector.has_table(DAILY.name):  # the index's totals lose these senders
                        subtract_erased(connection, batch)
                    for table in tables:
                        condition = table.c.sender_id.in_(batch)
                        if table is EVENTS and before is not None:
                            condition &= sa.or_(EVENTS.c.timestamp < before, EVENTS.c.timestamp.is_(None))
                        found.update(
                            s for (s,) in connection.execute(sa.select(table.c.sender_id).where(condition))
                        )
                        deleted = connection.execute(sa.delete(table).where(condition)).rowcount
                        if table is EVENTS:
                            events += deleted
                        elif table not in INDEX_TABLES:  # derived rows are not records
                            agent_rows += deleted
                    if self.is_sqlite and inspector.has_table(INDEX_STATE.name):
                        _follow_reused_ids(connection)
                conversations += len(found)
        return Erased(conversations, events, agent_rows)

    def orphaned_agent_senders(self, before: float) -> list[str]:
        """Senders with agent rows older than `before` and no events left (their erasure's leftovers)."""
        if not self.exists():
            return []
        with self.reader().connect() as connection:
            inspector = sa.inspect(connection)
            if not inspector.has_table(RESOLVED.name):
                return []
            query = sa.select(RESOLVED.c.sender_id).where(RESOLVED.c.resolved_at < before)
            if inspector.has_table(EVENTS.name):
                has_events = sa.select(EVENTS.c.id).where(EVENTS.c.sender_id == RESOLVED.c.sender_id)
                query = query.where(~has_events.exists())
            return [sender for (sender,) in connection.execute(query)]

    def knows(self, sender_id: str) -> bool:
        """Whether anything is stored about the sender: events or agent rows."""
        if not self.exists():
            return False
        with self.reader().connect() as connection:
            inspector = sa.inspect(connection)
            for table in (EVENTS, *AGENT_TABLES):
                query = sa.select(table.c.sender_id).where(table.c.sender_id == sender_id).limit(1)
                if inspector.has_table(table.name) and connection.execute(query).first() is not None:
                    return True
        return False

    # -- the agents' own table -----------------------------------------------------------------
    def resolutions(self) -> dict[str, Resolution]:
        if not self.exists():
            return {}
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table(RESOLVED.name):
                return {}
            rows = connection.execute(sa.select(RESOLVED)).all()
        return {row.sender_id: Resolution(row.resolved_at, row.resolved_by) for row in rows}

    def resolution(self, sender_id: str) -> Resolution | None:
        """One conversation's resolution (the transcript needs no other)."""
        if not self.exists():
            return None
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table(RESOLVED.name):
                return None
            row = connection.execute(sa.select(RESOLVED).where(RESOLVED.c.sender_id == sender_id)).first()
        return Resolution(row.resolved_at, row.resolved_by) if row else None

    def own_tables(self) -> Engine:
        """The writer, with the agent tables created (once per process).

        Two requests, or two web replicas, may create them at the same moment; PostgreSQL
        then fails one CREATE TABLE on its catalogue's uniqueness. So creation is serialised:
        in this process by a lock, across processes by a transaction-scoped advisory lock on
        PostgreSQL (its DDL is transactional); on SQLite the loser of the race sees "already
        exists" and checks again."""
        engine = self.writer()
        if self._table_ready:
            return engine
        with _CREATE_LOCK:
            if self.is_sqlite:
                try:
                    _OWN_META.create_all(engine, checkfirst=True)
                except SQLAlchemyError:  # another process created them meanwhile
                    _OWN_META.create_all(engine, checkfirst=True)
            else:
                with engine.begin() as connection:
                    lock = sa.text("SELECT pg_advisory_xact_lock(:key)")
                    connection.execute(lock, {"key": _CREATE_LOCK_KEY})
                    _OWN_META.create_all(connection, checkfirst=True)
        self._table_ready = True
        return engine

    def resolve(self, sender_id: str, agent: str, at: float | None = None) -> Resolution:
        """Mark a conversation resolved (again: the latest time wins)."""
        resolution = Resolution(time.time() if at is None else at, agent)
        engine = self.own_tables()
        values = {"resolved_at": resolution.resolved_at, "resolved_by": agent}
        with engine.begin() as connection:
            updated = connection.execute(
                sa.update(RESOLVED).where(RESOLVED.c.sender_id == sender_id).values(**values)
            )
            if updated.rowcount == 0:
                connection.execute(sa.insert(RESOLVED).values(sender_id=sender_id, **values))
        return resolution

    # -- handoff: callbacks and presence ---------------------------------------------------------
    def add_callback(self, callback: Callback) -> None:
        with self.own_tables().begin() as connection:
            connection.execute(sa.insert(CALLBACKS).values(**callback.__dict__))

    def callbacks(self, limit: int = 200, sender_id: str | None = None) -> list[Callback]:
        """The latest callback requests (of one sender), newest first."""
        if not self.exists():
            return []
        query = (
            sa.select(CALLBACKS).order_by(CALLBACKS.c.consent_at.desc(), CALLBACKS.c.id.desc()).limit(limit)
        )
        if sender_id is not None:
            query = query.where(CALLBACKS.c.sender_id == sender_id)
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table(CALLBACKS.name):
                return []
            rows = connection.execute(query).all()
        return [Callback(r.sender_id, r.case_number, r.contact, r.language, r.consent_at) for r in rows]

    def record_presence(self, agent: str, at: float | None = None) -> None:
        values = {"seen_at": time.time() if at is None else at}
        with self.own_tables().begin() as connection:
            updated = connection.execute(
                sa.update(PRESENCE).where(PRESENCE.c.agent == agent).values(**values)
            )
            if updated.rowcount == 0:
                connection.execute(sa.insert(PRESENCE).values(agent=agent, **values))

    def agents_seen_since(self, since: float) -> list[str]:
        if not self.exists():
            return []
        with self.reader().connect() as connection:
            if not sa.inspect(connection).has_table(PRESENCE.name):
                return []
            query = sa.select(PRESENCE.c.agent).where(PRESENCE.c.seen_at >= since).order_by(PRESENCE.c.agent)
            return [agent for (agent,) in connection.execute(query)]


def _of_types(types: Iterable[str]) -> ColumnElement[Any]:
    """Events of these types; of the slots, only SLOTS."""
    types = list(types)
    kinds = [EVENTS.c.type_name.in_([t for t in types if t != "slot"])]
    if "slot" in types:
        kinds.append(sa.and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_(SLOTS)))
    return sa.or_(*kinds)


def _follow_reused_ids(connection: sa.engine.Connection) -> None:
    """SQLite gives the next row the highest remaining id + 1: once the newest rows are
    deleted, the index's cursor (bot/agent/index.py) must come down with them, in the same
    transaction, or the rows that reuse those ids would never be indexed."""
    highest = sa.select(sa.func.coalesce(sa.func.max(EVENTS.c.id), 0)).scalar_subquery()
    connection.execute(
        sa.update(INDEX_STATE)
        .where(INDEX_STATE.c.name == INDEX_NAME, INDEX_STATE.c.last_id > highest)
        .values(last_id=highest)
    )


def _sqlite_secure_delete(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA secure_delete = ON")


def _json(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
