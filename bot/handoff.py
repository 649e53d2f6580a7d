"""What a handoff tells the customer: the case number, and whether a colleague can answer now.

Case numbers are `TEA-` and six digits from a digest of the sender id and the handoff time:
the action server cannot check a number against the others cheaply (it would scan every
stored slot), and a digest needs no shared counter across replicas. One million values make
a clash unlikely among the cases of a retention period, and a clash is harmless: searching
for the number (GET /agent/api/handoffs?case=...) lists both conversations.

A colleague can answer when it is within SUPPORT_HOURS and an agent's console is connected:
the live stream records a heartbeat per agent in `agent_presence` (bot/agent/live.py), read
here from the same database, configured like the agent tools (RASA_ENDPOINTS).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import datetime, timezone
from functools import lru_cache

from bot.agent.store import READ_ERRORS, TrackerDatabase
from bot.support_hours import SupportHours

logger = logging.getLogger(__name__)

CASE_PREFIX = "TEA-"
CASE_DIGITS = 6
CASE_NUMBER = re.compile(rf"^{CASE_PREFIX}\d{{{CASE_DIGITS}}}$")
# An agent counts as online this long after their console's last heartbeat (the stream
# sends a keep-alive every 15 seconds; two may be missed).
PRESENCE_SECONDS = 45.0


def case_number(sender_id: str, at: float) -> str:
    digest = hashlib.blake2b(f"{sender_id}\n{at:.6f}".encode(), digest_size=8).digest()
    return f"{CASE_PREFIX}{int.from_bytes(digest, 'big') % 10**CASE_DIGITS:0{CASE_DIGITS}d}"


def normalise_case(text: str) -> str | None:
    """A case number as typed by an agent ("tea-482193", "482193"), or None if it is not one."""
    value = text.strip().upper()
    if value.isdigit():
        value = CASE_PREFIX + value
    return value if CASE_NUMBER.match(value) else None


def agents_online(db: TrackerDatabase, now: float | None = None) -> list[str]:
    """The agents whose console showed a heartbeat recently; none when the store cannot be read."""
    since = (time.time() if now is None else now) - PRESENCE_SECONDS
    try:
        return db.agents_seen_since(since)
    except READ_ERRORS:
        logger.exception("agent presence cannot be read; telling the customer nobody is online")
        return []


def colleague_available(db: TrackerDatabase | None, hours: SupportHours, now: float | None = None) -> bool:
    at = time.time() if now is None else now
    if db is None or not hours.is_open(datetime.fromtimestamp(at, timezone.utc)):
        return False
    return bool(agents_online(db, at))


# -- callback contacts -------------------------------------------------------------------------
_EMAIL = re.compile(r"^[^\s@<>()\[\],;:\"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{6,25}$")


def callback_contact(text: str) -> str | None:
    """The phone number or e-mail address the customer wrote, tidied; None if it is neither."""
    value = " ".join(text.split()).strip(" .")
    if len(value) > 100:
        return None
    if _EMAIL.match(value):
        return value.lower() if value.isascii() else value
    digits = sum(c.isdigit() for c in value)
    if _PHONE.match(value) and 7 <= digits <= 15:
        return value
    return None


@lru_cache(maxsize=1)
def store() -> TrackerDatabase | None:
    """The tracker store's database as the action server reaches it; None if it is not SQL."""
    try:
        return TrackerDatabase.from_env()
    except READ_ERRORS:
        logger.exception("the tracker store cannot be opened: no agent presence, no callbacks")
        return None
