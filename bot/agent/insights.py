"""What the agents see, computed from the tracker store's events (bot.agent.store.Event).

A conversation is a sender id with at least one user message. Its channel is the
`input_channel` of its latest user message, its language the latest `language` slot.
A handoff is the actions setting the `handoff_reason` slot (contact_support, repeated NLU
failure), at the time of that event. Rasa copies every slot into a new session (the slot
events between `session_started` and the next user message): a copy is not a new handoff.
Every customer text passes bot.privacy.redact on its way out, whatever the database holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.agent.store import Event, Resolution
from bot.payloads import canonical, looks_like_payload
from bot.privacy import mask_contacts, redact
from bot.replies import split_payload

FALLBACK_INTENT = "nlu_fallback"
# Messages the bot did not answer from the articles: unsure, or declined as out of scope.
NOT_ANSWERED = (FALLBACK_INTENT, "out_of_scope")
LOW_CONFIDENCE = 0.5
TOP_UNANSWERED = 20
UNKNOWN = "unknown"


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def customer_text(event: Event) -> str:
    return redact(str(event.data.get("text") or ""))[0]


def understanding(event: Event) -> tuple[str | None, float | None]:
    intent = (event.data.get("parse_data") or {}).get("intent") or {}
    confidence = intent.get("confidence")
    return intent.get("name"), float(confidence) if isinstance(confidence, int | float) else None


@dataclass
class Handoff:
    reason: str
    at: float


class SessionCopies:
    """Tells the slot events that only copy the old session's slots into a new one; also
    remembers each conversation's latest bot buttons (a pressed one is shown by its title)."""

    def __init__(self) -> None:
        self.copying: set[str] = set()
        self.offered: dict[str, list[dict[str, Any]]] = {}

    def is_copy(self, event: Event) -> bool:
        if event.type_name == "session_started":
            self.copying.add(event.sender_id)
        elif event.type_name == "user":
            self.copying.discard(event.sender_id)
        return event.type_name == "slot" and event.sender_id in self.copying


def new_handoff(event: Event, copies: SessionCopies) -> Handoff | None:
    """The handoff an event records, if it is one (and not a session's copy of one)."""
    if copies.is_copy(event) or event.type_name != "slot" or event.data.get("name") != "handoff_reason":
        return None
    value = event.data.get("value")
    return Handoff(str(value), event.timestamp) if value else None


@dataclass
class Conversation:
    sender_id: str
    channel: str = UNKNOWN
    language: str = UNKNOWN
    first_at: float = 0.0
    last_at: float = 0.0
    user_messages: int = 0
    handoffs: list[Handoff] = field(default_factory=list)
    summary: str | None = None  # the customer's words about a fault (handoff_summary slot)
    case_number: str | None = None  # the latest handoff's case number (bot/handoff.py)


def conversations(events: Iterable[Event]) -> dict[str, Conversation]:
    """Conversations with at least one user message, keyed by sender id."""
    found: dict[str, Conversation] = {}
    copies = SessionCopies()
    for event in events:
        conversation = found.setdefault(event.sender_id, Conversation(event.sender_id))
        handoff = new_handoff(event, copies)
        if handoff:
            conversation.handoffs.append(handoff)
        if event.type_name == "user":
            if not conversation.user_messages:
                conversation.first_at = event.timestamp
            conversation.user_messages += 1
            conversation.last_at = event.timestamp
            conversation.channel = str(event.data.get("input_channel") or UNKNOWN)
        elif event.type_name == "slot":
            name, value = event.data.get("name"), event.data.get("value")
            if name == "language" and value:
                conversation.language = str(value)
            elif name == "handoff_summary" and value:
                conversation.summary = redact(str(value))[0]
            elif name == "case_number" and value:
                conversation.case_number = str(value)
    return {sender: c for sender, c in found.items() if c.user_messages}


def handoff_queue(events: Iterable[Event], resolutions: Mapping[str, Resolution]) -> list[dict[str, Any]]:
    """Handed-over conversations, newest handoff first; resolved if resolved after it."""
    queue = []
    for conversation in conversations(events).values():
        if not conversation.handoffs:
            continue
        latest = max(conversation.handoffs, key=lambda h: h.at)
        resolution = resolutions.get(conversation.sender_id)
        resolved = resolution is not None and resolution.resolved_at >= latest.at
        queue.append(
            {
                "sender_id": conversation.sender_id,
                "channel": conversation.channel,
                "language": conversation.language,
                "reason": latest.reason,
                "summary": conversation.summary,
                "case_number": conversation.case_number,
                "time": iso(latest.at),
                "timestamp": latest.at,
                "handoffs": len(conversation.handoffs),
                "last_message_at": iso(conversation.last_at),
                "resolved": resolved,
                "resolved_at": iso(resolution.resolved_at) if resolved and resolution else None,
                "resolved_by": resolution.resolved_by if resolved and resolution else None,
            }
        )
    return sorted(queue, key=lambda item: item["timestamp"], reverse=True)


def transcript(events: Iterable[Event]) -> list[dict[str, Any]]:
    """One conversation's user and bot messages (with the NLU's reading), handoffs, sessions."""
    items: list[dict[str, Any]] = []
    copies = SessionCopies()
    for event in events:
        item = transcript_item(event, copies)
        if item and (item["type"] != "session" or items):  # not the conversation's first session
            items.append(item)
    return items


