"""The socket.io channel (the website chat widget) with an origin allow-list and input checks.

Rasa's SocketIOInput creates its socket.io server with `cors_allowed_origins=[]`, which
python-engineio reads as "no CORS handling at all": it sends no CORS headers and accepts a
socket from any site. The CORS headers come from Rasa's `--cors` (bot/processes.py passes
WEB_ORIGINS), which Sanic applies to the socket.io routes too; letting engineio add its own
as well would send the header twice, which browsers reject. What is left to do here is to
refuse sockets from other sites: CORS does not cover WebSocket, so this subclass refuses
the connection of any browser whose Origin is not in WEB_ORIGINS (comma-separated, default
the demo page on :8080, as in bot/processes.py).

It also replaces Rasa's two event handlers: `session_request`, which is broken with the
installed python-socketio (see below), and the user message, which gets what every public
channel does (bot/channels/common.py, validation.py, ratelimit.py): a malformed event or a
session over RATE_LIMIT_PER_MINUTE is dropped and logged, the text is cleaned and passwords
are masked before Rasa sees them (and the customer is warned), and a message Rasa produces
no reply to gets an apology with the phone number.
"""

from __future__ import annotations

import inspect
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels.common import channel_text, handle_or_apologise, warn_about_password
from bot.channels.ratelimit import default_limiter
from bot.channels.validation import MAX_SENDER_CHARS, prepare_text
from bot.settings import default_origins

# Sent to the widget for every message it numbered (`message_id`), before the bot answers.
USER_ACK_EVENT = "user_uttered_ack"
MAX_MESSAGE_ID = 64

logger = logging.getLogger(__name__)


def allowed_origins() -> list[str]:
    """WEB_ORIGINS, or the demo page served by bot/web.py on WEB_PORT (bot/settings.py)."""
    raw = os.environ.get("WEB_ORIGINS") or default_origins(os.environ.get("WEB_PORT", "8080"))
    return [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]


def _valid_session_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_SENDER_CHARS


def page_metadata(value: Any) -> dict[str, str]:
    """What the page may tell about the conversation (rasa-webchat's `customData`): only its
    language, short. Anything else a page or a crafted client sends is dropped, never stored."""
    language = value.get("language") if isinstance(value, dict) else None
    return {"language": language} if isinstance(language, str) and 0 < len(language) <= 16 else {}


class CorsSocketIOInput(SocketIOInput):
    """SocketIOInput that only accepts the origins in WEB_ORIGINS and checks what it gets."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        assert self.sio is not None  # set by super().blueprint
        origins = set(allowed_origins())
        logger.info("socketio: allowed origins %s", ", ".join(sorted(origins)))

        namespace = self.namespace or "/"
        sio = self.sio
        rasa_connect = sio.handlers[namespace]["connect"]  # Rasa's JWT check, if configured

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            # No Origin header: not a browser, so no other site can be acting through it.
            if origin and origin.rstrip("/") not in origins:
                logger.warning("socketio: refused a socket from origin %s", origin)
                return False
            return await rasa_connect(sid, environ, auth)

        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            # Replaces Rasa's handler, which calls `sio.enter_room` without `await`: since
            # python-socketio made it a coroutine (5.18 here), the socket never joined the
            # session's room and, with session_persistence, no reply ever reached the browser.
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not _valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=namespace)
                if inspect.isawaitable(entered):  # plain call in older python-socketio
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def user_message(sid: str, data: Any = None, *_: Any) -> None:
            # Replaces Rasa's handler, to treat the message like every other channel does.
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.warning("socketio: dropped a malformed message from %s", sid)
                return
            sender = data.get("session_id") if self.session_persistence else sid
            if not _valid_session_id(sender):
                logger.warning("socketio: dropped a message without a valid session_id from %s", sid)
                return
            if not default_limiter().allow(f"socketio:{sender}"):
                logger.warning("socketio: session %s is over the rate limit; message dropped", sender)
                return
            metadata = page_metadata(data.get(self.metadata_key))
            output = SocketIOOutput(sio, self.bot_message_evt)  # emits to the room `sender`
            text, had_password = prepare_text(data["message"])
            # The widget keeps a message out of its stored history until this says what the
            # server kept of it: with a password, the masked text replaces the bubble.
            message_id = data.get("message_id")
            if isinstance(message_id, str) and 0 < len(message_id) <= MAX_MESSAGE_ID:
                await sio.emit(
                    USER_ACK_EVENT,
                    {
                        "message_id": message_id,
                        "masked": had_password,
                        "text": text if had_password else None,
                    },
                    room=sender,
                    namespace=namespace,
                )
            if not text:  # blank or control characters only
                await output.send_text_message(sender, channel_text("empty", "bg"))
                return
            if had_password:
                await warn_about_password(output, sender, text)
            message = UserMessage(
                text,
                output,
                sender,
                input_channel=self.name(),
                metadata=metadata,
            )
            await handle_or_apologise(on_new_message, message)

        sio.on("connect", connect, namespace=namespace)
        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, user_message, namespace=namespace)
        return blueprint
