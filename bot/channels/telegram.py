"""Telegram channel at /webhooks/telegram/webhook.

Unlike Rasa's built-in channel, it checks the secret token Telegram sends with every update
(set by setWebhook's `secret_token`) and answers 403 to anything else, never calls getMe
per update, maps buttons to inline keyboards and answers their callback queries, greets
`/start` (also a deep link, `/start <parameter>`) in the user's language and replies
politely to edited and non-text messages.

Telegram delivers an update again until it gets a 2xx, so every update is handled once
(bot/channels/dedupe.py, keyed by the bot and `update_id`, shared by all replicas) and a
repeat gets a 200 and nothing else. An update over the channels' body limit also gets a 200
(a 400 would be retried for a day) and the chat a polite "too long".

In a group or supergroup each person has their own conversation (sender id
`<chat id>:<user id>`; replies go to the group), and the bot answers only when it is
addressed: a mention of TELEGRAM_BOT_USERNAME, a reply to one of its messages, or a command
(`/cmd`, or `/cmd@<its username>`).

Configuration (env / .env): TELEGRAM_BOT_TOKEN (the channel is on when it is set),
TELEGRAM_SECRET_TOKEN, TELEGRAM_BOT_USERNAME, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.adapters.http import ApiError
from bot.adapters.telegram_api import DEFAULT_API_URL, TelegramApi
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
from bot.channels.validation import MAX_BODY_BYTES, BadRequest, parse_json_object, prepare_text

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
GROUP_TYPES = ("group", "supergroup")
# An over-limit update is still read (to find its chat) up to this size; Telegram's own
# limits (4096 characters of text) keep any real update far below it.
OVERSIZED_READ_LIMIT = 1024 * 1024
# `/command` or `/command@botname`, then the rest (a deep link's parameter, ...).
COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)(.*)", re.S)
def chat_of(sender_id: str) -> str:
    """The chat a conversation's replies go to: `<chat>:<user>` in groups, the chat itself else."""
    return sender_id.split(":", 1)[0]


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63 else None


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


@dataclass(frozen=True)
class Origin:
    """Where a message came from and where its answers go."""

    chat_id: str
    sender_id: str  # the conversation: the chat in private, `<chat>:<user>` in a group
    user: dict[str, Any]
    language: str
    group: bool


class TelegramOutput(MessengerOutput):
    channel = "telegram"

    async def _send(self, recipient: str, text: str, buttons: list[dict[str, Any]] | None = None) -> None:
        await super()._send(chat_of(recipient), text, buttons)


