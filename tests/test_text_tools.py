"""Language detection, transliteration and the entity vocabulary, on their own."""

from __future__ import annotations

import pytest

from bot.langid import detect_writing_form, reply_language
from bot.translit import latin_to_cyrillic
from bot.vocabulary import default_vocabulary


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Здравейте, кутията ми е пълна", "bg"),
        ("поща", "bg"),
        ("моя outlook не тегли писма", "bg"),
        ("kak da nastroya poshtata", "bg_latn"),
        ("kutiqta mi e pulna", "bg_latn"),
        ("6to ne mi idvat pisma", "bg_latn"),
        ("mersi", "bg_latn"),
        ("why is my mailbox full?", "en"),
        ("thx", "en"),
        ("emails disappear from the server", "en"),
    ],
)
def test_detects_writing_form(text: str, form: str) -> None:
    assert detect_writing_form(text) == form


@pytest.mark.parametrize("text", ["", "   ", "ok", "IMAP?", "POP3", "🙂🙂", "12345", "?!"])
def test_undecided_messages_return_none(text: str) -> None:
    assert detect_writing_form(text) is None


def test_reply_language_maps_both_bulgarian_forms_to_bulgarian() -> None:
    assert reply_language("bg") == reply_language("bg_latn") == "bg"
    assert reply_language("en") == "en"
    assert reply_language(None) is None


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("kutiqta mi e pulna", "кутията ми е пълна"),
        ("kak da nastroya poshtata", "как да настроя пощата"),
        ("iskam da govorq s 4ovek", "искам да говоря с човек"),
        ("nedostatucite", "недостатъците"),
    ],
)
def test_transliterates_latin_bulgarian(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_transliteration_leaves_cyrillic_digits_and_emoji_alone() -> None:
    assert latin_to_cyrillic("поща 123 🙂") == "поща 123 🙂"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POP3 или IMAP?", [("protocol", "pop3"), ("protocol", "imap")]),
        ("POP3-а е по-бърз", [("protocol", "pop3")]),
        ("а ИМАП-а?", [("protocol", "imap")]),
        ("поп3 или имап", [("protocol", "pop3"), ("protocol", "imap")]),
        ("pop3-a ili imap4", [("protocol", "pop3"), ("protocol", "imap")]),
        ("is pop better", [("protocol", "pop3")]),
        ("a pop-up window", []),
        ("popular question", []),
        ("настройки на аутлука", [("email_client", "outlook")]),
        ("Thunderbird and iPhone", [("email_client", "thunderbird"), ("email_client", "iphone")]),
        ("speak english please", [("target_language", "en")]),
        ("", []),
    ],
)
def test_vocabulary_finds_and_normalises(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(m.entity, m.value) for m in default_vocabulary().find(text)]
    assert found == expected


def test_vocabulary_spans_point_into_the_text() -> None:
    text = "кое е по-добре: POP3-а или IMAP?"
    for match in default_vocabulary().find(text):
        assert text[match.start : match.end] == match.text


def test_vocabulary_survives_huge_input() -> None:
    text = "imap " * 5000
    assert len(default_vocabulary().find(text)) == 5000
