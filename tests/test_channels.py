"""Telegram and Viber channels against the real Rasa server, with a local API stand-in.

Updates and callbacks have the shapes the platforms send. With python-telegram-bot installed
the Telegram updates are built from its objects (`Update(...).to_dict()`) and every Viber
callback is parsed by viberbot's `create_request`, as a bot written with those SDKs would;
without them the same documented JSON is built by hand (a test checks that both agree).
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from bot.channels import dedupe
from bot.channels.common import channel_text
from bot.channels.telegram import TelegramInput
from bot.channels.validation import MAX_BODY_BYTES
from bot.channels.viber import signature
from bot.knowledge import KnowledgeBase
from tests.conftest import API_TOKEN, TELEGRAM, VIBER, LiveAssistant
from tests.standin import StandIn

try:
    import telegram as ptb
except ImportError:  # python-telegram-bot is optional: the hand-built JSON is the same
    ptb = None
try:
    from viberbot import Api as ViberApi
    from viberbot.api.bot_configuration import BotConfiguration
    from viberbot.api.messages import TextMessage
except ImportError:  # viberbot is optional too
    ViberApi = BotConfiguration = TextMessage = None

pytestmark = pytest.mark.e2e
# Ids no other test (the fuzzer's small ids included) sends to the same session's assistant.
_ids = itertools.count(random.randrange(10**9, 2 * 10**9))
BOT_USERNAME = TELEGRAM["TELEGRAM_BOT_USERNAME"]
BOT_ID = int(TELEGRAM["TELEGRAM_BOT_TOKEN"].split(":")[0])
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "TEA", "username": BOT_USERNAME}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Office"}


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


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_of(text: str) -> list[dict]:
    """The entities Telegram's servers attach: a leading command and @mentions (UTF-16 offsets)."""
    found = []
    for match in re.finditer(r"^/\w+(@\w+)?|(?<![\w@])@\w{5,}", text):
        kind = "bot_command" if match.group().startswith("/") else "mention"
        found.append(
            {"type": kind, "offset": utf16_len(text[: match.start()]), "length": utf16_len(match.group())}
        )
    return found


def tg_user(user_id: int, language: str = "en", name: str = "Customer") -> dict:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}


def tg_message(
    chat: dict, user: dict | None, text: str | None = None, reply_to: dict | None = None, photo: bool = False
) -> dict:
    """A Message as Telegram sends it (date, entities, reply_to_message, photo sizes)."""
    message: dict[str, Any] = {"message_id": next(_ids) % 10**6, "date": 1_760_000_000, "chat": chat}
    if user is not None:
        message["from"] = user
    if text is not None:
        message["text"] = text
        if entities_of(text):
            message["entities"] = entities_of(text)
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    if photo:
        message["photo"] = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    return message


def tg_update(kind: str, payload: dict, sdk: bool = True) -> dict:
    """An Update with one `message`, `edited_message` or `callback_query`; built by PTB if it is there."""
    update = {"update_id": next(_ids), kind: payload}
    if ptb is None or not sdk:
        return update
    return ptb.Update(update["update_id"], **{kind: _ptb(kind, payload)}).to_dict()


def _ptb(kind: str, payload: dict) -> Any:
    if kind == "callback_query":
        return ptb.CallbackQuery(
            id=payload["id"],
            from_user=ptb.User(**payload["from"]),
            chat_instance=payload["chat_instance"],
            data=payload["data"],
            message=_ptb("message", payload["message"]),
        )
    return ptb.Message(
        message_id=payload["message_id"],
        date=datetime.datetime.fromtimestamp(payload["date"], datetime.timezone.utc),
        chat=ptb.Chat(**payload["chat"]),
        from_user=ptb.User(**payload["from"]) if "from" in payload else None,
        text=payload.get("text"),
        entities=[ptb.MessageEntity(**e) for e in payload.get("entities", [])] or None,
        reply_to_message=_ptb("message", payload["reply_to_message"])
        if "reply_to_message" in payload
        else None,
        photo=[ptb.PhotoSize(**p) for p in payload["photo"]] if "photo" in payload else None,
    )


