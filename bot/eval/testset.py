"""Reading the evaluation sets: <set>/<writing form>.yml in Rasa's NLU format.

- `current`: tests/nlu/*.yml, the held-out test set of tidy questions;
- `realistic`: tests/nlu/realistic/, long, messy, symptom-like and mostly outside the article;
- `dev`, `dev_hard`, `dev_tidy`: tests/nlu_dev*/ (realistic traffic, confusable boundaries,
  ordinary short questions), the development sets the thresholds are chosen on (never a
  test set, never training data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_DIR

TEST_DIR = PROJECT_DIR / "tests" / "nlu"
SETS = {
    "current": TEST_DIR,
    "realistic": TEST_DIR / "realistic",
    "dev": PROJECT_DIR / "tests" / "nlu_dev",
    "dev_hard": PROJECT_DIR / "tests" / "nlu_dev_hard",
    "dev_tidy": PROJECT_DIR / "tests" / "nlu_dev_tidy",
}
DEV_SETS = ("dev", "dev_hard", "dev_tidy")
FORMS = ("bg", "bg_latn", "en")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    form: str
    entities: tuple[tuple[str, str], ...]  # (entity, normalised value)


def load_examples(path: Path, form: str) -> list[Example]:
    data = load_data(str(path))
    return [
        Example(
            m.get("text"),
            m.get("intent"),
            form,
            tuple((e["entity"], str(e["value"])) for e in m.get("entities") or []),
        )
        for m in data.intent_examples
    ]


def load_test_set(test_dir: Path = TEST_DIR) -> list[Example]:
    examples: list[Example] = []
    for form in FORMS:
        examples += load_examples(test_dir / f"{form}.yml", form)
    return examples


def load_training_texts(data_dir: Path = PROJECT_DIR / "data" / "nlu") -> set[str]:
    return {m.get("text").strip().lower() for m in load_data(str(data_dir)).intent_examples}


def load_agent(model: Path):  # noqa: ANN201 - rasa.core.agent.Agent, imported late (slow)
    """A Rasa agent for parsing, with Rasa's per-message debug logging off."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    return Agent.load(str(model))


def parse_examples(agent, examples: list[Example]) -> list[dict]:  # noqa: ANN001
    """Rasa's parse result for each example, in order."""
    import asyncio

    async def run() -> list[dict]:
        return [await agent.parse_message(e.text) for e in examples]

    return asyncio.run(run())
