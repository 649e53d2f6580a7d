"""Handoffs end to end: action server, Rasa and bot.web on free ports, a temporary SQLite store.

What the customer is told (nobody online / an agent's console connected, bg and en), the
case number (in the reply, the queue, the transcript, the search), the callback with and
without consent (the database is checked), a request for a person inside the recommendation,
and transcripts that show a pressed button's title. SUPPORT_HOURS is always open here, so
presence alone decides; the hours themselves are tests/test_support_hours.py and
tests/test_handoff.py. The tests without a console come first: presence outlives a stream
by bot.handoff.PRESENCE_SECONDS.
"""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, expect

from bot.handoff import PRESENCE_SECONDS
from bot.knowledge import KnowledgeBase
from tests.conftest import ARTIFACTS, CHROMIUM
from tests.test_agent_api import AGENT_PASSWORD, AGENT_USER, RASA_TOKEN, AgentStack, EventStream, agent_stack

pytestmark = pytest.mark.e2e

CASE = re.compile(r"TEA-\d{6}")
ASK_PERSON = {"bg": "искам да говоря с човек", "en": "can I talk to a human?"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentStack]:
    env = {"SUPPORT_HOURS": "Mon-Sun 00:00-24:00 UTC"}
    with agent_stack(tmp_path_factory.mktemp("handoff"), "handoff", env) as running:
        yield running


def sender() -> str:
    return f"ho-{uuid.uuid4().hex[:8]}"


def callbacks_in_db(stack: AgentStack, sender_id: str) -> list[tuple]:
    with sqlite3.connect(stack.tracker_db) as connection:
        tables = {name for (name,) in connection.execute("select name from sqlite_master where type='table'")}
        if "agent_callbacks" not in tables:
            return []
        query = "select case_number, contact, language from agent_callbacks where sender_id = ?"
        return connection.execute(query, (sender_id,)).fetchall()


