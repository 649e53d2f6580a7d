"""The agent page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Its own stack (tests/test_agent_api.agent_stack): action server, Rasa, bot.web. Customer
conversations are created over REST before the browser looks at them. One screenshot per
view: tests/artifacts/agent-suggest.png, agent-handoffs.png, agent-transcript.png,
agent-analytics.png, and agent-live-handoff.png (a handoff that arrived by the live stream).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, expect

from bot.knowledge import KnowledgeBase
from tests.conftest import ARTIFACTS, CHROMIUM
from tests.test_agent_api import AGENT_PASSWORD, AGENT_USER, HOSTILE, AgentStack, agent_stack

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]
TIMEOUT_MS = 30_000
# What the page's script would do if customer text were ever parsed as HTML.
XSS = ["<script>window.__xss = 1; alert(1)</script>", '<img src=x onerror="window.__xss = 2; alert(2)">']


@dataclass
class Customers:
    handoff: str
    others: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentStack]:
    with agent_stack(tmp_path_factory.mktemp("agent-browser"), "agent-browser") as running:
        yield running


@pytest.fixture(scope="module")
def customers(stack: AgentStack) -> Customers:
    """Conversations as customers have them: one hostile and handed over, a few ordinary."""
    handoff = f"browser-{uuid.uuid4().hex[:8]}"
    for text in [*XSS, *HOSTILE, "искам да говоря с човек"]:
        stack.ask(text, handoff)
    others = []
    for turns in [
        ["Защо кутията ми е пълна?", "Благодаря"],
        ["What are the disadvantages of POP3?"],
        ["kakvo e imap"],
        ["hello", "blorp snerk quux", "fnord blarg"],
    ]:
        sender = f"browser-{uuid.uuid4().hex[:8]}"
        for text in turns:
            stack.ask(text, sender)
        others.append(sender)
    return Customers(handoff, others)


@dataclass
class Watch:
    """Dialogs that fired and Content-Security-Policy complaints on the page."""

    dialogs: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_dialog(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
                self.csp.append(message.text)

        page.on("dialog", on_dialog)
        page.on("console", on_console)

    def assert_quiet(self, page: Page) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.csp == [], self.csp
        assert page.evaluate("() => window.__xss") is None


@pytest.fixture
def context(browser: Browser, stack: AgentStack) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.web_url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def sign_in(stack: AgentStack, context: BrowserContext, watch: Watch) -> Page:
    page = context.new_page()
    watch.attach(page)
    page.goto(f"{stack.web_url}/agent")
    expect(page).to_have_url(f"{stack.web_url}/agent/login")  # nothing without signing in
    page.get_by_label("User").fill(AGENT_USER)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user or password.")
    page.get_by_label("Password").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{stack.web_url}/agent")
    expect(page.locator(".who")).to_contain_text(AGENT_USER)
    return page


def test_suggest(stack: AgentStack, context: BrowserContext, kb: KnowledgeBase) -> None:
    watch = Watch()
    page = sign_in(stack, context, watch)
    expect(page.locator("#view-suggest")).to_be_visible()
    page.get_by_label("The customer's message").fill("защо кутията ми е пълна")
    page.get_by_role("button", name="Suggest").click()
    bg, en = page.locator('.answer[data-lang="bg"]'), page.locator('.answer[data-lang="en"]')
    expect(bg).to_be_visible()
    expect(page.locator(".understanding table.bars th").first).to_have_text("mailbox_full")
    assert bg.locator(".answer-text").inner_text() == kb.answer("mailbox_full", "bg").text
    assert en.locator(".answer-text").inner_text() == kb.answer("mailbox_full", "en").text
    link = page.locator(".links a").first
    assert link.get_attribute("href") == kb.answer("mailbox_full", "en").links[0].url
    assert link.get_attribute("rel") == "noopener noreferrer"

    en.get_by_role("button", name="Copy").click()
    expect(en.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == kb.answer("mailbox_full", "en").text
    page.screenshot(path=str(ARTIFACTS / "agent-suggest.png"), full_page=True)

    # The agent's own input is text too.
    page.get_by_label("The customer's message").fill(XSS[1] + " pop3")
    page.get_by_role("button", name="Suggest").click()
    expect(page.locator(".understanding")).to_be_visible()
    assert page.locator("#suggest-result img").count() == 0
    watch.assert_quiet(page)


def test_handoff_queue_and_transcript(
    stack: AgentStack, context: BrowserContext, customers: Customers
) -> None:
    watch = Watch()
    page = sign_in(stack, context, watch)
    page.get_by_role("link", name="Handoffs").click()
    row = page.locator("#handoffs-table tbody tr", has=page.get_by_role("link", name=customers.handoff))
    expect(row).to_be_visible()
    expect(row.locator("td").nth(2)).to_have_text("rest")
    expect(row.locator("td").nth(3)).to_have_text("bg")
    expect(row.locator("td").nth(4)).to_have_text("Asked for a person")
    expect(row.locator(".chip")).to_have_text("Open")
    page.screenshot(path=str(ARTIFACTS / "agent-handoffs.png"), full_page=True)

    row.get_by_role("link", name=customers.handoff).click()
    expect(page.locator("#view-conversation")).to_be_visible()
    said = page.locator(".msg.user .text")
    expect(said).to_have_count(len(XSS) + len(HOSTILE) + 1)
    assert said.all_inner_texts() == [*XSS, *HOSTILE, "искам да говоря с човек"]  # literally, as text
    assert page.locator("#transcript img, #transcript script").count() == 0
    expect(page.locator(".msg.user").last.locator(".nlu")).to_contain_text("contact_support")
    expect(page.locator(".msg.bot").first).to_be_visible()
    expect(page.locator("#transcript .event").last).to_contain_text("Asked for a person")
    page.screenshot(path=str(ARTIFACTS / "agent-transcript.png"), full_page=True)

    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator("#conversation-status")).to_have_text("Marked resolved.")
    expect(page.get_by_role("button", name="Mark resolved")).to_be_disabled()
    expect(page.locator("#conversation-meta")).to_contain_text(f"Resolved by {AGENT_USER}")
    page.get_by_role("link", name="← Handoffs").click()
    expect(row.locator(".chip")).to_have_text("Resolved")
    watch.assert_quiet(page)


def test_new_handoffs_and_messages_appear_without_a_reload(
    stack: AgentStack, context: BrowserContext
) -> None:
    """The page's EventSource (GET /agent/api/events): no reload, no Refresh button."""
    watch = Watch()
    page = sign_in(stack, context, watch)
    page.get_by_role("link", name="Handoffs").click()
    expect(page.locator("#live")).to_have_text("Live")  # the stream is open
    page.evaluate("() => { window.__samePage = true; }")  # gone if the page were reloaded
    sender = f"browser-live-{uuid.uuid4().hex[:8]}"
    stack.ask("искам да говоря с човек", sender)
    row = page.locator("#handoffs-table tbody tr", has=page.get_by_role("link", name=sender))
    expect(row).to_be_visible(timeout=15_000)
    expect(row.locator("td").nth(4)).to_have_text("Asked for a person")
    page.screenshot(path=str(ARTIFACTS / "agent-live-handoff.png"), full_page=True)

    row.get_by_role("link", name=sender).click()
    said = page.locator(".msg.user .text")
    expect(said).to_have_text(["искам да говоря с човек"])
    stack.ask("пощата ми не работи от вчера", sender)  # the customer writes on
    expect(said).to_have_text(["искам да говоря с човек", "пощата ми не работи от вчера"], timeout=15_000)
    assert page.evaluate("() => window.__samePage") is True
    watch.assert_quiet(page)


