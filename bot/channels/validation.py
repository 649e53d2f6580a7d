"""Checks and clean-up shared by every public channel: what a webhook may send us."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.privacy import mask_message

MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
# C0/C1 control characters except tab and newline; they only confuse the NLU and the logs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class BadRequest(ValueError):
    """The request cannot be processed; the message says why (sent back with a 400)."""


def parse_json_object(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest("body is not valid UTF-8") from error
    except json.JSONDecodeError as error:
        raise BadRequest(f"body is not valid JSON: {error.msg}") from error
    except RecursionError as error:
        raise BadRequest("body is nested too deeply") from error
    if not isinstance(payload, dict):
        raise BadRequest("body must be a JSON object")
    return payload


def clean_text(text: str) -> str:
    """Drop control characters, trim, and cut overly long messages (keeping their start)."""
    return _CONTROL.sub(" ", text).strip()[:MAX_MESSAGE_CHARS]


def prepare_text(text: str) -> tuple[str, bool]:
    """Clean a customer's message and mask any password in it (and contact details, when
    MASK_CONTACTS is set): (text, password_was_masked)."""
    return mask_message(clean_text(text))


def require_string(payload: dict[str, Any], key: str, max_chars: int | None = None) -> str:
    value = payload.get(key)
    if value is None:
        raise BadRequest(f"'{key}' is required")
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string")
    if max_chars is not None and len(value) > max_chars:
        raise BadRequest(f"'{key}' is longer than {max_chars} characters")
    return value
