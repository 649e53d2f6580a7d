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
    sa.Column("copying", sa.Boolean, nullable=False, default=False),  # insights.SessionCopies' state
    sa.Column("last_event_id", sa.BigInteger, nullable=False, default=0),
    sa.Index("ix_agent_conversations_handoff", "handoff_at", "sender_id"),
    sa.Index("ix_agent_conversations_last", "last_at", "sender_id"),
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
    sa.Index("ix_agent_unanswered_day", "day", "key_hash"),
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
