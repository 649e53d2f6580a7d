"""Pasted credentials reach no store, no log and no API, whatever channel they come through.

Every "with secret" message of tests/fixtures/credentials.yml is sent over REST, and a sample
over socket.io (the widget's channel), to the real servers: each must get the "never share
your password" warning in the customer's language, and afterwards no secret may be found in
the raw bytes of the SQLite tracker store, in any log file, in Rasa's HTTP API tracker or in
the agent API. The second half runs its own stack with LOG_LEVEL=DEBUG and
LOG_LEVEL_LIBRARIES=DEBUG, the most Rasa ever logs, plus the agent web app
(tests/test_agent_api.py's agent_stack), whose API and logs are searched too. It also runs
with MASK_CONTACTS=1: its store, API and agent API keep no e-mail address either, where the
session's assistant (the default) keeps them for the agents. No log of either keeps one.

A secret is searched for as it is written and as JSON stores it (Rasa's json.dumps escapes
non-ASCII characters, so a Cyrillic secret would not appear as UTF-8 in the database).
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.channels.common import channel_text
from bot.langid import reply_language
from bot.privacy import EMAIL_MASK, MASK
from tests.conftest import API_TOKEN, ARTIFACTS, LiveAssistant, load_fixture
from tests.test_agent_api import RASA_TOKEN, AgentStack, agent_stack

pytestmark = pytest.mark.e2e

WITH_SECRET: list[dict[str, Any]] = load_fixture("credentials.yml")["with_secret"]
# socket.io needs a connection per message: the seven phrasings and every fifth other.
SOCKET_SAMPLE = WITH_SECRET[:7] + WITH_SECRET[7::5]
# bot/langid.py counts the Latin-script Bulgarian "i" (и) and "s" (с) as English words, so
# this message, once masked, reads as English and gets the English warning (not a masking
# problem: the unmasked message reads as English too).
KNOWN_WRONG_LANGUAGE = {"probvah i s Tea2024 i s Tea2024!! nishto": "en"}
DEBUG_STACK = "credentials-debug"  # its logs: tests/artifacts/credentials-debug-*.log
# An innocent message (nothing masked), sent first: the searches must find its words where
# they would find a secret, or an empty search would pass for a clean store.
CONTROL = {"lang": "bg", "text": "излиза съобщение „Невалидна парола“, какво да правя", "secrets": []}
CONTROL_WORDS = ["Невалидна парола"]


@dataclass
class Sent:
    item: dict[str, Any]
    channel: str
    sender: str
    replies: list[dict[str, Any]]


def expected_language(item: dict[str, Any]) -> str:
    """The warning's language: the writing form's, or the default (bg) for "none"."""
    return reply_language(item["lang"]) or "bg"


def secrets_of(items: Iterable[dict[str, Any]]) -> set[str]:
    return {secret for item in items for secret in item["secrets"]}


def encodings(secret: str) -> set[bytes]:
    """The secret as UTF-8 and as json.dumps writes it ("\\u0441..." for Cyrillic, \\" ...)."""
    return {secret.encode(), json.dumps(secret)[1:-1].encode()}


def found_in(blob: bytes | str, secrets: Iterable[str]) -> list[str]:
    data = blob.encode() if isinstance(blob, str) else blob
    return sorted(s for s in secrets if any(form in data for form in encodings(s)))


# --- the two channels -----------------------------------------------------------------------
def ask_rest(url: str, text: str, sender: str) -> list[dict[str, Any]]:
    response = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    return response.json()


def ask_socketio(url: str, text: str, session: str, timeout: float = 60) -> list[dict[str, Any]]:
    """One widget session: the warning and at least one answer (every message gets one)."""
    import socketio

    replies: queue.Queue = queue.Queue()
    confirmed = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", lambda *_: confirmed.set())
    # No Origin header: not a browser, which the channel's origin check lets through.
    client.connect(url, transports=["polling"], socketio_path="socket.io", wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(30), "no session_confirm"
        client.emit("user_uttered", {"message": text, "session_id": session})
        return [replies.get(timeout=timeout) for _ in range(2)]
    finally:
        # Engine.io's close packet, without waiting for the long poll in flight to return
        # (up to the 25 s ping interval, which made this file take minutes).
        client.eio.disconnect(abort=True)


def send_everything(url: str, prefix: str) -> list[Sent]:
    """The control message first, then every item over REST and the sample over socket.io."""
    control = f"{prefix}-control-{uuid.uuid4().hex[:6]}"
    sent = [Sent(CONTROL, "rest", control, ask_rest(url, CONTROL["text"], control))]
    for index, item in enumerate(WITH_SECRET):
        sender = f"{prefix}-rest-{index}-{uuid.uuid4().hex[:6]}"
        sent.append(Sent(item, "rest", sender, ask_rest(url, item["text"], sender)))
    for index, item in enumerate(SOCKET_SAMPLE):
        session = f"{prefix}-socket-{index}-{uuid.uuid4().hex[:6]}"
        sent.append(Sent(item, "socketio", session, ask_socketio(url, item["text"], session)))
    return sent


def stored_tracker(url: str, token: str, sender: str, timeout: float = 60) -> dict[str, Any]:
    """The conversation from Rasa's HTTP API once its user message is stored.

    A socket.io reply is emitted before Rasa saves the conversation, so the searches below
    wait for this: searching a store the message has not reached yet would prove nothing.
    """
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30)
        response.raise_for_status()
        tracker = response.json()
        if any(e.get("event") == "user" for e in tracker.get("events") or []):
            return tracker
        assert time.monotonic() < deadline, f"the message of {sender} was never stored"
        time.sleep(0.5)


# --- checks shared by both stacks -----------------------------------------------------------
def check_warnings(sent: list[Sent]) -> None:
    wrong, wrong_language = [], {}
    for s in sent:
        if s.item is CONTROL:
            assert channel_text("password", "bg") not in [r.get("text") for r in s.replies]
            continue
        language = expected_language(s.item)
        texts = [r.get("text") for r in s.replies]
        if texts[0] == channel_text("password", language) and len(texts) > 1:
            continue
        other = "en" if language == "bg" else "bg"
        if texts[0] == channel_text("password", other):
            wrong_language[s.item["text"]] = other
        else:
            wrong.append((s.channel, s.item["text"], texts[:2]))
    assert not wrong, f"no password warning (or no answer after it): {wrong}"
    # Exactly the known cases (if one is fixed in bot/langid.py, drop it from the list).
    texts = {s.item["text"] for s in sent}
    assert wrong_language == {t: lang for t, lang in KNOWN_WRONG_LANGUAGE.items() if t in texts}


def check_api_trackers(url: str, token: str, sent: list[Sent], contacts_kept: bool = True) -> None:
    """No secret in any conversation as Rasa's HTTP API returns it; the masked text is there."""
    for s in sent:
        tracker = stored_tracker(url, token, s.sender)
        dumped = json.dumps(tracker, ensure_ascii=False)
        if s.item is CONTROL:
            assert found_in(dumped, CONTROL_WORDS) == CONTROL_WORDS
            continue
        assert not found_in(dumped, s.item["secrets"]), f"secret in the tracker of {s.sender}"
        user_texts = [e.get("text") or "" for e in tracker["events"] if e.get("event") == "user"]
        assert any(MASK in text for text in user_texts), (s.sender, user_texts)
        for kept in s.item.get("keep", []):  # e-mail addresses are not secrets: agents need them
            assert any(kept in text for text in user_texts) == contacts_kept, (kept, user_texts)


def check_database(tracker_db: Path, sent: list[Sent], contacts_kept: bool = True) -> None:
    files = sorted(tracker_db.parent.glob(tracker_db.name + "*"))  # with -journal / -wal, if any
    assert tracker_db in files
    blob = b"".join(path.read_bytes() for path in files)
    assert not found_in(blob, secrets_of(s.item for s in sent)), f"secret in {tracker_db}"
    assert MASK.encode() in blob
    assert found_in(blob, CONTROL_WORDS) == CONTROL_WORDS  # stored JSON-escaped, and found
    for s in sent:  # the search can see what was stored: the senders and the kept addresses are there
        assert s.sender.encode() in blob
        assert all((kept.encode() in blob) == contacts_kept for kept in s.item.get("keep", []))
    assert (EMAIL_MASK.encode() in blob) != contacts_kept


def check_logs(logs: list[Path], sent: list[Sent]) -> None:
    """No secret, and no e-mail address (which the database may keep), in any log file."""
    assert logs
    secrets = secrets_of(s.item for s in sent) | {kept for s in sent for kept in s.item.get("keep", [])}
    leaks = {str(path): found_in(path.read_bytes(), secrets) for path in logs}
    assert not {path: hits for path, hits in leaks.items() if hits}


# --- the session's assistant (tests/conftest.py) --------------------------------------------
@pytest.fixture(scope="module")
def sent(assistant: LiveAssistant) -> list[Sent]:
    return send_everything(assistant.url, "cred")


def test_every_pasted_secret_gets_the_warning(sent: list[Sent]) -> None:
    assert len([s for s in sent if s.channel == "socketio"]) >= 20
    check_warnings(sent)


def test_no_secret_in_rasas_http_api_tracker(assistant: LiveAssistant, sent: list[Sent]) -> None:
    check_api_trackers(assistant.url, API_TOKEN, sent)


def test_no_secret_in_the_tracker_database(assistant: LiveAssistant, sent: list[Sent]) -> None:
    for s in sent:
        stored_tracker(assistant.url, API_TOKEN, s.sender)
    check_database(assistant.tracker_db, sent)


def test_no_secret_in_any_log(assistant: LiveAssistant, sent: list[Sent]) -> None:
    for s in sent:
        stored_tracker(assistant.url, API_TOKEN, s.sender)
    check_logs(sorted(assistant.log_dir.rglob("*.log")), sent)


# --- a stack at LOG_LEVEL=DEBUG, with the agent web app -------------------------------------
@pytest.fixture(scope="module")
def debug_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentStack]:
    for old in ARTIFACTS.glob(f"{DEBUG_STACK}-*.log"):  # appended to by every run: start clean
        old.unlink()
    # Rasa and the libraries under it (Sanic, socket.io, engineio) at their most verbose. The
    # action server does not read LOG_LEVEL (only `rasa run actions --debug`); it only ever
    # receives conversations that are already masked.
    debug = {"LOG_LEVEL": "DEBUG", "LOG_LEVEL_LIBRARIES": "DEBUG", "MASK_CONTACTS": "1"}
    with agent_stack(tmp_path_factory.mktemp("credentials"), DEBUG_STACK, debug) as stack:
        yield stack


