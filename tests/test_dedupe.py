"""bot/channels/dedupe.py: a delivery key is claimed once, also by racing OS processes.

Each worker process builds its own store, as each Rasa replica does, waits for a common
start time and claims the same keys as the others. Every key must be claimed by exactly
one of them: in SQLite (the default setup), in Redis and in PostgreSQL (the scaled setup).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import localservices
from bot.channels import dedupe
from bot.channels.dedupe import MemorySeen, RedisSeen, SeenStore, SqlSeen
from bot.processes import ProcessGroup
from bot.settings import PROJECT_DIR

KEYS = 150
WORKERS = 3


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def sqlite_store(path: Path, ttl: float = dedupe.DEFAULT_TTL_SECONDS, clock: Clock | None = None) -> SqlSeen:
    return SqlSeen(f"sqlite:///{path}", ttl, clock or Clock())


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_key_is_new_once_until_its_ttl_runs_out(kind: str, tmp_path: Path) -> None:
    clock = Clock()
    store: SeenStore = MemorySeen(60, clock)
    if kind == "sqlite":
        store = sqlite_store(tmp_path / "t.db", 60, clock)
    assert store.claim("telegram:1:update:5")
    assert not store.claim("telegram:1:update:5")
    assert store.claim("telegram:2:update:5")  # another bot's update 5
    clock.now += 59
    assert not store.claim("telegram:1:update:5")
    clock.now += 2  # past the TTL: the key may come again (Telegram reuses ids after a week)
    assert store.claim("telegram:1:update:5")
    assert not store.claim("telegram:1:update:5")


def test_sql_rows_are_digests_and_old_ones_are_purged(tmp_path: Path) -> None:
    clock = Clock()
    store = sqlite_store(tmp_path / "t.db", 60, clock)
    store.claim("viber:abc:greeted:user-id-in-clear")
    clock.now += dedupe.PURGE_EVERY_SECONDS + 1
    store.claim("viber:abc:message:2")
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(store.table.c.key)).scalars().all()
    assert rows == [dedupe.digest("viber:abc:message:2")]  # the expired row went, no id in clear
    assert all(len(key) == 64 for key in rows)


def test_the_table_lives_beside_the_trackers(tmp_path: Path) -> None:
    """The default setup puts it in TRACKER_DB, next to Rasa's `events` table."""
    path = tmp_path / "tracker.db"
    with sa.create_engine(f"sqlite:///{path}").begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY)"))
    assert sqlite_store(path).claim("k")
    assert {"events", dedupe.TABLE} <= set(
        sa.inspect(sa.create_engine(f"sqlite:///{path}")).get_table_names()
    )


def test_concurrent_claims_in_one_process_let_one_through(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path / "t.db")

    async def race() -> list[bool]:
        return await asyncio.gather(*(store.first_time("telegram:1:update:77") for _ in range(20)))

    assert sum(asyncio.run(race())) == 1


def test_a_failing_store_lets_the_delivery_through(caplog: pytest.LogCaptureFixture) -> None:
    store = RedisSeen.connect(host="127.0.0.1", port=localservices.free_port())  # nothing listens
    assert asyncio.run(store.first_time("telegram:1:update:1")) is True
    assert "handling the delivery as new" in caplog.text


# --- which store: from the endpoints Rasa runs with ---------------------------------------------
def test_endpoints_path_follows_rasa_s_arguments_then_the_environment() -> None:
    env = {"RASA_ENDPOINTS": "endpoints.scaled.yml"}
    assert dedupe.endpoints_path(["rasa", "run"], {}) == PROJECT_DIR / "endpoints.yml"
    assert dedupe.endpoints_path(["rasa", "run"], env) == PROJECT_DIR / "endpoints.scaled.yml"
    assert dedupe.endpoints_path(["rasa", "run", "--endpoints", "/x/e.yml"], env) == Path("/x/e.yml")
    assert dedupe.endpoints_path(["rasa", "--endpoints=/y/e.yml"], env) == Path("/y/e.yml")


