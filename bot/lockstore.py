"""A Redis lock store whose ticket operations are atomic across Rasa processes.

Rasa's own `RedisLockStore` changes a conversation's ticket lock by GET, edit in Python,
SET. Two Rasa processes that take a message of the same conversation at the same moment
can both read the same lock, both issue ticket N and both believe they hold the lock; or
one process's SET overwrites a ticket that the other has just added. The two messages are
then handled at once and one of them is lost from the tracker (Rasa issue #9213; our
scale-out test caught it).

Here every change runs as an optimistic Redis transaction (WATCH, read, MULTI, write,
EXEC, retried when another process changed the key in between), so each change applies
to the latest lock. The key also expires with its last ticket, so a process that dies
holding the lock cannot block the conversation for ever.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
# A change returns (value for the caller, the lock to store or None to delete the key).
Change = Callable[[TicketLock | None], tuple[T, TicketLock | None]]

MAX_ATTEMPTS = 1000  # WATCH conflicts clear within a few attempts; this only bounds a bug.


class AtomicRedisLockStore(RedisLockStore):
    """Select it in endpoints with `lock_store: type: bot.lockstore.AtomicRedisLockStore`."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        key = self._key(conversation_id)
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, updated = change(lock)
                    pipe.multi()
                    if updated is None or not updated.tickets:
                        pipe.delete(key)
                    else:
                        pipe.set(key, updated.dumps(), pxat=_expiry_ms(updated))
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another process changed the lock: redo on its version
        raise LockError(f"Could not update the lock of conversation '{conversation_id}'.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: TicketLock | None) -> tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._atomically(conversation_id, change)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def change(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock:
                lock.remove_expired_tickets()
            return None, lock

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def change(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving deletes the key when its last ticket goes, in the same transaction;
        # the stock check-then-delete could delete a ticket issued in between.
        self.finish_serving(conversation_id, ticket_number)


def _expiry_ms(lock: TicketLock) -> int:
    return int(max(ticket.expires for ticket in lock.tickets) * 1000) + 1000
