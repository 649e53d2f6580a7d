"""Throw-away PostgreSQL and Redis servers on loopback, for the scale-out tests and the bench.

They use the Debian packages (`postgresql`, `redis-server`; scripts/install-system-deps
installs them), keep their data in a temporary folder and stop with the ProcessGroup.
PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bot.processes import ProcessGroup


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


def available() -> bool:
    return postgres_bin() is not None and redis_available()


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout:.0f}s")


def start_postgres(group: ProcessGroup, database: str = "rasa") -> int:
    """Start a PostgreSQL server with a trust-auth `postgres` user and `database`; its port."""
    bindir = postgres_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    # Its own folder under /tmp: a test's tmp_path is private to root, which `postgres` can't enter.
    workdir = Path(tempfile.mkdtemp(prefix="tea-pg-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    data = workdir / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    port = free_port()
    group.start(
        _as_postgres(
            [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(workdir),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200",
                "-c",
                "fsync=off",
            ]
        ),
        workdir / "postgres.log",
    )
    wait_for_port(port)
    deadline = time.monotonic() + 30
    while True:
        created = subprocess.run(
            [
                str(bindir / "psql") if (bindir / "psql").exists() else "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-c",
                f"CREATE DATABASE {database}",
            ],
            capture_output=True,
            text=True,
        )
        if created.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if created.returncode != 0:
        raise RuntimeError(f"could not create database: {created.stderr}")
    return port


def start_redis(group: ProcessGroup, workdir: Path) -> int:
    port = free_port()
    group.start(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        workdir / "redis.log",
    )
    wait_for_port(port)
    return port


def scaled_env(pg_port: int, redis_port: int) -> dict[str, str]:
    """Environment that points Rasa at PostgreSQL + Redis (endpoints.scaled.yml)."""
    return {
        "RASA_ENDPOINTS": "endpoints.scaled.yml",
        "DB_HOST": "127.0.0.1",
        "DB_PORT": str(pg_port),
        "DB_NAME": "rasa",
        "DB_USER": "postgres",
        "DB_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
    }
