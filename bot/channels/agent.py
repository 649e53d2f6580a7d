"""Live takeover inside Rasa: POST /webhooks/agent/deliver, called by the agent console.

The web server (bot/agent/takeover.py) decides who holds a conversation; this channel does
what only the Rasa process can: it changes the conversation and reaches the customer where
they write. Under Rasa's lock for the sender (the same lock every customer message takes)
it loads the tracker, appends

    claim    ConversationPaused, then the "a colleague has joined" notice (BotUttered)
    reply    the agent's message (BotUttered, metadata {"agent": name})
    release  ConversationResumed, then the "the assistant is back" notice

saves it, and sends the customer-facing text through the output channel of the channel the
customer last wrote on (Rasa keeps the registered input channels on `app.ctx.input_channels`;
their `get_output_channel()` is socket.io's room emit, the Telegram and Viber API adapters).
REST has no way to push, so there the text is only stored. A paused conversation's messages
are stored by Rasa and predicted nothing for (bot/channels/common.py: and not apologised for).

Authenticated with `Authorization: Bearer <RASA_AUTH_TOKEN>`; without the token set the route
answers 503. Registered in credentials.yml like the other channels.

A pause must outlast a session: Rasa starts a new session when the customer writes after
`session_expiration_time`, and its SessionStarted clears the pause, so the assistant would
answer behind the agent's back. Rasa's own action_session_start is therefore extended here
(this module is loaded by every Rasa process that serves the channels): a paused
conversation's new session is paused too. A custom action_session_start on the action
server would do the same at the price of a call per new conversation, and of no session at
all while the action server is down.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import ActionSessionStart
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOOutput
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, ConversationResumed, Event
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import secrets_match
from bot.channels.validation import (
    MAX_SENDER_CHARS,
    BadRequest,
    clean_text,
    parse_json_object,
    require_string,
)
from bot.knowledge import default_knowledge

logger = logging.getLogger(__name__)

KINDS = ("claim", "reply", "release")
MAX_AGENT_CHARS = 100
MAX_REPLY_CHARS = 2000
NOTICE = {"claim": "joined", "release": "released"}  # takeover_texts in the knowledge file


def conversation_language(tracker: DialogueStateTracker) -> str:
    language = tracker.get_slot("language")
    return language if language in default_knowledge().languages else os.environ.get("DEFAULT_LANGUAGE", "bg")


def takeover_events(kind: str, agent: str, text: str | None, language: str) -> tuple[list[Event], str]:
    """The events a delivery appends, and the text the customer gets."""
    kb = default_knowledge()
    if kind == "reply":
        assert text is not None
        return [BotUttered(text, metadata={"agent": agent})], text
    notice = kb.data["takeover_texts"][NOTICE[kind]][language].format(agent=agent)
    pause: Event = ConversationPaused() if kind == "claim" else ConversationResumed()
    return [pause, BotUttered(notice, metadata={"agent": agent, "takeover": kind})], notice


def output_for(input_channels: list[InputChannel], channel: str | None) -> OutputChannel | None:
    """The output channel of the registered input channel named `channel` (None: cannot push)."""
    for candidate in input_channels:
        if candidate.name() == channel:
            output = candidate.get_output_channel()
            if output is not None and not isinstance(output, CollectingOutputChannel):
                return output
    return None


async def send(
    output: OutputChannel, recipient: str, kind: str, agent: str, text: str, language: str
) -> None:
    if kind == "reply" and isinstance(output, SocketIOOutput):
        # The widget shows the name itself (web/src/widget.js reads `agent`).
        await output.send_custom_json(recipient, {"data": {"text": text, "agent": {"name": agent}}})
    elif kind == "reply":
        # A messenger shows every message as the bot's: the agent's name goes into the text.
        frame = default_knowledge().data["takeover_texts"]["agent_message"][language]
        await output.send_text_message(recipient, frame.format(agent=agent, text=text))
    elif isinstance(output, SocketIOOutput):
        # The widget stops showing "the assistant is typing" while an agent holds the chat.
        await output.send_custom_json(recipient, {"data": {"text": text, "takeover": kind}})
    else:
        await output.send_text_message(recipient, text)


def parse_delivery(body: bytes) -> tuple[str, str, str, str | None]:
    payload = parse_json_object(body)
    sender = require_string(payload, "sender_id", MAX_SENDER_CHARS)
    kind = require_string(payload, "kind", 16)
    agent = clean_text(require_string(payload, "agent", MAX_AGENT_CHARS))
    if not sender:
        raise BadRequest("'sender_id' must not be empty")
    if kind not in KINDS:
        raise BadRequest(f"'kind' must be one of {', '.join(KINDS)}")
    if not agent:
        raise BadRequest("'agent' must not be empty")
    text = None
    if kind == "reply":
        text = clean_text(require_string(payload, "text", MAX_REPLY_CHARS))
        if not text:
            raise BadRequest("'text' must not be empty")
    return sender, kind, agent, text


class AgentDeliveryInput(InputChannel):
    def __init__(self, token: str | None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "agent"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(os.environ.get("RASA_AUTH_TOKEN") or None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("agent_delivery", __name__)

        @bp.route("/deliver", methods=["POST"])
        async def deliver(request: Request) -> HTTPResponse:
            if not self.token:
                return response.json({"error": "takeover is off: RASA_AUTH_TOKEN is not set"}, status=503)
            scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
            if scheme.lower() != "bearer" or not secrets_match(given.strip(), self.token):
                return response.json({"error": "authentication required"}, status=401)
            try:
                sender, kind, agent, text = parse_delivery(request.body or b"")
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400)
            return await self.apply(request, sender, kind, agent, text)

        return bp

    async def apply(
        self, request: Request, sender: str, kind: str, agent: str, text: str | None
    ) -> HTTPResponse:
        rasa_agent = request.app.ctx.agent
        async with rasa_agent.lock_store.lock(sender):
            tracker = await rasa_agent.tracker_store.retrieve(sender)
            if tracker is None:
                return response.json({"error": "no such conversation"}, status=404)
            language = conversation_language(tracker)
            events, customer_text = takeover_events(kind, agent, text, language)
            for event in events:
                tracker.update(event)
            await rasa_agent.tracker_store.save(tracker)
            channel = tracker.get_latest_input_channel()
        output = output_for(getattr(request.app.ctx, "input_channels", None) or [], channel)
        if output is not None:
            try:
                await send(output, sender, kind, agent, customer_text, language)
            except Exception:  # stored all the same: the transcript has it, the customer may not
                logger.exception("agent %s: could not deliver to %s on %s", kind, sender, channel)
                output = None
        return response.json(
            {
                "sender_id": sender,
                "kind": kind,
                "paused": tracker.is_paused(),
                "channel": channel,
                "delivered": output is not None,
                "language": language,
            }
        )


# -- a pause carried into a new session (see the module's docstring) ------------------------------
_RASA_SESSION_START = ActionSessionStart.run


async def _session_start_keeping_pause(
    self: ActionSessionStart, output_channel: Any, nlg: Any, tracker: DialogueStateTracker, domain: Any
) -> list[Event]:
    events = await _RASA_SESSION_START(self, output_channel, nlg, tracker, domain)
    if tracker.is_paused():
        # After SessionStarted (which resets the tracker) and the carried-over slots, before
        # the closing action_listen.
        listen = next(
            (i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], ActionExecuted)), None
        )
        events.insert(len(events) if listen is None else listen, ConversationPaused())
    return events


ActionSessionStart.run = _session_start_keeping_pause  # type: ignore[method-assign]
