"""End to end: the real Rasa server and action server, asked over HTTP (REST channel)."""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.knowledge import KnowledgeBase
from tests.conftest import LiveAssistant

# The three questions of the foundation issue, in each writing form.
QUESTIONS = {
    "pop3_vs_imap": {
        "bg": "Да ползвам ли POP3 или IMAP?",
        "bg_latn": "da polzvam li pop3 ili imap",
        "en": "should I use POP3 or IMAP?",
    },
    "mailbox_full": {
        "bg": "Защо кутията ми е пълна?",
        "bg_latn": "zashto kutiqta mi e pulna",
        "en": "why is my mailbox full?",
    },
    "pop3_cons": {
        "bg": "Какви са недостатъците на POP3?",
        "bg_latn": "kakvi sa nedostatucite na pop3",
        "en": "what are the disadvantages of POP3?",
    },
}
EXPECTED = {
    "pop3_vs_imap": (["intro.difference", "imap.fact.stored", "pop3.fact.stored"], "pop3_or_imap"),
    "mailbox_full": (["imap.fact.sent", "imap.con.full"], "pop3_or_imap"),
    "pop3_cons": (["pop3.con.shared", "pop3.con.no_backup", "pop3.con.spam"], "more_pop3"),
}
pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("form", ["bg", "bg_latn", "en"])
@pytest.mark.parametrize("question", list(QUESTIONS))
def test_answers_the_article_in_the_customers_language(
    assistant: LiveAssistant, kb: KnowledgeBase, question: str, form: str
) -> None:
    replies = assistant.ask(QUESTIONS[question][form], sender=new_sender())
    text = texts(replies)
    lang = "en" if form == "en" else "bg"
    other = "bg" if lang == "en" else "en"
    statements, article = EXPECTED[question]
    for sid in statements:
        assert kb.statements[sid][lang][1:] in text, f"{sid} missing from: {text}"
        assert kb.statements[sid][other][1:] not in text
    assert kb.article_url(article) in text
    assert replies[0].get("buttons"), "answers offer quick replies"


def test_ambiguous_message_keeps_the_conversation_language(
    assistant: LiveAssistant, kb: KnowledgeBase
) -> None:
    sender = new_sender()
    assistant.ask("what are the disadvantages of IMAP?", sender=sender)
    text = texts(assistant.ask("POP3?", sender=sender))
    # "POP3?" alone is undecided: the reply stays English.
    assert text.strip()
    assert not any(ch in text for ch in "абвгдежзийклмнопрстуфхцчшщъьюя")


def test_follow_up_uses_the_protocol_in_context(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = new_sender()
    assistant.ask("What are the advantages of IMAP?", sender=sender)
    text = texts(assistant.ask("and the disadvantages?", sender=sender))
    assert kb.statements["imap.con.full"]["en"][1:] in text


def test_switch_language(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = new_sender()
    assistant.ask("здравейте", sender=sender)
    text = texts(assistant.ask("switch to English please", sender=sender))
    assert text == kb.topics["switch_language"]["lead_text"]["en"]
    # An undecided message afterwards stays in English.
    text = texts(assistant.ask("IMAP", sender=sender))
    assert not any(ch in text for ch in "абвгдежзийклмнопрстуфхцчшщъьюя")


def test_button_payload_is_answered(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    sender = new_sender()
    assistant.ask("kakvo e imap", sender=sender)
    # One of the buttons that answer offered ("Недостатъци на IMAP").
    text = texts(assistant.ask('/protocol_disadvantages{"protocol": "imap"}', sender=sender))
    assert kb.statements["imap.con.full"]["bg"][1:] in text


# --- bad input -------------------------------------------------------------------------------
BAD_BODIES = [
    b"",
    b"not json",
    b"{",
    b"[]",
    b'{"sender": "x"}',
    b'{"message": "hi"}',
    b'{"sender": 5, "message": "hi"}',
    b'{"sender": "x", "message": 12345}',
    b'{"sender": "x", "message": null}',
    b'{"sender": "x", "message": ["a", "b"]}',
    b'{"sender": "x", "message": {"a": 1}}',
    b'{"sender": "x", "message": "\xff\xfe broken utf-8"}',
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_malformed_requests_never_get_a_server_error(assistant: LiveAssistant, body: bytes) -> None:
    response = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code < 500, (body, response.status_code, response.text[:200])


@pytest.mark.parametrize(
    "message",
    ["", "   ", "🙂🙂🙂", "x" * 20_000, "поща " * 4000, "<script>alert(1)</script>", "\x00\x01\x02"],
    ids=["empty", "blank", "emoji", "20k", "20k-cyrillic", "html", "control"],
)
def test_odd_messages_get_a_polite_reply(assistant: LiveAssistant, message: str) -> None:
    response = requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        json={"sender": new_sender(), "message": message},
        timeout=60,
    )
    assert response.status_code < 500
    if response.status_code == 200:
        replies = response.json()
        assert isinstance(replies, list)


def test_server_keeps_answering_after_bad_input(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    for body in BAD_BODIES:
        requests.post(f"{assistant.url}/webhooks/rest/webhook", data=body, timeout=30)
    text = texts(assistant.ask("why is my mailbox full?", sender=new_sender()))
    assert kb.statements["imap.con.full"]["en"][1:] in text
