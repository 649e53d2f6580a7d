"""`python -m bot assist "текст"` and `python -m bot analytics [--csv FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.agent import insights
from bot.agent.app import analytics_csv
from bot.agent.index import window_start
from bot.agent.store import QUEUE_TYPES, StoreConfigError, TrackerDatabase
from bot.agent.suggest import LocalNlu, NluUnavailable, RasaHttpNlu, suggest
from bot.processes import MODEL

LANGUAGE_NAMES = {"bg": "Български (bg)", "en": "English (en)"}


def format_suggestion(result: dict[str, Any]) -> str:
    lines = [f"Message: {result['query']}"]
    if result["password_masked"]:
        lines.append("(a password in the message was masked)")
    lines.append(f"Language: {result['language'] or 'undecided'}")
    lines.append("Intents:")
    for intent in result["intents"]:
        bar = "#" * round(intent["confidence"] * 20)
        lines.append(f"  {intent['name']:<24} {intent['confidence']:.2f}  {bar}")
    if result["entities"]:
        found = ", ".join(f"{e['entity']} = {e['display']}" for e in result["entities"])
        lines.append(f"Entities: {found}")
    if result["low_confidence"]:
        lines.append("Low confidence: check the suggestion before sending it.")
    if not result["answers"]:
        lines.append("No answer in the knowledge base for this message.")
    for lang, answer in result["answers"].items():
        lines += ["", f"── {LANGUAGE_NAMES.get(lang, lang)} ──", answer["text"]]
    if result["links"]:
        lines += ["", "Links:"]
        lines += [f"  {link['url']}  ({' / '.join(link['title'].values())})" for link in result["links"]]
    return "\n".join(lines)


def assist(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot assist",
        description="Suggest an answer (bg and en) for a customer's message, as on the agent page.",
    )
    parser.add_argument("text", nargs="+", help="the customer's message")
    parser.add_argument("--json", action="store_true", help="print the API's JSON instead of text")
    parser.add_argument("--local", action="store_true", help="load the model here, not via Rasa")
    args = parser.parse_args(argv)
    text = " ".join(args.text)
    try:
        try:
            if args.local:
                raise NluUnavailable("--local")
            result = suggest(text, RasaHttpNlu.from_env())
        except NluUnavailable as reason:
            print(f"({reason}: loading {MODEL.name} in-process)", file=sys.stderr, flush=True)
            result = suggest(text, LocalNlu(MODEL))
    except ValueError as problem:
        print(f"assist: {problem}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_suggestion(result))
    return 0


def format_analytics(report: dict[str, Any]) -> str:
    conv = report["conversations"]

    def rate(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    lines = [
        f"Conversations: {conv['total']} (handed over {conv['handed_over']}, "
        f"containment {rate(report['containment_rate'])})",
        f"Customer messages: {report['messages']['user']} (fallback rate {rate(report['fallback_rate'])})",
        "Per channel: " + ", ".join(f"{k} {v}" for k, v in conv["per_channel"].items()),
        "Per language: " + ", ".join(f"{k} {v}" for k, v in conv["per_language"].items()),
        "Top intents: " + ", ".join(f"{k} {v}" for k, v in report["top_intents"].items()),
    ]
    return "\n".join(lines)


def analytics(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot analytics", description="Analytics of the stored conversations."
    )
    parser.add_argument("--csv", metavar="FILE", help="write the analytics as CSV (metric,key,value)")
    parser.add_argument("--json", action="store_true", help="print the API's JSON")
    parser.add_argument("--days", type=float, help="only the last N UTC days, today included")
    args = parser.parse_args(argv)
    # The API's window (whole UTC days); read-only here: a full scan, no index is written.
    since = window_start(args.days, time.time()) if args.days else None
    try:
        events = TrackerDatabase.from_env().events(types=QUEUE_TYPES, since=since)
    except (StoreConfigError, SQLAlchemyError, OSError) as problem:
        print(f"analytics: cannot read the tracker store: {problem}", file=sys.stderr)
        return 1
    report = insights.analytics(events, since)
    if args.csv:
        Path(args.csv).write_text(analytics_csv(report), encoding="utf-8")
        print(f"Wrote {args.csv}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_analytics(report))
    return 0
