"""Telegram and Viber channels against the real Rasa server, with a local API stand-in."""

from __future__ import annotations

import itertools
import json

import pytest
import requests

from bot.channels.viber import signature
from bot.knowledge import KnowledgeBase
from tests.conftest import TELEGRAM, VIBER, LiveAssistant
from tests.standin import StandIn

pytestmark = pytest.mark.e2e
_ids = itertools.count(1000)


# --- Telegram --------------------------------------------------------------------------------
def telegram(
    assistant: LiveAssistant,
    update: dict,
    secret: str | None = TELEGRAM["TELEGRAM_SECRET_TOKEN"],
    raw: bytes | None = None,
) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return requests.post(
        f"{assistant.url}/webhooks/telegram/webhook",
        data=raw if raw is not None else json.dumps(update),
        headers=headers,
        timeout=60,
    )


def text_update(text: str, chat: int, language: str = "en", edited: bool = False) -> dict:
    message = {
        "message_id": next(_ids),
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "language_code": language},
        "text": text,
    }
    return {"update_id": next(_ids), "edited_message" if edited else "message": message}


def sent_texts(standin: StandIn, method: str = "sendMessage") -> list[dict]:
    return [c["json"] for c in standin.take(f"/bot{TELEGRAM['TELEGRAM_BOT_TOKEN']}/{method}")]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM["TELEGRAM_SECRET_TOKEN"] + "x"])
def test_telegram_refuses_a_missing_or_wrong_secret(
    assistant: LiveAssistant, standin: StandIn, secret: str | None
) -> None:
    standin.take()
    response = telegram(assistant, text_update("hello", chat=1), secret=secret)
    assert response.status_code == 403
    assert standin.take() == []  # nothing was processed, nothing was sent


