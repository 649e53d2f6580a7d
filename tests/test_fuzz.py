"""Fuzzing the public endpoints with malformed and hostile payloads (hypothesis).

Each endpoint gets FUZZ_EXAMPLES (default 1000) payloads: broken JSON, wrong types, huge
strings, invalid UTF-8, control characters, deep nesting. None may get a 5xx, and a normal
message must be answered afterwards.
"""

from __future__ import annotations

import json
import os

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.viber import signature
from tests.conftest import TELEGRAM, VIBER, LiveAssistant

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same payloads every run: a failure is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SESSION = requests.Session()

texts = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=30),  # control characters
    st.just("x" * 70_000),
    st.sampled_from(["", " ", "🙂" * 500, "<script>alert(1)</script>", "' OR 1=1 --", "/greet{", "/restart"]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def deep(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


raw_bodies = st.one_of(
    st.binary(max_size=300),  # includes invalid UTF-8
    st.builds(lambda v: json.dumps(v).encode(), json_values),
    st.builds(deep, st.integers(min_value=100, max_value=5000)),
    st.builds(lambda t: json.dumps(t).encode()[:-1], json_values),  # truncated JSON
)


def rest_bodies() -> st.SearchStrategy[bytes]:
    shaped = st.fixed_dictionaries(
        {
            "sender": st.one_of(st.text(min_size=1, max_size=40), scalars),
            "message": st.one_of(texts, json_values),
        },
        optional={"metadata": json_values},
    )
    return st.one_of(raw_bodies, shaped.map(lambda d: json.dumps(d).encode()))


def telegram_bodies() -> st.SearchStrategy[bytes]:
    message = st.fixed_dictionaries(
        {
            "chat": st.one_of(st.fixed_dictionaries({"id": st.integers()}), json_values),
            "text": st.one_of(texts, json_values),
        },
        optional={"from": json_values, "message_id": scalars, "photo": json_values},
    )
    update = st.fixed_dictionaries(
        {"update_id": scalars},
        optional={"message": message, "edited_message": message, "callback_query": json_values},
    )
    return st.one_of(raw_bodies, update.map(lambda d: json.dumps(d).encode()))


def viber_bodies() -> st.SearchStrategy[bytes]:
    event = st.fixed_dictionaries(
        {
            "event": st.one_of(
                st.sampled_from(["message", "conversation_started", "subscribed", "seen", "webhook"]), scalars
            )
        },
        optional={
            "sender": st.one_of(
                st.fixed_dictionaries({"id": st.text(max_size=20)}, optional={"language": scalars}),
                json_values,
            ),
            "user": json_values,
            "message": st.one_of(
                st.fixed_dictionaries({"type": st.just("text"), "text": texts}), json_values
            ),
        },
    )
    return st.one_of(raw_bodies, event.map(lambda d: json.dumps(d).encode()))


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> int:
    response = SESSION.post(
        url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=60
    )
    return response.status_code


def test_fuzz_rest(assistant: LiveAssistant) -> None:
    @FUZZ
    @given(rest_bodies())
    def check(body: bytes) -> None:
        assert post(f"{assistant.url}/webhooks/rest/webhook", body) < 500, body[:200]

    check()
    assert assistant.ask("why is my mailbox full?", sender="after-fuzz-rest")


def test_fuzz_telegram(assistant: LiveAssistant) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM["TELEGRAM_SECRET_TOKEN"]}

    @FUZZ
    @given(telegram_bodies())
    def check(body: bytes) -> None:
        assert post(f"{assistant.url}/webhooks/telegram/webhook", body, headers) < 500, body[:200]

    check()
    assert assistant.ask("what is imap", sender="after-fuzz-telegram")


def test_fuzz_viber(assistant: LiveAssistant) -> None:
    @FUZZ
    @given(viber_bodies())
    def check(body: bytes) -> None:
        headers = {"X-Viber-Content-Signature": signature(body, VIBER["VIBER_AUTH_TOKEN"])}
        assert post(f"{assistant.url}/webhooks/viber/webhook", body, headers) < 500, body[:200]

    check()
    assert assistant.ask("what is pop3", sender="after-fuzz-viber")


def test_fuzz_socketio(assistant: LiveAssistant) -> None:
    """Malformed socket.io events (the widget's channel): dropped, or the socket is closed by the
    server (oversized packets); never fatal: the server answers a normal message afterwards."""
    import queue

    import socketio

    replies: queue.Queue = queue.Queue()

    def connect() -> socketio.Client:
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", lambda data: replies.put(data))
        client.connect(assistant.url, transports=["polling"], socketio_path="socket.io", wait_timeout=30)
        return client

    clients = [connect()]
    try:

        @FUZZ
        @given(st.sampled_from(["user_uttered", "session_request"]), json_values)
        def check(event: str, data: object) -> None:
            if not clients[-1].connected:  # the server may close a socket that sent garbage
                clients.append(connect())
            try:
                clients[-1].emit(event, data)
            except socketio.exceptions.BadNamespaceError:
                clients.append(connect())

        check()
        client = connect()
        clients.append(client)
        session = f"after-fuzz-socket-{os.getpid()}"
        client.emit("session_request", {"session_id": session})
        client.sleep(1)
        while not replies.empty():
            replies.get_nowait()
        client.emit("user_uttered", {"message": "why is my mailbox full?", "session_id": session})
        answer = replies.get(timeout=60)
        assert "IMAP" in answer["text"]
    finally:
        for client in clients:
            if client.connected:
                client.eio.disconnect(abort=True)  # no wait for the long poll in flight
