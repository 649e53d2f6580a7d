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
    ActionAnswer().run(dispatcher, tracker, {})
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


# --- multi-turn behaviour -------------------------------------------------------------------
def answer_events(intent: str, **kwargs: object) -> tuple[dict, list]:
    dispatcher = CollectingDispatcher()
    events = ActionAnswer().run(dispatcher, make_tracker(intent, **kwargs), {})
    return dispatcher.messages[0], events


def slot_events(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_bare_follow_up_repeats_the_last_topic_for_the_new_protocol(kb: KnowledgeBase) -> None:
    message, events = answer_events(
        "explain_protocol",
        slots={"language": "bg", "protocol": "imap", "last_topic": "protocol_disadvantages"},
        entities=[{"entity": "followup", "value": "about"}, {"entity": "protocol", "value": "pop3"}],
    )
    assert kb.statements["pop3.con.spam"]["bg"][1:] in message["text"]
    assert slot_events(events)["last_topic"] == "protocol_disadvantages"


def test_mailbox_full_with_a_protocol_gives_its_steps(kb: KnowledgeBase) -> None:
    message, _ = answer_events(
        "mailbox_full", slots={"language": "en"}, entities=[{"entity": "protocol", "value": "imap"}]
    )
    assert kb.statements["advice.clear_sent"]["en"][1:] in message["text"]
    message, _ = answer_events(
        "mailbox_full", slots={"language": "en"}, entities=[{"entity": "protocol", "value": "pop3"}]
    )
    assert kb.statements["advice.remove_after_download"]["en"][1:] in message["text"]
    message, events = answer_events(
        "mailbox_full",
        slots={"language": "bg", "protocol": "unknown"},
        entities=[{"entity": "protocol", "value": "unknown"}],
    )
    assert kb.statements["advice.find_protocol"]["bg"][1:] in message["text"]
    assert slot_events(events)["protocol"] is None


def test_mailbox_full_offers_to_narrow_down_by_protocol(kb: KnowledgeBase) -> None:
    message, _ = answer_events("mailbox_full", slots={"language": "en"})
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/mailbox_full{"protocol": "imap"}' in payloads
    assert '/mailbox_full{"protocol": "unknown"}' in payloads


def test_contact_support_marks_the_handoff(kb: KnowledgeBase) -> None:
    message, events = answer_events("contact_support", slots={"language": "bg"})
    assert kb.phone in message["text"]
    slots = slot_events(events)
    assert slots["handoff_reason"] == "requested"
    assert slots["handoff_at"]


def test_unsure_nlu_asks_did_you_mean_with_readable_labels(kb: KnowledgeBase) -> None:
    message, events = answer_events(
        "nlu_fallback",
        slots={"language": "en"},
        entities=[{"entity": "protocol", "value": "imap"}],
        ranking=[("nlu_fallback", 0.3), ("mailbox_slow", 0.28), ("mailbox_full", 0.27), ("greet", 0.1)],
    )
    assert message["text"] == kb.topics["clarify"]["lead_text"]["en"]
    assert [b["title"] for b in message["buttons"]] == [
        kb.data["intent_labels"]["mailbox_slow"]["en"],
        kb.data["intent_labels"]["mailbox_full"]["en"],
        kb.button_labels["nlu_fallback"]["en"],
    ]
    assert message["buttons"][0]["payload"] == '/mailbox_slow{"protocol": "imap"}'
    assert slot_events(events) == {"fallback_count": 1.0}


def test_second_failure_in_a_row_offers_a_person(kb: KnowledgeBase) -> None:
    message, events = answer_events(
        "nlu_fallback",
        slots={"language": "bg", "fallback_count": 1.0},
        ranking=[("nlu_fallback", 0.3), ("greet", 0.2)],
    )
    assert kb.phone in message["text"]
    assert slot_events(events)["handoff_reason"] == "repeated_failure"


def test_an_understood_message_resets_the_failure_count() -> None:
    _, events = answer_events("pop3_vs_imap", slots={"language": "bg", "fallback_count": 1.0})
    assert slot_events(events)["fallback_count"] == 0.0
    # With no failures to forget, nothing is written: an unchanged slot is not an event.
    _, events = answer_events("pop3_vs_imap", slots={"language": "bg", "fallback_count": 0.0})
    assert "fallback_count" not in slot_events(events)


def test_clarification_offers_only_real_topics(kb: KnowledgeBase) -> None:
    message, _ = answer_events(
        "nlu_fallback",
        slots={"language": "bg"},
        ranking=[
            ("nlu_fallback", 0.3),
            ("greet", 0.25),
            ("affirm", 0.2),
            ("mailbox_full", 0.18),
            ("deny", 0.1),
        ],
    )
    titles = [b["title"] for b in message["buttons"]]
    assert titles == [kb.data["intent_labels"]["mailbox_full"]["bg"], kb.button_labels["nlu_fallback"]["bg"]]


def test_clarification_without_a_likely_topic_asks_to_rephrase(kb: KnowledgeBase) -> None:
    message, events = answer_events(
        "nlu_fallback",
        slots={"language": "en"},
        ranking=[("nlu_fallback", 0.3), ("greet", 0.6), ("thank", 0.2)],
    )
    assert message["text"].startswith(kb.topics["fallback"]["lead_text"]["en"])
    assert {b["payload"] for b in message["buttons"]} >= {"/pop3_vs_imap", "/contact_support"}
    assert slot_events(events) == {"fallback_count": 1.0}


def test_something_else_asks_to_rephrase_and_is_not_a_second_failure(kb: KnowledgeBase) -> None:
    message, events = answer_events(
        "nlu_fallback",
        slots={"language": "bg", "fallback_count": 1.0},
        entities=[{"entity": "rephrase", "value": "yes"}],
    )
    assert message["text"].startswith(kb.topics["fallback"]["lead_text"]["bg"])
    assert kb.phone not in message["text"]
    assert events == []


def test_a_second_real_topic_in_the_message_gets_a_button(kb: KnowledgeBase) -> None:
    message, _ = answer_events(
        "mailbox_full",
        slots={"language": "en"},
        ranking=[("mailbox_full", 0.55), ("multiple_devices", 0.35), ("greet", 0.05)],
    )
    assert message["buttons"][0] == {
        "title": kb.data["intent_labels"]["multiple_devices"]["en"],
        "payload": "/multiple_devices",
    }


def test_a_message_in_another_language_is_answered_in_both(kb: KnowledgeBase) -> None:
    tracker = make_tracker("mailbox_full", "у меня не работает почта", slots={"language": "bg"})
    tracker.latest_message["writing_form"] = "other"
    dispatcher = CollectingDispatcher()
    ActionAnswer().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "I speak Bulgarian and English" in message["text"]
    assert "Говоря български и английски" in message["text"]
    assert kb.phone in message["text"]


def test_imap_steps_save_before_they_delete(kb: KnowledgeBase) -> None:
    message, _ = answer_events(
        "mailbox_full", slots={"language": "bg"}, entities=[{"entity": "protocol", "value": "imap"}]
    )
    text = message["text"]
    archive = text.index(kb.statements["advice.archive_locally"]["bg"][1:])
    assert archive < text.index(kb.statements["advice.empty_trash"]["bg"][1:])
    assert archive < text.index(kb.statements["advice.clear_sent"]["bg"][1:])
    assert "изтрива и тези писма" in text


def test_setup_answer_names_the_settings_article_once(kb: KnowledgeBase) -> None:
    message, _ = answer_events(
        "setup_email_client",
        slots={"language": "bg"},
        entities=[{"entity": "email_client", "value": "outlook"}],
    )
    title = kb.articles["email_settings"]["title"]["bg"]
    assert message["text"].count(title) == 1
    assert message["text"].count(kb.article_url("email_settings")) == 1
    assert "портовете" in message["text"]
