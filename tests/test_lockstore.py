"""The Redis lock store serialises one conversation across OS processes (real redis-server).

Each worker process owns its own lock store, as each Rasa replica does, and increments a
shared counter inside the lock with a read, a pause and a write. Any overlap of two
critical sections loses an increment, so the final count proves mutual exclusion.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot import localservices
from bot.lockstore import AtomicRedisLockStore
from bot.processes import ProcessGroup

pytestmark = pytest.mark.skipif(
    not localservices.redis_available(), reason="needs Debian's redis-server"
)
WORKERS = 6
ROUNDS = 25


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    group = ProcessGroup()
    try:
        yield localservices.start_redis(group, tmp_path_factory.mktemp("redis"))
    finally:
        group.stop()


def _worker(port: int, conversation: str, rounds: int) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=port, db=0)
    counter = redis.Redis(host="127.0.0.1", port=port, db=1)

    async def run() -> None:
        for _ in range(rounds):
            async with store.lock(conversation, wait_time_in_seconds=0.005):
                seen = int(counter.get(conversation) or 0)
                await asyncio.sleep(0.002)  # a window in which an intruder would overlap
                counter.set(conversation, seen + 1)

    asyncio.run(run())


def test_processes_never_overlap_inside_the_lock(redis_port: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    conversation = f"race-{time.time_ns()}"
    workers = [ctx.Process(target=_worker, args=(redis_port, conversation, ROUNDS)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    counted = int(redis.Redis(host="127.0.0.1", port=redis_port, db=1).get(conversation))
    assert counted == WORKERS * ROUNDS
    # The last ticket's cleanup removed the lock: nothing is left to block the conversation.
    assert not redis.Redis(host="127.0.0.1", port=redis_port, db=0).keys(f"*{conversation}")


def test_endpoint_config_builds_it_and_tickets_are_issued_in_order(redis_port: int) -> None:
    config = EndpointConfig(url="127.0.0.1", type="bot.lockstore.AtomicRedisLockStore", port=redis_port, db=0)
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    conversation = f"order-{time.time_ns()}"
    tickets = [store.issue_ticket(conversation) for _ in range(3)]
    assert tickets == [0, 1, 2]
    lock = store.get_lock(conversation)
    assert lock is not None and not lock.is_locked(0) and lock.is_locked(1)
    store.cleanup(conversation, 0)
    lock = store.get_lock(conversation)
    assert lock is not None and not lock.is_locked(1)
    store.cleanup(conversation, 1)
    store.cleanup(conversation, 2)
    assert store.get_lock(conversation) is None


def test_an_abandoned_lock_expires_with_its_tickets(redis_port: int) -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_port, db=0)
    conversation = f"crash-{time.time_ns()}"
    store.issue_ticket(conversation, lock_lifetime=0.3)  # its process "dies" without cleanup
    key = store.key_prefix + conversation
    assert 0 < store.red.pttl(key) <= 1300
    time.sleep(1.5)
    assert store.get_lock(conversation) is None
    assert store.issue_ticket(conversation) == 0
