"""Telegram channel at /webhooks/telegram/webhook.

Unlike Rasa's built-in channel, it checks the secret token Telegram sends with every update
(set by setWebhook's `secret_token`) and answers 403 to anything else, never calls getMe
per update, maps buttons to inline keyboards and answers their callback queries, greets
`/start` in the user's language and replies politely to edited and non-text messages.

Configuration (env / .env): TELEGRAM_BOT_TOKEN (the channel is on when it is set),
TELEGRAM_SECRET_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.http import ApiError
from bot.adapters.telegram_api import DEFAULT_API_URL, TelegramApi
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

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramOutput(MessengerOutput):
    channel = "telegram"


class TelegramInput(InputChannel):
    def __init__(self, token: str | None, secret: str | None, api_url: str) -> None:
        self.token = token
        self.secret = secret
        self.api = TelegramApi(token or "", api_url)

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(
            os.environ.get("TELEGRAM_BOT_TOKEN"),
            os.environ.get("TELEGRAM_SECRET_TOKEN"),
            os.environ.get("TELEGRAM_API_URL", DEFAULT_API_URL),
        )

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self.api)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("telegram_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.token else "off"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.token:
                return response.json({"error": "telegram channel is not configured"}, status=404)
            if not secrets_match(request.headers.get(SECRET_HEADER), self.secret):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = parse_json_object(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            try:
                await self.handle_update(update, on_new_message)
            except Exception:  # a bad update must not make Telegram retry it forever
                logger.exception("telegram: failed to handle update %s", update.get("update_id"))
            return response.json({"ok": True})

        return hook

    async def handle_update(
        self, update: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        output = self.get_output_channel()
        if isinstance(update.get("callback_query"), dict):
            query = update["callback_query"]
            if isinstance(query.get("id"), str):
                try:
                    await self.api.answer_callback_query(query["id"])
                except ApiError:
                    logger.warning("telegram: could not answer callback query")
            chat = ((query.get("message") or {}).get("chat") or {}).get("id")
            data = as_text(query.get("data"))
            if chat is not None and data:
                await self._forward(str(chat), data, query.get("from"), on_new_message, output)
            return

        if isinstance(update.get("edited_message"), dict):
            message = update["edited_message"]
            chat = (message.get("chat") or {}).get("id")
            language = client_language((message.get("from") or {}).get("language_code"))
            if chat is not None:
                await output.send_text_message(str(chat), channel_text("edited", language))
            return

        message = update.get("message")
        if not isinstance(message, dict):
            return  # channel posts, polls, ...: nothing for a support bot to answer
        chat = (message.get("chat") or {}).get("id")
        if chat is None:
            return
        sender = message.get("from") or {}
        language = client_language(sender.get("language_code"))
        text = as_text(message.get("text"))
        if text is None:
            await output.send_text_message(str(chat), channel_text("non_text", language))
            return
        if text.strip().split("@")[0] == "/start":
            text = greet_payload(language)
        await self._forward(str(chat), text, sender, on_new_message, output)

    async def _forward(
        self,
        chat_id: str,
        text: str,
        sender: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        output: OutputChannel,
    ) -> None:
        if not default_limiter().allow(f"telegram:{chat_id}"):
            logger.warning("telegram: chat %s is over the rate limit; message dropped", chat_id)
            return
        text, had_password = prepare_text(text)
        if had_password:
            await warn_about_password(output, chat_id, text)
        if not text:
            return
        metadata = {"language_code": (sender or {}).get("language_code")} if isinstance(sender, dict) else {}
        await handle_or_apologise(
            on_new_message, UserMessage(text, output, chat_id, input_channel=self.name(), metadata=metadata)
        )
