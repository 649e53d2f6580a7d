"""The custom actions on trackers built from tests/fixtures/action_cases.yml."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer, ActionSwitchLanguage
from bot.knowledge import KnowledgeBase
from tests.conftest import load_fixture, make_tracker

CASES = load_fixture("action_cases.yml")


def run_answer(case: dict) -> dict:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(case["intent"], slots=case.get("slots"), entities=case.get("entities"))
    events = ActionAnswer().run(dispatcher, tracker, {})
    assert events == []
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_answer(case: dict, kb: KnowledgeBase) -> None:
    message = run_answer(case)
    expect = case["expect"]
    lang = expect["language"]
    other = next(code for code in kb.languages if code != lang)
    text = message["text"]

    for sid in expect.get("statements", []):
        statement = kb.statements[sid]
        body = statement[lang].format(phone=kb.phone)
        assert body[1:] in text, f"{sid} ({lang}) missing"
        assert statement[other][1:].format(phone=kb.phone) not in text, f"{sid} in {other}"
    if "article" in expect:
        assert kb.article_url(expect["article"]) in text
        assert kb.articles[expect["article"]]["title"][lang] in text
    for fragment in expect.get("contains", []):
        assert fragment in text
    if "topic" in expect:
        assert text.startswith(kb.topics[expect["topic"]]["lead_text"][lang].format(phone=kb.phone)[:40])
    if expect.get("asks_protocol"):
        assert text == kb.topics["ask_protocol"]["lead_text"][lang]
        assert sorted(b["title"] for b in message["buttons"]) == ["IMAP", "POP3"]
        assert all(b["payload"].startswith(f"/{case['intent']}{{") for b in message["buttons"])
    labels = {labels[lang] for labels in kb.button_labels.values()}
    for button in message["buttons"]:
        assert button["title"] in labels
        assert button["payload"].startswith("/")


@pytest.mark.parametrize(
    ("slots", "entities", "target"),
    [
        ({"language": "bg"}, [{"entity": "target_language", "value": "en"}], "en"),
        ({"language": "bg"}, [{"entity": "target_language", "value": "bg"}], "bg"),
        ({"language": "en"}, [], "bg"),
        ({"language": "bg"}, [], "en"),
        ({}, [], "en"),
    ],
)
def test_switch_language(slots: dict, entities: list, target: str, kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    events = ActionSwitchLanguage().run(
        dispatcher, make_tracker("switch_language", slots=slots, entities=entities), {}
    )
    assert events == [SlotSet("language", target)]
    assert dispatcher.messages[0]["text"] == kb.topics["switch_language"]["lead_text"][target]
