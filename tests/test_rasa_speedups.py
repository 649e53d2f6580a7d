"""bot/rasa_speedups.py behaves exactly as the Rasa code it replaces."""

from __future__ import annotations

import jsonschema
import pytest
import rasa.shared.utils.common
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

import bot.nlu  # noqa: F401 - installs the speed-ups, as in the Rasa server
from bot import rasa_speedups


def test_installed_when_the_nlu_package_is_loaded() -> None:
    assert Event.resolve_by_type is rasa_speedups.resolve_by_type
    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result


def test_every_event_name_resolves_to_the_class_rasa_finds() -> None:
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert rasa_speedups.resolve_by_type(name) is rasa_speedups.ORIGINAL_RESOLVE_BY_TYPE(name)


def test_legacy_default_and_unknown_names_behave_as_before() -> None:
    assert rasa_speedups.resolve_by_type("topic") is None
    assert rasa_speedups.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        rasa_speedups.resolve_by_type("no_such_event")


def test_a_class_defined_later_is_found() -> None:
    class LateEvent(SlotSet):
        type_name = "late_event_for_test"

    assert rasa_speedups.resolve_by_type("late_event_for_test") is LateEvent


def test_events_survive_a_round_trip() -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("what is imap", {"name": "ask_imap", "confidence": 0.9}),
        SlotSet("protocol", "imap"),
        BotUttered("IMAP keeps mail on the server", {"buttons": [{"title": "POP3", "payload": "/x"}]}),
    ]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_answer", EndpointConfig("http://localhost:1/webhook"))


def test_a_valid_action_response_passes(action: RemoteAction) -> None:
    response = {
        "events": [{"event": "slot", "name": "protocol", "value": "imap"}],
        "responses": [{"text": "hi", "buttons": []}],
    }
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize(
    "response",
    [
        {"events": "not a list"},
        {"events": [{"event": "slot", "name": 3}]},
        {"events": [{"event": "no_such_event"}]},
        {"responses": "text"},
    ],
)
def test_an_invalid_action_response_fails_with_rasa_s_message(action: RemoteAction, response: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(response)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        rasa_speedups.ORIGINAL_VALIDATE_ACTION_RESULT(action, response)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message
