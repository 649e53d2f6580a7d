"""Reading the held-out test set: tests/nlu/<writing form>.yml in Rasa's NLU format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_DIR

TEST_DIR = PROJECT_DIR / "tests" / "nlu"
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
