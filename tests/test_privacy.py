"""Passwords never reach the tracker store or the logs; the customer is warned."""

from __future__ import annotations

import uuid

import pytest

from bot.knowledge import KnowledgeBase
from bot.privacy import MASK, redact
from tests.conftest import LiveAssistant


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("паролата ми е Kotka123!", "Kotka123!"),
        ("my password is hunter2 and it doesnt work", "hunter2"),
        ("password: s3cr3t", "s3cr3t"),
        ("parolata mi e 12345abc", "12345abc"),
        ("pass=qwerty", "qwerty"),
        ("моята парола за пощата е Sofia2024", "Sofia2024"),
    ],
)
def test_passwords_are_masked(text: str, secret: str) -> None:
    masked, found = redact(text)
    assert found
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "text",
    [
        "забравих си паролата",
        "password reset please",
        "паролата не работи",
        "how do I change my password?",
        "my password is wrong",
        "POP3 или IMAP?",
    ],
)
def test_talk_about_passwords_is_left_alone(text: str) -> None:
    assert redact(text) == (text, False)


@pytest.mark.e2e
def test_password_is_nowhere_after_a_conversation(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    secret = f"Zx{uuid.uuid4().hex[:10]}!"
    sender = f"privacy-{uuid.uuid4().hex[:6]}"
    replies = assistant.ask(f"паролата ми е {secret} и пощата не тегли", sender=sender)
    assert replies[0]["text"] == kb.data["channel_texts"]["password"]["bg"]
    assert len(replies) > 1  # the question itself is still answered
    replies = assistant.ask(f"my password is {secret}", sender=sender)
    assert replies[0]["text"] == kb.data["channel_texts"]["password"]["en"]

    stores = [assistant.tracker_db, *assistant.log_dir.glob("*.log")]
    assert assistant.tracker_db.exists()
    for path in stores:
        assert secret.encode() not in path.read_bytes(), f"password found in {path}"
    assert MASK.encode() in assistant.tracker_db.read_bytes()  # the masked message was stored
