"""Which Rasa payloads a customer may send.

Anyone can type `/greet{"language": "ru"}` into a chat. A text that looks like a payload is
accepted only when
- the bot offered exactly that button earlier in this conversation, or
- it is one of the domain's intents with no entities (`/mailbox_full`), or one of the
  payloads the channels and the widget send themselves (`/greet{"language": "en"}` on a
  messenger's /start, `/switch_language{"target_language": "bg"}` from the БГ/EN toggle),
and every entity value in it is an allowed one. Anything else is read as plain text.
`/restart` and `/session_start` restart the conversation (politely: actions.ActionRestart).
`bot/nlu/context.py` applies this; it has the conversation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import yaml

from bot.replies import split_payload
from bot.settings import PROJECT_DIR
from bot.vocabulary import default_vocabulary

RESTART_INTENTS = ("restart", "session_start")
# Payloads with entities that the project's own channels and widget send.
OWN_PAYLOADS = {("greet", ("language",)), ("switch_language", ("target_language",))}


@lru_cache(maxsize=1)
def domain_intents() -> frozenset[str]:
    with open(PROJECT_DIR / "domain.yml", encoding="utf-8") as handle:
        return frozenset(yaml.safe_load(handle)["intents"])


@lru_cache(maxsize=1)
def allowed_values() -> dict[str, frozenset[str]]:
    vocabulary = default_vocabulary()
    return {
        "language": frozenset({"bg", "en"}),
        "target_language": frozenset({"bg", "en"}),
        "protocol": frozenset({"pop3", "imap", "unknown"}),
        "email_client": frozenset(v for (e, v) in vocabulary.display if e == "email_client"),
        "guide": frozenset({"start"}),
        "rephrase": frozenset({"yes"}),
    }


def canonical(payload: str) -> str:
    """A payload in one spelling, so a typed one compares equal to the offered one."""
    intent, entities = split_payload(payload)
    return f"/{intent}{json.dumps(entities, sort_keys=True, ensure_ascii=False)}" if intent else payload


def looks_like_payload(text: str) -> bool:
    return text.lstrip().startswith("/")


def accepted(text: str, offered: set[str]) -> bool:
    """Whether a payload-looking `text` may act as a payload; `offered`: canonical payloads."""
    intent, entities = split_payload(text)
    if not intent:
        return False
    if intent in RESTART_INTENTS:
        return not entities
    if intent not in domain_intents() or not _values_allowed(entities):
        return False
    if not entities or canonical(text) in offered:
        return True
    return (intent, tuple(sorted(entities))) in OWN_PAYLOADS


def _values_allowed(entities: dict[str, Any]) -> bool:
    allowed = allowed_values()
    return all(isinstance(v, str) and v in allowed.get(name, ()) for name, v in entities.items())
