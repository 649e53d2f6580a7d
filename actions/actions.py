"""Custom actions: read the tracker, ask the knowledge base, hand the dispatcher the answer.

The actions are deliberately thin. What to say lives in data/knowledge/pop3-or-imap.yml;
the reply language is the `language` slot, filled by the NLU's LanguageDetector; the
recommendation's decision table is data too (bot/recommendation.py reads it).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import handoff
from bot.agent.store import READ_ERRORS, Callback
from bot.knowledge import PROTOCOLS, Answer, Button, KnowledgeBase, default_knowledge, payload_for
from bot.nlu.calibration import has_full_mailbox_cue
from bot.recommendation import criteria, criterion_slots, recommendation_answer
from bot.support_hours import support_hours
from bot.understanding import FALLBACK_INTENT, clarification_candidates, outcome, second_ask
from bot.vocabulary import default_vocabulary

logger = logging.getLogger(__name__)

FAILURES_BEFORE_HANDOFF = 2
# A new handoff within this time of the last one keeps its case number (one case, not two).
CASE_REUSE_SECONDS = 24 * 3600
# Intents whose answer is not a "topic" a follow-up could refer back to.
SMALL_TALK = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope"}


def conversation_language(tracker: Tracker) -> str:
    """The reply language: the slot, or the configured default before anything is known."""
    language = tracker.get_slot("language")
    return language if language in ("bg", "en") else os.environ.get("DEFAULT_LANGUAGE", "bg")


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The first value of `entity` in the latest user message, if any."""
    return next(tracker.get_latest_entity_values(entity), None)


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons_as_dicts())


