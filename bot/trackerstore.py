"""Rasa's SQL tracker store (SQLite or PostgreSQL), with less work per message.

Same table, same queries' meaning, same trackers; three costs of Rasa 3.6's store go:
- loading a conversation built an ORM object per stored event only to read its `data`
  column; here the query selects that column alone;
- saving counted the conversation's stored events with a second query to know which
  events are new; here the count of what this process loaded or saved is remembered on
  the tracker. That is exact because the lock store serialises a conversation's messages
  across processes; a tracker that did not come from this store still asks the database.
- new events are inserted in one multi-row INSERT instead of an ORM unit of work.

Selected in endpoints.yml and endpoints.scaled.yml; `tests/test_trackerstore.py` checks
it against Rasa's store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Attribute on a DialogueStateTracker: how many of its events are in the database.
STORED = "_tea_stored_events"


class LeanSQLTrackerStore(SQLTrackerStore):
    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            # Only a latest-session load matches what `save` appends to.
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [self._row(tracker.sender_id, event) for event in self._new_events(session, tracker)]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()
        setattr(tracker, STORED, len(tracker.events))

    def _new_events(self, session: sa.orm.Session, tracker: DialogueStateTracker) -> Iterator[Event]:
        stored = getattr(tracker, STORED, None)
        if stored is None or stored > len(tracker.events):
            return self._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
