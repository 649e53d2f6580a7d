"""`make bench-agent`: the agent console's cost on a large tracker store.

Generates CONVERSATIONS conversations with EVENTS events in Rasa's own `events` table (the
schema LeanSQLTrackerStore creates) in PostgreSQL (a throw-away server, bot.localservices;
COPY) and in SQLite (executemany in one transaction): Rasa's mix of user, bot, slot and
action events, sessions, fallbacks and handoffs, over DAYS days. Then it builds the
conversation index (bot/agent/index.py), starts the real web server (`python -m bot.web`)
on each store and measures over HTTP the p50/p95 of: the handoff queue (first page and a
later page), a transcript (a different conversation each time), the conversation list,
and 30 days of analytics (the first request after the server started, then warm). Prints
a table and writes results/bench-agent/report.md with generation time and database sizes.

    python -m bot.bench_agent [--conversations N] [--events N] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bot import localservices
from bot.agent.index import ConversationIndex
from bot.agent.store import TrackerDatabase
from bot.processes import ProcessGroup, wait_until_up
from bot.settings import PROJECT_DIR

OUT = PROJECT_DIR / "results" / "bench-agent"
CONVERSATIONS = 100_000
EVENTS = 3_000_000
DAYS = 45
REQUESTS = 200  # per measured route
ANALYTICS_REQUESTS = 20
LATER_PAGE = 20  # "a later page": the queue's 20th page
TARGET_MS = {"queue": 200.0, "transcript": 200.0, "analytics": 1000.0}
USER, PASSWORD = "bench", "bench-agent password"
COLUMNS = ("id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
INTENTS = [
    ("mailbox_full", 0.94),
    ("pop3_vs_imap", 0.91),
    ("protocol_advantages", 0.89),
    ("protocol_disadvantages", 0.87),
    ("sent_mail_location", 0.9),
    ("greet", 0.99),
    ("thanks", 0.98),
    ("contact_support", 0.95),
    ("nlu_fallback", 0.32),
    ("out_of_scope", 0.8),
]
TEXTS = [
    "защо кутията ми е пълна",
    "what are the advantages of IMAP",
    "kakvo e pop3",
    "where are my sent mails",
    "искам да говоря с човек",
    "blorp snerk",
    "how do I set up my phone",
]
CHANNELS = ["socketio", "telegram", "viber", "rest"]


# -- generating Rasa's rows ----------------------------------------------------------------------
@dataclass
class Generator:
    conversations: int
    events: int
    now: float = field(default_factory=time.time)
    seed: int = 12

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """(id, sender_id, type_name, timestamp, intent_name, action_name, data): exactly
        `events` rows over `conversations` senders, in id order."""
        rng = random.Random(self.seed)
        per = self.events // self.conversations
        extra = self.events - per * self.conversations  # the first `extra` get one more
        next_id = 1
        for n in range(self.conversations):
            sender = f"bench-{n:06d}"
            start = self.now - rng.uniform(0, DAYS) * 86400
            for row in self._conversation(rng, sender, start, per + (n < extra)):
                yield (next_id, *row)
                next_id += 1

    def _conversation(self, rng: random.Random, sender: str, at: float, size: int) -> list[tuple[Any, ...]]:
        channel, language = rng.choice(CHANNELS), rng.choice(["bg", "en"])
        rows = _session(sender, at)
        handoff = rng.random() < 0.12
        budget = size - len(rows) - (2 if handoff else 0)
        turns = 0
        while budget >= 6:
            at += rng.uniform(3, 120)
            if turns and rng.random() < 0.05 and budget >= 9:  # back days later: a new session
                at += rng.uniform(1, 3) * 86400
                rows += _session(sender, at)
                budget -= 3
            rows += _turn(rng, sender, at, channel, language)
            budget -= 6
            turns += 1
        for _ in range(budget):  # form slots and their actions
            rows.append(_slot(sender, "requested_slot", rng.choice(["protocol", "device", None]), at))
        if handoff:
            reason = rng.choice(["requested", "repeated_failure"])
            rows.append(_slot(sender, "handoff_reason", reason, at + 1))
            rows.append(_slot(sender, "handoff_summary", "не мога да изпращам писма", at + 1))
        return rows


def _event(sender: str, kind: str, at: float, intent: str | None, action: str | None, data: dict) -> tuple:
    return (sender, kind, at, intent, action, json.dumps({"event": kind, "timestamp": at, **data}))


def _session(sender: str, at: float) -> list[tuple]:
    return [
        _event(sender, "action", at, None, "action_session_start", {"name": "action_session_start"}),
        _event(sender, "session_started", at, None, None, {}),
        _event(sender, "action", at, None, "action_listen", {"name": "action_listen"}),
    ]


def _slot(sender: str, name: str, value: Any, at: float) -> tuple:
    return _event(sender, "slot", at, None, name, {"name": name, "value": value})


def _turn(rng: random.Random, sender: str, at: float, channel: str, language: str) -> list[tuple]:
    intent, confidence = rng.choice(INTENTS)
    confidence = round(confidence * rng.uniform(0.85, 1.0), 4)
    text = (
        f"{rng.choice(TEXTS)} {rng.randrange(100)}"
        if intent in ("nlu_fallback", "out_of_scope")
        else rng.choice(TEXTS)
    )
    ranking = [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 0.02}]
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    user = {
        "text": text,
        "parse_data": {**parse, "intent_ranking": ranking},
        "input_channel": channel,
        "message_id": f"{sender}-{at:.3f}",
        "metadata": {"language_code": language},
    }
    answer = {
        "text": "Кутията е пълна, защото ...",
        "data": {"buttons": [{"title": "POP3 или IMAP?", "payload": "/pop3_vs_imap"}]},
    }
    return [
        _event(sender, "user", at, intent, None, user),
        _slot(sender, "language", language, at + 0.1),
        _event(sender, "action", at + 0.2, None, "action_answer", {"name": "action_answer"}),
        _event(sender, "bot", at + 0.3, None, None, answer),
        _event(sender, "action", at + 0.4, None, "action_listen", {"name": "action_listen"}),
        _slot(sender, "topic", intent, at + 0.4),
    ]


# -- loading -------------------------------------------------------------------------------------
def create_schema(store_kwargs: dict[str, Any]) -> None:
    """Rasa's own `events` table and index, as LeanSQLTrackerStore creates them."""
    from bot.trackerstore import LeanSQLTrackerStore

    LeanSQLTrackerStore(None, **store_kwargs)


