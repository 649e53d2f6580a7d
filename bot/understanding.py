"""What the assistant does with one understood message: answer, clarify, decline or triage.

The actions follow these decisions and `make eval` scores them, so both read them here:
- `nlu_fallback` (the NLU is unsure) asks "Did you mean ...?" with the likeliest real topics,
  or asks to rephrase when no topic is likely;
- `out_of_scope` declines honestly and offers a person; `mail_not_working` starts the triage;
- anything else is answered, and a second real topic in the same message gets a button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.knowledge import KnowledgeBase

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
FAULT = "mail_not_working"
# A topic is offered in a clarification only from this confidence on.
CANDIDATE_CONFIDENCE = 0.15
CANDIDATES = 2
# A second topic of a long message gets a button from this confidence on.
SECOND_ASK_CONFIDENCE = 0.25


@dataclass
class Outcome:
    kind: str  # answer, clarify, rephrase, decline, triage, foreign
    intent: str | None = None
    candidates: list[str] = field(default_factory=list)


def clarification_candidates(kb: KnowledgeBase, ranking: list[dict[str, Any]]) -> list[str]:
    topics = set(kb.data["topic_intents"])
    return [
        r["name"]
        for r in ranking
        if r.get("name") in topics and (r.get("confidence") or 0) >= CANDIDATE_CONFIDENCE
    ][:CANDIDATES]


def second_ask(kb: KnowledgeBase, ranking: list[dict[str, Any]], intent: str) -> str | None:
    """Another real topic the message asks about, likely enough to offer as a button."""
    topics = set(kb.data["topic_intents"]) - {intent, FAULT}
    for r in ranking[1:3]:
        if r.get("name") in topics and (r.get("confidence") or 0) >= SECOND_ASK_CONFIDENCE:
            return r["name"]
    return None


def outcome(kb: KnowledgeBase, parse: dict[str, Any]) -> Outcome:
    intent = (parse.get("intent") or {}).get("name")
    if parse.get("writing_form") == "other":
        return Outcome("foreign")
    if intent == FALLBACK_INTENT or not intent:
        candidates = clarification_candidates(kb, parse.get("intent_ranking") or [])
        return Outcome("clarify" if candidates else "rephrase", None, candidates)
    if intent == OUT_OF_SCOPE:
        return Outcome("decline", intent)
    if intent == FAULT:
        return Outcome("triage", intent)
    return Outcome("answer", intent)
