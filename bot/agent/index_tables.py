"""The tables of the conversation index (bot/agent/index.py), kept apart so that the store
(bot/agent/store.py) can list them in AGENT_TABLES without importing the indexer.

Every table but `agent_index_state` is keyed by `sender_id`: erasing or expiring a
conversation deletes its rows with its events, and the aggregates stay exact.
"""

from __future__ import annotations

import sqlalchemy as sa

INDEX_META = sa.MetaData()
_ID = sa.String(255)

# One row per sender: what the handoff queue and the conversation list show.
CONVERSATIONS = sa.Table(
    "agent_conversations",
    INDEX_META,
    sa.Column("sender_id", _ID, primary_key=True),
    sa.Column("first_at", sa.Float),  # first user message
    sa.Column("last_at", sa.Float),  # latest user message
    sa.Column("user_messages", sa.Integer, nullable=False, default=0),
    sa.Column("channel", sa.String(255)),
    sa.Column("language", sa.String(255)),
    sa.Column("handoff_at", sa.Float),  # the latest handoff
    sa.Column("handoff_reason", sa.String(255)),
    sa.Column("handoffs", sa.Integer, nullable=False, default=0),
    sa.Column("summary", sa.Text),  # redacted
    sa.Column("case_number", sa.String(32)),  # the latest handoff's (bot/handoff.py)
    sa.Column("copying", sa.Boolean, nullable=False, default=False),  # insights.SessionCopies' state
    sa.Column("first_day", sa.String(10)),  # UTC day of first_at: analytics' per_day
    sa.Column("language_at", sa.Float),  # time of the latest language slot
    sa.Column("last_event_id", sa.BigInteger, nullable=False, default=0),
    sa.Index("ix_agent_conversations_handoff", "handoff_at", "sender_id"),
    sa.Index("ix_agent_conversations_last", "last_at", "sender_id"),
    sa.Index("ix_agent_conversations_case", "case_number"),
)
# Per sender and UTC day: the conversation-level analytics of a window of days (a
# conversation that spans days counts once, so plain per-day totals would not do).
CONVERSATION_DAYS = sa.Table(
    "agent_conversation_days",
    INDEX_META,
    sa.Column("sender_id", _ID, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD, UTC
    sa.Column("user_messages", sa.Integer, nullable=False),
    sa.Column("fallback", sa.Integer, nullable=False),
    sa.Column("low", sa.Integer, nullable=False),
    sa.Column("handoffs", sa.Integer, nullable=False),
    sa.Column("last_user_id", sa.BigInteger, nullable=False),  # 0: no user message that day
    sa.Column("channel", sa.String(255)),
    sa.Column("language_id", sa.BigInteger, nullable=False),  # 0: no language slot that day
    sa.Column("language", sa.String(255)),
    sa.Index("ix_agent_conversation_days_day", "day"),
)
INTENT_DAYS = sa.Table(
    "agent_intent_days",
    INDEX_META,
    sa.Column("sender_id", _ID, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("intent", sa.String(255), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index("ix_agent_intent_days_day", "day", "intent"),
)
# The messages the bot missed, by normalised text (`key_hash`: sha1 of it, a short key).
UNANSWERED = sa.Table(
    "agent_unanswered",
    INDEX_META,
    sa.Column("sender_id", _ID, primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("key_hash", sa.String(40), primary_key=True),
    sa.Column("intent", sa.String(255), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("first_id", sa.BigInteger, nullable=False),  # ties rank by first occurrence
    sa.Column("last_id", sa.BigInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # the spelling of last_id, contacts masked
    # Covering: the top-20 query reads the index only.
    sa.Index("ix_agent_unanswered_day", "day", "key_hash", "count", "first_id", "last_id"),
)
# Per UTC day, all senders together: message counts (`metric` user, fallback, low with key
# "") and intents (`metric` intent, key the intent). Not per sender, so not in AGENT_TABLES:
# erasing a sender subtracts its per-sender rows from it (`subtract_erased`).
DAILY = sa.Table(
    "agent_daily",
    INDEX_META,
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("metric", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)
# How far the index has read `events` (by primary key).
INDEX_STATE = sa.Table(
    "agent_index_state",
    INDEX_META,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("last_id", sa.BigInteger, nullable=False),
)
INDEX_NAME = "events"
INDEX_TABLES = (CONVERSATIONS, CONVERSATION_DAYS, INTENT_DAYS, UNANSWERED)


def subtract_erased(connection: sa.engine.Connection, senders: list[str]) -> None:
    """Take the senders' counts out of DAILY, before their per-sender rows are deleted (in
    the erasure's transaction: bot/agent/store.py)."""
    d, i = CONVERSATION_DAYS, INTENT_DAYS
    deltas: list[dict[str, object]] = []
    sums = sa.select(d.c.day, sa.func.sum(d.c.user_messages), sa.func.sum(d.c.fallback), sa.func.sum(d.c.low))
    for day, users, fallback, low in connection.execute(
        sums.where(d.c.sender_id.in_(senders)).group_by(d.c.day)
    ):
        for metric, count in (("user", users), ("fallback", fallback), ("low", low)):
            deltas.append({"d": day, "m": metric, "k": "", "n": int(count or 0)})
    intents = sa.select(i.c.day, i.c.intent, sa.func.sum(i.c.count)).where(i.c.sender_id.in_(senders))
    for day, intent, count in connection.execute(intents.group_by(i.c.day, i.c.intent)):
        deltas.append({"d": day, "m": "intent", "k": intent, "n": int(count or 0)})
    if deltas:
        connection.execute(
            sa.update(DAILY)
            .where(DAILY.c.day == sa.bindparam("d"), DAILY.c.metric == sa.bindparam("m"))
            .where(DAILY.c.key == sa.bindparam("k"))
            .values(count=DAILY.c.count - sa.bindparam("n")),
            deltas,
        )