def load_sqlite(path: Path, generator: Generator) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:  # one transaction
            connection.executemany(
                f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                generator.rows(),
            )
    finally:
        connection.close()


def load_postgres(port: int, generator: Generator) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="rasa")
    try:
        with connection, connection.cursor() as cursor:
            chunk = io.StringIO()
            for n, row in enumerate(generator.rows(), 1):
                chunk.write("\t".join(_copy_value(v) for v in row) + "\n")
                if n % 200_000 == 0:
                    chunk.seek(0)
                    cursor.copy_expert(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN", chunk)
                    chunk = io.StringIO()
            chunk.seek(0)
            cursor.copy_expert(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN", chunk)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))"
            )
            cursor.execute("ANALYZE events")
    finally:
        connection.close()


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def postgres_size(port: int) -> int:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="rasa")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size('rasa')")
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


# -- measuring -----------------------------------------------------------------------------------
@dataclass
class Result:
    backend: str
    generate_s: float = 0.0
    index_s: float = 0.0
    size_mb: float = 0.0
    timings: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def measure(result: Result, env: dict[str, str], workdir: Path, senders: int) -> None:
    port = localservices.free_port()
    group = ProcessGroup()
    group.env.update(env, WEB_PORT=str(port), AGENT_USER=USER, AGENT_PASSWORD=PASSWORD, RETENTION_DAYS="0")
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.auth = (USER, PASSWORD)

    def timed(name: str, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        start = time.perf_counter()
        response = session.get(base + path, params=params, timeout=120)
        result.timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
        return response.json()

    try:
        web = group.start([sys.executable, "-m", "bot.web"], workdir / f"web-{result.backend}.log")
        wait_until_up(f"{base}/", 120, web)
        timed("analytics 30 days, cold (first request)", "/agent/api/analytics", {"days": "30"})
        rng = random.Random(1)
        page = timed("queue, first page", "/agent/api/handoffs")
        later = page["next"]
        for _ in range(LATER_PAGE - 1):
            if not page["next"]:
                break
            later = page["next"]
            page = session.get(base + "/agent/api/handoffs", params={"before": later}, timeout=60).json()
        result.notes.append(f"queue: {page['total']} handoffs, {page['open']} open; 50 a page")
        for _ in range(REQUESTS):
            timed("queue, first page", "/agent/api/handoffs")
            if later:
                timed(f"queue, page {LATER_PAGE}", "/agent/api/handoffs", {"before": later})
            timed("conversation list, first page", "/agent/api/conversations")
            timed("transcript", f"/agent/api/conversations/bench-{rng.randrange(senders):06d}")
        for _ in range(ANALYTICS_REQUESTS):
            timed("analytics 30 days, warm", "/agent/api/analytics", {"days": "30"})
    finally:
        group.stop()


def run_backend(name: str, generator: Generator, workdir: Path) -> Result:
    result = Result(name)
    group = ProcessGroup()
    try:
        if name == "sqlite":
            path = workdir / "tracker.db"
            store_kwargs: dict[str, Any] = {"dialect": "sqlite", "db": str(path)}
            env = {"RASA_ENDPOINTS": "endpoints.yml", "TRACKER_DB": str(path)}
        else:
            port = localservices.start_postgres(group)
            store_kwargs = {"dialect": "postgresql", "host": "127.0.0.1", "port": port, "db": "rasa"}
            store_kwargs["username"] = "postgres"
            env = {**localservices.scaled_env(port, 0), "REDIS_PORT": "0"}
        create_schema(store_kwargs)
        print(f"[{name}] generating {generator.conversations} conversations, {generator.events} events ...")
        start = time.monotonic()
        if name == "sqlite":
            load_sqlite(path, generator)
        else:
            load_postgres(port, generator)
        result.generate_s = time.monotonic() - start
        print(f"[{name}] generated in {result.generate_s:.0f} s; building the index ...")
        db = TrackerDatabase.from_env({**os.environ, **env})
        start = time.monotonic()
        ConversationIndex(db).refresh()
        result.index_s = time.monotonic() - start
        if name == "sqlite":
            sqlite3.connect(path).execute("ANALYZE").connection.close()
            result.size_mb = path.stat().st_size / 2**20
        else:
            result.size_mb = postgres_size(port) / 2**20
        print(f"[{name}] index built in {result.index_s:.0f} s; {result.size_mb:.0f} MB; measuring ...")
        measure(result, env, workdir, generator.conversations)
    finally:
        group.stop()
    return result


# -- the report ----------------------------------------------------------------------------------
def target_of(name: str) -> float | None:
    for key, target in TARGET_MS.items():
        if name.startswith(key) or (key == "queue" and name.startswith("conversation list")):
            return target
    return None


def report(results: list[Result], generator: Generator, load: str) -> str:
    lines = [
        "# Agent console on a large tracker store (`make bench-agent`)",
        "",
        f"{generator.conversations:,} conversations, {generator.events:,} events in Rasa's `events` table, "
        f"over {DAYS} days; measured over HTTP on `python -m bot.web` (Basic auth), "
        f"{REQUESTS} requests per route ({ANALYTICS_REQUESTS} for warm analytics), one at a time.",
        "",
        f"Machine: {os.cpu_count()} cores; {load}",
        "",
        "| store | generation | index build | database size |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.backend} | {r.generate_s:.0f} s | {r.index_s:.0f} s | {r.size_mb:,.0f} MB |")
    lines += [
        "",
        "| store | request | n | p50 ms | p95 ms | target p95 | |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        for name, values in r.timings.items():
            target = target_of(name)
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            verdict = "" if target is None else ("ok" if p95 <= target else "MISSED")
            shown = f"{target:.0f}" if target else ""
            lines.append(
                f"| {r.backend} | {name} | {len(values)} | {p50:.1f} | {p95:.1f} | {shown} | {verdict} |"
            )
    for r in results:
        lines += [f"- {r.backend}: {note}" for note in r.notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.bench_agent", description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    if args.events < args.conversations * 10:
        parser.error("--events must be at least 10 per conversation")
    backends = [args.only] if args.only else ["sqlite", "postgresql"]
    if "postgresql" in backends and localservices.postgres_bin() is None:
        print("PostgreSQL is not installed (scripts/install-system-deps): SQLite only", file=sys.stderr)
        backends.remove("postgresql")
    generator = Generator(args.conversations, args.events)
    load = "load average at the start " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory(prefix="tea-bench-agent-") as work:
        for backend in backends:
            results.append(run_backend(backend, generator, Path(work)))
    load += ", at the end " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(results, generator, load)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"Wrote {OUT / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
