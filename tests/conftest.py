"""Shared fixtures: the knowledge base, trackers built from fixture files, a live assistant."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml
from rasa_sdk import Tracker

from bot.knowledge import KnowledgeBase
from bot.processes import MODEL, ProcessGroup, start_assistant
from bot.settings import load_env
from tests.standin import StandIn

TESTS_DIR = Path(__file__).parent
# Debian's Chromium (scripts/install-system-deps); Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIXTURES = TESTS_DIR / "fixtures"
ARTIFACTS = TESTS_DIR / "artifacts"

load_env()


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def load_fixture(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def make_tracker(
    intent: str,
    text: str = "",
    slots: dict | None = None,
    entities: list[dict] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text`, classified as `intent`."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or []],
    }
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("test-user", slots or {}, latest, events, False, None, {}, "action_listen")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveAssistant:
    """A running Rasa server + action server on free ports, with its own tracker DB."""

    def __init__(self, rasa_port: int, tracker_db: Path, log_dir: Path) -> None:
        self.url = f"http://localhost:{rasa_port}"
        self.tracker_db = tracker_db
        self.log_dir = log_dir

    def ask(self, text: object, sender: str = "tester", timeout: float = 30) -> list[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()


API_TOKEN = "test-api-token"
TELEGRAM = {
    "TELEGRAM_BOT_TOKEN": "123:test-token",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret",
    "TELEGRAM_BOT_USERNAME": "TeaSupportBot",
}
VIBER = {"VIBER_AUTH_TOKEN": "viber-test-token", "VIBER_BOT_NAME": "TEA"}


@pytest.fixture(scope="session")
def standin() -> Iterator[StandIn]:
    """Local stand-in for the Telegram and Viber APIs (no test reaches the internet)."""
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory, standin: StandIn) -> Iterator[LiveAssistant]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    work = tmp_path_factory.mktemp("assistant")
    rasa_port, action_port = free_port(), free_port()
    group = ProcessGroup()
    group.env.update(
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        TRACKER_DB=str(work / "tracker.db"),
        TELEGRAM_API_URL=standin.url,
        RASA_AUTH_TOKEN=API_TOKEN,
        RATE_LIMIT_PER_MINUTE="60",
        VIBER_API_URL=standin.url,
        **TELEGRAM,
        **VIBER,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        start_assistant(group, rasa_port, action_port, log_dir=ARTIFACTS)
        yield LiveAssistant(rasa_port, work / "tracker.db", ARTIFACTS)
    finally:
        group.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Chromium for the browser tests (Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
