"""Telegram Bot API adapter: the few calls the assistant makes."""

from __future__ import annotations

from typing import Any

import requests

from bot.adapters.http import post_json, post_json_async

DEFAULT_API_URL = "https://api.telegram.org"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for inline-button callback data


class TelegramApi:
    def __init__(self, token: str, api_url: str = DEFAULT_API_URL) -> None:
        self.base = f"{api_url.rstrip('/')}/bot{token}"
        self.session = requests.Session()

    async def send_message(
        self, chat_id: int | str, text: str, buttons: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"chat_id": chat_id, "text": text[:4096]}
        if buttons:
            payload["reply_markup"] = {"inline_keyboard": [[inline_button(b)] for b in buttons]}
        return await post_json_async(self.session, f"{self.base}/sendMessage", payload)

    async def answer_callback_query(self, callback_query_id: str) -> dict[str, Any]:
        payload = {"callback_query_id": callback_query_id}
        return await post_json_async(self.session, f"{self.base}/answerCallbackQuery", payload)

    def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        payload = {
            "url": url,
            "secret_token": secret_token,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
        return post_json(self.session, f"{self.base}/setWebhook", payload)


def inline_button(button: dict[str, str]) -> dict[str, str]:
    """An inline keyboard button whose callback data is the Rasa payload (within 64 bytes)."""
    data = button["payload"].replace('": "', '":"').replace('", "', '","')
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        data = data.split("{", 1)[0]  # keep the intent, drop the entities
    return {"text": button["title"], "callback_data": data}