def text_update(text: str, chat: int, language: str = "en", edited: bool = False) -> dict:
    message = tg_message(
        {"id": chat, "type": "private", "first_name": "Customer"}, tg_user(chat, language), text
    )
    return tg_update("edited_message" if edited else "message", message)


def group_update(
    text: str | None, user: int, language: str = "en", reply_to: dict | None = None, **kw: Any
) -> dict:
    kind = "edited_message" if kw.pop("edited", False) else "message"
    return tg_update(kind, tg_message(GROUP, tg_user(user, language), text, reply_to, **kw))


def bot_message(chat: dict = GROUP, text: str = "Здравейте! Аз съм виртуалният асистент.") -> dict:
    """One of the bot's own messages, as it appears in `reply_to_message`."""
    return tg_message(chat, BOT_USER, text)


def tracker_texts(assistant: LiveAssistant, sender: str) -> list[str]:
    response = requests.get(
        f"{assistant.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=30
    )
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e["event"] == "user"]


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

    private = {"id": 21, "type": "private", "first_name": "Customer"}
    callback = tg_update(
        "callback_query",
        {
            "id": "cb-1",
            "data": pros,
            "from": tg_user(21, "bg"),
            "chat_instance": "-512",
            "message": bot_message(private, sent["text"]),
        },
    )
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
    photo = tg_message({"id": 41, "type": "private", "first_name": "C"}, tg_user(41, "bg"), photo=True)
    telegram(assistant, tg_update("message", photo))
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


def test_the_hand_built_updates_are_what_python_telegram_bot_builds() -> None:
    """Without PTB the tests send the hand-built JSON; PTB reads it as the very same update."""
    if ptb is None:
        pytest.skip("python-telegram-bot is not installed")
    shapes = [
        (
            "message",
            tg_message(GROUP, tg_user(7, "bg"), "🙂 @" + BOT_USERNAME + " какво е IMAP", bot_message()),
        ),
        ("edited_message", tg_message(GROUP, tg_user(8), "/start@" + BOT_USERNAME + " ref")),
        ("message", tg_message({"id": 5, "type": "private"}, tg_user(5), photo=True)),
        (
            "callback_query",
            {
                "id": "q",
                "from": tg_user(5),
                "chat_instance": "1",
                "data": "/greet",
                "message": bot_message({"id": 5, "type": "private"}),
            },
        ),
    ]
    for kind, payload in shapes:
        hand = tg_update(kind, payload, sdk=False)
        assert (
            ptb.Update.de_json(hand, None).to_dict()
            == ptb.Update(hand["update_id"], **{kind: _ptb(kind, payload)}).to_dict()
        )


# Repeats: Telegram resends an update until it gets a 2xx ---------------------------------------
def test_telegram_a_repeated_update_is_answered_once(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    update = text_update("why is my mailbox full?", chat=61)
    assert telegram(assistant, update).status_code == 200
    [sent] = sent_texts(standin)
    assert kb.statements["imap.con.full"]["en"][1:] in sent["text"]
    for _ in range(2):
        response = telegram(assistant, update)
        assert response.status_code == 200 and response.json() == {"ok": True}
    assert standin.take() == []
    assert tracker_texts(assistant, "61") == ["why is my mailbox full?"]
    # Remembered in the tracker database (TRACKER_DB), where every replica on it looks.
    with sqlite3.connect(assistant.tracker_db) as db:
        digest = dedupe.digest(f"telegram:{BOT_ID}:update:{update['update_id']}")
        assert db.execute(f"SELECT count(*) FROM {dedupe.TABLE} WHERE key = ?", (digest,)).fetchone() == (1,)
    # The same update_id for a callback: the query is answered once, too.
    callback = tg_update(
        "callback_query",
        {
            "id": "cb-rep",
            "from": tg_user(61),
            "chat_instance": "9",
            "data": "/greet",
            "message": bot_message({"id": 61, "type": "private"}),
        },
    )
    telegram(assistant, callback)
    telegram(assistant, callback)
    assert len(sent_texts(standin, "answerCallbackQuery")) == 1
    assert len(sent_texts(standin)) == 1


def test_telegram_racing_deliveries_of_one_update_are_answered_once(
    assistant: LiveAssistant, standin: StandIn
) -> None:
    standin.take()
    update = text_update("what are the advantages of IMAP?", chat=62)
    start = threading.Barrier(4)

    def deliver(_: int) -> int:
        start.wait()
        return telegram(assistant, update).status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(deliver, range(4))) == [200] * 4
    assert len(sent_texts(standin)) == 1
    assert tracker_texts(assistant, "62") == ["what are the advantages of IMAP?"]


