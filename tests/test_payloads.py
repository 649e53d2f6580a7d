"""Customer-crafted payloads (bot/payloads.py, applied in bot/nlu/context.py)."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.knowledge import KnowledgeBase
from bot.payloads import accepted, canonical
from tests.conftest import API_TOKEN, LiveAssistant

OFFERED = {canonical('/mailbox_full{"protocol": "imap"}'), canonical('/pop3_vs_imap{"guide": "start"}')}


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('/mailbox_full{"protocol": "imap"}', True),  # offered
        ('/mailbox_full{ "protocol" : "imap" }', True),  # offered, spelled differently
        ('/mailbox_full{"protocol": "pop3"}', False),  # not offered
        ("/mailbox_full", True),  # a domain intent without entities
        ('/greet{"language": "en"}', True),  # what a messenger's /start sends
        ('/greet{"language": "ru"}', False),  # not an allowed value
        ('/switch_language{"target_language": "bg"}', True),  # the widget's БГ/EN toggle
        ('/switch_language{"target_language": "ru"}', False),
        ('/greet{"protocol": "imap"}', False),
        ("/restart", True),
        ("/session_start", True),
        ("/back", False),  # a Rasa default intent that rewinds the conversation
        ("/no_such_intent", False),
        ('/affirm{"language": ["bg"]}', False),
        ("/mailbox_full{not json", False),
    ],
)
def test_which_payloads_are_accepted(text: str, ok: bool) -> None:
    assert accepted(text, OFFERED) is ok


def new_sender() -> str:
    return f"pl-{uuid.uuid4().hex[:8]}"


def tracker(assistant: LiveAssistant, sender: str) -> dict:
    response = requests.get(
        f"{assistant.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=30
    )
    return response.json()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.e2e
def test_a_crafted_language_is_refused(assistant: LiveAssistant) -> None:
    sender = new_sender()
    assistant.ask('/greet{"language": "ru"}', sender=sender)
    state = tracker(assistant, sender)
    assert state["slots"]["language"] != "ru"
    [user] = [e for e in state["events"] if e["event"] == "user"]
    assert user["parse_data"]["payload_refused"] is True
    assert all(e.get("value") != "ru" for e in user["parse_data"]["entities"])


@pytest.mark.e2e
def test_a_payload_not_offered_is_plain_text(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    text = texts(assistant.ask('/protocol_disadvantages{"protocol": "pop3"}', sender=new_sender()))
    assert kb.statements["pop3.con.spam"]["bg"][1:] not in text


@pytest.mark.e2e
def test_an_offered_payload_and_a_safe_one_work(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = new_sender()
    assistant.ask("kutiqta mi e pulna", sender=sender)
    text = texts(assistant.ask('/mailbox_full{"protocol": "imap"}', sender=sender))
    assert kb.statements["advice.clear_sent"]["bg"][1:] in text
    text = texts(assistant.ask("/pop3_vs_imap", sender=new_sender()))
    assert kb.statements["intro.difference"]["bg"][1:] in text


@pytest.mark.e2e
@pytest.mark.parametrize("payload", ["/restart", "/session_start"])
def test_restart_from_a_customer_is_polite(assistant: LiveAssistant, kb: KnowledgeBase, payload: str) -> None:
    sender = new_sender()
    assistant.ask("what is imap?", sender=sender)
    text = texts(assistant.ask(payload, sender=sender))
    assert text == kb.answer("restarted", "en").text
    assert "technical problem" not in text
