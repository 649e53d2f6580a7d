"""The REST channel (/webhooks/rest/webhook) with input validation.

Rasa's RestInput answers malformed bodies (no JSON, wrong types) with a 500. This subclass
answers them with a 400 that says what is wrong, cleans the text (control characters,
length), and otherwise behaves exactly like RestInput.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import warn_about_password
from bot.channels.validation import (
    MAX_SENDER_CHARS,
    BadRequest,
    parse_json_object,
    prepare_text,
    require_string,
)

logger = logging.getLogger(__name__)


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

            collector = CollectingOutputChannel()
            if had_password:
                await warn_about_password(collector, sender, text)
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except Exception:  # the customer still gets whatever was produced, never a 500
                logger.exception("rest: failed to handle a message from %s", sender)
            return response.json(collector.messages)

        return webhook
