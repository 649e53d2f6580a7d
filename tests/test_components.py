"""The custom Rasa graph components, each on its own, on real Rasa Message objects."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.calibration import IntentRules, full_mailbox_reading, is_gibberish
from bot.nlu.entity_extractor import VocabularyEntityExtractor
from bot.nlu.language_detector import WRITING_FORM, LanguageDetector
from bot.nlu.tokenizer import BilingualTokenizer


def detector() -> LanguageDetector:
    return LanguageDetector()


def tokenizer(**overrides: object) -> BilingualTokenizer:
    return BilingualTokenizer({**BilingualTokenizer.get_default_config(), **overrides})


def process(text: str) -> Message:
    message = Message(data={TEXT: text})
    detector().process([message])
    tokenizer().process([message])
    VocabularyEntityExtractor().process([message])
    return message


def tokens(message: Message) -> list[tuple[str, str]]:
    return [(t.text, t.lemma) for t in message.get(TOKENS_NAMES[TEXT])]


def language_entities(message: Message) -> list[str]:
    return [e["value"] for e in message.get(ENTITIES, []) if e["entity"] == "language"]


@pytest.mark.parametrize(
    ("text", "form", "language"),
    [
        ("Защо кутията ми е пълна?", "bg", ["bg"]),
        ("zashto kutiqta mi e pulna", "bg_latn", ["bg"]),
        ("why is my mailbox full", "en", ["en"]),
        ("моя outlook не тегли", "bg", ["bg"]),
        ("ok", None, []),
        ("🙂", None, []),
        ("", None, []),
    ],
)
def test_language_detector_sets_form_and_language_entity(
    text: str, form: str | None, language: list[str]
) -> None:
    message = Message(data={TEXT: text})
    detector().process([message])
    assert message.get(WRITING_FORM) == form
    assert language_entities(message) == language
    # The writing form is part of the parse result that clients see.
    assert message.as_dict(only_output_properties=True).get(WRITING_FORM) == form


@pytest.mark.parametrize(
    ("text", "metadata", "language"),
    [
        ("pop3?", {"language": "en"}, ["en"]),  # undecided: the page's language
        ("pop3?", {"language": "bg-BG"}, ["bg"]),
        ("pop3?", {"language": "ru"}, []),  # not one we answer in: left to the conversation
        ("pop3?", {"language": ["en"]}, []),
        ("кутията ми е пълна", {"language": "en"}, ["bg"]),  # what the customer writes wins
    ],
)
def test_an_undecided_first_message_takes_the_pages_language(
    text: str, metadata: dict, language: list[str]
) -> None:
    message = Message(data={TEXT: text, "metadata": metadata})
    detector().process([message])
    assert language_entities(message) == language


def test_language_detector_labels_training_data() -> None:
    data = TrainingData([Message(data={TEXT: "kutiqta e pulna", "intent": "mailbox_full"})])
    detector().process_training_data(data)
    assert data.training_examples[0].get(WRITING_FORM) == "bg_latn"


def test_latin_bulgarian_and_cyrillic_share_features() -> None:
    latin = [lemma for _, lemma in tokens(process("kutiqta mi e pulna"))]
    cyrillic = [lemma for _, lemma in tokens(process("кутията ми е пълна"))]
    assert latin == cyrillic


def test_english_tokens_get_spacy_lookup_lemmas() -> None:
    assert tokens(process("emails disappearing from servers")) == [
        ("emails", "email"),
        ("disappearing", "disappear"),
        ("from", "from"),
        ("servers", "server"),
    ]


def test_product_names_are_not_transliterated() -> None:
    texts = [t for t, _ in tokens(process("nastroika na outlook za imap"))]
    assert "outlook" in texts and "imap" in texts
    assert "настройка" in texts or "настроика" in texts


def test_mixed_script_message_keeps_latin_terms() -> None:
    texts = [t for t, _ in tokens(process("inbox-а ми в outlook е пълен"))]
    assert "outlook" in texts and "пълен" in texts


def test_token_offsets_point_into_the_original_text() -> None:
    text = "Kutiqta mi e PULNA!!!"
    for token in process(text).get(TOKENS_NAMES[TEXT]):
        assert text[token.start : token.end].lower() != ""
        assert token.end <= len(text)


def test_emoji_only_text_still_gets_a_token() -> None:
    assert len(process("🙂🙂").get(TOKENS_NAMES[TEXT])) == 1


def test_markup_and_contacts_are_no_tokens_but_the_words_after_them_are() -> None:
    text = "<img src=x onerror=alert(1)>какво е imap, ivan@abv.bg 0888 123 456"
    found = process(text).get(TOKENS_NAMES[TEXT])
    assert [t.text for t in found] == ["какво", "е", "imap"]
    assert all(text[t.start : t.end].lower() == t.text for t in found)  # offsets into the original


@pytest.mark.parametrize(
    ("text", "gibberish"),
    [
        ("асдфгх", True),
        ('<img src=x onerror="alert(2)">', True),  # markup only: no ask
        ("ivan@abv.bg 0888 123 456", True),
        ("<b>кутията ми е пълна</b>", False),
        ("🙂🙂", False),  # an emoji says something (thanks, yes)
        ("993", False),
    ],
)
def test_gibberish(text: str, gibberish: bool) -> None:
    assert is_gibberish(text, [], frozenset()) is gibberish


def test_punctuation_is_dropped() -> None:
    assert [t for t, _ in tokens(process("IMAP???"))] == ["imap"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"transliterate": False}, "kutiqta"),
        ({"lemmatize": False}, "кутията"),
        ({"use_writing_form": False}, "kutiqta"),
    ],
)
def test_each_step_can_be_switched_off(overrides: dict, expected: str) -> None:
    message = Message(data={TEXT: "kutiqta"})
    detector().process([message])
    tokenizer(**overrides).process([message])
    token = message.get(TOKENS_NAMES[TEXT])[0]
    assert expected in (token.text, token.lemma)


def test_entity_extractor_adds_normalised_entities() -> None:
    message = process("ПОП3-а или имап за аутлука?")
    found = sorted((e["entity"], e["value"]) for e in message.get(ENTITIES) if e["entity"] != "language")
    assert found == [("email_client", "outlook"), ("protocol", "imap"), ("protocol", "pop3")]
    assert all(
        e["extractor"] == "VocabularyEntityExtractor"
        for e in message.get(ENTITIES)
        if e["entity"] != "language"
    )


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("кутията ми е пълна", True),
        ("пак е на 98%, почиствам я всеки месец", True),
        ("my inbox is at 100% and nobody can email me", True),
        ("pishe quota exceeded", True),
        ('писмата се връщат с "554 rejected". Кутията не е пълна, гледах', False),
        ("kutiqta ne e pulna, proverih", False),
        ("квотата е наред", False),
        ("quota is fine", False),
        ("пощата не работи", None),
        ("50% of my mail is spam", None),
        ("authentication failed, but the password is correct 100%", None),
    ],
)
def test_full_mailbox_reading(text: str, reading: bool | None) -> None:
    assert full_mailbox_reading(text) is reading


def _ranked(text: str, *ranking: tuple[str, float]) -> Message:
    message = Message(data={TEXT: text})
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    return message


def test_a_box_said_not_to_be_full_is_not_the_full_mailbox() -> None:
    ranking = ("mailbox_full", 0.6), ("deny", 0.2), ("mail_not_working", 0.1)
    message = _ranked("user unknown, a kutiqta ne e pulna", *ranking)
    IntentRules.apply(message)
    assert message.get("intent")["name"] == "mail_not_working"
    assert [r["name"] for r in message.get("intent_ranking")] == ["mail_not_working"]


def test_a_stated_full_box_overrides_an_unsure_reading() -> None:
    text = "my inbox is at 100% and nobody can email me"
    message = _ranked(text, ("mail_not_working", 0.5), ("mailbox_full", 0.4))
    IntentRules.apply(message)
    assert message.get("intent") == {"name": "mailbox_full", "confidence": 1.0}
