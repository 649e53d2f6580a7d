"""Failures of the parts around Rasa: the action server going away and coming back."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.knowledge import KnowledgeBase
from bot.processes import ProcessGroup, action_server_cmd, start_assistant, wait_until_up
from tests.conftest import ARTIFACTS, free_port

pytestmark = pytest.mark.e2e


class Assistant:
    def __init__(self, group: ProcessGroup, rasa_port: int, action_port: int) -> None:
        self.group, self.rasa_port, self.action_port = group, rasa_port, action_port
        self.url = f"http://localhost:{rasa_port}/webhooks/rest/webhook"

    def ask(self, text: str, sender: str) -> list[dict]:
        response = requests.post(self.url, json={"sender": sender, "message": text}, timeout=60)
        assert response.status_code == 200
        return response.json()


@pytest.fixture(scope="module")
def own_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """A private assistant: these tests stop its action server."""
    work: Path = tmp_path_factory.mktemp("faults")
    rasa_port, action_port = free_port(), free_port()
    group = ProcessGroup()
    group.env.update(RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port), TRACKER_DB=str(work / "t.db"))
    (ARTIFACTS / "faults").mkdir(parents=True, exist_ok=True)
    try:
        start_assistant(group, rasa_port, action_port, log_dir=ARTIFACTS / "faults")
        yield Assistant(group, rasa_port, action_port)
    finally:
        group.stop()


def test_action_server_down_gives_an_apology_and_recovers(
    own_assistant: Assistant, kb: KnowledgeBase
) -> None:
    sender = f"fault-{uuid.uuid4().hex[:6]}"
    first = own_assistant.ask("why is my mailbox full?", sender)
    assert kb.statements["imap.con.full"]["en"][1:] in first[0]["text"]

    actions = own_assistant.group.procs[0]  # start_assistant starts the action server first
    actions.terminate()
    actions.wait(30)
    replies = own_assistant.ask("what are the disadvantages of POP3?", sender)
    assert [r["text"] for r in replies] == [
        kb.data["channel_texts"]["unavailable"]["en"].format(phone=kb.phone)
    ]
    replies = own_assistant.ask("какво е IMAP", sender)
    assert replies[0]["text"] == kb.data["channel_texts"]["unavailable"]["bg"].format(phone=kb.phone)

    restarted = own_assistant.group.start(
        action_server_cmd(own_assistant.action_port), ARTIFACTS / "faults" / "actions-restarted.log"
    )
    wait_until_up(f"http://localhost:{own_assistant.action_port}/health", 120, restarted)
    replies = own_assistant.ask("what are the disadvantages of POP3?", sender)
    assert kb.statements["pop3.con.spam"]["en"][1:] in replies[0]["text"]


def test_conversation_survives_a_rasa_restart(own_assistant: Assistant, kb: KnowledgeBase) -> None:
    """The SQLite tracker store keeps the conversation (and its protocol in context)."""
    from bot.processes import rasa_server_cmd

    sender = f"restart-{uuid.uuid4().hex[:6]}"
    own_assistant.ask("What are the advantages of IMAP?", sender)
    rasa = next(p for p in own_assistant.group.procs if "actions" not in p.args and p.poll() is None)
    rasa.terminate()
    rasa.wait(60)
    restarted = own_assistant.group.start(
        rasa_server_cmd(own_assistant.rasa_port, env=own_assistant.group.env),
        ARTIFACTS / "faults" / "rasa-restarted.log",
    )
    wait_until_up(f"http://localhost:{own_assistant.rasa_port}/", 300, restarted)
    replies = own_assistant.ask("and the disadvantages?", sender)
    assert kb.statements["imap.con.full"]["en"][1:] in replies[0]["text"]


def test_unreachable_database_at_start_is_a_clear_error(tmp_path: Path) -> None:
    from bot.processes import PROJECT_DIR

    env = {
        **os.environ,
        "RASA_ENDPOINTS": "endpoints.scaled.yml",
        "DB_HOST": "127.0.0.1",
        "DB_PORT": str(free_port()),  # nothing listens there
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(free_port()),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "PostgreSQL at 127.0.0.1:" in result.stderr and "unreachable" in result.stderr
    assert "Traceback" not in result.stderr
