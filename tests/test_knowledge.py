"""The knowledge base holds every statement of the article, in both languages, with links."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.knowledge import PROTOCOLS, KnowledgeBase, KnowledgeError
from bot.settings import DATA_DIR, PROJECT_DIR

SOURCE = DATA_DIR / "knowledge" / "source" / "pop3-or-imap.bg.txt"
# Typos of the original that the knowledge base spells correctly.
SOURCE_FIXES = {"устройствто": "устройство", "в.ж.": "вж."}


def normalise(text: str) -> str:
    text = text.lower()
    for wrong, right in SOURCE_FIXES.items():
        text = text.replace(wrong, right)
    text = re.sub(r"[„“”\"]", "", text)
    text = re.sub(r"[–-]", "-", text)
    text = re.sub(r"[\s,;:.()]+", " ", text)
    return text.strip()


def domain_intents() -> list[str]:
    with open(PROJECT_DIR / "domain.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["intents"]


def test_every_statement_has_every_language(kb: KnowledgeBase) -> None:
    for sid, statement in kb.statements.items():
        for lang in kb.languages:
            assert statement.get(lang, "").strip(), f"{sid} has no {lang} text"


def test_every_article_has_titles_and_a_path(kb: KnowledgeBase) -> None:
    for key, article in kb.articles.items():
        assert article["path"].startswith("/"), key
        for lang in kb.languages:
            assert article["title"][lang].strip(), f"{key} has no {lang} title"
        assert kb.article_url(key) == kb.base_url + article["path"]


def test_every_link_target_exists(kb: KnowledgeBase) -> None:
    for sid, statement in kb.statements.items():
        if "article" in statement:
            assert statement["article"] in kb.articles, sid
    for name, protocol in kb.protocols.items():
        assert protocol["article"] in kb.articles, name
    for topic, spec in kb.topics.items():
        if "article" in spec and "{" not in spec["article"]:
            assert spec["article"] in kb.articles, topic


def test_article_bulgarian_is_faithful_to_the_original(kb: KnowledgeBase) -> None:
    """Every article statement (not support advice) is found in the original text."""
    original = normalise(SOURCE.read_text(encoding="utf-8"))
    for sid, statement in kb.statements.items():
        if statement.get("source") == "support":
            continue
        assert normalise(statement["bg"]) in original, f"{sid} is not in the article"


def test_article_structure_is_complete(kb: KnowledgeBase) -> None:
    assert len(kb.groups["imap.facts"]) == 3
    assert len(kb.groups["pop3.facts"]) == 4
    assert len(kb.groups["pop3.advantages"]) == 3
    assert len(kb.groups["pop3.disadvantages"]) == 3
    assert kb.groups["imap.advantages"] and kb.groups["imap.disadvantages"]
    assert "pop3.fact.keep_copy" in kb.groups["pop3.facts"]
    assert {"more_pop3", "more_imap", "email_service", "email_settings"} <= set(kb.articles)
    assert kb.data["support_phone"] == "+359 2 439 67 00"


def test_every_group_member_is_a_statement(kb: KnowledgeBase) -> None:
    for group, ids in kb.groups.items():
        for sid in ids:
            assert sid in kb.statements, f"{group}: {sid}"


@pytest.mark.parametrize("intent", domain_intents())
def test_every_intent_has_an_answer_in_both_languages(kb: KnowledgeBase, intent: str) -> None:
    assert kb.has_topic(intent), f"no topic for intent {intent}"
    for lang in kb.languages:
        for protocol in PROTOCOLS:
            answer = kb.answer(intent, lang, protocol=protocol)
            assert answer.text.strip()
            assert "{" not in answer.text, f"unfilled placeholder in {intent}/{lang}"


def test_topic_answers_carry_their_article_link(kb: KnowledgeBase) -> None:
    for topic, spec in kb.topics.items():
        if "article" not in spec:
            continue
        for lang in kb.languages:
            answer = kb.answer(topic, lang, protocol="imap")
            assert answer.links, topic
            assert answer.links[0].url in answer.text


def test_protocol_topics_ask_for_the_protocol_when_missing(kb: KnowledgeBase) -> None:
    answer = kb.answer("protocol_disadvantages", "en")
    assert answer.text == kb.topics["ask_protocol"]["lead_text"]["en"]
    assert [b.payload for b in answer.buttons] == [
        '/protocol_disadvantages{"protocol": "pop3"}',
        '/protocol_disadvantages{"protocol": "imap"}',
    ]


def test_unknown_reference_is_an_error(kb: KnowledgeBase) -> None:
    with pytest.raises(KnowledgeError):
        kb.statement_ids("imap.nonexistent")


def test_base_url_is_configurable(kb: KnowledgeBase) -> None:
    other = KnowledgeBase(kb.data, "https://support.example.test/")
    answer = other.answer("pop3_vs_imap", "bg")
    assert "https://support.example.test/pages.aspx?id=1031" in answer.text
