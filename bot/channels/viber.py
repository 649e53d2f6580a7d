"""Viber channel at /webhooks/viber/webhook (Rasa has none).

Every callback must carry X-Viber-Content-Signature: the hex HMAC-SHA256 of the raw body
keyed with the auth token, compared in constant time; anything else gets 403 and is not
processed. Replies go out through send_message, with a keyboard for buttons.

Viber can deliver a callback again; each `message_token` is handled once (bot/channels/dedupe.py,
shared by all replicas) and a repeat gets a 200 and nothing else. A user greeted by the
`conversation_started` welcome is not greeted again by the `subscribed` that follows.

Configuration (env / .env): VIBER_AUTH_TOKEN (the channel is on when it is set),
VIBER_BOT_NAME, VIBER_WEBHOOK_URL, VIBER_API_URL.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.viber_api import DEFAULT_API_URL, ViberApi
from bot.channels import dedupe
from bot.channels.common import (
    MessengerOutput,
    as_text,
    channel_text,
    client_language,
    greet_payload,
    handle_or_apologise,
    secrets_match,
    warn_about_password,
)
from bot.channels.ratelimit import default_limiter
from bot.channels.validation import BadRequest, parse_json_object, prepare_text
from bot.knowledge import default_knowledge

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Viber-Content-Signature"
# Events that need no answer beyond 200.
ACKNOWLEDGED = {"webhook", "delivered", "seen", "failed", "unsubscribed", "client_status"}
# Events that are answered, each once per message_token (delivered/seen/failed carry the
# token of *our* message, so they are never deduplicated: they are only acknowledged).
ANSWERED = ("message", "conversation_started", "subscribed")


def signature(body: bytes, auth_token: str) -> str:
    return hmac.new(auth_token.encode(), body, hashlib.sha256).hexdigest()


class ViberOutput(MessengerOutput):
    channel = "viber"


class ViberInput(InputChannel):
    def __init__(self, auth_token: str | None, bot_name: str, api_url: str) -> None:
        self.auth_token = auth_token
        self.api = ViberApi(auth_token or "", bot_name, api_url)
        # Names this bot in the delivery keys without putting its token there.
        self.bot_key = hashlib.sha256((auth_token or "").encode()).hexdigest()[:16]

    @classmethod
    def name(cls) -> str:
        return "viber"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(
            os.environ.get("VIBER_AUTH_TOKEN"),
            os.environ.get("VIBER_BOT_NAME", "TEA"),
            os.environ.get("VIBER_API_URL", DEFAULT_API_URL),
        )

    def get_output_channel(self) -> OutputChannel:
        return ViberOutput(self.api)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("viber_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.auth_token else "off"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.auth_token:
                return response.json({"error": "viber channel is not configured"}, status=404)
            body = request.body or b""
            expected = signature(body, self.auth_token)
            if not secrets_match(request.headers.get(SIGNATURE_HEADER), expected):
                return response.json({"error": "forbidden"}, status=403)
            try:
                event = parse_json_object(body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            try:
                reply = await self.handle_event(event, on_new_message)
            except Exception:
                logger.exception("viber: failed to handle %s", event.get("event"))
                reply = None
            return response.json(reply or {"status": 0})

        return hook

    async def first_delivery(self, event: dict[str, Any]) -> bool:
        """False when this callback (event and message_token) was already handled."""
        kind, token = event.get("event"), event.get("message_token")
        if kind not in ANSWERED:
            return True
        usable = (isinstance(token, int) and not isinstance(token, bool) and abs(token) < 2**63) or (
            isinstance(token, str) and 0 < len(token) <= 128
        )
        if not usable:
            return True  # nothing to recognise a repeat by
        if await dedupe.first_time(f"viber:{self.bot_key}:{kind}:{token}"):
            return True
        logger.info("viber: %s %s was delivered again; ignored", kind, token)
        return False

    def _greeted_key(self, user_id: str) -> str:
        return f"viber:{self.bot_key}:greeted:{user_id}"

    async def handle_event(
        self, event: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> dict[str, Any] | None:
        kind = event.get("event")
        if kind in ACKNOWLEDGED:
            return None
        if not await self.first_delivery(event):
            return None
        user = event.get("user") if kind in ("conversation_started", "subscribed") else event.get("sender")
        user = user if isinstance(user, dict) else {}
        user_id = as_text(user.get("id"))
        language = client_language(as_text(user.get("language")))
        if kind == "conversation_started":
            if user_id:  # the `subscribed` that usually follows must not greet again
                await dedupe.first_time(self._greeted_key(user_id))
            # Viber shows the webhook's response body as the welcome message.
            welcome = default_knowledge().answer("greet", language)
            return self.api.message(welcome.text, welcome.buttons_as_dicts())
        if not user_id:
            return None
        output = self.get_output_channel()
        if kind == "subscribed":
            if not await dedupe.first_time(self._greeted_key(user_id)):
                return None  # welcomed by conversation_started a moment ago
            text = greet_payload(language)
        elif kind == "message":
            message = event.get("message") if isinstance(event.get("message"), dict) else {}
            text = as_text(message.get("text")) if message.get("type") == "text" else None
            if text is None:
                await output.send_text_message(user_id, channel_text("non_text", language))
                return None
            text, had_password = prepare_text(text)
            if had_password:
                await warn_about_password(output, user_id, text)
        else:
            return None
        if not default_limiter().allow(f"viber:{user_id}"):
            logger.warning("viber: user %s is over the rate limit; message dropped", user_id)
            return None
        if text:
            message = UserMessage(
                text, output, user_id, input_channel=self.name(), metadata={"language": language}
            )
            await handle_or_apologise(on_new_message, message)
        return None
