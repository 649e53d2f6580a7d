"""Rasa component: reads a message in the context of the bot's last message.

It runs last in the NLU pipeline and asks Rasa for the conversation (`process` takes a
`tracker`, which the recipe wires in by name). When the customer types instead of pressing:
- text that means one of the buttons just offered (see `bot/replies.py`) becomes exactly
  that button's payload: intent, entities and confidence 1.0, so "IMAP" after "Which
  protocol do you mean?" completes the question that was asked, and "да, от телефона" answers
  the recommendation form's yes/no question;
- the `guide` cue ("help me choose", "помогни ми да избера") always starts the guided
  recommendation, with or without the button on screen;
- a typed payload (`/greet{"language": "ru"}`) acts as one only when `bot/payloads.py`
  accepts it (offered in this conversation, or safe); otherwise its leading "/" is dropped
  for Rasa's RegexMessageHandler, which runs after this, so it stays the plain text the NLU
  already read it as (`payload_refused` in the parse result). `/session_start` restarts.

The parse result says what happened (`typed_reply`: the button's title), for the agent views.
Without a conversation (`/model/parse`, `rasa test nlu`) it changes nothing.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge import default_knowledge
from bot.payloads import accepted, canonical, looks_like_payload
from bot.replies import Offered, ReplyReader, offered_from, split_payload
from bot.vocabulary import default_vocabulary

TYPED_REPLY = "typed_reply"
PAYLOAD_REFUSED = "payload_refused"
GUIDE_INTENT = "pop3_vs_imap"


def last_offered(tracker: DialogueStateTracker | None) -> list[Offered]:
    """The buttons of the bot's messages since the customer last wrote, latest first."""
    offered: list[Offered] = []
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            offered += offered_from(event.data.get("buttons"))
    return offered


def offered_ever(tracker: DialogueStateTracker) -> set[str]:
    """Every button payload the bot offered in the conversation, in canonical spelling."""
    return {
        canonical(b.payload)
        for event in tracker.events
        if isinstance(event, BotUttered)
        for b in offered_from(event.data.get("buttons"))
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConversationContext(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self) -> None:
        self.reader = ReplyReader(default_knowledge(), default_vocabulary())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ConversationContext:
        return cls()

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        offered = last_offered(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            if looks_like_payload(text):
                if tracker is not None and tracker.events:  # a conversation, not /model/parse
                    self._guard(message, text, offered_ever(tracker))
                continue
            button = self.reader.match(text, offered)
            if button:
                self._as_button(message, button)
            elif any(e.get("entity") == "guide" for e in message.get(ENTITIES) or []):
                self._set_intent(message, GUIDE_INTENT)
        return messages

    @staticmethod
    def _guard(message: Message, text: str, offered: set[str]) -> None:
        if not accepted(text, offered):
            message.set(TEXT, text.lstrip()[1:], add_to_output=True)
            message.set(PAYLOAD_REFUSED, True, add_to_output=True)
        elif split_payload(text)[0] == "session_start":
            message.set(TEXT, "/restart")

    def _as_button(self, message: Message, button: Offered) -> None:
        intent, values = split_payload(button.payload)
        if not intent:  # a button whose payload is text: its words are the customer's
            return
        length = len(message.get(TEXT) or "")
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") not in values]
        entities += [
            {"entity": name, "value": value, "start": 0, "end": length, "extractor": type(self).__name__}
            for name, value in values.items()
        ]
        message.set(ENTITIES, entities, add_to_output=True)
        self._set_intent(message, intent)
        message.set(TYPED_REPLY, button.title, add_to_output=True)

    @staticmethod
    def _set_intent(message: Message, intent: str) -> None:
        # As a pressed button reads: one intent, certain (no second guesses to offer).
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}], add_to_output=True)
