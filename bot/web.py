"""The demo page and the chat widget over HTTP: `python -m bot.web` serves web/ on WEB_PORT.

/ is web/index.html with the widget pointed at RASA_PUBLIC_URL (default
http://localhost:$RASA_PORT: the Rasa server as the *browser* reaches it); /widget.js is the
built bundle web/dist/widget.js. Other files are served from inside web/ only: the resolved
path must lie in web/, and node_modules, dot-files and web/agent/ are never served as files.
Standard library only; GET and HEAD.

/agent is the support agents' area (bot/agent/app.py, behind a login; also POST): every
request under it goes to the agent app, which answers 503 until AGENT_USER and
AGENT_PASSWORD are set.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.agent.app import MAX_BODY_BYTES, AgentApp, Request, is_agent_path
from bot.privacy import mask_contacts, mask_logs
from bot.settings import PROJECT_DIR, load_env

logger = logging.getLogger(__name__)
WEB_DIR = (PROJECT_DIR / "web").resolve()
INDEX = WEB_DIR / "index.html"
ROUTES = {"/": "index.html", "/widget.js": "dist/widget.js"}
HIDDEN_DIRS = {"node_modules"}
PRIVATE_TOP_DIRS = {"agent"}  # web/agent/ is served by the agent app, behind its login
RASA_URL_PLACEHOLDER = b"{{RASA_PUBLIC_URL}}"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


def resolve(request_path: str, root: Path = WEB_DIR) -> Path | None:
    """The file under `root` that a request path names, or None (missing or not allowed)."""
    path = unquote(urlsplit(request_path).path)
    relative = ROUTES.get(path, path.lstrip("/"))
    if "\x00" in relative or "\\" in relative:
        return None
    target = (root / relative).resolve()  # resolves "..", and symlinks pointing elsewhere
    if not target.is_relative_to(root) or not target.is_file():
        return None
    parts = target.relative_to(root).parts
    if any(part.startswith(".") or part in HIDDEN_DIRS for part in parts) or parts[0] in PRIVATE_TOP_DIRS:
        return None
    return target


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def rasa_public_url() -> str:
    return os.environ.get("RASA_PUBLIC_URL") or f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"


class WebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, rasa_url: str, agent: AgentApp | None = None) -> None:
        super().__init__(("", port), Handler)
        self.rasa_url = rasa_url
        self.agent = agent or AgentApp.from_env()


class Handler(BaseHTTPRequestHandler):
    server: WebServer
    server_version = "tea-web"

    def do_GET(self) -> None:  # http.server dispatches GET here
        self.respond(with_body=True)

    def do_HEAD(self) -> None:
        self.respond(with_body=False)

    def do_POST(self) -> None:
        if is_agent_path(self.path):
            self.respond_agent(with_body=True)
        else:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({self.command!r})")

    def respond_agent(self, with_body: bool) -> None:
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        body = self.rfile.read(int(length)) if int(length) else b""
        request = Request(self.command, self.path, self.headers, body, self.client_address[0])
        try:
            response = self.server.agent.handle(request)
        except Exception:  # one failed request must not take the server down
            logger.exception("agent request failed: %s %s", self.command, urlsplit(self.path).path)
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Agent URLs carry customer text (/agent/api/suggest?q=...): log their path only.
        line = self.requestline
        if is_agent_path(self.path):
            line = f"{self.command} {urlsplit(self.path).path} {self.request_version}"
        # http.server writes to stderr itself, past the logging record factory of mask_logs.
        self.log_message('"%s" %s %s', mask_contacts(line), str(code), str(size))

    def respond(self, with_body: bool) -> None:
        if is_agent_path(self.path):
            self.respond_agent(with_body)
            return
        file = resolve(self.path)
        if file is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = file.read_bytes()
        if file == INDEX:
            url = html.escape(self.server.rasa_url, quote=True).encode()
            body = body.replace(RASA_URL_PLACEHOLDER, url)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(file))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(body)


def serve(port: int) -> None:
    """Serve web/ on `port` (all interfaces) until interrupted."""
    with WebServer(port, rasa_public_url()) as server:
        print(f"Demo page: http://localhost:{port}/ (widget talks to {server.rasa_url})", flush=True)
        server.serve_forever()


def main() -> int:
    load_env()
    mask_logs()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the way to stop it
        serve(int(os.environ["WEB_PORT"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
