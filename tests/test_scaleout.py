"""Two Rasa processes sharing PostgreSQL (tracker store) and Redis (lock store) under load.

50 concurrent senders spread over both processes. Every message gets its reply, follow-ups
see the context that the other process wrote, and no conversation sees another's messages.
A burst phase sends several messages of the same conversation to both processes at once:
the Redis lock store must serialise them (each user message is fully handled before the next).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from bot import localservices
from bot.knowledge import KnowledgeBase
from bot.processes import ProcessGroup, rasa_server_cmd, start_assistant, wait_until_up
from tests.conftest import ARTIFACTS, free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not localservices.available(), reason="needs Debian's postgresql and redis-server"),
]
SENDERS = 50
TOKEN = "scaleout-token"


class Cluster:
    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self.session = requests.Session()
        self.session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=64))

    def ask(self, replica: int, sender: str, text: str) -> list[dict]:
        url = f"{self.urls[replica % len(self.urls)]}/webhooks/rest/webhook"
        response = self.session.post(url, json={"sender": sender, "message": text}, timeout=120)
        assert response.status_code == 200, response.text[:200]
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = self.session.get(
            f"{self.urls[0]}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    work: Path = tmp_path_factory.mktemp("scaleout")
    logs = ARTIFACTS / "scaleout"
    logs.mkdir(parents=True, exist_ok=True)
    group = ProcessGroup()
    try:
        pg_port = localservices.start_postgres(group)
        redis_port = localservices.start_redis(group, work)
        ports = [free_port(), free_port()]
        action_port = free_port()
        group.env.update(
            localservices.scaled_env(pg_port, redis_port),
            ACTION_PORT=str(action_port),
            RASA_AUTH_TOKEN=TOKEN,
            RATE_LIMIT_PER_MINUTE="0",
        )
        start_assistant(group, ports[0], action_port, log_dir=logs)
        second = group.start(rasa_server_cmd(ports[1], env=group.env), logs / "rasa-2.log")
        wait_until_up(f"http://localhost:{ports[1]}/", 300, second)
        yield Cluster([f"http://localhost:{p}" for p in ports])
    finally:
        group.stop()


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_fifty_senders_over_two_processes(cluster: Cluster, kb: KnowledgeBase) -> None:
    run = uuid.uuid4().hex[:6]

    def conversation(i: int) -> tuple[str, list[str]]:
        sender = f"load-{run}-{i}"
        protocol = "imap" if i % 2 else "pop3"
        name = protocol.upper()
        said = [f"what are the advantages of {name}? ref {i}", f"and the disadvantages? ref {i}"]
        first = text_of(cluster.ask(i, sender, said[0]))
        assert kb.statements[kb.groups[f"{protocol}.advantages"][0]]["en"][1:] in first
        # The follow-up goes to the *other* process: the context must come from PostgreSQL.
        second = text_of(cluster.ask(i + 1, sender, said[1]))
        assert kb.statements[kb.groups[f"{protocol}.disadvantages"][0]]["en"][1:] in second
        return sender, said

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        results = list(pool.map(conversation, range(SENDERS)))

    for i, (sender, said) in enumerate(results):
        events = cluster.tracker(sender)["events"]
        user_texts = [e["text"] for e in events if e["event"] == "user"]
        assert user_texts == said, f"conversation {i} saw {user_texts}"


def test_bursts_of_one_conversation_are_serialised_by_the_lock_store(cluster: Cluster) -> None:
    run = uuid.uuid4().hex[:6]
    burst = ["what is imap", "what is pop3", "why is my mailbox full", "where are sent mails kept"]

    def fire(job: tuple[int, int]) -> list[dict]:
        i, k = job
        return cluster.ask(k, f"burst-{run}-{i}", burst[k])

    jobs = [(i, k) for i in range(SENDERS // 2) for k in range(len(burst))]
    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        replies = list(pool.map(fire, jobs))
    assert all(r and r[0].get("text") for r in replies), "every message gets its reply"

    for i in range(SENDERS // 2):
        events = cluster.tracker(f"burst-{run}-{i}")["events"]
        kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
        assert sorted(e["text"] for e in events if e["event"] == "user") == sorted(burst)
        # Serialised: every user message is answered before the next one is read.
        assert kinds == ["user", "bot"] * len(burst), kinds
