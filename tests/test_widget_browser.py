"""The website chat widget in a real headless Chromium, against the real servers.

The module starts its own stack on free ports: the action server, the Rasa server with the
socket.io channel (a temporary credentials file: the REST channel plus the project's
socket.io block, or the default one below while credentials.yml has none), and `python -m
bot.web`, whose demo page points the widget at this Rasa through RASA_PUBLIC_URL.
Chromium is Debian's (/usr/bin/chromium), driven by Playwright; no browser is downloaded.
Screenshots go to tests/artifacts/widget.png and widget-mobile.png.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio
import yaml
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bot.knowledge import KnowledgeBase
from bot.privacy import MASK
from bot.processes import MODEL, ProcessGroup, action_server_cmd, rasa_server_cmd, wait_until_up
from bot.settings import PROJECT_DIR
from bot.web import resolve
from tests.conftest import API_TOKEN, ARTIFACTS, CHROMIUM, free_port

SOCKETIO_CHANNEL = "bot.channels.socketio.CorsSocketIOInput"
SOCKETIO_SETTINGS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}
REPLY_TIMEOUT_MS = 60_000
RASA_START_TIMEOUT = 300

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]


# --- the stack ------------------------------------------------------------------------------
def widget_credentials(folder: Path) -> Path:
    """credentials.yml for the test: REST, and the project's socket.io block or the default."""
    project = yaml.safe_load((PROJECT_DIR / "credentials.yml").read_text(encoding="utf-8")) or {}
    channel = {k: v for k, v in project.items() if k == "socketio" or k.endswith("SocketIOInput")}
    channel = channel or {SOCKETIO_CHANNEL: SOCKETIO_SETTINGS}
    credentials = {"bot.channels.rest.SafeRestInput": None, **channel}
    path = folder / "credentials.yml"
    path.write_text(yaml.safe_dump(credentials), encoding="utf-8")
    return path


def start_rasa(group: ProcessGroup, rasa_port: int, credentials: Path) -> subprocess.Popen:
    # A second --credentials wins over the one rasa_server_cmd passes (argparse keeps the last).
    cmd = rasa_server_cmd(rasa_port, MODEL, extra=["--credentials", str(credentials)], env=group.env)
    rasa = group.start(cmd, ARTIFACTS / "widget-rasa.log")
    wait_until_up(f"http://localhost:{rasa_port}/", RASA_START_TIMEOUT, rasa)
    return rasa


def start_assistant_with(
    group: ProcessGroup, rasa_port: int, action_port: int, *, credentials: Path
) -> subprocess.Popen:
    """bot.processes.start_assistant with a credentials file; returns the Rasa process."""
    actions = group.start(action_server_cmd(action_port), ARTIFACTS / "widget-actions.log")
    wait_until_up(f"http://localhost:{action_port}/health", 120, actions)
    return start_rasa(group, rasa_port, credentials)


@dataclass
class Stack:
    group: ProcessGroup
    rasa: subprocess.Popen
    rasa_port: int
    credentials: Path
    web_port: int

    @property
    def page_url(self) -> str:
        return f"http://localhost:{self.web_port}/"

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    def stop_rasa(self) -> None:
        os.killpg(self.rasa.pid, signal.SIGTERM)
        self.rasa.wait(30)
        self.group.procs.remove(self.rasa)

    def start_rasa(self) -> None:
        self.rasa = start_rasa(self.group, self.rasa_port, self.credentials)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it)")
    work = tmp_path_factory.mktemp("widget")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    group = ProcessGroup()
    group.env.update(
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        WEB_PORT=str(web_port),
        TRACKER_DB=str(work / "tracker.db"),
        WEB_ORIGINS=f"http://localhost:{web_port},http://127.0.0.1:{web_port}",
        RASA_PUBLIC_URL=f"http://localhost:{rasa_port}",
        RASA_AUTH_TOKEN=API_TOKEN,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    credentials = widget_credentials(work)
    try:
        rasa = start_assistant_with(group, rasa_port, action_port, credentials=credentials)
        web = group.start([sys.executable, "-m", "bot.web"], ARTIFACTS / "widget-web.log")
        wait_until_up(f"http://localhost:{web_port}/", 30, web)
        yield Stack(group, rasa, rasa_port, credentials, web_port)
    finally:
        group.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (empty localStorage) per test, desktop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="bg-BG")
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    yield context
    context.close()


