"""The recommendation form's actions on tracker fixtures."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ASK_ACTIONS, ActionRecommend, ValidateRecommendForm
from bot.knowledge import KnowledgeBase
from bot.recommendation import criterion_slots
from tests.conftest import make_tracker


def ask(slot: str, intent: str, slots: dict) -> dict:
    action = next(a() for a in ASK_ACTIONS if a().name() == f"action_ask_{slot}")
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, make_tracker(intent, slots=slots), {})
    return dispatcher.messages[0]


def test_first_question_has_the_intro_and_yes_no_buttons(kb: KnowledgeBase) -> None:
    texts = kb.data["recommendation"]["texts"]
    message = ask("rec_many_devices", "pop3_vs_imap", {"language": "en"})
    assert message["text"].startswith(texts["intro"]["en"])
    assert kb.data["recommendation"]["criteria"][0]["question"]["en"] in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert [b["title"] for b in message["buttons"]] == [texts["answer_yes"]["en"], texts["answer_no"]["en"]]


def test_question_after_a_digression_says_we_continue(kb: KnowledgeBase) -> None:
    message = ask("rec_shared", "mailbox_full", {"language": "bg", "rec_many_devices": True})
    assert message["text"].startswith(kb.data["recommendation"]["texts"]["resume"]["bg"])


def test_stop_ends_the_form_politely(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "deny",
        slots={"language": "bg", "requested_slot": "rec_shared"},
        entities=[{"entity": "stop", "value": "stop"}],
    )
    events = asyncio.run(ValidateRecommendForm().run(dispatcher, tracker, {"slots": {}}))
    assert dispatcher.messages[0]["text"] == kb.data["recommendation"]["texts"]["stopped"]["bg"]
    assert {"event": "slot", "name": "requested_slot", "value": None, "timestamp": None} in events


def test_recommend_answers_and_clears_the_answers(kb: KnowledgeBase) -> None:
    slots = {"language": "en", **dict.fromkeys(criterion_slots(kb), False), "rec_local_archive": True}
    dispatcher = CollectingDispatcher()
    events = ActionRecommend().run(dispatcher, make_tracker("affirm", slots=slots), {})
    assert dispatcher.messages[0]["text"].startswith("I recommend POP3")
    cleared = {e["name"] for e in events if e["value"] is None}
    assert set(criterion_slots(kb)) <= cleared


def test_recommend_after_stop_says_nothing_more(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    ActionRecommend().run(dispatcher, make_tracker("deny", slots={"rec_stopped": True}), {})
    assert dispatcher.messages == []
