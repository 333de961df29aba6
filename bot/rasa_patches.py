"""Where Rasa 3.6 itself is slow or lacks a hook, patched here, and only here.

`apply()` is called where the Rasa server starts (bot/serve.py);
it is idempotent. `applied()` says whether it ran.

1. The action server's answer is validated with a JSON-schema validator built once.
   Replaces `rasa.core.actions.action.RemoteAction._validate_action_result` (rasa 3.6.21,
   rasa/core/actions/action.py, the `validate(result, self.action_response_format_spec())`
   around line 704, called for every custom action around line 790). `jsonschema.validate`
   checks the schema itself and builds a validator on every call (about 40 ms with the events
   schema); here the schema is checked and the validator built on first use, then each answer
   costs its validation only (about 2 ms). Same schema, same error: `jsonschema.validate`
   raises `best_match` of the validator's errors, so does this, with Rasa's hint appended.
"""

from __future__ import annotations

from typing import Any

_APPLIED: dict[str, Any] = {}


def _action_result_validator():  # noqa: ANN202
    validator = _APPLIED.get("validator")
    if validator is None:
        from jsonschema.validators import validator_for
        from rasa.core.actions.action import RemoteAction

        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)  # as jsonschema.validate does, once
        validator = _APPLIED["validator"] = cls(schema)
    return validator


def validate_action_result(self, result: dict[str, Any]) -> bool:  # noqa: ANN001
    """`RemoteAction._validate_action_result` with a validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> None:
    if _APPLIED.get("done"):
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result
    _APPLIED["done"] = True


def applied() -> bool:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction._validate_action_result is validate_action_result
