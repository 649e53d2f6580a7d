"""Metrics of one model on the test set: accuracy per writing form, per-intent P/R/F1,
out-of-scope recall and entity F1 (normalised values)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.eval.testset import FORMS, Example

OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Prediction:
    example: Example
    intent: str
    entities: tuple[tuple[str, str], ...]


@dataclass
class Scores:
    accuracy: float
    accuracy_by_form: dict[str, float]
    oos_recall: float
    per_intent: dict[str, tuple[float, float, float, int]]  # precision, recall, f1, support
    entity_f1: dict[str, float]
    errors: list[Prediction] = field(default_factory=list)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(predictions: list[Prediction], entity_types: tuple[str, ...]) -> Scores:
    correct = [p.intent == p.example.intent for p in predictions]
    by_form = {
        form: _mean([c for c, p in zip(correct, predictions, strict=True) if p.example.form == form])
        for form in FORMS
    }
    oos = [p.intent == OUT_OF_SCOPE for p in predictions if p.example.intent == OUT_OF_SCOPE]

    intents = sorted({p.example.intent for p in predictions})
    per_intent = {}
    for intent in intents:
        tp = sum(p.intent == intent and p.example.intent == intent for p in predictions)
        predicted = sum(p.intent == intent for p in predictions)
        support = sum(p.example.intent == intent for p in predictions)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        per_intent[intent] = (precision, recall, _f1(precision, recall), support)

    entity_f1 = {}
    for entity in entity_types:
        tp = fp = fn = 0
        for p in predictions:
            gold = Counter(e for e in p.example.entities if e[0] == entity)
            pred = Counter(e for e in p.entities if e[0] == entity)
            overlap = sum((gold & pred).values())
            tp += overlap
            fp += sum(pred.values()) - overlap
            fn += sum(gold.values()) - overlap
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        entity_f1[entity] = _f1(precision, recall)

    return Scores(
        accuracy=_mean(correct),
        accuracy_by_form=by_form,
        oos_recall=_mean(oos),
        per_intent=per_intent,
        entity_f1=entity_f1,
        errors=[p for p, c in zip(predictions, correct, strict=True) if not c],
    )


def _mean(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0
