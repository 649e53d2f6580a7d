"""The /agent area on Sanic: a blueprint with the sign-in, the pages, the JSON API and the
live event stream (routes listed in bot/agent/app.py, documented in docs/agent-api.md).

`gate` decides who may pass, for every request under /agent: the blueprint's routes (as
middleware) and the requests no route takes (in `agent_error`, so that a stranger gets a
401 or the login page there too, never a hint of what exists). Handlers are thin: AgentApp
does the work, in a worker thread because it blocks; bot/agent/live.py feeds the stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote

from sanic import Blueprint, HTTPResponse, Request, Sanic
from sanic.exceptions import MethodNotSupported, NotFound, SanicException, ServiceUnavailable
from sanic.response import html, raw, redirect

from bot.agent import live, pages
from bot.agent.app import (
    MAX_BODY_BYTES,
    SECURITY_HEADERS,
    STATIC,
    Agent,
    AgentApp,
    analytics_csv,
    analytics_since,
    is_agent_path,
)
from bot.agent.auth import COOKIE, SESSION_SECONDS, basic_credentials, same_origin
from bot.agent.index import IndexBuilding, PageError, decode_cursor, page_limit
from bot.agent.store import READ_ERRORS
from bot.agent.suggest import NluUnavailable
from bot.agent.takeover import TakeoverError
from bot.handoff import normalise_case

logger = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"
EVENT_STREAM_TYPE = "text/event-stream"
EVENT_STREAM = f"{EVENT_STREAM_TYPE}; charset=utf-8"
# Sent by agent.js: its 401s then carry no Basic challenge (no browser password dialog).
SCRIPT_HEADER = "X-Requested-With"
GET = ["GET", "HEAD"]
ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
ERROR_TEXT = {404: "not found", 405: "method not allowed", 413: "the request is too large"}
T = TypeVar("T")


# -- responses ---------------------------------------------------------------------------------
def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> HTTPResponse:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return raw(body, status=status, content_type=JSON, headers=headers)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return json_response(status, {"error": message}, headers)


def page(status: int, text: str) -> HTTPResponse:
    return html(text, status=status)


def is_api(request: Request) -> bool:
    path = unquote(request.path)
    return path == "/agent/api" or path.startswith("/agent/api/")


def _client(request: Request) -> str:
    return request.ip or ""


def _origin_ok(request: Request, require_origin: bool) -> bool:
    origin, host, site = (request.headers.get(h) for h in ("Origin", "Host", "Sec-Fetch-Site"))
    return same_origin(origin, host, site, require_origin)


async def in_thread(work: Callable[..., T], *args: Any) -> T:
    """Blocking store work off the event loop; the store being down is a 503, not a 500."""
    try:
        return await asyncio.to_thread(work, *args)
    except READ_ERRORS as problem:
        logger.exception("the tracker store cannot be read")
        raise ServiceUnavailable("the tracker store cannot be read (see the server log)") from problem
    except IndexBuilding as problem:  # the first build on a large store (bot/agent/index.py)
        unavailable = ServiceUnavailable(str(problem))
        unavailable.headers = {"Retry-After": "10"}  # agent_error sends an exception's headers
        raise unavailable from problem


# -- who may pass ------------------------------------------------------------------------------
def gate(agent: AgentApp, request: Request, public: bool = False) -> HTTPResponse | None:
    """A refusal for this request, or None (then request.ctx.agent is the signed-in agent)."""
    api = is_api(request)
    if not agent.configured:
        text = "The agent area is not configured: set AGENT_USER and AGENT_PASSWORD."
        return error(503, text) if api else page(503, pages.message_page("Not configured", text))
    if public:  # the login form, sign-out and the stylesheet check what they need themselves
        return None
    authorization = request.headers.get("Authorization")
    if basic_credentials(authorization) and agent.throttled(_client(request)):
        return error(429, "too many failed sign-ins; try again later")
    signed_in = agent.authenticate(authorization, request.headers.get("Cookie"), _client(request))
    if signed_in is None:
        if not api:
            return redirect("/agent/login", status=303)
        challenge = None
        # No Basic challenge for the page's own requests (fetch sends SCRIPT_HEADER, EventSource
        # cannot send headers but asks for an event stream): a browser would show its password dialog.
        from_page = SCRIPT_HEADER in request.headers or EVENT_STREAM_TYPE in request.headers.get("Accept", "")
        if not from_page:
            challenge = {"WWW-Authenticate": 'Basic realm="TEA agent API", charset="UTF-8"'}
        return error(401, "authentication required", challenge)
    if request.method == "POST" and not _origin_ok(request, require_origin=not signed_in.via_basic):
        return error(403, "cross-site request refused")
    request.ctx.agent = signed_in
    return None


def agent_error(agent: AgentApp, request: Request, exception: Exception) -> HTTPResponse | None:
    """The answer to a failed /agent request, or None for other paths (then Sanic's own
    handler answers). Not a coroutine: Sanic falls back only on a None *returned*."""
    try:
        path = request.path
    except Exception:  # a request line too broken to have a path
        return None
    if not is_agent_path(path):
        return None
    if isinstance(exception, NotFound | MethodNotSupported):
        # No route took it: who is asking still comes first (401, login page, 403, 503).
        refused = gate(agent, request)
        if refused is not None:
            return refused
    status = exception.status_code if isinstance(exception, SanicException) else 500
    if status >= 500 and not isinstance(exception, ServiceUnavailable):
        # The path only: agent URLs carry customer text in their query (?q=...).
        logger.error("agent request failed: %s %s", request.method, path, exc_info=exception)
    known = isinstance(exception, SanicException)  # ours or Sanic's; any other is a bug: no details
    message = ERROR_TEXT.get(status) or (str(exception) if known else "internal error")
    headers = dict(getattr(exception, "headers", None) or {})
    if is_api(request):
        return error(status, message, headers)
    response = page(status, pages.message_page(message.capitalize(), ""))
    response.headers.update(headers)
    return response


# -- the blueprint -------------------------------------------------------------------------------
def blueprint(agent: AgentApp, hub: live.EventHub) -> Blueprint:
    bp = Blueprint("agent", url_prefix="/agent")

    @bp.middleware("request")
    async def check(request: Request) -> HTTPResponse | None:
        return gate(agent, request, public=bool(getattr(request.route.ctx, "public", False)))

    def signed_in(request: Request) -> Agent:
        return request.ctx.agent

    async def static(name: str) -> HTTPResponse:
        body = await asyncio.to_thread((agent.static_dir / name).read_bytes)
        return raw(body, content_type=STATIC[name])

    def cookie(response: HTTPResponse, value: str, max_age: int) -> HTTPResponse:
        response.cookies[COOKIE] = value
        morsel = response.cookies[COOKIE]
        morsel["path"] = "/agent"
        morsel["max-age"] = max_age
        morsel["httponly"] = True
        morsel["samesite"] = "Strict"
        if agent.secure_cookie:
            morsel["secure"] = True
        return response

    # -- pages ---------------------------------------------------------------------------------
    @bp.route("", methods=GET, name="home")
    @bp.route("/", methods=GET, name="home_slash", strict_slashes=True)
    async def home(request: Request) -> HTTPResponse:
        return page(200, pages.app_page(signed_in(request).user))

    @bp.route("/login", methods=[*GET, "POST"], ctx_public=True)
    async def login(request: Request) -> HTTPResponse:
        if request.method != "POST":
            if agent.authenticate(None, request.headers.get("Cookie"), _client(request)):
                return redirect("/agent", status=303)
            return page(200, pages.login_page())
        if not _origin_ok(request, require_origin=False):
            return page(403, pages.message_page("Refused", "Cross-site sign-in refused."))
        client = _client(request)
        if agent.throttled(client):
            return page(429, pages.login_page("Too many failed sign-ins. Try again in 15 minutes."))
        try:
            form = parse_qs((request.body or b"").decode("utf-8", "replace"), max_num_fields=10)
        except ValueError:  # more fields than a sign-in form has
            return page(400, pages.login_page("The form could not be read."))
        user, password = form.get("user", [""])[0], form.get("password", [""])[0]
        value = agent.sign_in(user, password, client)
        if value is None:
            return page(401, pages.login_page("Wrong user or password.", user))
        return cookie(redirect("/agent", status=303), value, SESSION_SECONDS)

    @bp.route("/logout", methods=["POST"], ctx_public=True)
    async def logout(request: Request) -> HTTPResponse:
        if not _origin_ok(request, require_origin=False):
            return page(403, pages.message_page("Refused", "Cross-site request refused."))
        return cookie(redirect("/agent/login", status=303), "", 0)

    @bp.route("/static/agent.css", methods=GET, ctx_public=True)  # the login page's; it holds no data
    async def stylesheet(_request: Request) -> HTTPResponse:
        return await static("agent.css")

    @bp.route("/static/agent.js", methods=GET)
    async def script(_request: Request) -> HTTPResponse:
        return await static("agent.js")

    # -- the JSON API --------------------------------------------------------------------------
    @bp.route("/api/suggest", methods=GET)
    async def suggest(request: Request) -> HTTPResponse:
        try:
            return json_response(200, await asyncio.to_thread(agent.suggest, request.args.get("q", "")))
        except ValueError as problem:
            return error(400, str(problem))
        except NluUnavailable as problem:
            logger.warning("suggest: %s", problem)
            return error(502, f"the NLU is not available: {problem}")

    # -- paged lists (bot/agent/index.py): ?limit= (default 50, at most 200) and ?before=<next>
    def paging(request: Request) -> tuple[int, tuple[float, str] | None]:
        return page_limit(request.args.get("limit")), decode_cursor(request.args.get("before"))

    @bp.route("/api/handoffs", methods=GET)
    async def handoffs(request: Request) -> HTTPResponse:
        try:
            limit, before = paging(request)
        except PageError as problem:
            return error(400, str(problem))
        open_only = request.args.get("open", "") in ("1", "true")
        case = None
        if "case" in request.args:
            case = normalise_case(request.args.get("case", "")[:100])
            if case is None:
                return error(400, "case must be a case number such as TEA-482193")
        return json_response(200, await in_thread(agent.handoffs, limit, before, open_only, case))

    @bp.route("/api/conversations", methods=GET)
    async def conversation_list(request: Request) -> HTTPResponse:
        try:
            limit, before = paging(request)
        except PageError as problem:
            return error(400, str(problem))
        return json_response(200, await in_thread(agent.conversations, limit, before))

    @bp.route("/api/callbacks", methods=GET)
    async def callbacks(_request: Request) -> HTTPResponse:
        return json_response(200, await in_thread(agent.callbacks))

    @bp.route("/api/conversations/<sender_id:str>", methods=GET, unquote=True)
    async def conversation(_request: Request, sender_id: str) -> HTTPResponse:
        found = await in_thread(agent.conversation, sender_id) if sender_id else None
        return json_response(200, found) if found else error(404, "no such conversation")

    @bp.route("/api/conversations/<sender_id:str>/resolve", methods=["POST"], unquote=True)
    async def resolve(request: Request, sender_id: str) -> HTTPResponse:
        done = await in_thread(agent.resolve, sender_id, signed_in(request).user) if sender_id else None
        return json_response(200, done) if done else error(404, "no such conversation")

    @bp.route("/api/conversations/<sender_id:str>/erase", methods=["POST"], unquote=True)
    async def erase(request: Request, sender_id: str) -> HTTPResponse:
        done = await in_thread(agent.erase, sender_id, signed_in(request).user) if sender_id else None
        return json_response(200, done) if done else error(404, "no such conversation")

    # -- live takeover (bot/agent/takeover.py; Rasa's side: bot/channels/agent.py) ------------------
    async def takeover(request: Request, sender_id: str, step: str, *args: Any) -> HTTPResponse:
        if not sender_id:
            return error(404, "no such conversation")
        method = getattr(agent, step)
        try:
            return json_response(200, await in_thread(method, sender_id, signed_in(request).user, *args))
        except TakeoverError as problem:
            return error(problem.status, problem.message)

    @bp.route("/api/conversations/<sender_id:str>/claim", methods=["POST"], unquote=True)
    async def claim(request: Request, sender_id: str) -> HTTPResponse:
        return await takeover(request, sender_id, "claim")

    @bp.route("/api/conversations/<sender_id:str>/reply", methods=["POST"], unquote=True)
    async def reply(request: Request, sender_id: str) -> HTTPResponse:
        try:
            body = json.loads((request.body or b"").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return error(400, 'the body must be JSON: {"text": "..."}')
        if not isinstance(body, dict):
            return error(400, 'the body must be a JSON object: {"text": "..."}')
        return await takeover(request, sender_id, "reply", body.get("text"))

    @bp.route("/api/conversations/<sender_id:str>/release", methods=["POST"], unquote=True)
    async def release(request: Request, sender_id: str) -> HTTPResponse:
        return await takeover(request, sender_id, "release")

    @bp.route("/api/analytics", methods=GET)
    @bp.route("/api/analytics.csv", methods=GET, name="analytics_csv")
    async def analytics(request: Request) -> HTTPResponse:
        try:
            since = analytics_since(request.args.get("days", ""))
        except ValueError as problem:
            return error(400, str(problem))
        report = await in_thread(agent.analytics, since)
        if not request.path.endswith(".csv"):
            return json_response(200, report)
        headers = {"Content-Disposition": 'attachment; filename="analytics.csv"'}
        return raw(analytics_csv(report).encode(), content_type="text/csv; charset=utf-8", headers=headers)

    @bp.route("/api/events", methods=["GET"])
    async def events(request: Request) -> None:
        """Server-Sent Events until the stream's time is up (bot/agent/live.py)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + live.STREAM_SECONDS
        expires = signed_in(request).expires
        if expires is not None:  # a session cookie: not past its expiry
            until = min(until, loop.time() + expires - time.time())
        last_id = live.last_event_id(request.headers.get("Last-Event-ID"))
        try:
            subscription = await hub.subscribe()
        except READ_ERRORS as problem:
            logger.exception("live updates: the tracker store cannot be read")
            raise ServiceUnavailable("the tracker store cannot be read (see the server log)") from problem
        try:
            # X-Accel-Buffering: a proxy such as nginx would otherwise hold the events back.
            response = await request.respond(content_type=EVENT_STREAM, headers={"X-Accel-Buffering": "no"})
            user = signed_in(request).user
            await live.serve(
                hub, subscription, response.send, last_id, until, lambda: in_thread(agent.seen, user)
            )
            await response.eof()
        finally:
            hub.unsubscribe(subscription)

    # Anything else under /agent: past the gate, then 404.
    @bp.route("/<rest:path>", methods=ANY)
    async def unknown(request: Request, rest: str) -> HTTPResponse:
        if is_api(request):
            return error(404, "not found")
        return page(404, pages.message_page("Not found", ""))

    return bp


def install(app: Sanic, agent: AgentApp) -> live.EventHub:
    """Mount the agent area on the web server's app: routes, errors, headers, the live poller."""
    hub = live.EventHub(agent.database)
    app.blueprint(blueprint(agent, hub))

    @app.exception(Exception)
    def errors(request: Request, exception: Exception) -> HTTPResponse | None:
        return agent_error(agent, request, exception)  # None: the app's own error handler

    @app.middleware("response")
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        try:
            if not is_agent_path(request.path):
                return
        except Exception:
            return
        for name, value in SECURITY_HEADERS:
            response.headers[name] = value

    @app.listener("after_server_start")
    async def start_live(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        hub.start()

    @app.listener("before_server_stop")
    async def stop_live(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await hub.stop()  # open streams end now, not after the graceful-shutdown timeout

    app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_BODY_BYTES)
    return hub
