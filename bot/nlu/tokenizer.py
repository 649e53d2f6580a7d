"""Rasa component: spaCy tokenisation that puts all three writing forms into one space.

- The spaCy language class (blank `bg` or `en`, no trained model) follows the writing form
  that `LanguageDetector` set.
- Latin-script Bulgarian words are transliterated to Cyrillic, so "pulna kutiq" and
  "пълна кутия" share features (protocol and product names stay as they are).
- Markup, links, e-mail addresses and phone numbers make no tokens: in a long message with a
  signature they would only add noise to the real ask.
- Each token's lemma is a Bulgarian lemma (simplemma) or an English one (spaCy's lookup
  table), which the word-level featurizer uses.

Token text is the normalised form (lowercase, Cyrillic for Bulgarian); offsets still point
into the original message, so entity extraction is unaffected. Each step can be switched off
in config.yml, which is how the ablation in `make eval` measures what it is worth.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import simplemma
import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.langid import NOISE, TECH_WORDS, detect_writing_form
from bot.nlu.language_detector import WRITING_FORM
from bot.translit import latin_word_to_cyrillic
from bot.vocabulary import default_vocabulary

_HAS_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"^[a-z`'46]*[a-z][a-z`'46]*$")
_EMOJI_OR_SYMBOL = re.compile(r"^[\W_]+$")


@lru_cache(maxsize=3)
def _spacy(lang: str) -> spacy.language.Language:
    nlp = spacy.blank(lang)
    if lang == "en":
        # Lookup lemmas ship with spacy-lookups-data; nothing is downloaded.
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _protected_words() -> frozenset[str]:
    """Words never transliterated: product and protocol names keep their Latin form."""
    names = default_vocabulary().single_word_forms(("protocol", "email_client"))
    return frozenset(names | TECH_WORDS)


@lru_cache(maxsize=100_000)
def _bg_lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="bg")


@lru_cache(maxsize=100_000)
def _any_lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang=("bg", "en"))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class BilingualTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Use the writing form from LanguageDetector (or detect it here if it is absent).
            "use_writing_form": True,
            "transliterate": True,
            "lemmatize": True,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.use_writing_form = config["use_writing_form"]
        self.transliterate = config["transliterate"]
        self.lemmatize = config["lemmatize"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BilingualTokenizer:
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "simplemma"]

    def _form(self, message: Message, text: str) -> str | None:
        if not self.use_writing_form:
            return None
        form = message.get(WRITING_FORM)
        return form if form else detect_writing_form(text)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        form = self._form(message, text) if attribute == TEXT else None
        nlp = _spacy("en" if form == "en" else "bg")
        # Markup, links, addresses and phones blanked out (same length, so offsets hold): a
        # token may not straddle them ("alert(1)>какво" must leave "какво").
        words = NOISE.sub(lambda m: " " * len(m.group()), text) if attribute == TEXT else text
        doc = nlp(words) if form == "en" else nlp.make_doc(words)
        tokens: list[Token] = []
        for sp in doc:
            surface = sp.text
            if not _HAS_LETTER.search(surface) and _EMOJI_OR_SYMBOL.match(surface):
                continue  # punctuation and emoji carry no meaning for intents
            norm = surface.lower()
            if form == "en":
                lemma = sp.lemma_.lower() if self.lemmatize and sp.lemma_ else norm
            else:
                if (
                    self.transliterate
                    and form == "bg_latn"
                    and _LATIN_WORD.match(norm)
                    and norm not in _protected_words()
                ):
                    norm = latin_word_to_cyrillic(norm)
                if not self.lemmatize:
                    lemma = norm
                elif form is None:
                    lemma = _any_lemma(norm)
                else:
                    lemma = _bg_lemma(norm)
            tokens.append(Token(norm, sp.idx, sp.idx + len(surface), lemma=lemma))
        if not tokens and text.strip():
            # Emoji-only or symbol-only text still needs one token for the featurizers.
            stripped = text.strip()
            start = text.index(stripped)
            tokens.append(Token(stripped, start, start + len(stripped), lemma=stripped))
        return self._apply_token_pattern(tokens)
