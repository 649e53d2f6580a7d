"""Command line: `python -m bot run | shell`."""

from __future__ import annotations

import argparse
import sys

from bot import processes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start the Rasa server and the action server (make run)")
    sub.add_parser("shell", help="chat in the terminal with the action server running")
    args = parser.parse_args(argv)
    if args.command == "run":
        return processes.run_forever()
    return processes.shell()


if __name__ == "__main__":
    sys.exit(main())
