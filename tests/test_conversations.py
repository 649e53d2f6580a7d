"""The conversation-level test set (tests/conversations/*.yml), replayed over REST.

Each story runs in a new conversation on the real Rasa and action servers; after every
user message the stored intent, entities and the actions Rasa ran must match the story
(bot/eval/conversations.py does the replay; `make eval` reports the same set).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.eval.conversations import Replay, load_stories
from tests.conftest import API_TOKEN, LiveAssistant

pytestmark = pytest.mark.e2e
STORIES = load_stories()


@pytest.mark.parametrize("story", STORIES, ids=[s["story"] for s in STORIES])
def test_conversation(assistant: LiveAssistant, story: dict[str, Any]) -> None:
    turns = Replay(assistant.url, API_TOKEN).story(story)
    problems = [f"{t.text!r}: {p}" for t in turns for p in t.problems]
    assert not problems
