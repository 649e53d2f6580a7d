"""Helpers shared by the public channels (REST, Telegram, Viber, socket.io)."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from bot.adapters.http import ApiError
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


logger = logging.getLogger(__name__)


def channel_text(key: str, language: str) -> str:
    kb = default_knowledge()
    return kb.data["channel_texts"][key][language].format(phone=kb.phone)


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def warn_about_password(output: OutputChannel, recipient: str, text: str) -> None:
    """Tell the customer never to share a password, in the language they wrote in."""
    language = reply_language(detect_writing_form(text)) or "bg"
    await output.send_text_message(recipient, channel_text("password", language))


class MessengerOutput(OutputChannel):
    """Replies through a messenger API adapter (anything with `send_message(to, text, buttons)`).

    A failed delivery was already retried by the adapter; it is logged and the conversation
    goes on (it is saved, and the customer can write again).
    """

    channel = "messenger"

    def __init__(self, api: Any) -> None:
        self.api = api

    @classmethod
    def name(cls) -> str:
        return cls.channel

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, buttons)

    async def _send(self, recipient: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        try:
            await self.api.send_message(recipient, text, buttons)
        except ApiError:
            logger.exception("%s: could not deliver a reply to %s", self.channel, recipient)


class CountingOutput(OutputChannel):
    """Passes every bot message on to `inner` and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "counting"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


async def handle_or_apologise(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
) -> None:
    """Let Rasa handle `message`; if it produced no reply at all, apologise with the phone.

    Every understood message gets at least one reply, so silence means something failed
    (typically the action server is down, which Rasa itself only logs).
    """
    output = CountingOutput(message.output_channel)
    message.output_channel = output
    try:
        await on_new_message(message)
    except Exception:
        logger.exception("failed to handle a message from %s", message.sender_id)
    if output.sent == 0 and message.text and not await is_paused(message.sender_id):
        language = reply_language(detect_writing_form(message.text)) or "bg"
        await output.inner.send_text_message(message.sender_id, channel_text("unavailable", language))


async def is_paused(sender_id: str) -> bool:
    """Whether an agent has taken the conversation over (bot/channels/agent.py paused it).

    Then silence is the point: Rasa stored the message for the agent and predicted nothing.
    Only asked when Rasa sent no reply, so it costs a read on that path alone. The tracker
    store is the Rasa agent's, on the one Sanic app of this Rasa process."""
    try:
        rasa_agent = Sanic.get_app().ctx.agent
    except (SanicException, AttributeError):  # not inside a Rasa server (unit tests)
        return False
    try:
        tracker = await rasa_agent.tracker_store.retrieve(sender_id)
    except Exception:
        logger.exception("could not read the conversation of %s", sender_id)
        return False
    return tracker is not None and tracker.is_paused()