def test_analytics(stack: AgentStack, context: BrowserContext, customers: Customers) -> None:
    watch = Watch()
    page = sign_in(stack, context, watch)
    page.get_by_role("link", name="Analytics").click()
    stats = page.locator(".stat")
    expect(stats.first).to_be_visible()
    report = stack.api("analytics")
    expect(stats.filter(has_text="Conversations").locator("strong")).to_have_text(
        str(report["conversations"]["total"])
    )
    expect(page.locator("svg.chart rect")).to_have_count(len(report["conversations"]["per_day"]))
    expect(page.locator("table.bars", has_text="per channel")).to_contain_text("rest")
    expect(page.locator("table.bars", has_text="Top intents")).to_contain_text("contact_support")
    missed = page.locator("table.data td.text")
    expect(missed.filter(has_text="blorp snerk quux")).to_have_count(1)
    assert HOSTILE[0] in missed.all_inner_texts()  # shown as text
    assert page.locator("#analytics-body script, #analytics-body img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "agent-analytics.png"), full_page=True)

    page.select_option("#analytics-days", "7")
    expect(page.locator("#analytics-csv")).to_have_attribute("href", "/agent/api/analytics.csv?days=7")
    with page.expect_download() as download:
        page.locator("#analytics-csv").click()
    assert download.value.suggested_filename == "analytics.csv"
    watch.assert_quiet(page)


def test_sign_out(stack: AgentStack, context: BrowserContext) -> None:
    watch = Watch()
    page = sign_in(stack, context, watch)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{stack.web_url}/agent/login")
    page.goto(f"{stack.web_url}/agent#handoffs")
    expect(page).to_have_url(f"{stack.web_url}/agent/login#handoffs")  # the browser keeps the #
    expect(page.locator("#handoffs-table")).to_have_count(0)
    watch.assert_quiet(page)