def transcript_item(event: Event, copies: SessionCopies) -> dict[str, Any] | None:
    """What a transcript shows of one event (the live stream sends the same), or None."""
    base = {"timestamp": event.timestamp, "time": iso(event.timestamp)}
    handoff = new_handoff(event, copies)
    if handoff:
        return {"type": "handoff", **base, "reason": handoff.reason}
    if event.type_name == "session_started":
        return {"type": "session", **base}
    if event.type_name == "user":
        parse = event.data.get("parse_data") or {}
        name, confidence = understanding(event)
        text, pressed = customer_text(event), None
        # A button press is shown as the button the customer saw (a refused payload as typed).
        if looks_like_payload(text) and not parse.get("payload_refused"):
            pressed, text = text, button_title(text, copies.offered.get(event.sender_id, []))
        return {
            "type": "user",
            **base,
            "text": text,
            "payload": pressed,
            "channel": event.data.get("input_channel"),
            "intent": {"name": name, "confidence": confidence},
            "intent_ranking": [
                {"name": r.get("name"), "confidence": r.get("confidence")}
                for r in (parse.get("intent_ranking") or [])[:3]
            ],
            "entities": [
                {"entity": e.get("entity"), "value": e.get("value")}
                for e in parse.get("entities") or []
                if isinstance(e, dict)
            ],
        }
    if event.type_name == "bot":
        buttons = (event.data.get("data") or {}).get("buttons") or []
        shown = [
            {"title": b.get("title"), "payload": b.get("payload")} for b in buttons if isinstance(b, dict)
        ]
        metadata = event.data.get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("agent"):
            # A support agent's message (bot/channels/agent.py), or the notice of a claim or
            # release ("takeover"): marked as the agent's, not the assistant's.
            kind = "bot" if metadata.get("takeover") else "agent"
            item = {"type": kind, **base, "text": str(event.data.get("text") or ""), "buttons": []}
            return item | {"agent": str(metadata["agent"]), "takeover": metadata.get("takeover")}
        if shown:
            copies.offered[event.sender_id] = shown
        return {"type": "bot", **base, "text": str(event.data.get("text") or ""), "buttons": shown}
    return None


def button_title(payload: str, offered: list[dict[str, Any]]) -> str:
    """The title of the offered button with this payload; else a readable form of it
    ("mailbox_full (protocol: imap)"), never the raw payload."""
    wanted = canonical(payload)
    for button in offered:
        if isinstance(button.get("payload"), str) and canonical(button["payload"]) == wanted:
            return str(button.get("title") or "")
    intent, values = split_payload(payload)
    details = ", ".join(f"{key}: {value}" for key, value in values.items())
    return f"{intent} ({details})" if details else intent or payload


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def analytics(events: Iterable[Event], since: float | None = None) -> dict[str, Any]:
    """Volumes, containment, fallback rate, top intents and the messages the bot missed."""
    events = list(events)
    found = conversations(events)
    per_day = Counter(
        datetime.fromtimestamp(c.first_at, timezone.utc).date().isoformat() for c in found.values()
    )
    handed_over = sum(1 for c in found.values() if c.handoffs)
    intents: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    missed_text: dict[str, str] = {}
    missed_intents: dict[str, Counter[str]] = {}
    messages = fallbacks = low = 0
    for event in events:
        if event.type_name != "user":
            continue
        messages += 1
        name, confidence = understanding(event)
        intents[name or UNKNOWN] += 1
        fallbacks += name == FALLBACK_INTENT
        if name in NOT_ANSWERED or confidence is None or confidence < LOW_CONFIDENCE:
            low += 1
            # Contact details masked: analytics is read by more people than the transcripts
            # (and the same question from many customers then counts as one).
            text = mask_contacts(customer_text(event))
            key = _normalise(text)
            if key:
                missed[key] += 1
                missed_text[key] = text  # the latest spelling
                missed_intents.setdefault(key, Counter())[name or UNKNOWN] += 1
    total = len(found)
    return {
        "generated_at": iso(datetime.now(timezone.utc).timestamp()),
        "since": iso(since),
        "conversations": {
            "total": total,
            "handed_over": handed_over,
            "contained": total - handed_over,
            "per_day": dict(sorted(per_day.items())),
            "per_channel": dict(Counter(c.channel for c in found.values()).most_common()),
            "per_language": dict(Counter(c.language for c in found.values()).most_common()),
        },
        "containment_rate": _share(total - handed_over, total),
        "messages": {"user": messages, "fallback": fallbacks, "low_confidence": low},
        "fallback_rate": _share(fallbacks, messages),
        "low_confidence_threshold": LOW_CONFIDENCE,
        "top_intents": dict(intents.most_common()),  # all: the domain bounds them
        "unanswered": [
            {"text": missed_text[key], "count": count, "intent": missed_intents[key].most_common(1)[0][0]}
            for key, count in missed.most_common(TOP_UNANSWERED)
        ],
    }


def analytics_rows(report: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """The analytics as (metric, key, value) rows: one table for a spreadsheet."""
    conv = report["conversations"]
    rows: list[tuple[str, str, Any]] = [
        ("conversations", "", conv["total"]),
        ("handed_over", "", conv["handed_over"]),
        ("containment_rate", "", report["containment_rate"]),
        ("user_messages", "", report["messages"]["user"]),
        ("fallback_messages", "", report["messages"]["fallback"]),
        ("fallback_rate", "", report["fallback_rate"]),
        ("low_confidence_messages", "", report["messages"]["low_confidence"]),
    ]
    for metric, key in [
        ("conversations_per_day", "per_day"),
        ("conversations_per_channel", "per_channel"),
        ("conversations_per_language", "per_language"),
    ]:
        rows += [(metric, name, count) for name, count in conv[key].items()]
    rows += [("top_intent", name, count) for name, count in report["top_intents"].items()]
    rows += [("unanswered", item["text"], item["count"]) for item in report["unanswered"]]
    return rows