def test_the_default_setup_uses_the_tracker_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    store = dedupe.store_from_endpoints(PROJECT_DIR / "endpoints.yml")
    assert isinstance(store, SqlSeen) and store.dialect == "sqlite"
    assert store.engine.url.database == str(tmp_path / "tracker.db")
    assert store.claim("k") and not store.claim("k")


def test_the_scaled_setup_uses_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in localservices.scaled_env(5432, 6390).items():
        monkeypatch.setenv(key, value)
    store = dedupe.store_from_endpoints(PROJECT_DIR / "endpoints.scaled.yml")
    assert isinstance(store, RedisSeen)
    options = store.red.connection_pool.connection_kwargs
    assert (options["host"], options["port"], options["db"]) == ("127.0.0.1", 6390, 0)


def test_without_a_shared_store_it_remembers_in_memory(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    assert isinstance(dedupe.store_from_endpoints(endpoints), MemorySeen)


# --- across OS processes ------------------------------------------------------------------------
def _claimer(spec: tuple[str, str | int], start_at: float, keys: int, results: multiprocessing.Queue) -> None:
    kind, where = spec
    store: SeenStore
    if kind == "redis":
        store = RedisSeen.connect(host="127.0.0.1", port=int(where), db=0)
    else:
        store = SqlSeen(str(where))
    store.claim("warm-up: connect and create the table before the race")
    time.sleep(max(0.0, start_at - time.time()))
    results.put([key for key in range(keys) if store.claim(f"telegram:42:update:{key}")])


def claims_across_processes(spec: tuple[str, str | int]) -> Counter:
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    start_at = time.time() + 8  # after every worker has imported and connected
    workers = [ctx.Process(target=_claimer, args=(spec, start_at, KEYS, results)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    claimed = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return Counter(key for keys in claimed for key in keys)


def test_sqlite_processes_each_claim_a_key_once(tmp_path: Path) -> None:
    counts = claims_across_processes(("sql", f"sqlite:///{tmp_path / 'tracker.db'}"))
    assert sorted(counts) == list(range(KEYS))
    assert set(counts.values()) == {1}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessGroup]:
    group = ProcessGroup()
    try:
        yield group
    finally:
        group.stop()


@pytest.mark.skipif(not localservices.redis_available(), reason="needs Debian's redis-server")
def test_redis_processes_each_claim_a_key_once(
    services: ProcessGroup, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = localservices.start_redis(services, tmp_path_factory.mktemp("redis"))
    counts = claims_across_processes(("redis", port))
    assert sorted(counts) == list(range(KEYS))
    assert set(counts.values()) == {1}
    # The keys expire by themselves (Redis' TTL), 24 h after the claim.
    store = RedisSeen.connect(host="127.0.0.1", port=port)
    [key] = store.red.keys(dedupe.REDIS_PREFIX + dedupe.digest("telegram:42:update:0"))
    assert dedupe.DEFAULT_TTL_SECONDS - 120 < store.red.ttl(key) <= dedupe.DEFAULT_TTL_SECONDS
    short = RedisSeen(store.red, ttl=1)
    assert short.claim("short") and not short.claim("short")
    time.sleep(2.1)
    assert short.claim("short")


@pytest.mark.skipif(localservices.postgres_bin() is None, reason="needs Debian's postgresql")
def test_postgresql_processes_each_claim_a_key_once(services: ProcessGroup) -> None:
    port = localservices.start_postgres(services, database="dedupe")
    url = f"postgresql://postgres@127.0.0.1:{port}/dedupe"
    counts = claims_across_processes(("sql", url))
    assert sorted(counts) == list(range(KEYS))
    assert set(counts.values()) == {1}
    clock = Clock()
    store = SqlSeen(url, ttl=60, clock=clock)
    assert store.claim("pg-ttl") and not store.claim("pg-ttl")
    clock.now += 61
    assert store.claim("pg-ttl")
