"""Rasa components that correct DIET's reading where it is known to be wrong.

`IntentCalibrator` runs between DIETClassifier and FallbackClassifier and only lowers or
moves confidence:
- **Gibberish** ("асдфгх", "бла бла") has no word the assistant knows: none in its in-scope
  training data (learned at training: the words of every example that is not out of scope),
  in a dictionary or in the entity vocabulary. Its confidence becomes 0 and its ranking
  empty, so the fallback asks to rephrase and offers topics instead of small talk or a
  guessed topic.
- **Small talk does not steer a long message.** "Здравейте, казвам се ..., кутията ми е пълна"
  is about the full box: in a message of more words than `long_message_words`, greetings,
  thanks, yes and no leave the ranking when a real intent has at least
  `real_ask_confidence`; the real ask then stands (or the fallback asks, if it is unsure).

`IntentRules` runs after FallbackClassifier: what it knows is certain, so it also overrides
an unsure reading, as a pressed button would:
- **A full-mailbox cue makes it the full mailbox.** "не мога да получавам, пише quota
  exceeded", or an office's long story about two computers that ends "пише че е пълна", go to
  the mailbox-full answers (cues: knowledge file; "не е пълна" is no cue). What the message
  was read as before stays second in the ranking, so the answer can offer it as a button.
  Not for out-of-scope questions: "how much is a bigger mailbox, mine is full" stays declined.
- **A box said not to be full is not the full mailbox.** When DIET reads the full mailbox but
  the message only says the box is *not* full, the next reading stands.
- **Another language** (Russian, German: `writing_form` "other") is out of scope whatever its
  words say; the answer then tells, in both languages, which languages the assistant speaks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from simplemma import is_known

from bot.knowledge import default_knowledge
from bot.langid import BG_LATIN_MARKERS, EN_MARKERS, NEUTRAL_WORDS, near_english, strip_noise
from bot.nlu.language_detector import WRITING_FORM
from bot.replies import key
from bot.translit import latin_word_to_cyrillic
from bot.vocabulary import default_vocabulary

# Set on the parse result when IntentRules decided the intent (the eval re-thresholds the rest).
INTENT_RULE = "intent_rule"
SMALL_TALK = ("greet", "goodbye", "thank", "affirm", "deny", "bot_challenge")
_WORD = re.compile(r"[^\W\d_]+")


def is_gibberish(text: str, tokens: Iterable[str], known: frozenset[str]) -> bool:
    """No word of `text` is known: not among `known` (its `tokens`, as the tokenizer wrote
    them, are looked up), in a dictionary, the entity vocabulary or the marker lists. A
    message of nothing but markup, links, addresses or phone numbers counts too."""
    rest = strip_noise(text)
    words = _WORD.findall(rest.lower())
    if not words and rest != text and not re.search(r"\w", rest):
        return True  # only markup, links, addresses or phones: no ask to read
    if not words or default_vocabulary().find(text) or any(t in known for t in tokens):
        return False
    return not any(_is_word(w) for w in words)


def _token_forms(message: Message) -> list[str]:
    return [
        form
        for token in message.get(TOKENS_NAMES[TEXT]) or []
        for form in (token.text, token.get("lemma"))
        if form
    ]


def _is_word(word: str) -> bool:
    if word in NEUTRAL_WORDS or word in EN_MARKERS or word in BG_LATIN_MARKERS:
        return True
    if re.search(r"[a-z]", word):
        return (
            is_known(word, lang="en")
            or is_known(latin_word_to_cyrillic(word), lang="bg")
            or near_english(word)
        )
    return is_known(word, lang="bg")


_NEGATIONS = frozenset("ne not isnt no nito".split())
_ALL_RIGHT = frozenset("fine ok okay normal normalna normalno nared".split())
# "на 98%", "at 100%": a box that is (almost) full, said as a figure ("correct 100%" is not).
_FULL_PERCENT = re.compile(r"(?<!\w)(на|na|at)\s+(9[5-9]|100)\s?%", re.IGNORECASE)


def full_mailbox_reading(text: str) -> bool | None:
    """True: the message says the box is full (a cue, or "at 98%"); False: it only says the
    box is *not* full ("кутията не е пълна", "quota is fine"); None: it says neither."""
    if _FULL_PERCENT.search(text):
        return True
    said = f" {key(text)} "
    negated = False
    for cue in _full_cues():
        start = said.find(f" {cue}")
        while start >= 0:
            before = said[:start].split()[-2:]
            word_end = said.find(" ", start + len(cue) + 1)  # the cue may be a word's start
            after = said[word_end:].split()[:2]
            if not (_NEGATIONS & set(before) or _ALL_RIGHT & set(after)):
                return True
            negated = True
            start = said.find(f" {cue}", start + 1)
    return False if negated else None


def has_full_mailbox_cue(text: str) -> bool:
    """A full-mailbox cue, not negated: "кутията не е пълна", "quota is fine" are no cue."""
    return full_mailbox_reading(text) is True


def _full_cues() -> list[str]:
    return [key(c) for c in default_knowledge().data["triage"]["full_mailbox_cues"]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentCalibrator(GraphComponent):
    KNOWN_WORDS_FILE = "known_words.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"long_message_words": 7, "real_ask_confidence": 0.2}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        known: frozenset[str] = frozenset(),
    ) -> None:
        self.long_message_words = config["long_message_words"]
        self.real_ask_confidence = config["real_ask_confidence"]
        self._model_storage = model_storage
        self._resource = resource
        self.known = known

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentCalibrator:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the words of the in-scope examples (out-of-scope ones include gibberish)."""
        known = {
            form
            for example in training_data.intent_examples
            if example.get(INTENT) != "out_of_scope"
            for form in _token_forms(example)
        }
        self.known = frozenset(known)
        with self._model_storage.write_to(self._resource) as folder:
            (folder / self.KNOWN_WORDS_FILE).write_text(json.dumps(sorted(known), ensure_ascii=False))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentCalibrator:
        with model_storage.read_from(resource) as folder:
            known = json.loads((folder / cls.KNOWN_WORDS_FILE).read_text())
        return cls(config, model_storage, resource, frozenset(known))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.calibrate(message)
        return messages

    def calibrate(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        intent = message.get(INTENT) or {}
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        if not intent.get("name") or text.lstrip().startswith("/"):
            return
        if is_gibberish(text, _token_forms(message), self.known):
            message.set(INTENT, {"name": intent["name"], "confidence": 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
            return
        words = len(_WORD.findall(strip_noise(text)))
        if words > self.long_message_words and intent["name"] in SMALL_TALK:
            real = [r for r in ranking if r["name"] not in SMALL_TALK]
            if real and real[0]["confidence"] >= self.real_ask_confidence:
                ranking = real
        if ranking and ranking[0]["name"] != intent["name"]:
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentRules(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentRules:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.apply(message)
        return messages

    @staticmethod
    def apply(message: Message) -> None:
        text = message.get(TEXT) or ""
        name = (message.get(INTENT) or {}).get("name")
        if not name or text.lstrip().startswith("/"):
            return
        guesses = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != "nlu_fallback"]
        top = guesses[0]["name"] if guesses else None
        if message.get(WRITING_FORM) == "other":
            certain = "out_of_scope"
        elif name != "mailbox_full" and top != "out_of_scope" and has_full_mailbox_cue(text):
            certain = "mailbox_full"
        elif top == "mailbox_full" and full_mailbox_reading(text) is False:
            # "... 554 rejected. Кутията не е пълна": the customer ruled the full box out, so
            # the next real reading stands (usually the fault), with its own confidence.
            rest = [r for r in guesses if r["name"] not in ("mailbox_full", *SMALL_TALK)]
            if rest:
                message.set(INTENT, dict(rest[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
            return
        else:
            return
        message.set(INTENT, {"name": certain, "confidence": 1.0}, add_to_output=True)
        ranking = [{"name": certain, "confidence": 1.0}] + [r for r in guesses if r["name"] != certain]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(INTENT_RULE, certain, add_to_output=True)
