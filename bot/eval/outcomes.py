"""What the assistant would do with each test message, and how that is scored.

Every message ends in one of five categories (shares of the set):
- `right`: answered with the right topic (or the right small talk);
- `clarified`: "Did you mean ...?" with the right topic among the buttons;
- `declined`: a message outside the article (out of scope or a fault) declined, triaged or
  asked to be rephrased; nothing pretends the article covers it;
- `unhelpful`: no wrong claim, but no help either (an in-scope question declined, a
  clarification without the right topic, a fault answered as out of scope is *not* this:
  both offer a person);
- `wrong`: answered with a wrong topic: the worst outcome.

Out-of-scope recall and precision treat "outside the article" (`out_of_scope` or
`mail_not_working`) as the positive class, and "declined, triaged or asked to rephrase" as
its prediction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.knowledge import KnowledgeBase
from bot.nlu.calibration import INTENT_RULE
from bot.understanding import FALLBACK_INTENT, FAULT, OUT_OF_SCOPE, Outcome, outcome

CATEGORIES = ("right", "clarified", "declined", "unhelpful", "wrong")
OUTSIDE = (OUT_OF_SCOPE, FAULT)
NOT_ANSWERED = ("decline", "triage", "rephrase", "foreign")


def with_thresholds(parse: dict[str, Any], threshold: float, ambiguity: float) -> dict[str, Any]:
    """`parse` as Rasa's FallbackClassifier with these thresholds would have left it.

    A reading that IntentRules made certain comes after the fallback and stays as it is.
    """
    if parse.get(INTENT_RULE):
        return parse
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != FALLBACK_INTENT]
    if not ranking:  # the calibrator emptied it (gibberish)
        top = {"name": FALLBACK_INTENT, "confidence": threshold}
        return {**parse, "intent": top, "intent_ranking": [top]}
    unsure = ranking[0]["confidence"] < threshold or (
        len(ranking) > 1 and ranking[0]["confidence"] - ranking[1]["confidence"] < ambiguity
    )
    if unsure:
        top = {"name": FALLBACK_INTENT, "confidence": threshold}
        return {**parse, "intent": top, "intent_ranking": [top, *ranking]}
    return {**parse, "intent": ranking[0], "intent_ranking": ranking}


def categorise(gold: str, decided: Outcome) -> str:
    if gold in OUTSIDE:
        if decided.kind in NOT_ANSWERED:
            return "declined"
        return "unhelpful" if decided.kind == "clarify" else "wrong"
    if decided.kind == "answer":
        return "right" if decided.intent == gold else "wrong"
    if decided.kind == "clarify" and gold in decided.candidates:
        return "clarified"
    return "unhelpful"


@dataclass
class OutcomeScores:
    n: int
    shares: dict[str, float]
    oos_recall: float
    oos_precision: float
    in_scope_right: float  # right topic answered, among in-scope messages
    by_category: dict[str, list[tuple[str, str, Outcome]]]  # category -> (gold, text, outcome)


def score_outcomes(kb: KnowledgeBase, items: list[tuple[str, str, dict[str, Any]]]) -> OutcomeScores:
    """`items`: (gold intent, text, parse result)."""
    counts: Counter[str] = Counter()
    by_category: dict[str, list[tuple[str, str, Outcome]]] = {c: [] for c in CATEGORIES}
    tp = fp = fn = 0
    in_scope = in_scope_right = 0
    for gold, text, parse in items:
        decided = outcome(kb, parse)
        category = categorise(gold, decided)
        counts[category] += 1
        by_category[category].append((gold, text, decided))
        outside, declined = gold in OUTSIDE, decided.kind in NOT_ANSWERED
        tp += outside and declined
        fp += declined and not outside
        fn += outside and not declined
        if not outside:
            in_scope += 1
            in_scope_right += category == "right"
    n = len(items)
    return OutcomeScores(
        n=n,
        shares={c: counts[c] / n if n else 0.0 for c in CATEGORIES},
        oos_recall=tp / (tp + fn) if tp + fn else 0.0,
        oos_precision=tp / (tp + fp) if tp + fp else 0.0,
        in_scope_right=in_scope_right / in_scope if in_scope else 0.0,
        by_category=by_category,
    )