def handoff_events(reason: str, summary: str | None = None, case: str | None = None) -> list[EventType]:
    """Mark the conversation as handed over to a person; the agent page lists these."""
    events: list[EventType] = [
        SlotSet("handoff_reason", reason),
        SlotSet("handoff_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
    ]
    if summary:
        events.append(SlotSet("handoff_summary", summary))
    if case:
        events.append(SlotSet("case_number", case))
    return events


def current_case(tracker: Tracker, now: float) -> str:
    """The conversation's case number: the last one if it is recent, else a new one."""
    case, at = tracker.get_slot("case_number"), tracker.get_slot("handoff_at")
    try:
        recent = bool(at) and now - datetime.fromisoformat(str(at)).timestamp() < CASE_REUSE_SECONDS
    except ValueError:
        recent = False
    return str(case) if case and recent else handoff.case_number(tracker.sender_id, now)


def hours_text(lang: str) -> str:
    return support_hours().describe(default_knowledge().data["handoff"]["days"][lang])


def hand_over(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    topic: str,
    reason: str,
    summary: str | None = None,
) -> list[EventType]:
    """Send a handoff topic with the honest handoff text (a colleague online or not, the case
    number); with nobody online, the callback questions follow (callback_form)."""
    kb = default_knowledge()
    lang = conversation_language(tracker)
    now = time.time()
    case = current_case(tracker, now)
    online = handoff.colleague_available(handoff.store(), support_hours(), now)
    texts = kb.data["handoff"]
    sentence = texts["online" if online else "offline"][lang].format(
        phone=kb.phone, case=case, hours=hours_text(lang)
    )
    extra = {"handoff": sentence} | ({"summary": summary} if summary is not None else {})
    send(dispatcher, kb.answer(topic, lang, **extra))
    events = handoff_events(reason, summary, case)
    return events if online else [*events, FollowupAction("callback_form")]


def entities_for_buttons(tracker: Tracker) -> dict[str, str]:
    """The protocol and client of the latest message, carried by the buttons offered for it."""
    return {
        e["entity"]: e["value"]
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") in ("protocol", "email_client") and e.get("value") != "unknown"
    }


def choose_topic(kb: KnowledgeBase, tracker: Tracker, intent: str) -> tuple[str, str | None]:
    """The knowledge-base topic and protocol that answer the latest message."""
    said_protocol = latest_entity(tracker, "protocol")
    protocol = said_protocol if said_protocol in PROTOCOLS else tracker.get_slot("protocol")
    last_topic = tracker.get_slot("last_topic")
    # "а за POP3?" / "what about imap": the previous protocol question, for the new protocol.
    if (
        latest_entity(tracker, "followup")
        and said_protocol in PROTOCOLS
        and last_topic
        and kb.needs_protocol(last_topic)
    ):
        return last_topic, said_protocol
    if intent == "mailbox_full" and said_protocol:
        return f"mailbox_full_{said_protocol if said_protocol in PROTOCOLS else 'unknown'}", None
    return intent, protocol


class ActionAnswer(Action):
    """Answers the latest intent from the knowledge base, in the conversation's language."""

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        lang = conversation_language(tracker)
        decision = outcome(kb, tracker.latest_message)
        if decision.kind == "foreign":
            send(dispatcher, kb.answer("foreign_language", lang))
            return []
        intent = decision.intent
        if decision.kind in ("clarify", "rephrase") or not kb.has_topic(intent):
            return self.clarify(kb, dispatcher, tracker, lang)

        if intent == "contact_support":
            # The recommendation is over if it was running (rules end the form): a clean slate.
            cleared = [
                SlotSet(slot, None) for slot in criterion_slots(kb) if tracker.get_slot(slot) is not None
            ]
            return [*cleared, *hand_over(dispatcher, tracker, "contact_support", "requested")]
        topic, protocol = choose_topic(kb, tracker, intent)
        client_value = latest_entity(tracker, "email_client") or tracker.get_slot("email_client")
        client = default_vocabulary().display_name("email_client", client_value) if client_value else None
        answer = kb.answer(topic, lang, protocol, client)
        also = second_ask(kb, tracker.latest_message.get("intent_ranking") or [], intent)
        if also and not any(b.payload.startswith(f"/{also}") for b in answer.buttons):
            label = kb.data["intent_labels"][also][lang]
            answer.buttons.insert(0, Button(label, payload_for(also, entities_for_buttons(tracker))))
        send(dispatcher, answer)

        # Only a change becomes an event: every stored event is re-read on each later turn.
        events: list[EventType] = []
        if tracker.get_slot("fallback_count"):
            events.append(SlotSet("fallback_count", 0.0))
        if tracker.get_slot("protocol") not in (None, *PROTOCOLS):
            events.append(SlotSet("protocol", None))  # "unknown" is an answer, not context
        if intent not in SMALL_TALK:
            events.append(SlotSet("last_topic", topic))
        return events

    def clarify(
        self, kb: KnowledgeBase, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str
    ) -> list[EventType]:
        """ "Did you mean …?" with the likeliest real topics; a person after a second failure.

        "Something else" (the clarification's last button, or typed) is not a failure of its
        own: it asks to rephrase and offers topics; the next failure offers a person.
        """
        if latest_entity(tracker, "rephrase"):
            send(dispatcher, kb.answer("fallback", lang))
            return []
        failures = int(tracker.get_slot("fallback_count") or 0) + 1
        if failures >= FAILURES_BEFORE_HANDOFF:
            return [
                SlotSet("fallback_count", 0.0),
                *hand_over(dispatcher, tracker, "handoff_after_failures", "repeated_failure"),
            ]
        candidates = clarification_candidates(kb, tracker.latest_message.get("intent_ranking") or [])
        if not candidates:  # nothing likely enough to offer: rephrase, or pick a topic
            send(dispatcher, kb.answer("fallback", lang))
            return [SlotSet("fallback_count", float(failures))]
        entities = entities_for_buttons(tracker)
        buttons = [
            Button(kb.data["intent_labels"][name][lang], payload_for(name, entities)) for name in candidates
        ]
        buttons.append(kb.button(FALLBACK_INTENT, lang))
        send(dispatcher, Answer(kb.topics["clarify"]["lead_text"][lang], [], buttons))
        return [SlotSet("fallback_count", float(failures))]


class ActionRestart(Action):
    """Rasa's `action_restart`, with a word to the customer: "/restart" typed in a chat used
    to restart silently, which the channels took for an outage."""

    def name(self) -> str:
        return "action_restart"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.is_paused():
            # A support agent holds the chat (bot/channels/agent.py): a restart would resume
            # the assistant behind the agent's back, so the conversation stays theirs, silently
            # (Rasa lets a restart through a pause: listening is all that is left to do).
            return [FollowupAction("action_listen")]
        send(dispatcher, default_knowledge().answer("restarted", conversation_language(tracker)))
        return [Restarted()]


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


# --- guided recommendation (recommend_form) ---------------------------------------------------
class ValidateRecommendForm(FormValidationAction):
    """Stops the form on "stop" / "спри" / "няма значение"; yes/no come from slot mappings."""

    def name(self) -> str:
        return "validate_recommend_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if latest_entity(tracker, "stop"):
            texts = default_knowledge().data["recommendation"]["texts"]
            dispatcher.utter_message(text=texts["stopped"][conversation_language(tracker)])
            return [SlotSet("rec_stopped", True), SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)


def ask_criterion_action(slot: str) -> type[Action]:
    """The `action_ask_<slot>` action: one yes/no question of the recommendation, with buttons."""

    def name(self: Action) -> str:
        return f"action_ask_{slot}"

    def run(
        self: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        lang = conversation_language(tracker)
        texts = kb.data["recommendation"]["texts"]
        question = next(c["question"][lang] for c in criteria(kb) if c["slot"] == slot)
        if all(tracker.get_slot(s) is None for s in criterion_slots(kb)):
            question = f"{texts['intro'][lang]}\n\n{question}"
        elif (tracker.latest_message.get("intent") or {}).get("name") not in ("affirm", "deny"):
            question = f"{texts['resume'][lang]}\n\n{question}"  # back from a digression
        buttons = [
            {"title": texts["answer_yes"][lang], "payload": "/affirm"},
            {"title": texts["answer_no"][lang], "payload": "/deny"},
        ]
        dispatcher.utter_message(text=question, buttons=buttons)
        return []

    return type(f"ActionAsk_{slot}", (Action,), {"name": name, "run": run})


# One ask action per criterion in the knowledge file; rasa-sdk registers every Action subclass.
ASK_ACTIONS = [ask_criterion_action(slot) for slot in criterion_slots(default_knowledge())]


class ActionRecommend(Action):
    """After the form: the recommendation with its reasons and caveats; then a clean slate."""

    def name(self) -> str:
        return "action_recommend"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        slots = criterion_slots(kb)
        if not tracker.get_slot("rec_stopped"):
            answers = {s: tracker.get_slot(s) for s in slots if tracker.get_slot(s) is not None}
            send(dispatcher, recommendation_answer(kb, answers, conversation_language(tracker)))
        return [SlotSet(s, None) for s in [*slots, "rec_stopped"]] + [SlotSet("last_topic", "pop3_vs_imap")]


# --- fault triage (triage_form) ---------------------------------------------------------------
def fault_summary(tracker: Tracker, limit: int) -> str:
    """The customer's own words from the fault report on, on one line."""
    events = tracker.events
    started = max(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "active_loop" and e.get("name") == "triage_form"
        ),
        default=0,
    )
    report = [i for i, e in enumerate(events[:started]) if e.get("event") == "user"][-1:]
    after = [i for i, e in enumerate(events) if i > started and e.get("event") == "user"]
    texts = [str(events[i].get("text") or "") for i in report + after]
    line = " / ".join(" ".join(t.split()) for t in texts if t and not t.startswith("/"))
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class ValidateTriageForm(FormValidationAction):
    """The triage takes the customer's description as it comes; "stop" ends it."""

    def name(self) -> str:
        return "validate_triage_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if latest_entity(tracker, "stop"):
            send(dispatcher, default_knowledge().answer("triage_stopped", conversation_language(tracker)))
            return [SlotSet("fault_details", None), SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)


class ActionAskFaultDetails(Action):
    """The triage's one question, with the usual answers as text buttons."""

    def name(self) -> str:
        return "action_ask_fault_details"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        lang = conversation_language(tracker)
        options = [Button(o[lang], o[lang]) for o in kb.data["triage"]["options"]]
        send(dispatcher, Answer(kb.answer("mail_not_working", lang).text, [], options))
        return []


class ActionTriage(Action):
    """After the triage question: a full mailbox gets its answers; anything else a person."""

    def name(self) -> str:
        return "action_triage"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = default_knowledge()
        lang = conversation_language(tracker)
        details = tracker.get_slot("fault_details")
        events: list[EventType] = [SlotSet("fault_details", None)]
        if details is None:  # stopped
            return events
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "mailbox_full" or has_full_mailbox_cue(details):
            send(dispatcher, kb.answer("mailbox_full", lang))
            return [*events, SlotSet("last_topic", "mailbox_full")]
        summary = fault_summary(tracker, int(kb.data["triage"]["summary_chars"]))
        return [*events, *hand_over(dispatcher, tracker, "fault_handoff", "fault", summary)]


# --- callback after an offline handoff (callback_form) ----------------------------------------
# Consent is asked for first and explicitly; only then the contact, which is stored (in the
# agent_callbacks table, listed by GET /agent/api/callbacks) only with that consent.
def callback_texts(tracker: Tracker) -> tuple[dict[str, Any], str]:
    return default_knowledge().data["callback"], conversation_language(tracker)


class ValidateCallbackForm(FormValidationAction):
    """A "no" (or anything but yes) to the consent ends the form; a bad contact is asked again;
    "stop" or "no" at the contact question cancels."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        # Declined: the consent question was the only one.
        return ["callback_consent"] if tracker.get_slot("callback_consent") is False else domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        requested = tracker.get_slot("requested_slot")
        declined = [SlotSet("callback_consent", False), SlotSet("callback_contact", None)]
        if requested == "callback_consent" and intent not in ("affirm", "deny"):
            # Another question instead of an answer: no consent (action_callback answers it).
            return [*declined, SlotSet("requested_slot", None)]
        if requested == "callback_contact" and (latest_entity(tracker, "stop") or intent == "deny"):
            return [*declined, SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        contact = handoff.callback_contact(str(value or ""))
        if contact is None:
            texts, lang = callback_texts(tracker)
            dispatcher.utter_message(text=texts["invalid"][lang])
        return {"callback_contact": contact}


class ActionAskCallbackConsent(Action):
    def name(self) -> str:
        return "action_ask_callback_consent"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        texts, lang = callback_texts(tracker)
        buttons = [
            {"title": texts["answer_yes"][lang], "payload": "/affirm"},
            {"title": texts["answer_no"][lang], "payload": "/deny"},
        ]
        dispatcher.utter_message(text=texts["ask_consent"][lang], buttons=buttons)
        return []


class ActionAskCallbackContact(Action):
    def name(self) -> str:
        return "action_ask_callback_contact"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        texts, lang = callback_texts(tracker)
        dispatcher.utter_message(text=texts["ask_contact"][lang])
        return []


class ActionCallback(Action):
    """After the callback questions: store the request (with consent) or say nothing is kept."""

    def name(self) -> str:
        return "action_callback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        texts, lang = callback_texts(tracker)
        kb = default_knowledge()
        case = str(tracker.get_slot("case_number") or "")
        values = {"phone": kb.phone, "case": case, "hours": hours_text(lang)}
        contact = tracker.get_slot("callback_contact")
        events: list[EventType] = [SlotSet("callback_consent", None), SlotSet("callback_contact", None)]
        if tracker.get_slot("callback_consent") is True and contact:
            stored = store_callback(tracker, case, str(contact), lang)
            key = "saved" if stored else "failed"
            dispatcher.utter_message(text=texts[key][lang].format(contact=contact, **values))
            return [*events, SlotSet("callback_consent_at", stored)] if stored else events
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ("affirm", "deny") or latest_entity(tracker, "stop"):
            dispatcher.utter_message(text=texts["declined"][lang].format(**values))
            return events
        # The customer asked something else instead: that is a "no", and gets its answer.
        return [*events, *ActionAnswer().run(dispatcher, tracker, domain)]


def store_callback(tracker: Tracker, case: str, contact: str, lang: str) -> str | None:
    """Write the consented callback request; its consent time (ISO), or None if it failed."""
    db = handoff.store()
    if db is None:
        return None
    at = time.time()
    try:
        db.add_callback(Callback(tracker.sender_id, case or None, contact, lang, at))
    except READ_ERRORS:
        logger.exception("a callback request could not be stored")
        return None
    return datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds")
