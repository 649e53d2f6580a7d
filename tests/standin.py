"""A local stand-in for the Telegram and Viber APIs: records every call, can fail on demand."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StandIn:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail_next = 0  # answer this many calls with 503 before succeeding again
        self.lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with standin.lock:
                    standin.calls.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "json": json.loads(body or b"{}"),
                        }
                    )
                    failing = standin.fail_next > 0
                    if failing:
                        standin.fail_next -= 1
                reply = {"ok": True, "result": True, "status": 0, "status_message": "ok"}
                self.send_response(503 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"ok": False} if failing else reply).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> StandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def take(self, path_part: str = "") -> list[dict[str, Any]]:
        """The calls so far whose path contains `path_part`; clears the record."""
        with self.lock:
            taken = [c for c in self.calls if path_part in c["path"]]
            self.calls = [c for c in self.calls if path_part not in c["path"]]
        return taken