def test_telegram_start_greets_in_the_users_language(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    assert telegram(assistant, text_update("/start", chat=11, language="bg")).status_code == 200
    [sent] = sent_texts(standin)
    assert sent["chat_id"] in (11, "11")
    assert sent["text"].startswith(kb.topics["greet"]["lead_text"]["bg"][:40])
    assert telegram(assistant, text_update("/start", chat=12, language="en-GB")).status_code == 200
    assert sent_texts(standin)[0]["text"].startswith(kb.topics["greet"]["lead_text"]["en"][:40])


def test_telegram_conversation_in_bulgarian_with_buttons_and_callbacks(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    telegram(assistant, text_update("какви са недостатъците на IMAP", chat=21, language="bg"))
    [sent] = sent_texts(standin)
    assert kb.statements["imap.con.full"]["bg"][1:] in sent["text"]
    keyboard = sent["reply_markup"]["inline_keyboard"]
    data = [row[0]["callback_data"] for row in keyboard]
    assert all(len(d.encode()) <= 64 for d in data)
    pros = next(d for d in data if d.startswith("/protocol_advantages"))

    callback = {
        "update_id": next(_ids),
        "callback_query": {
            "id": "cb-1",
            "data": pros,
            "from": {"id": 21, "language_code": "bg"},
            "message": {"message_id": 5, "chat": {"id": 21, "type": "private"}},
        },
    }
    assert telegram(assistant, callback).status_code == 200
    assert [c["callback_query_id"] for c in sent_texts(standin, "answerCallbackQuery")] == ["cb-1"]
    [answer] = sent_texts(standin)
    assert kb.statements["imap.pro.devices"]["bg"][1:] in answer["text"]


def test_telegram_conversation_in_english(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    telegram(assistant, text_update("why is my mailbox full?", chat=31))
    [sent] = sent_texts(standin)
    assert kb.statements["imap.con.full"]["en"][1:] in sent["text"]
    assert kb.article_url("pop3_or_imap") in sent["text"]


def test_telegram_edited_and_non_text_messages_get_a_polite_reply(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    telegram(assistant, text_update("fixed typo", chat=41, language="en", edited=True))
    assert sent_texts(standin)[0]["text"] == kb.data["channel_texts"]["edited"]["en"]
    photo = {
        "update_id": next(_ids),
        "message": {
            "message_id": 9,
            "chat": {"id": 41},
            "from": {"id": 41, "language_code": "bg"},
            "photo": [{"file_id": "x"}],
        },
    }
    telegram(assistant, photo)
    assert sent_texts(standin)[0]["text"] == kb.data["channel_texts"]["non_text"]["bg"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"nope",
        b"[1,2]",
        b'{"update_id": "x", "message": 5}',
        b'{"message": {"chat": {"id": 1}, "text": ["list"]}}',
    ],
)
def test_telegram_malformed_updates_never_crash(assistant: LiveAssistant, raw: bytes) -> None:
    assert telegram(assistant, {}, raw=raw).status_code in (200, 400)


def test_telegram_api_failure_is_retried_and_survived(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    standin.fail_next = 100
    assert telegram(assistant, text_update("what is imap", chat=51)).status_code == 200
    attempts = sent_texts(standin)
    assert len(attempts) == 3  # retried, then given up and logged
    standin.fail_next = 0
    telegram(assistant, text_update("what are the pros of pop3", chat=51))
    assert kb.statements["pop3.pro.fast"]["en"][1:] in sent_texts(standin)[0]["text"]


# --- Viber -----------------------------------------------------------------------------------
def viber(
    assistant: LiveAssistant,
    event: dict,
    sign: bool = True,
    raw: bytes | None = None,
    signature_value: str | None = None,
) -> requests.Response:
    body = raw if raw is not None else json.dumps(event).encode()
    headers = {"Content-Type": "application/json"}
    if sign:
        headers["X-Viber-Content-Signature"] = signature_value or signature(body, VIBER["VIBER_AUTH_TOKEN"])
    return requests.post(f"{assistant.url}/webhooks/viber/webhook", data=body, headers=headers, timeout=60)


def viber_message(text: str, user: str, language: str = "bg") -> dict:
    return {
        "event": "message",
        "timestamp": 1,
        "message_token": next(_ids),
        "sender": {"id": user, "name": "Customer", "language": language},
        "message": {"type": "text", "text": text},
    }


def viber_sent(standin: StandIn) -> list[dict]:
    calls = standin.take("/pa/send_message")
    assert all(c["headers"].get("X-Viber-Auth-Token") == VIBER["VIBER_AUTH_TOKEN"] for c in calls)
    return [c["json"] for c in calls]


@pytest.mark.parametrize("mode", ["missing", "wrong", "other-key"])
def test_viber_refuses_a_bad_signature(assistant: LiveAssistant, standin: StandIn, mode: str) -> None:
    standin.take()
    event = viber_message("здравейте", "u-sig")
    body = json.dumps(event).encode()
    value = {"missing": None, "wrong": "0" * 64, "other-key": signature(body, "not-the-token")}[mode]
    response = viber(assistant, event, sign=mode != "missing", signature_value=value)
    assert response.status_code == 403
    assert standin.take() == []


def test_viber_conversation_started_returns_a_welcome(assistant: LiveAssistant, kb: KnowledgeBase) -> None:
    event = {
        "event": "conversation_started",
        "timestamp": 1,
        "message_token": 1,
        "type": "open",
        "user": {"id": "u-new", "name": "New", "language": "en"},
        "subscribed": False,
    }
    response = viber(assistant, event)
    assert response.status_code == 200
    welcome = response.json()
    assert welcome["type"] == "text"
    assert welcome["text"].startswith(kb.topics["greet"]["lead_text"]["en"][:40])
    assert welcome["keyboard"]["Buttons"]


def test_viber_conversation_in_bulgarian_with_keyboard(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    assert viber(assistant, viber_message("kutiqta mi e pulna", "u-bg")).status_code == 200
    [sent] = viber_sent(standin)
    assert sent["receiver"] == "u-bg"
    assert kb.statements["imap.con.full"]["bg"][1:] in sent["text"]
    bodies = [b["ActionBody"] for b in sent["keyboard"]["Buttons"]]
    assert '/mailbox_full{"protocol": "imap"}' in bodies
    # A tap on a keyboard button comes back as a message whose text is the payload.
    viber(assistant, viber_message('/mailbox_full{"protocol": "imap"}', "u-bg"))
    [answer] = viber_sent(standin)
    assert kb.statements["advice.empty_trash_sent"]["bg"][1:] in answer["text"]


def test_viber_conversation_in_english(assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase) -> None:
    standin.take()
    viber(assistant, viber_message("what are the disadvantages of POP3?", "u-en", "en"))
    [sent] = viber_sent(standin)
    assert kb.statements["pop3.con.spam"]["en"][1:] in sent["text"]


@pytest.mark.parametrize("kind", ["webhook", "delivered", "seen", "failed", "unsubscribed"])
def test_viber_service_events_are_acknowledged(assistant: LiveAssistant, standin: StandIn, kind: str) -> None:
    standin.take()
    response = viber(assistant, {"event": kind, "timestamp": 1, "user_id": "u-x", "message_token": 2})
    assert response.status_code == 200
    assert standin.take() == []


def test_viber_subscribed_and_non_text(assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase) -> None:
    standin.take()
    viber(
        assistant,
        {
            "event": "subscribed",
            "timestamp": 1,
            "message_token": 3,
            "user": {"id": "u-sub", "name": "S", "language": "bg"},
        },
    )
    assert viber_sent(standin)[0]["text"].startswith(kb.topics["greet"]["lead_text"]["bg"][:30])
    sticker = {
        "event": "message",
        "timestamp": 1,
        "message_token": 4,
        "sender": {"id": "u-sub", "language": "bg"},
        "message": {"type": "sticker", "sticker_id": 1},
    }
    viber(assistant, sticker)
    assert viber_sent(standin)[0]["text"] == kb.data["channel_texts"]["non_text"]["bg"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"event": 5}', b'{"event": "message", "sender": "x"}'])
def test_viber_malformed_callbacks_never_crash(assistant: LiveAssistant, raw: bytes) -> None:
    assert viber(assistant, {}, raw=raw).status_code in (200, 400)


def test_viber_api_failure_is_retried_and_survived(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    standin.fail_next = 100
    assert viber(assistant, viber_message("what is imap", "u-fail", "en")).status_code == 200
    assert len(viber_sent(standin)) == 3
    standin.fail_next = 0
    viber(assistant, viber_message("what is pop3", "u-fail", "en"))
    assert kb.statements["pop3.fact.one_device"]["en"][1:] in viber_sent(standin)[0]["text"]


# --- webhook registration commands -----------------------------------------------------------
def test_webhook_commands_register_with_the_api(standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("TELEGRAM_API_URL", standin.url)
    monkeypatch.setenv("VIBER_API_URL", standin.url)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.test/webhooks/telegram/webhook")
    monkeypatch.setenv("VIBER_WEBHOOK_URL", "https://bot.example.test/webhooks/viber/webhook")
    for key, value in {**TELEGRAM, **VIBER}.items():
        monkeypatch.setenv(key, value)
    standin.take()
    assert main(["telegram-webhook"]) == 0
    [call] = standin.take("/setWebhook")
    assert call["json"]["secret_token"] == TELEGRAM["TELEGRAM_SECRET_TOKEN"]
    assert call["json"]["url"].endswith("/webhooks/telegram/webhook")
    assert main(["viber-webhook"]) == 0
    [call] = standin.take("/pa/set_webhook")
    assert call["json"]["url"].endswith("/webhooks/viber/webhook")
    assert "message" in call["json"]["event_types"]


def test_webhook_command_without_configuration_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.__main__ import main

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["telegram-webhook"]) == 2