@pytest.fixture(scope="module")
def debug_sent(debug_stack: AgentStack) -> list[Sent]:
    sent = send_everything(debug_stack.rasa_url, "cred-debug")
    for s in sent:
        stored_tracker(debug_stack.rasa_url, RASA_TOKEN, s.sender)
    return sent


def test_debug_logs_show_no_secret(debug_stack: AgentStack, debug_sent: list[Sent]) -> None:
    check_warnings(debug_sent)
    logs = sorted(ARTIFACTS.glob(f"{DEBUG_STACK}-*.log"))
    assert {path.name for path in logs} >= {f"{DEBUG_STACK}-rasa.log", f"{DEBUG_STACK}-actions.log"}
    rasa_log = (ARTIFACTS / f"{DEBUG_STACK}-rasa.log").read_bytes()
    # It is a debug log, and it does record the customers' messages: masked, and the control
    # message as it was written.
    assert b" DEBUG " in rasa_log and MASK.encode() in rasa_log and EMAIL_MASK.encode() in rasa_log
    assert found_in(rasa_log, CONTROL_WORDS) == CONTROL_WORDS
    check_logs(logs, debug_sent)
    check_database(debug_stack.tracker_db, debug_sent, contacts_kept=False)
    check_api_trackers(debug_stack.rasa_url, RASA_TOKEN, debug_sent, contacts_kept=False)


