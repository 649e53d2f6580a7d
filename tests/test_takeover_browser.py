"""Live takeover in a real headless Chromium, two browser contexts at once: a customer on the
demo page's widget and an agent on the console (tests/test_takeover.takeover_stack: action
server, Rasa, bot.web on free ports). The seven steps of issue 12, in order:

1. the customer asks for a person;            2. the handoff appears on the console live;
3. the agent claims it and replies;           4. the reply appears in the widget with the name;
5. the customer answers: the agent sees it live, the bot stays silent (and the agent inserts
   the assistant's suggestion, edits it and sends it);
6. the agent releases;                        7. the bot answers the customer's next question.

Screenshots: tests/artifacts/takeover-widget.png, takeover-console.png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.knowledge import default_knowledge
from tests.conftest import ARTIFACTS, CHROMIUM
from tests.standin import StandIn
from tests.test_takeover import MARIA, MARIA_NAME, TakeoverStack, takeover_stack

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"),
]
TIMEOUT_MS = 30_000
QUIET_SECONDS = 4  # how long the bot must stay silent after a paused message


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, standin: StandIn) -> Iterator[TakeoverStack]:
    with takeover_stack(tmp_path_factory.mktemp("takeover-browser"), standin) as running:
        yield running


def new_context(browser: Browser, **options: object) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in(stack: TakeoverStack, page: Page) -> None:
    page.goto(f"{stack.web_url}/agent/login")
    page.get_by_label("User").fill(MARIA[0])
    page.get_by_label("Password").fill(MARIA[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{stack.web_url}/agent")
    expect(page.locator("#live")).to_have_text("Live")


def send(widget: Page, text: str) -> None:
    widget.locator("#tea-chat-input").fill(text)
    widget.locator(".send").click()
    expect(widget.locator(".bubble.user").last).to_contain_text(text)


def takeover_text(key: str) -> str:
    return default_knowledge().data["takeover_texts"][key]["bg"].format(agent=MARIA_NAME)


def test_customer_and_agent_in_two_browsers(stack: TakeoverStack, browser: Browser) -> None:
    customer = new_context(browser, viewport={"width": 390, "height": 844}, locale="bg-BG")
    agent = new_context(browser, viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        console = agent.new_page()
        sign_in(stack, console)
        console.goto(f"{stack.web_url}/agent#handoffs")
        expect(console.locator("#handoffs-status")).to_contain_text("0 open")

        # 1. The customer asks for a person on the widget.
        widget = customer.new_page()
        widget.goto(f"{stack.web_url}/")
        widget.locator(".launcher").click()
        bot = widget.locator(".bubble.bot")
        before = bot.count()
        send(widget, "искам да говоря с човек")
        expect(bot).not_to_have_count(before)
        session = widget.evaluate(
            "() => Object.entries(localStorage).map(([, v]) => JSON.parse(v).sessionId).find(Boolean)"
        )
        assert session

        # 2. The handoff appears on the console without a reload.
        row = console.locator("#handoffs-table a.sender", has_text=session)
        expect(row).to_be_visible()
        row.click()
        expect(console.locator("#conversation-meta")).to_contain_text(session)
        expect(console.locator("#takeover-state")).to_contain_text("The assistant is answering")

        # 3. The agent claims the conversation and replies (a second console tab on the queue
        # sees the claim live).
        queue = agent.new_page()
        queue.goto(f"{stack.web_url}/agent#handoffs")
        expect(queue.locator("#handoffs-table a.sender", has_text=session)).to_be_visible()
        expect(queue.locator("#live")).to_have_text("Live")
        console.locator("#claim-button").click()
        expect(console.locator("#takeover-state")).to_contain_text("You hold this conversation")
        expect(queue.locator("#handoffs-table tr", has_text=session)).to_contain_text("Claimed by maria")
        expect(widget.locator(".bubble.bot").last).to_contain_text(takeover_text("joined"))
        console.locator("#reply-text").fill("Здравейте, аз съм Мария. С какво да помогна?")
        console.locator("#reply-send").click()
        expect(console.locator("#reply-text")).to_have_value("")

        # 4. The reply appears in the widget, marked as the agent's, with her name.
        agent_bubble = widget.locator(".bubble.agent").last
        expect(agent_bubble).to_contain_text("Здравейте, аз съм Мария. С какво да помогна?")
        expect(agent_bubble.locator(".agent-name")).to_contain_text(MARIA_NAME)
        expect(console.locator(".msg.agent").last).to_contain_text(f"Agent {MARIA_NAME}")

        # 5. The customer answers: it reaches the console live, and the bot stays silent.
        bots_before = widget.locator(".bubble.bot").count()
        send(widget, "пощата ми е пълна, какво да правя")
        customer_message = console.locator(".msg.user", has_text="пощата ми е пълна, какво да правя")
        expect(customer_message).to_be_visible()
        expect(widget.locator(".typing")).to_be_hidden()  # nobody pretends the bot is typing
        time.sleep(QUIET_SECONDS)
        expect(widget.locator(".bubble.bot")).to_have_count(bots_before)  # no answer, no apology

        # Agent assist on that message: the reading and the suggested answer, inserted and edited.
        expect(customer_message.locator(".reading .chip").first).to_contain_text("mailbox_full")
        expect(customer_message.locator(".suggested-head")).to_contain_text("Suggested answer (bg)")
        link = customer_message.locator(".suggestion .links a").first
        expect(link).to_have_attribute("href", re.compile(r"^https://"))
        customer_message.get_by_role("button", name="Insert").click()
        suggested = console.locator("#reply-text").input_value()
        assert suggested and "https://" in suggested
        console.locator("#reply-text").fill("Мария: " + suggested)
        console.locator("#reply-send").click()
        expect(widget.locator(".bubble.agent").last).to_contain_text("Мария: " + suggested.split("\n")[0])
        console.screenshot(path=str(ARTIFACTS / "takeover-console.png"), full_page=True)

        # 6. The agent releases; the customer is told the assistant is back.
        console.locator("#release-button").click()
        expect(console.locator("#takeover-state")).to_contain_text("The assistant is answering")
        expect(widget.locator(".bubble.bot").last).to_contain_text(takeover_text("released"))

        # 7. The bot answers the customer's next question.
        bots_before = widget.locator(".bubble.bot").count()
        send(widget, "какво е IMAP")
        expect(widget.locator(".bubble.bot")).not_to_have_count(bots_before)
        time.sleep(1)  # the answer's paragraphs come as separate messages
        assert "IMAP" in " ".join(widget.locator(".bubble.bot").all_inner_texts()[bots_before:])
        widget.screenshot(path=str(ARTIFACTS / "takeover-widget.png"))

        # The widget's saved history keeps the agent's messages as hers after a reload.
        widget.reload()
        expect(widget.locator(".bubble.agent").first.locator(".agent-name")).to_contain_text(MARIA_NAME)

        steps = [action for action, *_ in stack.audit(session)]
        assert steps == ["claim", "reply", "reply", "release"]
    finally:
        customer.close()
        agent.close()
