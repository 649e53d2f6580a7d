"""Helpers shared by the Telegram and Viber channels."""

from __future__ import annotations

import hmac
import json
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.knowledge import default_knowledge
from bot.langid import detect_writing_form, reply_language


def secrets_match(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing secret on either side never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def client_language(code: str | None) -> str:
    """The reply language for a messenger's language code ("bg", "en-US", None)."""
    return "bg" if (code or "").lower().startswith("bg") else "en"


def greet_payload(language: str) -> str:
    """A greeting that also sets the conversation language (the `language` slot's entity)."""
    return f"/greet{json.dumps({'language': language})}"


def channel_text(key: str, language: str) -> str:
    return default_knowledge().data["channel_texts"][key][language]


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def warn_about_password(output: OutputChannel, recipient: str, text: str) -> None:
    """Tell the customer never to share a password, in the language they wrote in."""
    language = reply_language(detect_writing_form(text)) or "bg"
    await output.send_text_message(recipient, channel_text("password", language))
