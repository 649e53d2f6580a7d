"""The recommendation's decision table, for every combination of answers."""

from __future__ import annotations

import itertools

import pytest

from bot.knowledge import KnowledgeBase
from bot.recommendation import criterion_slots, recommend, recommendation_answer

# Expected outcome as a table: (many devices, shared, sent everywhere, local archive, heavy
# mail) -> protocol. Written from the article's reasoning: several devices, shared boxes
# and sent mail everywhere favour IMAP; an own archive and heavy mail favour POP3.
SLOTS = ["rec_many_devices", "rec_shared", "rec_sent_everywhere", "rec_local_archive", "rec_heavy_mail"]


def expected_protocol(many: bool, shared: bool, sent: bool, archive: bool, heavy: bool) -> str:
    imap = 2 * many + 2 * shared + 1 * sent
    pop3 = 1 * (not many) + 1 * (not sent) + 2 * archive + 1 * heavy
    return "pop3" if pop3 > imap else "imap"


def test_table_covers_the_knowledge_criteria(kb: KnowledgeBase) -> None:
    assert criterion_slots(kb) == SLOTS


@pytest.mark.parametrize("answers", list(itertools.product([True, False], repeat=5)))
def test_every_combination(kb: KnowledgeBase, answers: tuple[bool, ...]) -> None:
    given = dict(zip(SLOTS, answers, strict=True))
    result = recommend(kb, given)
    assert result.protocol == expected_protocol(*answers)
    many, shared, sent, archive, heavy = answers

    # Caveats: POP3 on several devices -> leave a copy; IMAP with heavy mail -> server space.
    assert ("pop3.fact.keep_copy" in result.caveats) == (result.protocol == "pop3" and many)
    assert ("imap.con.full" in result.caveats) == (result.protocol == "imap" and heavy)

    # Reasons come from the article and only argue for the chosen protocol.
    assert result.reasons, given
    for sid in result.reasons:
        assert sid in kb.statements
    if result.protocol == "imap" and many:
        assert "imap.pro.devices" in result.reasons
    if result.protocol == "pop3" and archive:
        assert "pop3.pro.local" in result.reasons
    if result.protocol == "imap":
        assert "pop3.pro.local" not in result.reasons

    for lang in kb.languages:
        answer = recommendation_answer(kb, given, lang)
        assert kb.protocols[result.protocol]["short"] in answer.text
        assert kb.article_url("email_settings") in answer.text


def test_partial_answers_still_recommend(kb: KnowledgeBase) -> None:
    assert recommend(kb, {"rec_local_archive": True}).protocol == "pop3"
    assert recommend(kb, {}).protocol == kb.data["recommendation"]["tie_break"]
