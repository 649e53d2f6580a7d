"""Rasa component: tells each message's writing form and reply language.

It runs first in the pipeline. It sets the message attribute `writing_form` (bg, bg_latn, en)
for the tokenizer, adds it to the parse result, and emits a `language` entity (bg or en) that
fills the `language` slot. An undecided message emits nothing, so the slot keeps its value,
unless the conversation has no language yet: then the page's language, when the channel sent
one as message metadata (`{"language": "en"}`: rasa-webchat's `customData`), or else a guess
("mailbx ful" is English) decides.
Rasa hands a component its `tracker` when `process` asks for one (the recipe wires the
conversation in by the parameter's name); without a conversation (`/model/parse`) it is empty.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.langid import REPLY_LANGUAGE, detect_writing_form, guess_writing_form, reply_language

WRITING_FORM = "writing_form"
LANGUAGE_ENTITY = "language"


def page_language(message: Message) -> str | None:
    """The language the channel says the customer's page is in, if it is one we answer in."""
    metadata = message.get("metadata")
    value = metadata.get("language") if isinstance(metadata, dict) else None
    if isinstance(value, str) and value[:2].lower() in REPLY_LANGUAGE.values():
        return value[:2].lower()
    return None


@DefaultV1Recipe.register(
    # A featurizer type makes Rasa run it on the training data too, before the tokenizer.
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
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
    ) -> LanguageDetector:
        return cls()

    @staticmethod
    def required_packages() -> list[str]:
        return ["simplemma"]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                example.set(WRITING_FORM, detect_writing_form(example.get(TEXT)))
        return training_data

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        language_known = bool(tracker and tracker.get_slot(LANGUAGE_ENTITY))
        for message in messages:
            text = message.get(TEXT) or ""
            form = detect_writing_form(text)
            message.set(WRITING_FORM, form, add_to_output=True)
            language = reply_language(form)
            if form is None and not language_known:
                language = page_language(message) or reply_language(guess_writing_form(text))
            if language:
                entity = {
                    "entity": LANGUAGE_ENTITY,
                    "value": language,
                    "start": 0,
                    "end": len(message.get(TEXT) or ""),
                    "confidence": 1.0,
                    "extractor": self.name,
                }
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