# --- helpers -----------------------------------------------------------------------------------
def bot_bubbles(page: Page) -> Locator:
    return page.locator(".bubble.bot")  # Playwright's CSS selectors pierce the open shadow root


def open_widget(page: Page) -> None:
    launcher = page.locator(".launcher")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    expect(page.locator("#tea-chat-panel")).to_be_visible()


def wait_for_reply(page: Page, before: int) -> Locator:
    """Wait until the bot's answer (one or more bubbles) has arrived; return its last bubble."""
    bubbles = bot_bubbles(page)
    expect(bubbles).not_to_have_count(before, timeout=REPLY_TIMEOUT_MS)
    expect(page.locator(".typing")).to_be_hidden()
    # Rasa sends an answer's paragraphs as separate events: wait until no more arrive.
    count = bubbles.count()
    while True:
        time.sleep(0.4)
        if bubbles.count() == count:
            return bubbles.nth(count - 1)
        count = bubbles.count()


def ask(page: Page, text: str, shown: str | None = None) -> Locator:
    """Type and send `text`; the customer's bubble ends up as `shown` (the server's masked text)."""
    before = bot_bubbles(page).count()
    page.locator("#tea-chat-input").fill(text)
    page.locator(".send").click()
    expect(page.locator(".bubble.user").last).to_contain_text(shown or text)
    return wait_for_reply(page, before)


def focused(page: Page) -> str:
    """Id, else class, of the focused element, looking inside the widget's shadow root."""
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
            return el ? (el.id || el.className || el.tagName) : '';
        }"""
    )


def tab_to(page: Page, target: str, limit: int = 40) -> int:
    """Press Tab until `target` (id or class) has focus; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return presses
    raise AssertionError(f"{target} not reached with {limit} Tab presses (focus on {focused(page)!r})")


def transcript(page: Page) -> list[str]:
    return page.locator(".bubble").all_inner_texts()


# --- tests -------------------------------------------------------------------------------------
def test_bulgarian_question_link_quick_reply_and_history(stack: Stack, context: BrowserContext) -> None:
    # The article links open in a new tab; the internet is out of reach, so answer them here.
    context.route("https://www.tea.bg/**", lambda route: route.fulfill(body="<title>TEA</title>article"))
    page = context.new_page()
    page.goto(stack.page_url)
    open_widget(page)
    greeting = bot_bubbles(page).first
    expect(greeting).to_contain_text("бот")  # says it is a bot, in the page's language
    expect(page.locator(".log")).to_have_attribute("aria-live", "polite")

    answer = ask(page, "Защо кутията ми е пълна?")
    link = page.locator('.bubble.bot a[href^="https://www.tea.bg/"]').first
    expect(link).to_be_visible()
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    with page.expect_popup() as popup_info:
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == link.get_attribute("href")
    popup.close()

    replies = page.locator(".quick .reply")
    expect(replies.first).to_be_visible()
    assert answer.is_visible()
    page.screenshot(path=str(ARTIFACTS / "widget.png"))

    title = replies.first.inner_text()
    before = bot_bubbles(page).count()
    replies.first.click()
    expect(page.locator(".bubble.user").last).to_have_text(f"Вие: {title}")
    wait_for_reply(page, before)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))  # mid-conversation, after the quick reply

    history = transcript(page)
    page.reload()
    open_widget(page)  # it reopens by itself after a reload; this only checks
    expect(page.locator(".bubble")).to_have_count(len(history))
    assert transcript(page) == history
    # The session goes on: the same conversation answers a follow-up.
    ask(page, "А недостатъците на IMAP?")


def test_language_toggle_switches_to_english(stack: Stack, context: BrowserContext) -> None:
    kb = KnowledgeBase.load()
    page = context.new_page()
    page.goto(stack.page_url)
    open_widget(page)
    english = page.locator('.lang[lang="en"]')
    expect(english).to_have_attribute("aria-pressed", "false")

    before = bot_bubbles(page).count()
    english.click()
    reply = wait_for_reply(page, before)
    expect(reply).to_contain_text(kb.topics["switch_language"]["lead_text"]["en"])
    expect(english).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#tea-chat-input")).to_have_attribute("placeholder", "Type a question…")

    before = bot_bubbles(page).count()
    page.locator('.lang[lang="bg"]').click()
    reply = wait_for_reply(page, before)
    expect(reply).to_contain_text(kb.topics["switch_language"]["lead_text"]["bg"])


