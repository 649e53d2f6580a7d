"""Entity vocabulary matching: finds protocol and email-client names in any writing form.

The vocabulary is data (`data/knowledge/entities.yml`). A form matches as a whole word,
optionally followed by a Bulgarian article or plural ending ("POP3-а", "imap-a", "аутлука").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import ENTITIES_FILE

_SUFFIX = r"(?:-?(?:ът|ят|та|то|те|ове|а|я|ut|at|yt|ta|to|te|ove|a))?"
_LEFT = r"(?<![^\W_])"
_RIGHT = r"(?![^\W_])(?!-up)"


@dataclass(frozen=True)
class Match:
    entity: str
    value: str
    start: int
    end: int
    text: str


class Vocabulary:
    def __init__(self, data: dict) -> None:
        self.display: dict[tuple[str, str], str] = {}
        patterns: list[tuple[str, str, str]] = []  # (form, entity, value)
        for entity, values in data.items():
            if entity in ("kind", "version"):
                continue
            for value, spec in values.items():
                self.display[(entity, value)] = spec.get("display", value)
                patterns.extend((form.lower(), entity, value) for form in spec["forms"])
        # Longest forms first, so "imap4" wins over "imap" and "the bat" over "bat".
        patterns.sort(key=lambda p: -len(p[0]))
        self._lookup = {form: (entity, value) for form, entity, value in patterns}
        alternatives = "|".join(
            r"[\s\-]*".join(re.escape(part) for part in form.split()) for form, _, _ in patterns
        )
        self._regex = re.compile(f"{_LEFT}({alternatives}){_SUFFIX}{_RIGHT}", re.IGNORECASE)
        self._space = re.compile(r"[\s\-]+")

    @classmethod
    def load(cls, path: Path = ENTITIES_FILE) -> Vocabulary:
        with open(path, encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle))

    def find(self, text: str) -> list[Match]:
        matches: list[Match] = []
        for m in self._regex.finditer(text or ""):
            form = m.group(1).lower()
            key = self._lookup.get(form) or self._lookup.get(self._space.sub(" ", form))
            if key is None:  # "pop-3" style: separators inside a form
                key = self._lookup.get(self._space.sub("", form))
            if key is None:
                continue
            matches.append(Match(key[0], key[1], m.start(), m.end(), m.group(0)))
        return matches

    def single_word_forms(self, entities: tuple[str, ...]) -> set[str]:
        """One-word spellings of the given entities (product and protocol names)."""
        return {form for form, (entity, _) in self._lookup.items() if entity in entities and " " not in form}

    def display_name(self, entity: str, value: str) -> str:
        return self.display.get((entity, value), value)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary.load()
