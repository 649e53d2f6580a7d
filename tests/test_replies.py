"""Typed replies read against the buttons just offered (bot/replies.py, bot/nlu/context.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge import KnowledgeBase
from bot.nlu.context import TYPED_REPLY, ConversationContext
from bot.replies import Offered, ReplyReader, key
from bot.vocabulary import default_vocabulary


@pytest.fixture(scope="module")
def reader(kb: KnowledgeBase) -> ReplyReader:
    return ReplyReader(kb, default_vocabulary())


def offered(kb: KnowledgeBase, topic: str, lang: str) -> list[Offered]:
    return [Offered(b.title, b.payload) for b in kb.answer(topic, lang).buttons]


YES_NO = {
    "bg": [Offered("Да", "/affirm"), Offered("Не", "/deny")],
    "en": [Offered("Yes", "/affirm"), Offered("No", "/deny")],
}


def test_comparison_key_is_script_neutral() -> None:
    assert key("Ползвам IMAP!") == key("polzvam imap") == key("ползвам имап")
    assert key("Не знам кой") == key("ne znam koi")


@pytest.mark.parametrize(
    ("text", "lang", "protocol"),
    [
        ("Ползвам IMAP", "bg", "imap"),
        ("ползвам имап", "bg", "imap"),
        ("IMAP", "bg", "imap"),
        ("polzvam pop3", "bg", "pop3"),
        ("I use POP3", "bg", "pop3"),  # the other language's title
        ("I use pop", "en", "pop3"),
        ("не знам", "bg", "unknown"),
        ("ne znam koi", "bg", "unknown"),
        ("no idea", "en", "unknown"),
        ("the first one", "en", "imap"),
        ("второто", "bg", "pop3"),
        ("Полвам IMAP", "bg", "imap"),  # typo
    ],
)
def test_typed_replies_to_the_mailbox_full_buttons(
    reader: ReplyReader, kb: KnowledgeBase, text: str, lang: str, protocol: str
) -> None:
    button = reader.match(text, offered(kb, "mailbox_full", lang))
    assert button is not None, text
    assert button.payload == f'/mailbox_full{{"protocol": "{protocol}"}}'


def test_a_new_question_is_not_taken_for_a_button(reader: ReplyReader, kb: KnowledgeBase) -> None:
    buttons = offered(kb, "mailbox_full", "bg")
    assert reader.match("какви са недостатъците на IMAP при телефона ми", buttons) is None
    assert reader.match("kutiqta mi e pulna pak", buttons) is None
    assert reader.match('/mailbox_full{"protocol": "imap"}', buttons) is None  # a payload is a payload


def test_a_number_inside_a_question_is_not_a_position(reader: ReplyReader, kb: KnowledgeBase) -> None:
    buttons = offered(kb, "protocol_advantages", "en")
    assert len(buttons) >= 2
    assert reader.match("and the disadvantages? ref 2", buttons) is None
    assert reader.match("what about 2 devices", buttons) is None
    assert reader.match("option 2", buttons) == buttons[1]
    assert reader.match("вариант 2", offered(kb, "mailbox_full", "bg")).payload.endswith('"pop3"}')


def test_the_protocol_answers_which_protocol_was_asked(reader: ReplyReader, kb: KnowledgeBase) -> None:
    buttons = [Offered(b.title, b.payload) for b in kb.ask_protocol("protocol_disadvantages", "bg").buttons]
    assert reader.match("имап", buttons).payload == '/protocol_disadvantages{"protocol": "imap"}'
    assert reader.match("за поп3", buttons).payload == '/protocol_disadvantages{"protocol": "pop3"}'


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        ("да, от телефона и лаптопа", "/affirm"),
        ("yes, phone and laptop", "/affirm"),
        ("da, iskam", "/affirm"),
        ("Разбира се", "/affirm"),
        ("не, само от компютъра", "/deny"),
        ("nope, only the desktop", "/deny"),
        ("ne", "/deny"),
        ("не знам", None),  # not a "no"
        ("не мога да реша", None),
        ("какво е IMAP?", None),
    ],
)
def test_yes_and_no_whatever_detail_follows(reader: ReplyReader, text: str, payload: str | None) -> None:
    button = reader.match(text, YES_NO["bg"])
    assert (button.payload if button else None) == payload


def test_the_guide_button_by_its_title_in_either_language(reader: ReplyReader, kb: KnowledgeBase) -> None:
    for lang, text in (("en", "help me choose"), ("bg", "помогни ми да избера"), ("bg", "help me choose")):
        button = reader.match(text, offered(kb, "pop3_vs_imap", lang))
        assert button.payload == '/pop3_vs_imap{"guide": "start"}', (lang, text)


def test_something_else_typed(reader: ReplyReader, kb: KnowledgeBase) -> None:
    buttons = [Offered("Пълна пощенска кутия", "/mailbox_full"), Offered(*_button(kb, "nlu_fallback", "bg"))]
    for text in ("нещо друго", "neshto drugo", "Something else", "нито едно"):
        assert reader.match(text, buttons).payload == '/nlu_fallback{"rephrase": "yes"}', text


def _button(kb: KnowledgeBase, name: str, lang: str) -> tuple[str, str]:
    button = kb.button(name, lang)
    return button.title, button.payload


# --- the Rasa component, on a real tracker -------------------------------------------------------
def tracker_after(bot_message: dict) -> DialogueStateTracker:
    domain = Domain.load("domain.yml")
    events = [
        ActionExecuted("action_listen"),
        UserUttered("кутията ми е пълна", {"name": "mailbox_full", "confidence": 0.9}),
        ActionExecuted("action_answer"),
        BotUttered(bot_message.get("text"), bot_message),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events("someone", events, domain.slots)


def parsed(text: str, intent: str, entities: list[dict] | None = None) -> Message:
    return Message(
        {
            TEXT: text,
            INTENT: {"name": intent, "confidence": 0.6},
            ENTITIES: entities or [],
            "intent_ranking": [],
        }
    )


def test_component_turns_a_typed_reply_into_the_button(kb: KnowledgeBase) -> None:
    answer = kb.answer("mailbox_full", "bg")
    tracker = tracker_after({"text": answer.text, "buttons": answer.buttons_as_dicts()})
    message = parsed("ползвам имап", "explain_protocol", [{"entity": "protocol", "value": "imap"}])
    [out] = ConversationContext().process([message], tracker)
    assert out.get(INTENT) == {"name": "mailbox_full", "confidence": 1.0}
    assert [(e["entity"], e["value"]) for e in out.get(ENTITIES)] == [("protocol", "imap")]
    assert out.get(TYPED_REPLY) == "Ползвам IMAP"


def test_component_without_a_conversation_changes_nothing() -> None:
    message = parsed("IMAP", "explain_protocol")
    [out] = ConversationContext().process([message], None)
    assert out.get(INTENT)["name"] == "explain_protocol"
    assert out.get(TYPED_REPLY) is None


def test_component_starts_the_guide_on_its_cue_without_a_button() -> None:
    message = parsed("help me choose", "explain_protocol", [{"entity": "guide", "value": "start"}])
    [out] = ConversationContext().process([message], DialogueStateTracker("someone", []))
    assert out.get(INTENT)["name"] == "pop3_vs_imap"