# Over the 64 KB body limit: 200 (a 400 is retried for a day) and a polite "too long" ---------------
def test_telegram_an_update_over_the_body_limit_gets_200_and_one_polite_reply(
    assistant: LiveAssistant, standin: StandIn
) -> None:
    standin.take()
    long_text = "Пощата ми е пълна. " * 4000  # non-ASCII is sent as \uXXXX: some 360 KB of JSON
    update = text_update(long_text, chat=63, language="bg")
    body = json.dumps(update).encode()
    assert len(body) > MAX_BODY_BYTES
    for _ in range(2):  # Telegram would resend it if it got anything but a 2xx; the repeat is ignored
        response = telegram(assistant, update, raw=body)
        assert response.status_code == 200 and response.json() == {"ok": True}
    [sent] = sent_texts(standin)
    assert sent["chat_id"] in (63, "63") and sent["text"] == channel_text("too_long", "bg")
    assert tracker_texts(assistant, "63") == []  # nothing of it reached the assistant
    # Unreadable and over the limit: still 200, and nobody to tell.
    assert telegram(assistant, {}, raw=b"{" + b" " * (MAX_BODY_BYTES + 10)).status_code == 200
    assert standin.take() == []


# /start with a deep-link parameter --------------------------------------------------------------
@pytest.mark.parametrize("command", ["/start campaign_spring-2025", "/start@{bot} ref42", "/start  "])
def test_telegram_start_with_a_deep_link_parameter_greets(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase, command: str
) -> None:
    standin.take()
    chat = 64 + next(_ids) % 1000
    telegram(assistant, text_update(command.format(bot=BOT_USERNAME), chat=chat, language="bg"))
    [sent] = sent_texts(standin)
    assert sent["text"].startswith(kb.topics["greet"]["lead_text"]["bg"][:40])


