"""End to end over REST: the multi-turn flows (recommendation, digression, stop, clarification)."""

from __future__ import annotations

import uuid

import pytest

from bot.knowledge import KnowledgeBase
from tests.conftest import LiveAssistant

pytestmark = pytest.mark.e2e


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def questions(kb: KnowledgeBase, lang: str) -> list[str]:
    return [c["question"][lang] for c in kb.data["recommendation"]["criteria"]]


def test_full_recommendation_in_latin_script_bulgarian(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = f"rec-{uuid.uuid4().hex[:6]}"
    asked = questions(kb, "bg")
    replies = assistant.ask("pomogni mi da izbera pop3 ili imap", sender=sender)
    assert asked[0] in texts(replies)
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]
    # several devices: yes, shared: no, sent everywhere: yes, own archive: no, heavy mail: yes
    for answer, next_question in zip(["da", "ne", "da", "ne"], asked[1:], strict=True):
        assert next_question in texts(assistant.ask(answer, sender=sender))
    result = texts(assistant.ask("da", sender=sender))
    assert result.startswith(kb.data["recommendation"]["texts"]["result"]["bg"].format(protocol_short="IMAP"))
    assert kb.statements["imap.pro.devices"]["bg"][1:] in result
    assert kb.statements["imap.con.full"]["bg"][1:] in result  # caveat: heavy mail on IMAP
    assert kb.article_url("email_settings") in result
    # The form is over: a new question gets a normal answer.
    assert kb.statements["pop3.con.spam"]["bg"][1:] in texts(assistant.ask("minusite na pop3", sender=sender))


def test_digression_and_stop_in_english(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = f"rec-{uuid.uuid4().hex[:6]}"
    asked = questions(kb, "en")
    assistant.ask("should I use POP3 or IMAP?", sender=sender)
    assert asked[0] in texts(assistant.ask('/pop3_vs_imap{"guide": "start"}', sender=sender))
    assert asked[1] in texts(assistant.ask("yes", sender=sender))
    # A question in the middle is answered, then the form asks its question again.
    detour = texts(assistant.ask("why is my mailbox full?", sender=sender))
    assert kb.statements["imap.con.full"]["en"][1:] in detour
    assert asked[1] in detour
    stopped = texts(assistant.ask("stop", sender=sender))
    assert kb.data["recommendation"]["texts"]["stopped"]["en"] in stopped
    assert not any(q in stopped for q in asked)


def test_handoff_then_the_bot_still_answers(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = f"handoff-{uuid.uuid4().hex[:6]}"
    assert kb.phone in texts(assistant.ask("искам да говоря с човек", sender=sender))
    assert kb.statements["imap.fact.sync"]["bg"][1:] in texts(assistant.ask("какво е IMAP", sender=sender))


def test_mailbox_full_narrowed_to_pop3(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = f"full-{uuid.uuid4().hex[:6]}"
    first = assistant.ask("my mailbox is full", sender=sender)
    assert '/mailbox_full{"protocol": "pop3"}' in [b["payload"] for b in first[-1]["buttons"]]
    steps = texts(assistant.ask('/mailbox_full{"protocol": "pop3"}', sender=sender))
    assert kb.statements["advice.remove_after_download"]["en"][1:] in steps


def test_bare_follow_up_names_the_other_protocol(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = f"follow-{uuid.uuid4().hex[:6]}"
    assistant.ask("какви са недостатъците на IMAP", sender=sender)
    assert kb.statements["pop3.con.spam"]["bg"][1:] in texts(assistant.ask("а за POP3?", sender=sender))
