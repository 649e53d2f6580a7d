"""A suggested answer for a customer's message: the NLU's reading plus the knowledge base.

The message is password-redacted first (bot.privacy.redact), so a secret never reaches the
NLU, a log or a response. The NLU is the running Rasa server's HTTP API
(POST {RASA_URL}/model/parse?token={RASA_AUTH_TOKEN}) or, for the command line when no
server answers, the trained model loaded in-process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import requests

from bot.knowledge import PROTOCOLS, Answer, KnowledgeBase, default_knowledge
from bot.privacy import redact
from bot.vocabulary import default_vocabulary

FALLBACK_INTENT = "nlu_fallback"
MAX_QUERY_CHARS = 2000
TOP_INTENTS = 5
ANSWER_ENTITIES = ("protocol", "email_client")

Parser = Callable[[str], dict[str, Any]]


class NluUnavailable(RuntimeError):
    """No NLU to ask: Rasa's HTTP API is off (no token) or does not answer."""


def ensure_rasa_auth_token(env: MutableMapping[str, str] = os.environ) -> str:
    """RASA_AUTH_TOKEN, generated (secrets.token_urlsafe) when unset: the agent page needs the
    HTTP API, and Rasa enables it only behind a token. Call before starting the processes."""
    if not env.get("RASA_AUTH_TOKEN"):
        env["RASA_AUTH_TOKEN"] = secrets.token_urlsafe(32)
    return env["RASA_AUTH_TOKEN"]


def rasa_url(env: MutableMapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get("RASA_URL") or f"http://localhost:{env.get('RASA_PORT', '5005')}").rstrip("/")


class RasaHttpNlu:
    """Rasa's /model/parse (parsing stores nothing in the tracker store)."""

    def __init__(self, url: str, token: str | None, timeout: float = 15) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    @classmethod
    def from_env(cls) -> RasaHttpNlu:
        return cls(rasa_url(), os.environ.get("RASA_AUTH_TOKEN") or None)

    def __call__(self, text: str) -> dict[str, Any]:
        if not self.token:
            raise NluUnavailable("RASA_AUTH_TOKEN is not set, so Rasa's HTTP API is off")
        try:
            response = requests.post(
                f"{self.url}/model/parse",
                params={"token": self.token},
                json={"text": text},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise NluUnavailable(f"the Rasa server at {self.url} does not answer") from error
        if response.status_code != 200:
            raise NluUnavailable(f"the Rasa server answered {response.status_code} to /model/parse")
        return response.json()


class LocalNlu:
    """The trained model in this process (slow to load: for the command line only)."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        # Rasa's structured debug log goes to stdout, and would mix with the answer there.
        configure_logging_and_warnings(logging.WARNING)
        configure_structlog(logging.WARNING)
        self.agent = Agent.load(str(model))

    def __call__(self, text: str) -> dict[str, Any]:
        return asyncio.run(self.agent.parse_message(text))


def _intents(parse: dict[str, Any]) -> list[dict[str, Any]]:
    ranking = parse.get("intent_ranking") or ([parse["intent"]] if parse.get("intent") else [])
    return [
        {"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0.0), 4)}
        for r in ranking[:TOP_INTENTS]
    ]


def choose_topic(kb: KnowledgeBase, intents: list[dict[str, Any]], protocol: str | None) -> str | None:
    """The topic the assistant would answer with (as actions.choose_topic), or the likeliest
    answerable intent when the NLU fell back."""
    name = next((i["name"] for i in intents if kb.has_topic(i["name"])), None)
    if name == "mailbox_full" and protocol:
        return f"mailbox_full_{protocol if protocol in PROTOCOLS else 'unknown'}"
    return name


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "text": answer.text,
        "links": [{"title": link.title, "url": link.url} for link in answer.links],
        "buttons": answer.buttons_as_dicts(),
    }


def suggestion(query: str, password_masked: bool, parse: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    intents = _intents(parse)
    found = {e.get("entity"): e.get("value") for e in parse.get("entities") or [] if isinstance(e, dict)}
    vocabulary = default_vocabulary()
    entities = [
        {"entity": name, "value": found[name], "display": vocabulary.display_name(name, str(found[name]))}
        for name in ANSWER_ENTITIES
        if found.get(name)
    ]
    protocol = found.get("protocol") if found.get("protocol") in PROTOCOLS else None
    client = next((e["display"] for e in entities if e["entity"] == "email_client"), None)
    top = intents[0] if intents else {"name": None, "confidence": 0.0}
    topic = choose_topic(kb, intents, found.get("protocol"))
    answers = (
        {lang: _answer(kb.answer(topic, lang, protocol, client)) for lang in kb.languages} if topic else {}
    )
    links: dict[str, dict[str, Any]] = {}
    for lang, answer in answers.items():
        for link in answer["links"]:
            links.setdefault(link["url"], {"url": link["url"], "title": {}})["title"][lang] = link["title"]
    return {
        "query": query,
        "password_masked": password_masked,
        "language": found.get("language"),
        "intent": top,
        "intents": intents,
        "entities": entities,
        "topic": topic,
        "low_confidence": top["name"] == FALLBACK_INTENT or top["confidence"] < 0.5,
        "needs_protocol": bool(topic and kb.needs_protocol(topic) and protocol is None),
        "answers": answers,
        "links": list(links.values()),
    }


def suggest(text: str, nlu: Parser, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """Redact, then ask the NLU, then compose the bg and en answers. ValueError if unusable."""
    query, masked = redact(text.strip())
    if not query:
        raise ValueError("the message is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"the message is longer than {MAX_QUERY_CHARS} characters")
    return suggestion(query, masked, nlu(query), kb or default_knowledge())
