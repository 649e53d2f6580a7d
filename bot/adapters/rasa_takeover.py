"""The web server's adapter for Rasa's takeover channel (POST {RASA_URL}/webhooks/agent/deliver).

One attempt, no retry: a reply that timed out may still have reached the customer, and
sending it twice would be worse than the agent seeing an error and deciding.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import requests

from bot.agent.suggest import rasa_url

DELIVER_PATH = "/webhooks/agent/deliver"


class RasaUnavailable(RuntimeError):
    """Rasa did not take the delivery (down, no token, refused): the console gets a 503."""


class UnknownConversation(LookupError):
    """Rasa has no conversation with that sender id."""


class RasaTakeover:
    def __init__(self, url: str, token: str | None, timeout: float = 15) -> None:
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> RasaTakeover:
        return cls(rasa_url(dict(env)), env.get("RASA_AUTH_TOKEN") or None)

    def deliver(self, sender_id: str, kind: str, agent: str, text: str | None = None) -> dict[str, Any]:
        """Pause (claim), send (reply) or resume (release) the conversation; Rasa's answer."""
        if not self.token:
            raise RasaUnavailable("RASA_AUTH_TOKEN is not set, so Rasa cannot be asked")
        body: dict[str, Any] = {"sender_id": sender_id, "kind": kind, "agent": agent}
        if text is not None:
            body["text"] = text
        try:
            response = requests.post(
                self.url + DELIVER_PATH,
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise RasaUnavailable(f"the Rasa server at {self.url} does not answer") from error
        if response.status_code == 404:
            raise UnknownConversation(sender_id)
        if response.status_code != 200:
            raise RasaUnavailable(f"the Rasa server answered {response.status_code} to the delivery")
        return response.json()
