"""Live takeover, the web server's half: who holds a conversation, and the audit of it.

An agent claims a conversation (a row of `agent_claims`, whose primary key is the sender id:
the database refuses a second claim, across web replicas too), replies in it and releases
it; every step is a row of `agent_audit`. What the customer sees is done by Rasa's takeover
channel (bot/channels/agent.py, through bot/adapters/rasa_takeover.py): it pauses the
assistant, delivers the texts to the customer's channel and resumes the assistant.

Order of the steps: a claim is written first and undone when Rasa cannot pause the
conversation; a release tells Rasa first and keeps the claim when Rasa cannot resume it.
So the table never says "free" while the assistant is still paused. Blocking (SQLAlchemy,
HTTP): the routes call it in a worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.adapters.rasa_takeover import RasaTakeover, RasaUnavailable, UnknownConversation
from bot.agent.insights import iso
from bot.agent.store import AUDIT, CLAIMS, TrackerDatabase
from bot.channels.validation import clean_text

MAX_REPLY_CHARS = 2000
ACTIONS = ("claim", "reply", "release")


class TakeoverError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(TakeoverError):
    status = 404


class Conflict(TakeoverError):
    status = 409


class Unavailable(TakeoverError):
    status = 503


@dataclass(frozen=True)
class Claim:
    sender_id: str
    agent: str
    display_name: str
    claimed_at: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "display_name": self.display_name,
            "claimed_at": iso(self.claimed_at),
            "timestamp": self.claimed_at,
        }


def reply_text(text: Any) -> str:
    """The agent's reply as it will be sent; TakeoverError (400) when it cannot be."""
    if not isinstance(text, str):
        raise TakeoverError("'text' is required and must be a string")
    if len(text) > MAX_REPLY_CHARS:  # before cleaning: clean_text would cut it silently
        raise TakeoverError(f"'text' is longer than {MAX_REPLY_CHARS} characters")
    text = clean_text(text)  # as Rasa's side cleans it: the audit holds what was sent
    if not text:
        raise TakeoverError("'text' must not be empty")
    return text


def audit_of(db: TrackerDatabase, sender_id: str) -> list[dict[str, Any]]:
    """The conversation's audit rows, oldest first (also in an access request's export)."""
    if not db.exists():
        return []
    query = sa.select(AUDIT).where(AUDIT.c.sender_id == sender_id).order_by(AUDIT.c.id)
    with db.reader().connect() as connection:
        if not sa.inspect(connection).has_table(AUDIT.name):
            return []
        rows = connection.execute(query).all()
    return [
        {"action": r.action, "agent": r.agent, "time": iso(r.at), "timestamp": r.at, "text": r.text}
        for r in rows
    ]


class Takeover:
    def __init__(self, database: Callable[[], TrackerDatabase], rasa: RasaTakeover) -> None:
        self._database = database
        self.rasa = rasa

    # -- reading -------------------------------------------------------------------------------
    def holder(self, sender_id: str) -> Claim | None:
        found = self._claims(CLAIMS.c.sender_id == sender_id)
        return found[0] if found else None

    def claims(self) -> dict[str, Claim]:
        return {claim.sender_id: claim for claim in self._claims(None)}

    def audit(self, sender_id: str) -> list[dict[str, Any]]:
        return audit_of(self._database(), sender_id)

    def _claims(self, condition: Any) -> list[Claim]:
        db = self._database()
        if not db.exists():
            return []
        query = sa.select(CLAIMS) if condition is None else sa.select(CLAIMS).where(condition)
        with db.reader().connect() as connection:
            if not sa.inspect(connection).has_table(CLAIMS.name):
                return []
            rows = connection.execute(query).all()
        return [Claim(r.sender_id, r.agent, r.display_name, r.claimed_at) for r in rows]

    # -- the three steps -------------------------------------------------------------------------
    def claim(self, sender_id: str, agent: str, display_name: str) -> dict[str, Any]:
        db = self._database()
        if not db.has_conversation(sender_id):
            raise NotFound("no such conversation")
        engine = db.own_tables()
        now = time.time()
        try:
            with engine.begin() as connection:
                connection.execute(
                    sa.insert(CLAIMS).values(
                        sender_id=sender_id, agent=agent, display_name=display_name, claimed_at=now
                    )
                )
                audit_id = self._audit(connection, sender_id, "claim", agent, now)
        except IntegrityError:
            holder = self.holder(sender_id)
            who = holder.agent if holder else "another agent"
            raise Conflict(f"the conversation is already claimed by {who}") from None
        try:
            delivered = self._deliver(sender_id, "claim", display_name)
        except TakeoverError:
            with engine.begin() as connection:  # the claim never took effect
                connection.execute(
                    sa.delete(CLAIMS).where(CLAIMS.c.sender_id == sender_id, CLAIMS.c.claimed_at == now)
                )
                connection.execute(sa.delete(AUDIT).where(AUDIT.c.id == audit_id))
            raise
        claim = Claim(sender_id, agent, display_name, now)
        return {"sender_id": sender_id, "claimed": True, "claim": claim.as_dict(), "delivery": delivered}

    def reply(self, sender_id: str, agent: str, text: Any) -> dict[str, Any]:
        text = reply_text(text)
        claim = self._held_by(sender_id, agent)
        delivered = self._deliver(sender_id, "reply", claim.display_name, text)
        now = time.time()
        with self._database().own_tables().begin() as connection:
            self._audit(connection, sender_id, "reply", agent, now, text)
        return {"sender_id": sender_id, "sent": True, "time": iso(now), "text": text, "delivery": delivered}

    def release(self, sender_id: str, agent: str) -> dict[str, Any]:
        claim = self._held_by(sender_id, agent)
        delivered = self._deliver(sender_id, "release", claim.display_name)
        now = time.time()
        with self._database().own_tables().begin() as connection:
            connection.execute(
                sa.delete(CLAIMS).where(CLAIMS.c.sender_id == sender_id, CLAIMS.c.agent == agent)
            )
            self._audit(connection, sender_id, "release", agent, now)
        return {"sender_id": sender_id, "released": True, "time": iso(now), "delivery": delivered}

    # -- helpers ----------------------------------------------------------------------------------
    def _held_by(self, sender_id: str, agent: str) -> Claim:
        claim = self.holder(sender_id)
        if claim is None:
            if not self._database().has_conversation(sender_id):
                raise NotFound("no such conversation")
            raise Conflict("the conversation is not claimed: claim it first")
        if claim.agent != agent:
            raise Conflict(f"the conversation is claimed by {claim.agent}")
        return claim

    def _deliver(
        self, sender_id: str, kind: str, display_name: str, text: str | None = None
    ) -> dict[str, Any]:
        try:
            return self.rasa.deliver(sender_id, kind, display_name, text)
        except UnknownConversation:
            raise NotFound("no such conversation") from None
        except RasaUnavailable as problem:
            raise Unavailable(f"the assistant cannot be reached: {problem}") from problem

    @staticmethod
    def _audit(
        connection: Connection, sender_id: str, action: str, agent: str, at: float, text: str | None = None
    ) -> int:
        result = connection.execute(
            sa.insert(AUDIT).values(sender_id=sender_id, action=action, agent=agent, at=at, text=text)
        )
        return int(result.inserted_primary_key[0])
