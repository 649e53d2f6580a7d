"""The demo page, the chat widget and the agent area over HTTP: `python -m bot.web` on WEB_PORT.

A Sanic app (Sanic is Rasa's own web framework, so nothing new to run or learn):

* / is web/index.html with the widget pointed at RASA_PUBLIC_URL (default
  http://localhost:$RASA_PORT: the Rasa server as the *browser* reaches it); /widget.js is
  the built bundle web/dist/widget.js. Other files are served from inside web/ only: the
  resolved path must lie in web/, and node_modules, dot-files and web/agent/ are never
  served as files. GET and HEAD.
* /agent is the support agents' area (bot/agent/routes.py, behind a login; also POST, and
  the live event stream), which answers 503 until AGENT_USER and AGENT_PASSWORD are set.

The access log is our own: agent URLs carry customer text in their query, so they are
logged without it, and contact details are masked in every line (bot.privacy).
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from httptools import HttpParserInvalidURLError, parse_url
from sanic import HTTPResponse, Request, Sanic
from sanic.exceptions import InvalidUsage, NotFound, SanicException
from sanic.handlers import ErrorHandler
from sanic.response import raw, text

from bot.agent import routes
from bot.agent.app import AgentApp, is_agent_path
from bot.privacy import mask_contacts, mask_logs
from bot.retention import RetentionConfigError
from bot.settings import PROJECT_DIR, load_env

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("bot.web.access")
WEB_DIR = (PROJECT_DIR / "web").resolve()
INDEX = WEB_DIR / "index.html"
ROUTES = {"/": "index.html", "/widget.js": "dist/widget.js"}
HIDDEN_DIRS = {"node_modules"}
PRIVATE_TOP_DIRS = {"agent"}  # web/agent/ is served by the agent area, behind its login
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
APP_NAME = "tea_web"
# Open event streams end when the server stops (bot/agent/live.py); nothing else is slow.
GRACEFUL_SHUTDOWN_SECONDS = 2.0


def resolve(request_path: str, root: Path = WEB_DIR) -> Path | None:
    """The file under `root` that a request path names, or None (missing or not allowed)."""
    path = unquote(urlsplit(request_path).path)
    relative = ROUTES.get(path, path.lstrip("/"))
    if "\x00" in relative or "\\" in relative:
        return None
    try:
        target = (root / relative).resolve()  # resolves "..", and symlinks pointing elsewhere
        if not target.is_relative_to(root) or not target.is_file():
            return None
    except (OSError, ValueError):  # a name too long for the file system, and the like
        return None
    parts = target.relative_to(root).parts
    if any(part.startswith(".") or part in HIDDEN_DIRS for part in parts) or parts[0] in PRIVATE_TOP_DIRS:
        return None
    return target


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def rasa_public_url() -> str:
    return os.environ.get("RASA_PUBLIC_URL") or f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"


class WebRequest(Request):
    """Sanic's Request, but a 400 for two malformed requests Sanic 21.12 mishandles: a URL
    that httptools cannot parse (a NUL byte) got no answer at all (its error path parses
    the URL again and fails), and a Content-Length that is not a number got a 500."""

    def __init__(self, url_bytes: bytes, *args: Any, **kwargs: Any) -> None:
        stand_in = kwargs.get("method") == "NONE"  # Sanic's own request for an error answer
        try:
            parse_url(url_bytes)
        except HttpParserInvalidURLError:
            if not stand_in:
                raise InvalidUsage("Bad Request") from None
            url_bytes = b"*"
        length = kwargs["headers"].getone("content-length", None) if "headers" in kwargs else None
        if length is not None and not (length.isascii() and length.isdigit()) and not stand_in:
            raise InvalidUsage("Bad Request")
        super().__init__(url_bytes, *args, **kwargs)


class Errors(ErrorHandler):
    """Short plain-text answers outside /agent (the agent area answers its own errors), and
    a log line without the query string for a failure (Sanic's would name the whole URL)."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            status = exception.status_code
            message = "Not found" if isinstance(exception, NotFound) else str(exception)
            return text(message, status=status, headers=getattr(exception, "headers", None) or {})
        logger.error("request failed: %s %s", request.method, _path(request), exc_info=exception)
        return text("Internal error", status=500)


def _path(request: Request) -> str:
    try:
        return request.path
    except Exception:  # a request line too broken to have a path
        return "?"


def _log_line(request: Request, response: HTTPResponse) -> str:
    path = _path(request)
    # Agent URLs carry customer text (/agent/api/suggest?q=...): their path only.
    target = path if is_agent_path(path) or not request.query_string else f"{path}?{request.query_string}"
    size = len(response.body) if response.body is not None else "-"
    status = response.status
    line = f'{request.ip} "{request.method} {unquote(target)} HTTP/{request.version}" {status} {size}'
    # unquote: so that mask_contacts sees an address typed into a URL; then no control
    # characters, so that a request cannot forge a log line.
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in mask_contacts(line))


def create_app(agent: AgentApp, rasa_url: str, name: str = APP_NAME) -> Sanic:
    app = Sanic(name, configure_logging=False, error_handler=Errors(), request_class=WebRequest)
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = GRACEFUL_SHUTDOWN_SECONDS
    routes.install(app, agent)

    async def demo_file(request: Request, name: str = "") -> HTTPResponse:
        if is_agent_path(request.path):  # e.g. /agent%2Fstatic/agent.js: the agent area's, behind its login
            raise NotFound("not found")
        file = resolve(request.path)
        if file is None:
            raise NotFound("not found")
        body = await asyncio.to_thread(file.read_bytes)
        if file == INDEX:
            body = body.replace(RASA_URL_PLACEHOLDER, html.escape(rasa_url, quote=True).encode())
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return raw(body, content_type=content_type(file), headers=headers)

    app.add_route(demo_file, "/", methods=routes.GET, name="index")
    app.add_route(demo_file, "/<name:path>", methods=routes.GET, name="file")

    @app.middleware("response")
    async def access_log(request: Request, response: HTTPResponse) -> None:
        access_logger.info("%s", _log_line(request, response))

    return app


def serve(port: int) -> None:
    """Serve web/ and /agent on `port` (all interfaces) until interrupted."""
    url = rasa_public_url()
    app = create_app(AgentApp.from_env(), url)
    print(f"Demo page: http://localhost:{port}/ (widget talks to {url})", flush=True)
    # One process: the event poller, the login throttle and retention are per process.
    app.run(host="0.0.0.0", port=port, workers=1, access_log=False, motd=False)


def main() -> int:
    load_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mask_logs()
    try:
        serve(int(os.environ["WEB_PORT"]))
    except RetentionConfigError as problem:
        print(f"bot.web: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
