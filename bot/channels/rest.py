"""The REST channel (/webhooks/rest/webhook) with input validation.

Rasa's RestInput answers malformed bodies (no JSON, wrong types) with a 500. This subclass
answers them with a 400 that says what is wrong, cleans the text (control characters,
length), and otherwise behaves exactly like RestInput.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import channel_text, handle_or_apologise, warn_about_password
from bot.channels.ratelimit import default_limiter
from bot.channels.validation import (
    MAX_SENDER_CHARS,
    BadRequest,
    parse_json_object,
    prepare_text,
    require_string,
)


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = parse_json_object(request.body or b"")
                sender = require_string(payload, "sender", MAX_SENDER_CHARS).strip()
                text, had_password = prepare_text(require_string(payload, "message"))
                metadata = payload.get("metadata")
                if metadata is not None and not isinstance(metadata, dict):
                    raise BadRequest("'metadata' must be an object")
                if not sender:
                    raise BadRequest("'sender' must not be empty")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)

            if not default_limiter().allow(f"rest:{sender}"):
                return response.json({"error": "too many messages, please slow down"}, status=429)
            collector = CollectingOutputChannel()
            if not text:  # empty, blank or control characters only
                return response.json([{"recipient_id": sender, "text": channel_text("empty", "bg")}])
            if had_password:
                await warn_about_password(collector, sender, text)
            # Never a 500: a failure inside Rasa becomes an apology with the phone.
            await handle_or_apologise(
                on_new_message,
                UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata),
            )
            return response.json(collector.messages)

        return webhook