# Groups: one conversation per person, answered only when addressed -------------------------------
def test_telegram_group_answers_only_when_addressed(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    silent = [
        group_update("what is imap", user=701),  # people talking among themselves
        group_update("ask @SomeoneElse about imap", user=701),
        group_update("/start@OtherBot", user=701),  # another bot's command
        group_update("what is imap", user=701, edited=True),  # an unaddressed edit
        group_update(None, user=701, photo=True),
        group_update("what is imap", user=701, reply_to=tg_message(GROUP, tg_user(702), "hi")),
    ]
    for update in silent:
        assert telegram(assistant, update).status_code == 200
    assert standin.take() == []

    def answer(update: dict) -> dict:
        assert telegram(assistant, update).status_code == 200
        [sent] = sent_texts(standin)
        assert str(sent["chat_id"]) == str(GROUP["id"])  # the reply goes to the group
        return sent

    # A mention (after an emoji: the entity offsets count UTF-16 units), cut from the text.
    mention = answer(group_update("🙂 @" + BOT_USERNAME + " what are the disadvantages of IMAP?", 701))
    assert kb.statements["imap.con.full"]["en"][1:] in mention["text"]
    # A reply to one of the bot's messages.
    reply = answer(group_update("what are the pros of pop3", 702, reply_to=bot_message()))
    assert kb.statements["pop3.pro.fast"]["en"][1:] in reply["text"]
    # Commands: bare, and addressed to this bot by name.
    greet = answer(group_update("/start", 703, "bg"))
    assert greet["text"].startswith(kb.topics["greet"]["lead_text"]["bg"][:40])
    answer(group_update(f"/start@{BOT_USERNAME}", 704))
    # An addressed edit and photo get the polite replies.
    edited = answer(group_update("@" + BOT_USERNAME + " what is imap", 701, edited=True))
    assert edited["text"] == kb.data["channel_texts"]["edited"]["en"]
    photo = answer(group_update(None, 702, reply_to=bot_message(), photo=True))
    assert photo["text"] == kb.data["channel_texts"]["non_text"]["en"]

    chat = GROUP["id"]
    assert tracker_texts(assistant, f"{chat}:701") == ["🙂 what are the disadvantages of IMAP?"]
    assert tracker_texts(assistant, f"{chat}:702") == ["what are the pros of pop3"]
    assert tracker_texts(assistant, str(chat)) == []  # no conversation of the group as a whole


def test_telegram_group_members_have_their_own_conversations(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    mention = "@" + BOT_USERNAME
    telegram(assistant, group_update(f"{mention} what are the disadvantages of IMAP?", 801))
    telegram(assistant, group_update(f"{mention} what are the disadvantages of POP3?", 802))
    first, second = sent_texts(standin)
    assert kb.statements["imap.con.full"]["en"][1:] in first["text"]
    assert kb.statements["pop3.con.spam"]["en"][1:] in second["text"]
    # A button under the first answer, tapped by the first person: their conversation (IMAP).
    buttons = [row[0]["callback_data"] for row in first["reply_markup"]["inline_keyboard"]]
    tap = tg_update(
        "callback_query",
        {
            "id": "cb-group",
            "from": tg_user(801),
            "chat_instance": "-77",
            "data": buttons[0],
            "message": bot_message(GROUP, first["text"]),
        },
    )
    assert telegram(assistant, tap).status_code == 200
    assert [c["callback_query_id"] for c in sent_texts(standin, "answerCallbackQuery")] == ["cb-group"]
    [tapped] = sent_texts(standin)
    assert str(tapped["chat_id"]) == str(GROUP["id"])
    texts_801 = tracker_texts(assistant, f"{GROUP['id']}:801")
    assert texts_801[0] == "what are the disadvantages of IMAP?" and texts_801[1] == buttons[0]
    assert tracker_texts(assistant, f"{GROUP['id']}:802") == ["what are the disadvantages of POP3?"]


def test_telegram_mentions_are_found_by_utf16_offsets() -> None:
    channel = TelegramInput(TELEGRAM["TELEGRAM_BOT_TOKEN"], "s", "http://127.0.0.1:9", BOT_USERNAME)
    text = f"𝐇𝐢 🙂 @{BOT_USERNAME}, защо кутията ми е пълна? @other_person"
    message = tg_message(GROUP, tg_user(1), text)
    origin = channel._origin(message, message["from"])
    assert origin is not None and origin.group and origin.sender_id == f"{GROUP['id']}:1"
    assert channel.addressed(message, origin)
    assert (
        channel._without_mentions(text, message["entities"]) == "𝐇𝐢 🙂 защо кутията ми е пълна? @other_person"
    )
    other = tg_message(GROUP, tg_user(1), "@other_person защо кутията ми е пълна?")
    assert not channel.addressed(other, channel._origin(other, other["from"]))
    # Without TELEGRAM_BOT_USERNAME: replies to its messages (known by the token's bot id) and
    # bare commands still address it; `/cmd@name` cannot be told apart, so it does not.
    nameless = TelegramInput(TELEGRAM["TELEGRAM_BOT_TOKEN"], "s", "http://127.0.0.1:9")
    for text, expected in [
        ("/start", True),
        (f"/start@{BOT_USERNAME}", False),
        (f"@{BOT_USERNAME} hi", False),
    ]:
        message = tg_message(GROUP, tg_user(1), text)
        assert nameless.addressed(message, nameless._origin(message, message["from"])) is expected
    reply = tg_message(
        GROUP, tg_user(1), "hi", reply_to=tg_message(GROUP, {"id": BOT_ID, "is_bot": True, "first_name": "T"})
    )
    assert nameless.addressed(reply, nameless._origin(reply, reply["from"]))


# --- Viber -----------------------------------------------------------------------------------
VIBER_SDK = (
    ViberApi(BotConfiguration(VIBER["VIBER_AUTH_TOKEN"], VIBER["VIBER_BOT_NAME"], None)) if ViberApi else None
)


def viber(
    assistant: LiveAssistant,
    event: dict,
    sign: bool = True,
    raw: bytes | None = None,
    signature_value: str | None = None,
) -> requests.Response:
    body = raw if raw is not None else json.dumps(event).encode()
    if raw is None and VIBER_SDK is not None:
        # A callback that viberbot's own parser reads, as a Viber bot built with it would.
        parsed = VIBER_SDK.parse_request(body)
        assert parsed.event_type == event["event"]
    headers = {"Content-Type": "application/json"}
    if sign:
        headers["X-Viber-Content-Signature"] = signature_value or signature(body, VIBER["VIBER_AUTH_TOKEN"])
    return requests.post(f"{assistant.url}/webhooks/viber/webhook", data=body, headers=headers, timeout=60)


def viber_message(text: str, user: str, language: str = "bg") -> dict:
    return {
        "event": "message",
        "timestamp": 1_760_000_000_000,
        "chat_hostname": "SN-376_",
        "message_token": next(_ids),
        "sender": {"id": user, "name": "Customer", "language": language, "country": "BG", "api_version": 10},
        "message": TextMessage(text=text).to_dict() if TextMessage else {"type": "text", "text": text},
        "silent": False,
    }


def viber_user_event(kind: str, user: str, language: str = "bg") -> dict:
    """`conversation_started` (a user opens the chat) or `subscribed` (taps Subscribe)."""
    event = {
        "event": kind,
        "timestamp": 1_760_000_000_000,
        "chat_hostname": "SN-376_",
        "message_token": next(_ids),
        "user": {"id": user, "name": "Customer", "language": language, "country": "BG", "api_version": 10},
    }
    if kind == "conversation_started":
        event |= {"type": "open", "context": "", "subscribed": False}
    return event


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
    assert kb.statements["advice.clear_sent"]["bg"][1:] in answer["text"]


def test_viber_conversation_in_english(assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase) -> None:
    standin.take()
    viber(assistant, viber_message("what are the disadvantages of POP3?", "u-en", "en"))
    [sent] = viber_sent(standin)
    assert kb.statements["pop3.con.spam"]["en"][1:] in sent["text"]


@pytest.mark.parametrize("kind", ["webhook", "delivered", "seen", "failed", "unsubscribed"])
def test_viber_service_events_are_acknowledged(assistant: LiveAssistant, standin: StandIn, kind: str) -> None:
    standin.take()
    event = {"event": kind, "timestamp": 1, "user_id": "u-x", "message_token": 2}
    if kind == "failed":
        event["desc"] = "failed because of some reason"
    response = viber(assistant, event)
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


def test_viber_signature_is_the_one_viberbot_verifies() -> None:
    if VIBER_SDK is None:
        pytest.skip("viberbot is not installed")
    body = json.dumps(viber_message("здравейте", "u-sdk")).encode()
    assert VIBER_SDK.verify_signature(body, signature(body, VIBER["VIBER_AUTH_TOKEN"]))


def test_viber_a_repeated_message_token_is_answered_once(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    event = viber_message("what are the disadvantages of POP3?", "u-rep", "en")
    assert viber(assistant, event).status_code == 200
    [sent] = viber_sent(standin)
    assert kb.statements["pop3.con.spam"]["en"][1:] in sent["text"]
    for _ in range(2):
        response = viber(assistant, event)
        assert response.status_code == 200 and response.json() == {"status": 0}
    assert standin.take() == []
    assert tracker_texts(assistant, "u-rep") == ["what are the disadvantages of POP3?"]
    # A new message (new token) with the same text is a new question and is answered.
    viber(assistant, viber_message("what are the disadvantages of POP3?", "u-rep", "en"))
    assert len(viber_sent(standin)) == 1


def test_viber_racing_deliveries_of_one_callback_are_answered_once(
    assistant: LiveAssistant, standin: StandIn
) -> None:
    standin.take()
    event = viber_message("kutiqta mi e pulna", "u-race")
    start = threading.Barrier(4)

    def deliver(_: int) -> int:
        start.wait()
        return viber(assistant, event).status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(deliver, range(4))) == [200] * 4
    assert len(viber_sent(standin)) == 1
    assert tracker_texts(assistant, "u-race") == ["kutiqta mi e pulna"]


def test_viber_conversation_started_then_subscribed_greets_once(
    assistant: LiveAssistant, standin: StandIn, kb: KnowledgeBase
) -> None:
    standin.take()
    opened = viber_user_event("conversation_started", "u-once", "bg")
    welcome = viber(assistant, opened).json()
    assert welcome["text"].startswith(kb.topics["greet"]["lead_text"]["bg"][:40])
    # Viber repeats the callback: no second welcome in the response.
    assert viber(assistant, opened).json() == {"status": 0}
    # The user taps "Subscribe" right after: already greeted, nothing more is sent.
    assert viber(assistant, viber_user_event("subscribed", "u-once", "bg")).status_code == 200
    assert viber_sent(standin) == []
    # Their first question is answered as usual.
    viber(assistant, viber_message("какво е IMAP", "u-once"))
    assert len(viber_sent(standin)) == 1
    # Someone who subscribes without opening the chat first is greeted by `subscribed`.
    viber(assistant, viber_user_event("subscribed", "u-direct", "en"))
    [greeting] = viber_sent(standin)
    assert greeting["receiver"] == "u-direct"
    assert greeting["text"].startswith(kb.topics["greet"]["lead_text"]["en"][:40])


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


# -- socket.io as the standard rasa-webchat 1.0 widget speaks it ------------------------------
def webchat_ask(url: str, text: str, custom_data: Any, timeout: float = 60) -> tuple[str, dict]:
    """A session as rasa-webchat opens it: session_request, then `user_uttered` carrying the
    page's `customData`. Returns the session id and the first reply."""
    import queue
    import uuid

    import socketio

    session = f"webchat-{uuid.uuid4().hex[:8]}"
    replies: queue.Queue = queue.Queue()
    confirmed = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", lambda *_: confirmed.set())
    client.connect(url, transports=["polling"], socketio_path="socket.io", wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(30), "no session_confirm"
        client.emit("user_uttered", {"message": text, "customData": custom_data, "session_id": session})
        return session, replies.get(timeout=timeout)
    finally:
        client.eio.disconnect(abort=True)


def stored_slot(assistant: LiveAssistant, sender: str, slot: str, wait: float = 10) -> Any:
    """The slot once Rasa has saved the turn (the reply is emitted before the save)."""
    deadline = time.monotonic() + wait
    while True:
        response = requests.get(
            f"{assistant.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=30
        )
        response.raise_for_status()
        value = response.json()["slots"].get(slot)
        if value is not None or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.mark.parametrize(("page", "language"), [("en", "en"), ("bg", "bg"), ("en-GB", "en")])
def test_rasa_webchat_custom_data_sets_the_conversation_language(
    assistant: LiveAssistant, page: str, language: str
) -> None:
    # "pop3?" says nothing about the customer's language: the page's decides.
    session, reply = webchat_ask(assistant.url, "pop3?", {"language": page})
    assert stored_slot(assistant, session, "language") == language
    expected = assistant.ask("what is pop3" if language == "en" else "какво е pop3", sender=f"rest-{session}")
    assert reply["text"].split("\n")[0] == expected[0]["text"].split("\n")[0]


def test_rasa_webchat_custom_data_is_never_stored_beyond_the_language(assistant: LiveAssistant) -> None:
    hostile = {"language": "ru", "password": "Tea2024!", "blob": "x" * 5000}
    session, reply = webchat_ask(assistant.url, "pop3?", hostile)
    assert reply.get("text")
    stored_slot(assistant, session, "last_topic")  # the turn is saved
    response = requests.get(
        f"{assistant.url}/conversations/{session}/tracker", params={"token": API_TOKEN}, timeout=30
    )
    user_events = [e for e in response.json()["events"] if e["event"] == "user"]
    page_keys = [set(e.get("metadata") or {}) - {"model_id", "assistant_id"} for e in user_events]
    assert user_events and all(keys == {"language"} for keys in page_keys)
    assert "Tea2024!" not in response.text and "xxxxx" not in response.text
    assert stored_slot(assistant, session, "language") != "ru"
