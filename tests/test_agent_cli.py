"""`python -m bot assist` and `python -m bot analytics --csv`, as an agent runs them.

assist runs with no Rasa server to ask, so it loads models/current.tar.gz in-process.
analytics reads a tracker store written by Rasa's own SQLTrackerStore (write_trackers).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import KnowledgeBase
from bot.privacy import MASK
from bot.processes import MODEL
from bot.settings import PROJECT_DIR
from tests.conftest import free_port


@dataclass
class StoredConversation:
    """A conversation to store: (text, intent, confidence) turns and the slots it set."""

    sender: str
    turns: list[tuple[str, str, float]]
    language: str | None = None
    channel: str = "rest"
    handoff: str | None = None
    bot_says: list[str] = field(default_factory=list)


def write_trackers(conversations: Iterable[StoredConversation], **store: Any) -> None:
    """Store the conversations with Rasa's SQLTrackerStore (its own table and JSON format)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))
    tracker_store = SQLTrackerStore(domain, **store)
    for conversation in conversations:
        events: list[Any] = [ActionExecuted("action_listen")]
        for text, intent, confidence in conversation.turns:
            parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
            events.append(UserUttered(text, parse["intent"], [], parse, input_channel=conversation.channel))
            if conversation.language:
                events.append(SlotSet("language", conversation.language))
            events += [ActionExecuted("action_answer"), *(BotUttered(t) for t in conversation.bot_says)]
        if conversation.handoff:
            at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            events += [SlotSet("handoff_reason", conversation.handoff), SlotSet("handoff_at", at)]
        tracker = DialogueStateTracker.from_events(conversation.sender, events, domain.slots)
        asyncio.run(tracker_store.save(tracker))


def run_bot(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def offline_env() -> dict[str, str]:
    """No Rasa server to ask: no token, and RASA_URL on a port nothing listens on."""
    env = {k: v for k, v in os.environ.items() if k != "RASA_AUTH_TOKEN"}
    env.update(RASA_URL=f"http://127.0.0.1:{free_port()}", TF_CPP_MIN_LOG_LEVEL="2")
    return env


def test_assist_prints_intents_and_both_languages(offline_env: dict[str, str], kb: KnowledgeBase) -> None:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train`")
    result = run_bot("assist", "kak da nastroya outlook", env=offline_env)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "setup_email_client" in out.split("Intents:")[1].splitlines()[1]  # the top intent
    assert "email_client = Outlook" in out
    for lang in ("bg", "en"):
        answer = kb.answer("setup_email_client", lang, None, "Outlook")
        assert answer.text in out
        assert answer.links and all(link.url in out.split("Links:")[1] for link in answer.links)
    assert "Български (bg)" in out and "English (en)" in out
    assert "loading current.tar.gz in-process" in result.stderr


def test_assist_masks_a_password_and_speaks_json(offline_env: dict[str, str]) -> None:
    result = run_bot("assist", "--json", "паролата ми е Kotka123!", "кутията ми е пълна", env=offline_env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Kotka123" not in result.stdout + result.stderr
    suggestion = json.loads(result.stdout)
    assert suggestion["password_masked"] and MASK in suggestion["query"]
    assert suggestion["intent"]["name"] == "mailbox_full"
    assert set(suggestion["answers"]) == {"bg", "en"}


def test_assist_refuses_an_empty_message(offline_env: dict[str, str]) -> None:
    assert run_bot("assist", " ", env=offline_env).returncode == 2


@pytest.mark.filterwarnings("ignore::UserWarning")  # Rasa on loading domain.yml
def test_analytics_csv(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    write_trackers(
        [
            StoredConversation("c1", [("защо кутията ми е пълна", "mailbox_full", 0.97)], "bg"),
            StoredConversation("c2", [("hello", "greet", 0.9), ("blorp", "nlu_fallback", 0.3)], "en"),
            StoredConversation("c3", [("=HYPERLINK(1)", "nlu_fallback", 0.3)], "bg", "telegram", "requested"),
        ],
        dialect="sqlite",
        db=str(db),
    )
    env = {**os.environ, "TRACKER_DB": str(db), "RASA_ENDPOINTS": "endpoints.yml"}
    out = tmp_path / "analytics.csv"
    result = run_bot("analytics", "--csv", str(out), env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["metric", "key", "value"]
    table = {(metric, key): value for metric, key, value in rows[1:]}
    assert table[("conversations", "")] == "3"
    assert table[("handed_over", "")] == "1"
    assert float(table[("containment_rate", "")]) == pytest.approx(2 / 3, abs=1e-4)
    assert table[("user_messages", "")] == "4"
    assert float(table[("fallback_rate", "")]) == pytest.approx(0.5)
    assert table[("conversations_per_channel", "rest")] == "2"
    assert table[("conversations_per_channel", "telegram")] == "1"
    assert table[("conversations_per_language", "bg")] == "2"
    assert table[("top_intent", "nlu_fallback")] == "2"
    # A message that looks like a formula is kept from running in a spreadsheet.
    assert table[("unanswered", "'=HYPERLINK(1)")] == "1"
    assert "Conversations: 3" in result.stdout


def test_analytics_of_an_empty_store(tmp_path: Path) -> None:
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "missing.db"), "RASA_ENDPOINTS": "endpoints.yml"}
    out = tmp_path / "empty.csv"
    result = run_bot("analytics", "--csv", str(out), env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.read_text(encoding="utf-8").splitlines()[:2] == ["metric,key,value", "conversations,,0"]
    assert not (tmp_path / "missing.db").exists()  # reading never creates the database
