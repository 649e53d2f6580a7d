"""Process each messenger delivery once, across Rasa replicas.

Telegram delivers an update again whenever it got no 2xx in time, and Viber can repeat a
callback; each repeat would otherwise be answered a second time. A channel asks

    if not await dedupe.first_time(f"telegram:{bot_id}:update:{update_id}"):
        return response.json({"ok": True})  # a repeat: 200, nothing sent

`first_time(key)` is True exactly once per key within the TTL (24 h, as long as Telegram
keeps an undelivered update), in every process that shares the store, also when two
deliveries of the same update race. The claim is one atomic write:

- Redis when the lock store is a Redis store (the scaled setup, endpoints.scaled.yml):
  `SET key 1 NX EX ttl`, in the lock store's database.
- Otherwise the tracker store's SQL database (SQLite `TRACKER_DB`, PostgreSQL `DB_*`): table
  `webhook_deliveries`, `INSERT ... ON CONFLICT DO UPDATE ... WHERE` the row has expired
  (so no row is needed to be purged before its key can be claimed again; old rows are
  deleted every ten minutes).
- In memory (this process only, with a warning) when neither is configured.

The endpoints file is the one Rasa runs with (`--endpoints`, else RASA_ENDPOINTS, else
endpoints.yml). Keys are stored as SHA-256 digests: fixed length, and no user id in clear.
If the store fails, the delivery counts as new and the failure is logged: a rare second
answer is better than a customer who gets none.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

logger = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 24 * 3600
TABLE = "webhook_deliveries"
REDIS_PREFIX = "tea:delivery:"
PURGE_EVERY_SECONDS = 600
MAX_MEMORY_KEYS = 200_000


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class SeenStore(ABC):
    """Remembers delivery keys for `ttl` seconds; `first_time` claims one atomically."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self.clock = clock

    async def first_time(self, key: str) -> bool:
        """True the first time `key` is seen within the TTL; False for a repeat."""
        try:
            return await asyncio.to_thread(self.claim, key)
        except Exception:
            logger.exception("dedupe: %s failed; handling the delivery as new", type(self).__name__)
            return True

    def claim(self, key: str) -> bool:
        """The blocking form of `first_time` (raises if the store fails)."""
        return self._claim(digest(key), self.clock())

    @abstractmethod
    def _claim(self, hashed: str, now: float) -> bool: ...


class MemorySeen(SeenStore):
    """One process only: for setups without Redis or an SQL tracker store, and for tests."""

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.time) -> None:
        super().__init__(ttl, clock)
        self.expiry: dict[str, float] = {}
        self.lock = threading.Lock()

    def _claim(self, hashed: str, now: float) -> bool:
        with self.lock:
            if self.expiry.get(hashed, 0.0) > now:
                return False
            self.expiry[hashed] = now + self.ttl
            if len(self.expiry) > MAX_MEMORY_KEYS:
                self.expiry = {k: t for k, t in self.expiry.items() if t > now}
            return True


class RedisSeen(SeenStore):
    def __init__(
        self, client: Any, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(ttl, clock)
        self.red = client

    @classmethod
    def connect(cls, host: str = "localhost", port: int = 6379, db: int = 0, **kwargs: Any) -> RedisSeen:
        import redis

        ttl = kwargs.pop("ttl", DEFAULT_TTL_SECONDS)
        client = redis.Redis(host=host, port=int(port), db=int(db), socket_timeout=5, **kwargs)
        return cls(client, ttl)

    def _claim(self, hashed: str, now: float) -> bool:
        # The key expires by itself; Redis' clock, not ours, decides when.
        return bool(self.red.set(REDIS_PREFIX + hashed, b"1", nx=True, ex=max(1, int(self.ttl))))


class SqlSeen(SeenStore):
    """Table `webhook_deliveries` (key, seen_at) in the tracker store's database."""

    def __init__(
        self,
        url: str | sa.engine.URL,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
        **engine_kwargs: Any,
    ) -> None:
        super().__init__(ttl, clock)
        self.engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
        self.metadata = sa.MetaData()
        self.table = sa.Table(
            TABLE,
            self.metadata,
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("seen_at", sa.Float, nullable=False, index=True),
        )
        self.dialect = self.engine.dialect.name
        self._ready = False
        self._setup_lock = threading.Lock()
        self._last_purge = 0.0

    def _create_table(self) -> None:
        with self._setup_lock:
            if self._ready:
                return
            for attempt in range(3):
                try:
                    self.metadata.create_all(self.engine, checkfirst=True)
                    break
                except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError):
                    # Another replica created it at the same moment; check again.
                    if attempt == 2:
                        raise
                    time.sleep(0.2)
            self._ready = True

    def _claim(self, hashed: str, now: float) -> bool:
        if not self._ready:
            self._create_table()
        cutoff = now - self.ttl
        table = self.table
        if self.dialect in ("sqlite", "postgresql"):
            if self.dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            new = insert(table).values(key=hashed, seen_at=now)
            # A fresh row wins the conflict (nothing changes: rowcount 0); an expired one
            # is claimed again by whoever updates it first.
            claim = new.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={"seen_at": new.excluded.seen_at},
                where=table.c.seen_at < cutoff,
            )
            with self.engine.begin() as connection:
                claimed = connection.execute(claim).rowcount == 1
        else:  # any other SQL database: the primary key decides
            try:
                with self.engine.begin() as connection:
                    connection.execute(sa.insert(table).values(key=hashed, seen_at=now))
                claimed = True
            except sa.exc.IntegrityError:
                expired = (
                    sa.update(table)
                    .where(table.c.key == hashed, table.c.seen_at < cutoff)
                    .values(seen_at=now)
                )
                with self.engine.begin() as connection:
                    claimed = connection.execute(expired).rowcount == 1
        if now - self._last_purge > PURGE_EVERY_SECONDS:
            self._last_purge = now
            with self.engine.begin() as connection:
                connection.execute(sa.delete(table).where(table.c.seen_at < cutoff))
        return claimed


