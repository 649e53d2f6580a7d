"""Run-time configuration, read once from the environment and `.env` (python-dotenv)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
KNOWLEDGE_FILE = DATA_DIR / "knowledge" / "pop3-or-imap.yml"
ENTITIES_FILE = DATA_DIR / "knowledge" / "entities.yml"

# Defaults that every other module, the Makefile and endpoints.yml agree on.
DEFAULTS: dict[str, str] = {
    "RASA_PORT": "5005",
    "ACTION_PORT": "5055",
    "WEB_PORT": "8080",
    "SUPPORT_BASE_URL": "https://www.tea.bg",
    "SUPPORT_PHONE": "+359 2 439 67 00",
    "DEFAULT_LANGUAGE": "bg",
    "TRACKER_DB": "tracker.db",
}


def load_env() -> None:
    """Load `.env` from the project folder and fill in the defaults (existing values win)."""
    load_dotenv(PROJECT_DIR / ".env", override=False)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("WEB_ORIGINS", default_origins(os.environ["WEB_PORT"]))


def default_origins(web_port: str | int) -> str:
    """The browser origins of the demo page: the only pages allowed to talk to Rasa."""
    return f"http://localhost:{web_port},http://127.0.0.1:{web_port}"


@dataclass(frozen=True)
class Settings:
    rasa_port: int
    action_port: int
    web_port: int
    support_base_url: str
    support_phone: str
    default_language: str

    @classmethod
    def from_env(cls) -> Settings:
        load_env()
        env = os.environ
        return cls(
            rasa_port=int(env["RASA_PORT"]),
            action_port=int(env["ACTION_PORT"]),
            web_port=int(env["WEB_PORT"]),
            support_base_url=env["SUPPORT_BASE_URL"].rstrip("/"),
            support_phone=env["SUPPORT_PHONE"],
            default_language=env["DEFAULT_LANGUAGE"],
        )
