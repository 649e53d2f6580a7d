"""Guided POP3/IMAP recommendation: the decision table lives in the knowledge file.

Each yes/no answer adds votes for a protocol together with the article's reasons; the
protocol with more votes wins, and only the reasons of answers that voted for it are given.
Caveats apply when all of their conditions hold. There is no protocol logic in code.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge import PROTOCOLS, Answer, KnowledgeBase


@dataclass(frozen=True)
class Recommendation:
    protocol: str
    votes: dict[str, int]
    reasons: list[str]
    caveats: list[str]


def criteria(kb: KnowledgeBase) -> list[dict]:
    return kb.data["recommendation"]["criteria"]


def criterion_slots(kb: KnowledgeBase) -> list[str]:
    return [c["slot"] for c in criteria(kb)]


def recommend(kb: KnowledgeBase, answers: dict[str, bool]) -> Recommendation:
    table = kb.data["recommendation"]
    votes = dict.fromkeys(PROTOCOLS, 0)
    chosen: list[dict] = []
    for criterion in table["criteria"]:
        answer = answers.get(criterion["slot"])
        if answer is None:
            continue
        outcome = criterion["if_yes" if answer else "if_no"]
        chosen.append(outcome)
        for protocol, n in outcome["votes"].items():
            votes[protocol] += n
    best = max(votes.values())
    leaders = [p for p in PROTOCOLS if votes[p] == best]
    protocol = leaders[0] if len(leaders) == 1 else table["tie_break"]
    reasons = [sid for outcome in chosen if protocol in outcome["votes"] for sid in outcome["reasons"]]
    facts = {**answers, "protocol": protocol}
    caveats = [
        c["statement"]
        for c in table["caveats"]
        if all(facts.get(key) == value for key, value in c["when"].items())
    ]
    return Recommendation(protocol, votes, list(dict.fromkeys(reasons)), caveats)


def recommendation_answer(kb: KnowledgeBase, answers: dict[str, bool], lang: str) -> Answer:
    result = recommend(kb, answers)
    texts = kb.data["recommendation"]["texts"]
    short = kb.protocols[result.protocol]["short"]
    lines = [texts["result"][lang].format(protocol_short=short)]
    lines += ["• " + kb.statement_text(sid, lang) for sid in result.reasons]
    paragraphs = ["\n".join(lines)]
    if result.caveats:
        caveat_lines = [texts["caveats"][lang]]
        caveat_lines += ["• " + kb.statement_text(sid, lang) for sid in result.caveats]
        paragraphs.append("\n".join(caveat_lines))
    links = [kb.link("email_settings", lang)]
    paragraphs.append(kb.links_text(links, lang))
    buttons = [
        kb.button(f"protocol_disadvantages/{result.protocol}", lang),
        kb.button("setup_email_client", lang),
    ]
    return Answer("\n\n".join(paragraphs), links, buttons)