# --- the store the running Rasa uses --------------------------------------------------------
def endpoints_path(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> Path:
    """The endpoints file of this Rasa process: `--endpoints`, else RASA_ENDPOINTS, else endpoints.yml."""
    argv = sys.argv if argv is None else argv
    env = os.environ if env is None else env
    name = env.get("RASA_ENDPOINTS") or "endpoints.yml"
    for index, arg in enumerate(argv):
        if arg == "--endpoints" and index + 1 < len(argv):
            name = argv[index + 1]
        elif arg.startswith("--endpoints="):
            name = arg.split("=", 1)[1]
    path = Path(name)
    if path.is_absolute():
        return path
    if (Path.cwd() / path).exists():  # as Rasa reads it
        return Path.cwd() / path
    from bot.settings import PROJECT_DIR

    return PROJECT_DIR / path


def _is_store(type_name: str | None, builtin: str, base: type) -> bool:
    if not type_name:
        return False
    if type_name.lower() == builtin:
        return True
    try:
        from rasa.shared.utils.common import class_from_module_path

        return issubclass(class_from_module_path(type_name), base)
    except Exception:
        return False


def store_from_endpoints(path: Path | str, ttl: float = DEFAULT_TTL_SECONDS) -> SeenStore:
    """Redis if the lock store is Redis, else the SQL tracker store's database, else memory."""
    from rasa.core.lock_store import RedisLockStore
    from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
    from rasa.utils.endpoints import read_endpoint_config

    try:
        lock = read_endpoint_config(str(path), "lock_store")
        tracker = read_endpoint_config(str(path), "tracker_store")
    except Exception:
        logger.exception("dedupe: cannot read %s", path)
        lock = tracker = None
    if lock is not None and _is_store(lock.type, "redis", RedisLockStore):
        options = lock.kwargs
        return RedisSeen.connect(
            host=lock.url or "localhost",
            port=int(options.get("port", 6379)),
            db=int(options.get("db", 1)),
            username=options.get("username"),
            password=options.get("password"),
            ssl=bool(options.get("use_ssl", False)),
            ttl=ttl,
        )
    if tracker is not None and _is_store(tracker.type, "sql", SQLTrackerStore):
        options = tracker.kwargs
        url = SQLTrackerStore.get_db_url(
            options.get("dialect", "sqlite"),
            tracker.url,
            int(options["port"]) if options.get("port") else None,
            options.get("db", "rasa.db"),
            options.get("username"),
            options.get("password"),
            query=options.get("query"),
        )
        engine_kwargs = create_engine_kwargs(url)
        if "pool_size" in engine_kwargs:  # a few short writes; Rasa's pool size is for trackers
            engine_kwargs.update(pool_size=2, max_overflow=8)
        return SqlSeen(url, ttl, **engine_kwargs)
    logger.warning(
        "dedupe: %s has neither a Redis lock store nor an SQL tracker store; repeated webhook "
        "deliveries are recognised within this process only",
        path,
    )
    return MemorySeen(ttl)


@lru_cache(maxsize=1)
def default_store() -> SeenStore:
    return store_from_endpoints(endpoints_path())


async def first_time(key: str) -> bool:
    """True the first time this process or any replica sees `key` (within 24 h); False for a repeat."""
    try:
        store = default_store()
    except Exception:
        logger.exception("dedupe: no store could be set up; handling the delivery as new")
        return True
    return await store.first_time(key)