def tracker(stack: AgentStack, sender_id: str) -> dict:
    response = requests.get(
        f"{stack.rasa_url}/conversations/{sender_id}/tracker", params={"token": RASA_TOKEN}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def hand_over_offline(stack: AgentStack, kb: KnowledgeBase, lang: str) -> tuple[str, str]:
    """Ask for a person with nobody online: the phone, the hours, the case, then the consent question."""
    customer = sender()
    replies = stack.ask(ASK_PERSON[lang], customer)
    assert len(replies) == 2, replies
    handoff, consent = replies
    case = CASE.search(handoff["text"]).group(0)
    assert kb.phone in handoff["text"] and "00:00-24:00 (UTC)" in handoff["text"]
    assert handoff["text"].startswith(kb.data["handoff"]["offline"][lang].split("{")[0])
    texts = kb.data["callback"]
    assert consent["text"] == texts["ask_consent"][lang]
    assert [b["title"] for b in consent["buttons"]] == [texts["answer_yes"][lang], texts["answer_no"][lang]]
    return customer, case


# --- nobody online ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["bg", "en"])
def test_nobody_online_the_customer_gets_phone_hours_and_a_case_the_console_finds(
    stack: AgentStack, kb: KnowledgeBase, lang: str
) -> None:
    customer, case = hand_over_offline(stack, kb, lang)
    [found] = stack.api(f"handoffs?case={case.lower()}")["handoffs"]
    assert found["sender_id"] == customer and found["case_number"] == case and found["reason"] == "requested"
    assert stack.api(f"handoffs?case={case[4:]}")["handoffs"] == [found]  # the digits alone
    assert any(item["sender_id"] == customer for item in stack.api("handoffs")["handoffs"])
    conversation = stack.api(f"conversations/{customer}")
    assert conversation["handoff"]["case_number"] == case
    assert nothing_stored(stack, customer)


def nothing_stored(stack: AgentStack, customer: str) -> bool:
    listed = [c for c in stack.api("callbacks")["callbacks"] if c["sender_id"] == customer]
    return not listed and not callbacks_in_db(stack, customer)


def test_a_callback_with_consent_is_stored_and_listed(stack: AgentStack, kb: KnowledgeBase) -> None:
    texts = kb.data["callback"]
    customer, case = hand_over_offline(stack, kb, "en")
    asked = stack.ask("/affirm", customer)  # the "Yes, contact me" button
    assert [r["text"] for r in asked] == [texts["ask_contact"]["en"]]
    assert nothing_stored(stack, customer)  # consent alone stores nothing yet
    again = stack.ask("call me on my mobile", customer)
    assert [r["text"] for r in again] == [texts["invalid"]["en"], texts["ask_contact"]["en"]]
    done = stack.ask("Maria.Ivanova@Example.com", customer)
    assert len(done) == 1 and "maria.ivanova@example.com" in done[0]["text"] and case in done[0]["text"]
    assert callbacks_in_db(stack, customer) == [(case, "maria.ivanova@example.com", "en")]
    [listed] = [c for c in stack.api("callbacks")["callbacks"] if c["sender_id"] == customer]
    assert listed["case_number"] == case and listed["contact"] == "maria.ivanova@example.com"
    assert listed["consent_at"].endswith("+00:00")
    # The transcript reads like the chat: the button's title, not "/affirm".
    shown = [m for m in stack.api(f"conversations/{customer}")["messages"] if m["type"] == "user"]
    assert shown[1]["text"] == texts["answer_yes"]["en"] and shown[1]["payload"] == "/affirm"
    # Afterwards the assistant answers as usual.
    assert kb.statements["imap.fact.sync"]["en"][1:] in stack.ask("what is IMAP?", customer)[0]["text"]


def test_a_typed_yes_in_bulgarian_then_a_phone(stack: AgentStack, kb: KnowledgeBase) -> None:
    customer, case = hand_over_offline(stack, kb, "bg")
    assert stack.ask("да, обадете ми се", customer)[0]["text"] == kb.data["callback"]["ask_contact"]["bg"]
    done = stack.ask("0888 123 456", customer)
    assert "0888 123 456" in done[0]["text"] and case in done[0]["text"]
    assert callbacks_in_db(stack, customer) == [(case, "0888 123 456", "bg")]


@pytest.mark.parametrize(
    ("lang", "replies"),
    [("bg", ["не, благодаря"]), ("en", ["/deny"]), ("en", ["/affirm", "stop"]), ("bg", ["/affirm", "не"])],
)
def test_without_consent_nothing_is_stored(
    stack: AgentStack, kb: KnowledgeBase, lang: str, replies: list
) -> None:
    customer, case = hand_over_offline(stack, kb, lang)
    for text in replies:
        answer = stack.ask(text, customer)
    declined = kb.data["callback"]["declined"][lang]
    assert answer[-1]["text"].startswith(declined.split("{")[0]) and case in answer[-1]["text"]
    assert nothing_stored(stack, customer)
    assert tracker(stack, customer)["slots"]["callback_contact"] is None


def test_another_question_instead_of_consent_is_answered_and_stores_nothing(
    stack: AgentStack, kb: KnowledgeBase
) -> None:
    customer, _ = hand_over_offline(stack, kb, "en")
    answer = stack.ask("what is IMAP?", customer)
    assert kb.statements["imap.fact.sync"]["en"][1:] in answer[0]["text"]
    assert nothing_stored(stack, customer) and not tracker(stack, customer)["active_loop"]


# --- an agent's console is connected ------------------------------------------------------------
@pytest.mark.parametrize("lang", ["bg", "en"])
def test_with_an_agent_online_a_colleague_will_reply_here(
    stack: AgentStack, kb: KnowledgeBase, lang: str
) -> None:
    with EventStream(stack):
        customer = sender()
        replies = stack.ask(ASK_PERSON[lang], customer)
    assert len(replies) == 1, replies  # no callback offer
    case = CASE.search(replies[0]["text"]).group(0)
    assert replies[0]["text"].startswith(kb.data["handoff"]["online"][lang].format(case=case))
    assert stack.api(f"handoffs?case={case}")["handoffs"][0]["sender_id"] == customer


def test_a_request_for_a_person_ends_the_recommendation(stack: AgentStack, kb: KnowledgeBase) -> None:
    questions = [c["question"]["en"] for c in kb.data["recommendation"]["criteria"]]
    customer = sender()
    with EventStream(stack):
        first = stack.ask("help me choose between pop3 and imap", customer)
        assert questions[0] in first[-1]["text"]
        assert questions[1] in stack.ask("yes", customer)[-1]["text"]
        handoff = stack.ask("I want to talk to a person", customer)
    # The handoff text is the last word: no next question of the form.
    assert len(handoff) == 1 and CASE.search(handoff[0]["text"]), handoff
    assert not any(q in r["text"] for r in handoff for q in questions)
    state = tracker(stack, customer)
    assert not state["active_loop"] and state["slots"]["rec_many_devices"] is None
    # A "yes" now is not an answer to the form's next question.
    after = stack.ask("yes", customer)
    assert not any(q in r["text"] for r in after for q in questions)


def test_the_case_search_and_callbacks_refuse_bad_requests(stack: AgentStack) -> None:
    for bad in ("TEA-12", "x" * 5000, "' OR 1=1 --", "TEA-1234567"):
        response = stack.get("/agent/api/handoffs", params={"case": bad})
        assert response.status_code == 400 and "case" in response.json()["error"]
    assert stack.get("/agent/api/callbacks", auth=None).status_code == 401
    assert stack.post("/agent/api/callbacks").status_code == 405


def wait_until_nobody_is_online(stack: AgentStack) -> None:
    with sqlite3.connect(stack.tracker_db) as connection:
        (last,) = connection.execute("select max(seen_at) from agent_presence").fetchone()
    time.sleep(max(0.0, (last or 0.0) + PRESENCE_SECONDS + 1 - time.time()))


# --- the console in Chromium (last: a signed-in page counts as an agent online) -----------------
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")
def test_the_console_lists_callbacks_and_finds_a_case(
    stack: AgentStack, kb: KnowledgeBase, browser: Browser
) -> None:
    wait_until_nobody_is_online(stack)  # the streams of the tests above
    customer, case = hand_over_offline(stack, kb, "bg")
    stack.ask("/affirm", customer)
    stack.ask("+359 888 765 432", customer)
    other, _ = hand_over_offline(stack, kb, "en")  # a second handoff the search must leave out
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(f"{stack.web_url}/agent/login")
        page.get_by_label("User").fill(AGENT_USER)
        page.get_by_label("Password").fill(AGENT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{stack.web_url}/agent#handoffs")
        callbacks = page.locator("#callbacks-table tbody tr", has_text=case)
        expect(callbacks).to_contain_text("+359 888 765 432")
        expect(page.locator("#handoffs-table tbody tr", has_text=other)).to_have_count(1)
        page.get_by_label("Case").fill(case.lower())
        page.get_by_label("Case").press("Enter")
        rows = page.locator("#handoffs-table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(case)
        expect(rows.first).to_contain_text(customer)
        page.screenshot(path=str(ARTIFACTS / "agent-case-search.png"), full_page=True)
        rows.first.get_by_role("link", name=customer).click()
        expect(page.locator("#conversation-meta")).to_contain_text(case)
        pressed = page.locator(".msg.user", has_text=kb.data["callback"]["answer_yes"]["bg"])
        expect(pressed.locator(".who")).to_contain_text("Customer (button)")
        expect(page.locator(".msg.user", has_text="/affirm")).to_have_count(0)
    finally:
        context.close()
