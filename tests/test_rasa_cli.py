"""Rasa's own tools on this project: data validation and conversation tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.processes import MODEL, RASA
from bot.settings import PROJECT_DIR


def rasa(*args: str, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_data_validate_is_clean() -> None:
    result = rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_conversation_stories(tmp_path: Path) -> None:
    result = rasa(
        "test",
        "core",
        "--model",
        str(MODEL),
        "--stories",
        "tests/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed = tmp_path / "failed_test_stories.yml"
    assert "- story:" not in failed.read_text()
