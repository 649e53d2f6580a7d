"""The bilingual knowledge base: loads `data/knowledge/*.yml` and composes answers from it.

Answers are built only from the statements in the data file: a topic names its lead text,
its sections of statements, its article and its quick replies. Nothing here knows what the
article says, so a new article or language is an edit of the data file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import KNOWLEDGE_FILE, Settings

PROTOCOLS = ("pop3", "imap")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Answer:
    """What the dispatcher sends: text, the article links it carries, and quick replies."""

    text: str
    links: list[Link] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    def buttons_as_dicts(self) -> list[dict[str, str]]:
        return [{"title": b.title, "payload": b.payload} for b in self.buttons]


class KnowledgeError(ValueError):
    """The knowledge file refers to something it does not define."""


def payload_for(key: str, entities: dict[str, str] | None = None) -> str:
    """Rasa payload for a button key: "intent", or "intent/protocol" unless `entities` given."""
    intent, _, protocol = key.partition("/")
    if entities is None:
        entities = {"protocol": protocol} if protocol else {}
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


class KnowledgeBase:
    def __init__(self, data: dict[str, Any], base_url: str, phone: str | None = None) -> None:
        self.data = data
        self.base_url = base_url.rstrip("/")
        self.phone = phone or data["support_phone"]
        self.languages: list[str] = list(data["languages"])
        self.statements: dict[str, dict[str, Any]] = data["statements"]
        self.groups: dict[str, list[str]] = data["groups"]
        self.topics: dict[str, dict[str, Any]] = data["topics"]
        self.articles: dict[str, dict[str, Any]] = data["articles"]
        self.protocols: dict[str, dict[str, Any]] = data["protocols"]
        self.button_labels: dict[str, dict[str, str]] = data["buttons"]
        self.labels: dict[str, dict[str, str]] = data["labels"]

    @classmethod
    def load(cls, path: Path = KNOWLEDGE_FILE, settings: Settings | None = None) -> KnowledgeBase:
        settings = settings or Settings.from_env()
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        return cls(data, settings.support_base_url, settings.support_phone)

    # -- lookups ---------------------------------------------------------------------------
    def article_url(self, key: str) -> str:
        return self.base_url + self.articles[key]["path"]

    def link(self, key: str, lang: str) -> Link:
        return Link(self.articles[key]["title"][lang], self.article_url(key))

    def links_text(self, links: list[Link], lang: str) -> str:
        label = self.labels["more"][lang]
        return "\n".join(f"{label}: {link.title} - {link.url}" for link in links)

    def needs_protocol(self, topic: str) -> bool:
        return bool(self.topics.get(topic, {}).get("needs_protocol"))

    def has_topic(self, topic: str) -> bool:
        return topic in self.topics

    def statement_ids(self, ref: str) -> list[str]:
        """A statement id, or a group name expanded to its statement ids."""
        if ref in self.groups:
            return list(self.groups[ref])
        if ref in self.statements:
            return [ref]
        raise KnowledgeError(f"unknown statement or group: {ref}")

    # -- composing -------------------------------------------------------------------------
    def _variables(self, lang: str, protocol: str | None, client: str | None) -> dict[str, str]:
        variables = {"phone": self.phone, "client_clause": "", "client_name": client or ""}
        # A handoff topic's {handoff} outside a handoff (e.g. the agent's suggestions): the phone.
        variables["handoff"] = self.data["handoff"]["generic"][lang].format(phone=self.phone)
        if protocol:
            info = self.protocols[protocol]
            variables.update(
                protocol=protocol,
                other_protocol=next(p for p in PROTOCOLS if p != protocol),
                protocol_name=info["name"][lang],
                protocol_short=info["short"],
                protocol_article=info["article"],
            )
        return variables

    def answer(
        self,
        topic: str,
        lang: str,
        protocol: str | None = None,
        client: str | None = None,
        **extra: str,
    ) -> Answer:
        """Compose the answer for `topic` in `lang`; protocol topics need `protocol`.

        `extra` fills further placeholders of the topic's texts ("{summary}").
        """
        spec = self.topics[topic]
        if spec.get("needs_protocol") and protocol not in PROTOCOLS:
            return self.ask_protocol(topic, lang)
        variables = {**self._variables(lang, protocol, client), **extra}
        if client and "client_clause" in spec:
            variables["client_clause"] = spec["client_clause"][lang].format(**variables)

        def fill(text: str) -> str:
            return text.format(**variables)

        paragraphs: list[str] = []
        article_keys: list[str] = []
        if "lead_text" in spec:
            paragraphs.append(fill(spec["lead_text"][lang]))
        for ref in spec.get("lead", []):
            paragraphs.append(self._sentence(fill(ref), lang, variables))
        for section in spec.get("sections", []):
            lines = [fill(section["heading"][lang])] if "heading" in section else []
            for ref in section["items"]:
                for sid in self.statement_ids(fill(ref)):
                    lines.append("• " + _capitalise(fill(self.statements[sid][lang])))
                    if "article" in self.statements[sid]:
                        article_keys.append(self.statements[sid]["article"])
            paragraphs.append("\n".join(lines))
        for ref in spec.get("tail", []):
            paragraphs.append(self._sentence(fill(ref), lang, variables))

        if "article" in spec:
            article_keys.insert(0, fill(spec["article"]))
        links = [self.link(key, lang) for key in dict.fromkeys(article_keys)]
        if links:
            paragraphs.append(self.links_text(links, lang))

        buttons = [self.button(fill(key), lang) for key in spec.get("buttons", [])]
        return Answer("\n\n".join(paragraphs), links, buttons)

    def ask_protocol(self, topic: str, lang: str) -> Answer:
        """Ask which protocol `topic` is about, with one button per protocol."""
        question = self.topics["ask_protocol"]["lead_text"][lang]
        buttons = [
            Button(self.button_labels[f"ask_protocol/{p}"][lang], payload_for(f"{topic}/{p}"))
            for p in PROTOCOLS
        ]
        return Answer(question, [], buttons)

    def button(self, key: str, lang: str) -> Button:
        labels = self.button_labels.get(key)
        if labels is None:
            raise KnowledgeError(f"no button label for {key}")
        return Button(labels[lang], payload_for(key, labels.get("entities")))

    def _sentence(self, sid: str, lang: str, variables: dict[str, str]) -> str:
        return self.statements[sid][lang].format(**variables)

    def statement_text(self, sid: str, lang: str) -> str:
        """One statement as a sentence: capitalised, with the phone filled in."""
        return _capitalise(self.statements[sid][lang].format(phone=self.phone))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The knowledge base configured by `.env`, loaded once per process."""
    return KnowledgeBase.load()
