"""A floor on test-set accuracy so that an NLU regression fails CI.

The figures themselves (per intent, per writing form, against the baseline) come from
`make eval`; this only guards against a model that got clearly worse.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from rasa.core.agent import Agent

from bot.eval.testset import FORMS, load_test_set, load_training_texts
from bot.langid import detect_writing_form
from bot.processes import MODEL

FLOOR = 0.90
LANGUAGE_FLOOR = 0.97


def test_test_set_shares_no_sentence_with_training() -> None:
    training = load_training_texts()
    shared = [e.text for e in load_test_set() if e.text.strip().lower() in training]
    assert not shared


def test_test_set_has_enough_messages_per_form() -> None:
    counts = Counter(e.form for e in load_test_set())
    assert all(counts[form] >= 40 for form in FORMS), counts


def test_language_detection_accuracy() -> None:
    examples = load_test_set()
    correct = sum(detect_writing_form(e.text) in (e.form, None) for e in examples)
    decided_wrong = [e.text for e in examples if detect_writing_form(e.text) not in (e.form, None)]
    assert correct / len(examples) >= LANGUAGE_FLOOR, decided_wrong


@pytest.fixture(scope="module")
def predictions() -> list[tuple[str, str, str]]:
    agent = Agent.load(str(MODEL))

    async def parse_all() -> list[tuple[str, str, str]]:
        out = []
        for example in load_test_set():
            result = await agent.parse_message(example.text)
            out.append((example.form, example.intent, result["intent"]["name"]))
        return out

    return asyncio.run(parse_all())


@pytest.mark.parametrize("form", FORMS)
def test_intent_accuracy_floor_per_writing_form(predictions: list, form: str) -> None:
    rows = [(gold, pred) for f, gold, pred in predictions if f == form]
    accuracy = sum(gold == pred for gold, pred in rows) / len(rows)
    assert accuracy >= FLOOR, f"{form}: {accuracy:.3f}"
