"""Two per-message costs in Rasa 3.6 that grow with nothing useful, removed in place.

Profiling the Rasa server (py-spy, a 100-turn conversation; see README "Performance")
showed two hot spots that are pure overhead:

1. `Event.resolve_by_type` walks every subclass of `Event` for *each* stored event it
   deserialises, so loading a tracker spent a quarter of the request there. Here the
   name -> class table is built once (rebuilt if an unknown name appears, in case a class
   was defined later) and gives the same class as Rasa's loop: the first match wins.
2. `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the
   (constant) schema itself against the meta-schema on every action call. Here the
   validator is built once; the response is still validated and errors read the same.

Behaviour is unchanged (tests/test_rasa_speedups.py compares with the originals). The
module is imported by `bot.nlu`, which every Rasa process serving this model loads.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema
import rasa.shared.utils.common
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
ORIGINAL_VALIDATE_ACTION_RESULT = RemoteAction._validate_action_result

_event_classes: dict[str, type[Event]] = {}


def _build_event_table() -> None:
    _event_classes.clear()
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        _event_classes.setdefault(cls.type_name, cls)


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    cls = _event_classes.get(type_name)
    if cls is None:
        _build_event_table()
        cls = _event_classes.get(type_name)
    if cls is not None:
        return cls
    return ORIGINAL_RESOLVE_BY_TYPE(type_name, default)  # legacy names, default, error


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, not per call
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
