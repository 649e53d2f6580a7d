"""Custom actions: read the tracker, ask the knowledge base, hand the dispatcher the answer.

The actions are deliberately thin. What to say lives in data/knowledge/pop3-or-imap.yml;
the reply language is the `language` slot, filled by the NLU's LanguageDetector.
"""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import Answer, default_knowledge
from bot.vocabulary import default_vocabulary

FALLBACK_INTENT = "nlu_fallback"


def conversation_language(tracker: Tracker) -> str:
    """The reply language: the slot, or the configured default before anything is known."""
    language = tracker.get_slot("language")
    return language if language in ("bg", "en") else os.environ.get("DEFAULT_LANGUAGE", "bg")


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The first value of `entity` in the latest user message, if any."""
    return next(tracker.get_latest_entity_values(entity), None)


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons_as_dicts())


class ActionAnswer(Action):
    """Answers the latest intent from the knowledge base, in the conversation's language."""

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = "fallback" if intent == FALLBACK_INTENT or not kb.has_topic(intent) else intent
        protocol = latest_entity(tracker, "protocol") or tracker.get_slot("protocol")
        client_value = latest_entity(tracker, "email_client") or tracker.get_slot("email_client")
        client = (
            default_vocabulary().display_name("email_client", client_value)
            if client_value
            else None
        )
        send(dispatcher, kb.answer(topic, conversation_language(tracker), protocol, client))
        return []


class ActionSwitchLanguage(Action):
    """Switches the reply language to the one asked for, or to the other one."""

    def name(self) -> str:
        return "action_switch_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        target = latest_entity(tracker, "target_language")
        if target not in kb.languages:
            current = conversation_language(tracker)
            target = next(lang for lang in kb.languages if lang != current)
        send(dispatcher, kb.answer("switch_language", target))
        return [SlotSet("language", target)]
