"""Starting and stopping the assistant's processes: action server and Rasa server.

Used by `make run` (python -m bot run), `make shell` and the end-to-end tests, so all three
start the assistant the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.agent.suggest import ensure_rasa_auth_token
from bot.settings import PROJECT_DIR, default_origins, load_env

VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
MODEL = PROJECT_DIR / "models" / "current.tar.gz"


def action_server_cmd(port: int) -> list[str]:
    return [RASA, "run", "actions", "--port", str(port), "--actions", "actions"]


def rasa_server_cmd(
    port: int,
    model: Path = MODEL,
    extra: Sequence[str] = (),
    env: Mapping[str, str] = os.environ,
    credentials: Path | str = "credentials.yml",
) -> list[str]:
    origins = env.get("WEB_ORIGINS", default_origins(env.get("WEB_PORT", "8080"))).split(",")
    cmd = [RASA, "run", "--port", str(port), "--model", str(model)]
    cmd += ["--endpoints", env.get("RASA_ENDPOINTS", "endpoints.yml"), "--credentials", str(credentials)]
    # Browsers may call the server only from the configured origins (the widget's page).
    cmd += ["--cors", *origins]
    # Rasa's HTTP API (trackers, model, parse) is on only behind a token.
    token = env.get("RASA_AUTH_TOKEN")
    if token:
        cmd += ["--enable-api", "--auth-token", token]
    return cmd + list(extra)


@dataclass
class ProcessGroup:
    """Child processes that are stopped together (Ctrl-C, a test's teardown)."""

    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    procs: list[subprocess.Popen] = field(default_factory=list)

    def start(self, cmd: list[str], log: Path | None = None, cwd: Path = PROJECT_DIR) -> subprocess.Popen:
        out = open(log, "ab") if log else None  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def stop(self, timeout: float = 15) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def wait_until_up(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200, the process dies, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} came up")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up within {timeout:.0f}s")


def start_assistant(
    group: ProcessGroup,
    rasa_port: int,
    action_port: int,
    log_dir: Path | None = None,
    model: Path = MODEL,
    credentials: Path | str = "credentials.yml",
) -> None:
    """Start the action server, then the Rasa server, and wait until both answer."""

    def log(name: str) -> Path | None:
        return log_dir / name if log_dir else None

    actions = group.start(action_server_cmd(action_port), log("actions.log"))
    wait_until_up(f"http://localhost:{action_port}/health", 120, actions)
    rasa = group.start(
        rasa_server_cmd(rasa_port, model, env=group.env, credentials=credentials), log("rasa.log")
    )
    # "/" answers once the server is listening; the model is loaded before it listens.
    wait_until_up(f"http://localhost:{rasa_port}/", 300, rasa)


class ConfigurationError(RuntimeError):
    """The configured outside services cannot be used; the message says what to fix."""


def check_services(env: Mapping[str, str]) -> None:
    """Fail fast, with a clear message, when the configured database or Redis is unreachable.

    Without this Rasa starts, loads its model and then dies with a long SQLAlchemy traceback.
    """
    if env.get("RASA_ENDPOINTS", "endpoints.yml") == "endpoints.yml":
        return  # SQLite: a file next to the project, nothing to reach
    services = [("PostgreSQL", "DB_HOST", "DB_PORT", "5432"), ("Redis", "REDIS_HOST", "REDIS_PORT", "6379")]
    for name, host_key, port_key, default_port in services:
        host, port = env.get(host_key, "localhost"), int(env.get(port_key, default_port))
        try:
            socket.create_connection((host, port), timeout=3).close()
        except OSError as error:
            raise ConfigurationError(
                f"{name} at {host}:{port} is unreachable ({error.strerror or error}). "
                f"Start it, or fix {host_key}/{port_key} in .env, "
                "or unset RASA_ENDPOINTS to use the built-in SQLite store."
            ) from error


def run_forever() -> int:
    """`make run`: start everything, print where it is, stop everything on Ctrl-C."""
    load_env()
    ensure_rasa_auth_token()  # the agent page's suggestions use Rasa's HTTP API
    try:
        check_services(os.environ)
    except ConfigurationError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    rasa_port, action_port = int(os.environ["RASA_PORT"]), int(os.environ["ACTION_PORT"])
    group = ProcessGroup()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    web_port = int(os.environ["WEB_PORT"])
    try:
        start_assistant(group, rasa_port, action_port)
        web = group.start([sys.executable, "-m", "bot.web"])
        wait_until_up(f"http://localhost:{web_port}/", 30, web)
        print(
            f"\nAssistant is up.\n  Chat widget demo: http://localhost:{web_port}/\n"
            f"  Agent page: http://localhost:{web_port}/agent (AGENT_USER / AGENT_PASSWORD in .env)\n"
            f"  REST: POST http://localhost:{rasa_port}/webhooks/rest/webhook"
            f' {{"sender": "me", "message": "POP3 или IMAP?"}}\n'
            f"  Actions: http://localhost:{action_port}/health\nCtrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in group.procs):
            time.sleep(1)
        print("A process exited; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        group.stop()


def shell() -> int:
    """`make shell`: the action server in the background, `rasa shell` in the foreground."""
    load_env()
    group = ProcessGroup()
    try:
        actions = group.start(action_server_cmd(int(os.environ["ACTION_PORT"])))
        wait_until_up(f"http://localhost:{os.environ['ACTION_PORT']}/health", 120, actions)
        return subprocess.call(
            [RASA, "shell", "--model", str(MODEL), "--endpoints", "endpoints.yml"], cwd=PROJECT_DIR
        )
    finally:
        group.stop()
