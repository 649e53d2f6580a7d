"""Command line: `python -m bot run | shell | telegram-webhook | viber-webhook | assist | analytics |
erase | export | retention`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from bot import processes
from bot.settings import load_env


def set_telegram_webhook() -> int:
    from bot.adapters.telegram_api import DEFAULT_API_URL, TelegramApi

    token, secret = os.environ.get("TELEGRAM_BOT_TOKEN"), os.environ.get("TELEGRAM_SECRET_TOKEN")
    url = os.environ.get("TELEGRAM_WEBHOOK_URL")
    if not (token and secret and url):
        print("Set TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN and TELEGRAM_WEBHOOK_URL.", file=sys.stderr)
        return 2
    result = TelegramApi(token, os.environ.get("TELEGRAM_API_URL", DEFAULT_API_URL)).set_webhook(url, secret)
    print(result)
    return 0


def set_viber_webhook() -> int:
    from bot.adapters.viber_api import DEFAULT_API_URL, ViberApi

    token, url = os.environ.get("VIBER_AUTH_TOKEN"), os.environ.get("VIBER_WEBHOOK_URL")
    if not (token and url):
        print("Set VIBER_AUTH_TOKEN and VIBER_WEBHOOK_URL.", file=sys.stderr)
        return 2
    api_url = os.environ.get("VIBER_API_URL", DEFAULT_API_URL)
    api = ViberApi(token, os.environ.get("VIBER_BOT_NAME", "TEA"), api_url)
    result = api.set_webhook(url)
    print(result)
    return 0 if result.get("status") == 0 else 1


def agent_assist(argv: list[str]) -> int:
    from bot.agent.cli import assist

    return assist(argv)


def agent_analytics(argv: list[str]) -> int:
    from bot.agent.cli import analytics

    return analytics(argv)


def erase_sender(argv: list[str]) -> int:
    from bot.retention import erase_command

    return erase_command(argv)


def export_sender(argv: list[str]) -> int:
    from bot.retention import export_command

    return export_command(argv)


def run_retention(argv: list[str]) -> int:
    from bot.retention import retention_command

    return retention_command(argv)


COMMANDS: dict[str, tuple[str, Callable[..., int]]] = {
    "run": ("start the Rasa server and the action server (make run)", processes.run_forever),
    "shell": ("chat in the terminal with the action server running", processes.shell),
    "telegram-webhook": ("register TELEGRAM_WEBHOOK_URL with Telegram", set_telegram_webhook),
    "viber-webhook": ("register VIBER_WEBHOOK_URL with Viber", set_viber_webhook),
    "assist": ('suggest bg and en answers for a customer message: assist "текст"', agent_assist),
    "analytics": ("conversation analytics from the tracker store (--csv FILE)", agent_analytics),
    "erase": ("delete everything stored about one customer: erase SENDER_ID", erase_sender),
    "export": ("one customer's conversation as JSON: export SENDER_ID [--out FILE]", export_sender),
    "retention": ("delete conversations older than RETENTION_DAYS now [--days N] [--dry-run]", run_retention),
}
# Commands that read the rest of the command line themselves (their own --help too).
TAKES_ARGUMENTS = {"assist", "analytics", "erase", "export", "retention"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=name not in TAKES_ARGUMENTS)
    args, rest = parser.parse_known_args(argv)
    if rest and args.command not in TAKES_ARGUMENTS:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    load_env()
    command = COMMANDS[args.command][1]
    return command(rest) if args.command in TAKES_ARGUMENTS else command()


if __name__ == "__main__":
    sys.exit(main())