class TelegramInput(InputChannel):
    def __init__(
        self, token: str | None, secret: str | None, api_url: str, username: str | None = None
    ) -> None:
        self.token = token
        self.secret = secret
        self.api = TelegramApi(token or "", api_url)
        # A bot token is "<bot id>:<secret>"; the id tells the bot's own messages apart.
        prefix = (token or "").split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else None
        self.username = (username or "").strip().lstrip("@").lower() or None
        self._warned_no_username = False

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(
            os.environ.get("TELEGRAM_BOT_TOKEN"),
            os.environ.get("TELEGRAM_SECRET_TOKEN"),
            os.environ.get("TELEGRAM_API_URL", DEFAULT_API_URL),
            os.environ.get("TELEGRAM_BOT_USERNAME"),
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
            body = request.body or b""
            try:
                if len(body) > MAX_BODY_BYTES:
                    # 200, or Telegram retries it for a day; the chat hears why nothing came.
                    await self.refuse_oversized(body)
                    return response.json({"ok": True})
                try:
                    update = parse_json_object(body)
                except BadRequest as error:
                    return response.json({"error": str(error)}, status=400)
                if await self.first_delivery(update):
                    await self.handle_update(update, on_new_message)
            except Exception:  # a bad update must not make Telegram retry it forever
                logger.exception("telegram: failed to handle an update")
            return response.json({"ok": True})

        return hook

    async def first_delivery(self, update: dict[str, Any]) -> bool:
        """False when this bot has already had this `update_id` (a repeat to ignore)."""
        update_id = _integer(update.get("update_id"))
        if update_id is None:
            return True
        if await dedupe.first_time(f"telegram:{self.bot_id}:update:{update_id}"):
            return True
        logger.info("telegram: update %s was delivered again; ignored", update_id)
        return False

    async def refuse_oversized(self, body: bytes) -> None:
        """Tell the chat of an over-limit update (if it can be read) that it was too long."""
        if len(body) > OVERSIZED_READ_LIMIT:
            logger.warning("telegram: dropped an update of %d bytes", len(body))
            return
        try:
            update = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            update = None
        if not isinstance(update, dict):
            logger.warning("telegram: dropped an unreadable update of %d bytes", len(body))
            return
        if not await self.first_delivery(update):
            return
        logger.warning("telegram: update %s is %d bytes, over the limit", update.get("update_id"), len(body))
        output = self.get_output_channel()
        query = update.get("callback_query")
        if isinstance(query, dict):
            if isinstance(query.get("id"), str):
                await self._answer_callback(query["id"])
            message, user = query.get("message"), query.get("from")
        else:
            message = update.get("message", update.get("edited_message"))
            user = message.get("from") if isinstance(message, dict) else None
            if isinstance(message, dict) and not self.addressed(message, self._origin(message, user)):
                return
        origin = self._origin(message, user)
        if origin is not None and default_limiter().allow(f"telegram:{origin.sender_id}"):
            await output.send_text_message(origin.sender_id, channel_text("too_long", origin.language))

    async def handle_update(
        self, update: dict[str, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        output = self.get_output_channel()
        if isinstance(update.get("callback_query"), dict):
            query = update["callback_query"]
            if isinstance(query.get("id"), str):
                await self._answer_callback(query["id"])
            # A button in a group: the conversation of whoever tapped it.
            origin = self._origin(query.get("message"), query.get("from"))
            data = as_text(query.get("data"))
            if origin is not None and data:
                await self._forward(origin, data, on_new_message, output)
            return

        edited = isinstance(update.get("edited_message"), dict)
        message = update["edited_message"] if edited else update.get("message")
        if not isinstance(message, dict):
            return  # channel posts, polls, ...: nothing for a support bot to answer
        origin = self._origin(message, message.get("from"))
        if origin is None or not self.addressed(message, origin):
            return
        if edited:
            await output.send_text_message(origin.sender_id, channel_text("edited", origin.language))
            return
        text = as_text(message.get("text"))
        if text is None:
            await output.send_text_message(origin.sender_id, channel_text("non_text", origin.language))
            return
        metadata: dict[str, Any] = {}
        if origin.group:
            text = self._without_mentions(text, message.get("entities"))
        command = COMMAND.fullmatch(text.strip())
        if command and command.group(1) == "start":
            parameter = command.group(3).strip()
            if parameter:  # a deep link, t.me/<bot>?start=<parameter>
                metadata["start_parameter"] = parameter[:64]
            text = greet_payload(origin.language)
        elif command and command.group(2):
            text = f"/{command.group(1)}{command.group(3)}"  # `/cmd@bot rest` -> `/cmd rest`
        elif origin.group and not text.strip():
            text = greet_payload(origin.language)  # only "@bot": they are calling it
        await self._forward(origin, text, on_new_message, output, metadata)

    # --- who wrote, where to answer, whether we are addressed -----------------------------
    def _origin(self, message: Any, user: Any) -> Origin | None:
        chat = message.get("chat") if isinstance(message, dict) else None
        if not isinstance(chat, dict):
            return None
        chat_id = chat.get("id")
        if isinstance(chat_id, int) and not isinstance(chat_id, bool):
            chat_id = str(chat_id)
        if not isinstance(chat_id, str) or not chat_id or ":" in chat_id:
            return None
        user = user if isinstance(user, dict) else {}
        language = client_language(as_text(user.get("language_code")))
        if chat.get("type") not in GROUP_TYPES:
            return Origin(chat_id, chat_id, user, language, group=False)
        user_id = _integer(user.get("id"))
        if user_id is None:
            return None
        return Origin(chat_id, f"{chat_id}:{user_id}", user, language, group=True)

    def addressed(self, message: dict[str, Any], origin: Origin | None) -> bool:
        """Always in a private chat; in a group, a mention, a reply to the bot, or a command."""
        if origin is None or not origin.group:
            return True
        if self.username is None and not self._warned_no_username:
            self._warned_no_username = True
            logger.warning(
                "telegram: TELEGRAM_BOT_USERNAME is unset; in groups the bot answers only replies "
                "to its messages and commands without @name"
            )
        reply_to = message.get("reply_to_message")
        if isinstance(reply_to, dict) and self._is_me(reply_to.get("from")):
            return True
        text = as_text(message.get("text")) or as_text(message.get("caption")) or ""
        command = COMMAND.match(text)
        if command:
            target = command.group(2)
            if target is None or (self.username is not None and target.lower() == self.username):
                return True
        entities = message.get("entities", message.get("caption_entities"))
        return bool(self._mention_spans(text, entities))

    def _is_me(self, user: Any) -> bool:
        if not isinstance(user, dict):
            return False
        if self.bot_id is not None and _integer(user.get("id")) == self.bot_id:
            return True
        username = as_text(user.get("username"))
        return bool(user.get("is_bot") and username and self.username and username.lower() == self.username)

    def _mention_spans(self, text: str, entities: Any) -> list[tuple[int, int]]:
        """UTF-16 (offset, length) of each entity that mentions this bot."""
        if not isinstance(entities, list) or not text:
            return []
        encoded = _utf16(text)
        spans = []
        for entity in entities:
            if not isinstance(entity, dict):
                continue
            offset, length = _integer(entity.get("offset")), _integer(entity.get("length"))
            if offset is None or length is None or offset < 0 or length <= 0:
                continue
            if entity.get("type") == "mention" and self.username:
                word = encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", "ignore")
                if word.lower() == f"@{self.username}":
                    spans.append((offset, length))
            elif entity.get("type") == "text_mention" and self._is_me(entity.get("user")):
                spans.append((offset, length))
        return spans

    def _without_mentions(self, text: str, entities: Any) -> str:
        """The text with the bot's mentions cut out ("@tea_bot, why is ..." -> "why is ...")."""
        encoded = _utf16(text)
        mark = _utf16("\x00")
        for offset, length in sorted(self._mention_spans(text, entities), reverse=True):
            encoded = encoded[: 2 * offset] + mark + encoded[2 * (offset + length) :]
        stripped = re.sub(r"\x00[,:;]?", "", encoded.decode("utf-16-le", "ignore"))
        return re.sub(r"[ \t]{2,}", " ", stripped).strip()

    # --- sending ---------------------------------------------------------------------------
    async def _answer_callback(self, query_id: str) -> None:
        try:
            await self.api.answer_callback_query(query_id)
        except ApiError:
            logger.warning("telegram: could not answer callback query")

    async def _forward(
        self,
        origin: Origin,
        text: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        output: OutputChannel,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        sender_id = origin.sender_id
        if not default_limiter().allow(f"telegram:{sender_id}"):
            logger.warning("telegram: %s is over the rate limit; message dropped", sender_id)
            return
        text, had_password = prepare_text(text)
        if had_password:
            await warn_about_password(output, sender_id, text)
        if not text:
            return
        metadata = {"language_code": origin.user.get("language_code"), **(metadata or {})}
        await handle_or_apologise(
            on_new_message, UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata)
        )
