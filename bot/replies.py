"""Which offered button a typed reply means.

After "кутията ми е пълна" the bot offers [Ползвам IMAP | Ползвам POP3 | Не знам кой ползвам].
Customers type `ползвам имап`, `IMAP`, `polzvam pop3`, `I use POP3` or `не знам` instead of
pressing; after a yes/no question they write "да, от телефона и лаптопа". This module decides
which of the buttons just offered such a text stands for, or that it stands for none (then
the NLU's own reading holds). It knows nothing of Rasa; `bot/nlu/context.py` applies it.

A reply means a button when:
- it is the button's title, in either language or writing form, give or take a typo; or a
  typed form the knowledge file lists for it (`also:`);
- it starts with a yes or no word and the buttons are a yes/no question;
- it is short and names what only one button names: the protocol (`IMAP`), its position
  (`the first one`), or a part of its title (`не знам`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from bot.knowledge import KnowledgeBase, payload_for
from bot.vocabulary import Vocabulary

SHORT_REPLY_WORDS = 4
SIMILAR = 0.84  # SequenceMatcher ratio for "the same text, give or take a typo"
AFFIRM, DENY = "/affirm", "/deny"

_CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгдезийклмнопрстуфхцъьюяжчшщ",
        "a b v g d e z i i k l m n o p r s t u f h ts u y yu ya zh ch sh sht".split(),
        strict=True,
    )
)
_LATIN_DIGRAPHS = (("4", "ch"), ("6", "sh"), ("q", "ya"), ("w", "v"), ("x", "h"), ("j", "zh"))
_NOT_WORD = re.compile(r"[^\w\s']+")


@dataclass(frozen=True)
class Offered:
    title: str
    payload: str


def offered_from(buttons: list[dict[str, Any]] | None) -> list[Offered]:
    return [
        Offered(str(b.get("title") or ""), str(b.get("payload") or ""))
        for b in buttons or []
        if isinstance(b, dict) and b.get("payload")
    ]


def key(text: str) -> str:
    """A script-neutral comparison key: lowercase Latin, no punctuation, single spaces.

    "Ползвам IMAP", "polzvam imap" and "ползвам имап" share the key "polzvam imap".
    """
    lowered = _NOT_WORD.sub(" ", str(text or "").lower()).replace("'", "")
    latin = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in lowered)
    for digraph, plain in _LATIN_DIGRAPHS:
        latin = latin.replace(digraph, plain)
    return " ".join(latin.split())


def split_payload(payload: str) -> tuple[str, dict[str, Any]]:
    """("intent", entities) of a "/intent{...}" payload; ("", {}) for anything else."""
    match = re.fullmatch(r"/([\w-]+)(\{.*\})?", payload.strip(), re.DOTALL)
    if not match:
        return "", {}
    try:
        entities = json.loads(match.group(2)) if match.group(2) else {}
    except json.JSONDecodeError:
        return "", {}
    return match.group(1), entities if isinstance(entities, dict) else {}


class ReplyReader:
    """Reads typed replies against offered buttons, with the phrasings of the knowledge file."""

    def __init__(self, kb: KnowledgeBase, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        spec = kb.data["typed_replies"]
        self.yes = sorted((key(w) for w in spec["affirm"]), key=len, reverse=True)
        self.no = sorted((key(w) for w in spec["deny"]), key=len, reverse=True)
        self.not_an_answer = [key(w) for w in spec["not_an_answer"]]
        self.ordinals = {int(n): {key(w) for w in words} for n, words in spec["ordinals"].items()}
        self.fillers = {key(w) for w in spec["fillers"]}
        self.position_words = {key(w) for w in spec["position_words"]}
        # Every phrasing of a knowledge-base button, by its payload: both languages' titles
        # and the typed forms listed under `also`.
        self.phrasings: dict[str, set[str]] = {}
        for button_key, labels in kb.button_labels.items():
            payload = payload_for(button_key, labels.get("entities"))
            forms = {labels[lang] for lang in kb.languages} | set(labels.get("also", []))
            self.phrasings.setdefault(payload, set()).update(key(f) for f in forms)

    def _forms(self, button: Offered) -> set[str]:
        return {key(button.title)} | self.phrasings.get(button.payload, set())

    def match(self, text: str, offered: list[Offered]) -> Offered | None:
        """The offered button `text` stands for, if exactly one fits."""
        said = key(text)
        if not said or not offered or text.lstrip().startswith("/"):
            return None
        for button in offered:  # the title itself, or a listed typed form, give or take a typo
            if any(said == form or _similar(said, form) for form in self._forms(button)):
                return button
        yes_no = self._yes_no(said, offered)
        if yes_no:
            return yes_no
        words = [w for w in said.split() if w not in self.fillers]
        if not words or len(words) > SHORT_REPLY_WORDS:
            return None
        return (
            self._by_position(words, offered)
            or self._by_protocol(text, offered)
            or self._by_part_of_title(words, offered)
        )

    def _yes_no(self, said: str, offered: list[Offered]) -> Offered | None:
        by_payload = {b.payload: b for b in offered}
        if AFFIRM not in by_payload and DENY not in by_payload:
            return None
        if any(_starts_with(said, phrase) for phrase in self.not_an_answer):
            return None
        for words, payload in ((self.yes, AFFIRM), (self.no, DENY)):
            if payload in by_payload and any(_starts_with(said, w) for w in words):
                return by_payload[payload]
        return None

    def _by_position(self, words: list[str], offered: list[Offered]) -> Offered | None:
        """ "the second one", "2", "вариант 2": a position and nothing but a position."""
        numbers = {n for n, forms in self.ordinals.items() if any(w in forms for w in words)}
        only_a_position = all(w in self.position_words or _is_ordinal(w, self.ordinals) for w in words)
        if len(numbers) != 1 or not only_a_position:
            return None
        [number] = numbers
        return offered[number - 1] if number <= len(offered) else None

    def _by_protocol(self, text: str, offered: list[Offered]) -> Offered | None:
        named = {m.value for m in self.vocabulary.find(text) if m.entity == "protocol"}
        if len(named) != 1:
            return None
        fits = [b for b in offered if split_payload(b.payload)[1].get("protocol") in named]
        return fits[0] if len(fits) == 1 else None

    def _by_part_of_title(self, words: list[str], offered: list[Offered]) -> Offered | None:
        said = " ".join(words)
        fits = [
            b for b in offered if any(f" {said} " in f" {form} " for form in self._forms(b) if form != said)
        ]
        return fits[0] if len(fits) == 1 else None


def _is_ordinal(word: str, ordinals: dict[int, set[str]]) -> bool:
    return any(word in forms for forms in ordinals.values())


def _similar(a: str, b: str) -> bool:
    return len(b) >= 4 and abs(len(a) - len(b)) <= 3 and SequenceMatcher(None, a, b).ratio() >= SIMILAR


def _starts_with(said: str, phrase: str) -> bool:
    return said == phrase or said.startswith(phrase + " ")
