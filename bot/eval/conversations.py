"""The conversation-level test set (tests/conversations/*.yml), replayed over REST.

    python -m bot.eval.conversations [--model models/current.tar.gz]

Each story runs in a new conversation on a real Rasa and action server. After every user
message the replay reads the tracker through Rasa's HTTP API and compares the intent (and
the listed entities) Rasa stored, and the actions it ran, with the story. `rasa test`
cannot do this: it parses test messages without their conversation, so a reply read in
context (bot/nlu/context.py) is invisible to it.

As an ablation, each user message is also parsed without its conversation (`/model/parse`):
how many turns the NLU alone would have read right shows what the context component brings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

from bot.localservices import free_port
from bot.processes import MODEL, ProcessGroup, start_assistant
from bot.settings import PROJECT_DIR, load_env

CONVERSATIONS = PROJECT_DIR / "tests" / "conversations"
# Rasa's own bookkeeping, not the story's.
IGNORED_ACTIONS = {"action_listen", "action_session_start", "action_extract_slots"}


def load_stories(folder: Path = CONVERSATIONS) -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yml")):
        stories += yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]
    return stories


def turns(story: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """(user step, the actions that follow it) for every user step."""
    out: list[tuple[dict[str, Any], list[str]]] = []
    for step in story["steps"]:
        if "user" in step:
            out.append((step, []))
        elif "action" in step:
            out[-1][1].append(step["action"])
    return out


def understood(step: dict[str, Any], parse: dict[str, Any]) -> bool:
    """Whether `parse` has the step's intent and entities."""
    if "intent" in step and parse["intent"]["name"] != step["intent"]:
        return False
    found = {(e["entity"], str(e["value"])) for e in parse.get("entities", [])}
    return all((name, str(value)) in found for e in step.get("entities", []) for name, value in e.items())


@dataclass
class Turn:
    text: str
    problems: list[str] = field(default_factory=list)
    without_context_right: bool | None = None  # None: the step names no intent


class Replay:
    """Replays stories against a Rasa server at `url` (HTTP API on, with `token`)."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.session = requests.Session()

    def _events(self, sender: str) -> list[dict[str, Any]]:
        response = self.session.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()["events"]

    def story(self, story: dict[str, Any]) -> list[Turn]:
        sender = f"conv-{uuid.uuid4().hex[:8]}"
        seen = 0
        out: list[Turn] = []
        for step, expected_actions in turns(story):
            turn = Turn(str(step["user"]).strip())
            self.session.post(
                f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.text}, timeout=60
            ).raise_for_status()
            events = self._events(sender)[seen:]
            seen += len(events)
            users = [e for e in events if e["event"] == "user"]
            parse = users[-1]["parse_data"] if users else {"intent": {"name": None}}
            if not understood(step, parse):
                turn.problems.append(f"read as {parse['intent']}, {parse.get('entities')}")
            actions = [
                e["name"]
                for e in events
                if e["event"] == "action"
                and e["name"] not in IGNORED_ACTIONS
                and not e["name"].startswith("validate_")
            ]
            if actions != expected_actions:
                turn.problems.append(f"ran {actions}, expected {expected_actions}")
            if "intent" in step:
                alone = self.session.post(
                    f"{self.url}/model/parse",
                    json={"text": turn.text},
                    params={"token": self.token},
                    timeout=30,
                ).json()
                turn.without_context_right = understood(step, alone)
            out.append(turn)
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.eval.conversations", description=__doc__)
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    load_env()
    token = uuid.uuid4().hex
    rasa_port, action_port = free_port(), free_port()
    group = ProcessGroup()
    with tempfile.TemporaryDirectory() as work:
        group.env.update(
            RASA_PORT=str(rasa_port),
            ACTION_PORT=str(action_port),
            TRACKER_DB=str(Path(work) / "tracker.db"),
            RASA_AUTH_TOKEN=token,
            RATE_LIMIT_PER_MINUTE="0",
        )
        try:
            start_assistant(group, rasa_port, action_port, log_dir=Path(work), model=args.model)
            replay = Replay(f"http://localhost:{rasa_port}", token)
            results = {s["story"]: replay.story(s) for s in load_stories()}
        finally:
            group.stop()
    all_turns = [t for ts in results.values() for t in ts]
    scored = [t for t in all_turns if t.without_context_right is not None]
    passed = [name for name, ts in results.items() if not any(t.problems for t in ts)]
    print(f"stories passed: {len(passed)} of {len(results)}")
    print(f"turns right: {sum(not t.problems for t in all_turns)} of {len(all_turns)}")
    print(
        f"turns the NLU alone reads right (no conversation): "
        f"{sum(bool(t.without_context_right) for t in scored)} of {len(scored)}"
    )
    for name, ts in results.items():
        for t in ts:
            for problem in t.problems:
                print(f"- {name}: {t.text!r} {problem}")
    return 0 if len(passed) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