def test_no_secret_reaches_the_agent_api(debug_stack: AgentStack, debug_sent: list[Sent]) -> None:
    secrets = secrets_of(s.item for s in debug_sent) | {k for s in debug_sent for k in s.item.get("keep", [])}
    for s in debug_sent[1:]:  # after the control message
        conversation = debug_stack.api(f"conversations/{s.sender}")
        hidden = s.item["secrets"] + s.item.get("keep", [])  # MASK_CONTACTS=1 in this stack
        assert not found_in(json.dumps(conversation, ensure_ascii=False), hidden)
        said = [m["text"] for m in conversation["messages"] if m["type"] == "user"]
        assert any(MASK in text for text in said), said
    for path in ["handoffs", "analytics"]:
        assert not found_in(json.dumps(debug_stack.api(path), ensure_ascii=False), secrets), path
    csv = debug_stack.get("/agent/api/analytics.csv")
    assert csv.status_code == 200 and not found_in(csv.content, secrets)
    # An agent pasting the customer's message into "Suggest" gets it back masked.
    for item in WITH_SECRET:
        result = debug_stack.api("suggest", params={"q": item["text"]})
        assert result["password_masked"] and MASK in result["query"], item["text"]
        assert not found_in(json.dumps(result, ensure_ascii=False), item["secrets"]), item["text"]
    check_logs(sorted(ARTIFACTS.glob(f"{DEBUG_STACK}-*.log")), debug_sent)  # the suggestions too
