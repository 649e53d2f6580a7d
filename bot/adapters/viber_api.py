"""Viber REST API adapter: send_message and set_webhook."""

from __future__ import annotations

from typing import Any

import requests

from bot.adapters.http import ApiError, post_json, post_json_async

DEFAULT_API_URL = "https://chatapi.viber.com"


class ViberApi:
    def __init__(self, auth_token: str, bot_name: str, api_url: str = DEFAULT_API_URL) -> None:
        self.api_url = api_url.rstrip("/")
        self.headers = {"X-Viber-Auth-Token": auth_token}
        self.bot_name = bot_name
        self.session = requests.Session()

    def message(self, text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """A text message body (also used as the reply to conversation_started)."""
        body: dict[str, Any] = {"sender": {"name": self.bot_name}, "type": "text", "text": text}
        if buttons:
            body["keyboard"] = keyboard(buttons)
        return body

    async def send_message(
        self, receiver: str, text: str, buttons: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        body = {"receiver": receiver, "min_api_version": 1, **self.message(text, buttons)}
        result = await post_json_async(
            self.session, f"{self.api_url}/pa/send_message", body, headers=self.headers
        )
        if result.get("status", 0) != 0:  # Viber reports errors in the body with HTTP 200
            raise ApiError(f"send_message: {result.get('status_message', result)}")
        return result

    def set_webhook(self, url: str) -> dict[str, Any]:
        body = {
            "url": url,
            "event_types": [
                "delivered",
                "seen",
                "failed",
                "subscribed",
                "unsubscribed",
                "conversation_started",
                "message",
            ],
            "send_name": True,
            "send_photo": False,
        }
        return post_json(self.session, f"{self.api_url}/pa/set_webhook", body, headers=self.headers)


def keyboard(buttons: list[dict[str, str]]) -> dict[str, Any]:
    """Viber keyboard: one full-width reply button per quick reply; a tap sends the payload."""
    return {
        "Type": "keyboard",
        "DefaultHeight": False,
        "Buttons": [
            {"ActionType": "reply", "ActionBody": b["payload"], "Text": b["title"], "Columns": 6, "Rows": 1}
            for b in buttons
        ],
    }