def test_keyboard_only(stack: Stack, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(stack.page_url)

    tab_to(page, "launcher")
    outline = page.locator(".launcher").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused launcher shows no focus ring"
    page.keyboard.press("Enter")
    expect(page.locator("#tea-chat-panel")).to_be_visible()
    assert focused(page) == "tea-chat-input"
    page.keyboard.press("Escape")
    expect(page.locator("#tea-chat-panel")).to_be_hidden()
    assert focused(page) == "launcher"
    page.keyboard.press("Enter")

    # After a reload the panel is open but has no focus: reach the input with Tab alone.
    page.reload()
    expect(page.locator("#tea-chat-panel")).to_be_visible()
    tab_to(page, "tea-chat-input")
    before = bot_bubbles(page).count()
    page.keyboard.type("Какви са недостатъците на POP3?")
    page.keyboard.press("Enter")
    wait_for_reply(page, before)

    # Quick replies come just before the input in the tab order.
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "reply"
    title = page.locator(".quick .reply").last.inner_text()
    before = bot_bubbles(page).count()
    page.keyboard.press("Enter")
    expect(page.locator(".bubble.user").last).to_have_text(f"Вие: {title}")
    wait_for_reply(page, before)

    page.keyboard.press("Escape")
    expect(page.locator("#tea-chat-panel")).to_be_hidden()


def test_user_text_is_never_html(stack: Stack, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(stack.page_url)
    open_widget(page)
    hostile = '<img src=x onerror="window.__xss=1">'
    ask(page, hostile)
    expect(page.locator(".bubble.user").last).to_have_text(f"Вие: {hostile}")
    assert page.locator(".bubble img").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_password_is_masked_and_the_customer_warned(stack: Stack, context: BrowserContext) -> None:
    kb = KnowledgeBase.load()
    page = context.new_page()
    page.goto(stack.page_url)
    open_widget(page)
    before = bot_bubbles(page).count()
    ask(page, "паролата ми е Kotka123!", shown=f"паролата ми е {MASK}")
    texts = bot_bubbles(page).all_inner_texts()[before:]
    assert any(kb.data["channel_texts"]["password"]["bg"] in text for text in texts), texts
    session = page.evaluate(f"() => JSON.parse(localStorage['tea-chat:{stack.rasa_url}']).sessionId")
    tracker = requests.get(
        f"{stack.rasa_url}/conversations/{session}/tracker", params={"token": API_TOKEN}, timeout=10
    )
    assert tracker.status_code == 200, tracker.text[:300]
    said = [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]
    assert said == [f"паролата ми е {MASK}"]  # what Rasa stored: the secret masked
    assert "Kotka123" not in tracker.text
    # The customer's own bubble shows what the server kept, and the browser never stored more.
    expect(page.locator(".bubble.user").last).to_have_text(f"Вие: паролата ми е {MASK}")
    assert "Kotka123" not in page.evaluate("() => JSON.stringify(localStorage)")
    page.reload()
    open_widget(page)
    expect(page.locator(".bubble.user").last).to_have_text(f"Вие: паролата ми е {MASK}")
    assert "Kotka123" not in page.evaluate("() => JSON.stringify(localStorage)")


def test_mobile_layout(stack: Stack, browser: Browser) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="bg-BG"
    )
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(stack.page_url)
        open_widget(page)
        box = page.locator("#tea-chat-panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}, f"not full-screen: {box}"
        ask(page, "Защо кутията ми е пълна?")
        page.screenshot(path=str(ARTIFACTS / "widget-mobile.png"))
        page.locator(".close").click()
        expect(page.locator(".launcher")).to_be_visible()
    finally:
        context.close()


def answer_first_line_visible(page: Page) -> dict:
    """Where the first bubble of the latest answer is, relative to the scrolling chat body."""
    return page.locator(".body").evaluate(
        """(body) => {
            const rows = [...body.querySelectorAll('.log .row')];
            let start = rows.length - 1;
            while (start > 0 && rows[start - 1].classList.contains('bot')) start -= 1;
            const first = rows[start].getBoundingClientRect();
            const view = body.getBoundingClientRect();
            const answer = rows[rows.length - 1].getBoundingClientRect().bottom - first.top;
            return {top: first.top - view.top, viewHeight: view.height, answerHeight: answer};
        }"""
    )


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_phone_article_links_and_long_answers(stack: Stack, browser: Browser, viewport: dict) -> None:
    kb = KnowledgeBase.load()
    mobile = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="bg-BG")
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(stack.page_url)
        open_widget(page)
        # A long answer: its first line is in view, not only its end.
        ask(page, "Каква е разликата между POP3 и IMAP?")
        place = answer_first_line_visible(page)
        assert place["answerHeight"] > place["viewHeight"], "the answer should not fit: pick a longer one"
        assert 0 <= place["top"] < place["viewHeight"], place
        # Article links read as the article's title; the URL is the target.
        link = page.locator('.bubble.bot a[href^="https://www.tea.bg/"]').last
        expect(link).to_be_visible()
        titles = {article["title"]["bg"] for article in kb.articles.values()}
        label = link.evaluate("(a) => a.firstChild.textContent")
        assert label in titles, label
        assert link.get_attribute("href") == kb.base_url + next(
            a["path"] for a in kb.articles.values() if a["title"]["bg"] == label
        )
        # The support phone is a tap-to-call link on one line.
        ask(page, "искам да говоря с човек")
        phone = page.locator(".bubble.bot a.phone").last
        expect(phone).to_be_visible()
        assert phone.inner_text() == kb.phone
        assert phone.get_attribute("href") == "tel:" + kb.phone.replace(" ", "")
        assert phone.evaluate("(a) => a.getClientRects().length") == 1
        page.screenshot(path=str(ARTIFACTS / f"widget-links-{viewport['width']}.png"))
    finally:
        context.close()


def test_reconnects_after_server_restart(stack: Stack, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(stack.page_url)
    open_widget(page)
    ask(page, "Защо кутията ми е пълна?")
    session_id = f"() => JSON.parse(localStorage['tea-chat:{stack.rasa_url}']).sessionId"
    session = page.evaluate(session_id)

    stack.stop_rasa()
    status = page.locator(".status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Свързване отново")
    stack.start_rasa()
    expect(status).to_be_hidden(timeout=60_000)
    # The same session goes on after the restart.
    answer = ask(page, "Какво е POP3?")
    expect(answer).to_be_visible()
    assert page.evaluate(session_id) == session


# --- the socket.io origin allow-list and the static server, without a browser ----------------
def socket_connects(url: str, origin: str) -> bool:
    """Whether a socket.io client claiming to be a page from `origin` gets a connection."""

    async def attempt() -> bool:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10)
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    # In a thread of its own: Playwright's event loop may be current in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, attempt()).result()


def test_socketio_accepts_only_the_page_origin(stack: Stack) -> None:
    page_origin = f"http://localhost:{stack.web_port}"
    poll = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(poll, headers={"Origin": page_origin}, timeout=10)
    assert allowed.status_code == 200
    # Exactly once: a repeated header (Rasa's --cors and engineio both) makes browsers refuse.
    assert allowed.headers.get("Access-Control-Allow-Origin") == page_origin
    other = requests.get(poll, headers={"Origin": "http://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers
    # CORS only stops a browser from reading; WebSocket is not covered at all. The channel
    # itself refuses the socket of a page from another site (polling here: the engineio
    # websocket client needs a newer aiohttp than Rasa's; the check is the same).
    assert socket_connects(stack.rasa_url, page_origin)
    assert not socket_connects(stack.rasa_url, "http://evil.example")


def get_raw(port: int, path: str) -> tuple[int, str, bytes]:
    """GET without any client-side path clean-up (requests would normalise "..")."""
    connection = http.client.HTTPConnection("localhost", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def test_static_server(stack: Stack) -> None:
    status, ctype, body = get_raw(stack.web_port, "/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    assert f'data-rasa-url="{stack.rasa_url}"'.encode() in body
    assert b'src="/widget.js"' in body
    status, ctype, body = get_raw(stack.web_port, "/widget.js")
    assert (status, ctype) == (200, "text/javascript; charset=utf-8")
    assert body == (PROJECT_DIR / "web" / "dist" / "widget.js").read_bytes()
    for path in [
        "/../README.md",
        "/%2e%2e/README.md",
        "/..%2fpyproject.toml",
        "/dist/../../Makefile",
        "/node_modules/socket.io-client/package.json",
        "/missing.js",
        "/dist/",
    ]:
        assert get_raw(stack.web_port, path)[0] == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/../README.md",
        "/%2e%2e/bot/web.py",
        "//etc/passwd",
        "/dist/%2e%2e/%2e%2e/README.md",
        "/x\\..\\..\\README.md",
        "/node_modules/esbuild/package.json",
        "/index.html%00.js",
    ],
)
def test_resolve_stays_inside_web(path: str) -> None:
    assert resolve(path) is None
