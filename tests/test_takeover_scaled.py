"""Live takeover on the scaled setup: PostgreSQL tracker store, Redis lock store, and two web
replicas (bot.web) that share the claims table. Two agents race for one conversation through
both replicas at once: the database's primary key lets exactly one claim through.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa

from bot import localservices
from bot.agent.store import AUDIT, CLAIMS, TrackerDatabase
from bot.processes import ProcessGroup
from bot.retention import erase
from tests.standin import StandIn
from tests.test_takeover import IVAN, MARIA, TakeoverStack, takeover_stack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        localservices.postgres_bin() is None or not localservices.redis_available(),
        reason="needs Debian's postgresql and redis-server (scripts/install-system-deps)",
    ),
]
RACERS = 10


@pytest.fixture(scope="module")
def scaled(
    tmp_path_factory: pytest.TempPathFactory, standin: StandIn
) -> Iterator[tuple[TakeoverStack, dict]]:
    work = tmp_path_factory.mktemp("takeover-scaled")
    services = ProcessGroup()
    try:
        env = localservices.scaled_env(
            localservices.start_postgres(services), localservices.start_redis(services, work)
        )
        with takeover_stack(work, standin, env, web_replicas=2) as stack:
            yield stack, env
    finally:
        services.stop()


def rows(env: dict, table: sa.Table, sender: str) -> list[sa.Row]:
    db = TrackerDatabase.from_env(env)
    with db.reader().connect() as connection:
        return list(connection.execute(sa.select(table).where(table.c.sender_id == sender)))


def test_two_replicas_two_agents_one_claim(scaled: tuple[TakeoverStack, dict]) -> None:
    stack, env = scaled
    sender = f"race-{uuid.uuid4().hex[:8]}"
    assert stack.ask("искам да говоря с човек", sender)

    start = threading.Barrier(RACERS)
    answers: list[tuple[str, int]] = []

    def race(number: int) -> None:
        agent = (MARIA, IVAN)[number % 2]
        url = stack.replicas[number // 2 % 2]
        start.wait()
        response = requests.post(f"{url}/agent/api/conversations/{sender}/claim", auth=agent, timeout=60)
        answers.append((agent[0], response.status_code))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [agent for agent, status in answers if status == 200]
    assert len(winners) == 1, answers
    assert sorted(status for _, status in answers) == [200] + [409] * (RACERS - 1)
    holder = {"maria": MARIA, "ivan": IVAN}[winners[0]]
    assert [(r.agent) for r in rows(env, CLAIMS, sender)] == [winners[0]]
    assert [(r.action, r.agent) for r in rows(env, AUDIT, sender)] == [("claim", winners[0])]

    # The holder replies through the other replica; the customer's message gets no answer.
    other = stack.replicas[1]
    reply = requests.post(
        f"{other}/agent/api/conversations/{sender}/reply", auth=holder, json={"text": "Тук съм."}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    assert stack.ask("благодаря", sender) == []
    transcript = stack.get(f"/agent/api/conversations/{sender}", auth=holder).json()
    assert ("agent", "Тук съм.") in [(m["type"], m.get("text")) for m in transcript["messages"]]
    assert transcript["takeover"]["claim"]["agent"] == winners[0]

    release = requests.post(f"{other}/agent/api/conversations/{sender}/release", auth=holder, timeout=60)
    assert release.status_code == 200, release.text
    assert stack.ask("какво е IMAP", sender), "the assistant answers after the release"
    assert [r.action for r in rows(env, AUDIT, sender)] == ["claim", "reply", "release"]

    erased = erase(TrackerDatabase.from_env(env), sender)
    assert erased is not None and erased.agent_rows == 3  # the audit; the claim was released
    assert rows(env, AUDIT, sender) == [] and rows(env, CLAIMS, sender) == []
