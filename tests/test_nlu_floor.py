"""A floor on test-set accuracy so that an NLU regression fails CI.

The figures themselves (per intent, per writing form, against the baseline) come from
`make eval`; this only guards against a model that got clearly worse.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from rasa.core.agent import Agent

from bot.eval.outcomes import score_outcomes
from bot.eval.testset import FORMS, SETS, load_test_set, load_training_texts
from bot.knowledge import KnowledgeBase
from bot.langid import detect_writing_form
from bot.processes import MODEL
from tests.test_conversations import STORIES

# Floors a little under the figures `make eval` reports (README, Measured).
FLOOR = 0.92
LANGUAGE_FLOOR = 0.97
# On the realistic set: the targets (wrong topics at most 5 %, out-of-scope recall and
# right topics at least 0.90).
REALISTIC_WRONG_CEILING = 0.05
REALISTIC_OOS_RECALL_FLOOR = 0.90
REALISTIC_IN_SCOPE_FLOOR = 0.90


def evaluation_texts() -> dict[str, str]:
    """Every sentence a test scores the NLU on, with where it comes from."""
    texts = {e.text.strip().lower(): name for name, folder in SETS.items() for e in load_test_set(folder)}
    for story in STORIES:
        for step in story["steps"]:
            if "user" in step:
                texts[str(step["user"]).strip().lower()] = story["story"]
    return texts


def test_no_evaluation_sentence_is_in_training() -> None:
    training = load_training_texts()
    shared = {text: origin for text, origin in evaluation_texts().items() if text in training}
    assert not shared


def test_realistic_set_is_big_and_mostly_outside_the_article() -> None:
    examples = load_test_set(SETS["realistic"])
    outside = [e for e in examples if e.intent in ("out_of_scope", "mail_not_working")]
    assert len(examples) >= 240
    assert len(outside) / len(examples) >= 0.40
    assert all(sum(e.form == form for e in examples) >= 80 for form in FORMS)


def test_test_set_has_enough_messages_per_form() -> None:
    counts = Counter(e.form for e in load_test_set())
    assert all(counts[form] >= 40 for form in FORMS), counts


def test_language_detection_accuracy() -> None:
    examples = load_test_set()
    correct = sum(detect_writing_form(e.text) in (e.form, None) for e in examples)
    decided_wrong = [e.text for e in examples if detect_writing_form(e.text) not in (e.form, None)]
    assert correct / len(examples) >= LANGUAGE_FLOOR, decided_wrong


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL))


@pytest.fixture(scope="module")
def predictions(agent: Agent) -> list[tuple[str, str, str]]:
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


def test_realistic_set_floor(agent: Agent, kb: KnowledgeBase) -> None:
    async def parse_all() -> list[tuple[str, str, dict]]:
        return [
            (e.intent, e.text, await agent.parse_message(e.text)) for e in load_test_set(SETS["realistic"])
        ]

    scores = score_outcomes(kb, asyncio.run(parse_all()))
    wrong = [f"{gold} -> {o.intent}: {text}" for gold, text, o in scores.by_category["wrong"]]
    assert scores.shares["wrong"] <= REALISTIC_WRONG_CEILING, wrong
    assert scores.oos_recall >= REALISTIC_OOS_RECALL_FLOOR
    assert scores.in_scope_right >= REALISTIC_IN_SCOPE_FLOOR
