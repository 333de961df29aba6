"""Where Rasa 3.6 itself is slow or lacks a hook, patched here, and only here.

`apply()` is called where the Rasa server starts (bot/serve.py) and by the channel that relies
on a hook (bot/channels/idempotent.py); it is idempotent. `applied()` says whether it ran.

1. The action server's answer is validated with a JSON-schema validator built once.
   Replaces `rasa.core.actions.action.RemoteAction._validate_action_result` (rasa 3.6.21,
   rasa/core/actions/action.py, the `validate(result, self.action_response_format_spec())`
   around line 704, called for every custom action around line 790). `jsonschema.validate`
   checks the schema itself and builds a validator on every call (about 40 ms with the events
   schema); here the schema is checked and the validator built on first use, then each answer
   costs its validation only (about 2 ms). Same schema, same error: `jsonschema.validate`
   raises `best_match` of the validator's errors, so does this, with Rasa's hint appended.

2. A hook on the first tracker Rasa loads for a message, under the conversation's lock:
   `TRACKER_LOADED` (a context variable) holds a callable, called once with that tracker.
   Wraps `rasa.core.processor.MessageProcessor.get_tracker` (rasa/core/processor.py around
   line 374, called by `fetch_tracker_and_update_session` from `log_message` in
   `handle_message`). bot/channels/idempotent.py uses it to recognise a message already
   handled without loading the tracker a second time.

3. A SQLite tracker store (the embedded profile) keeps its connections and writes ahead.
   Wraps `rasa.core.tracker_store.create_engine_kwargs` (rasa/core/tracker_store.py around
   line 966, used by `SQLTrackerStore.__init__` around line 1083), which gives SQLite nothing:
   SQLAlchemy 1.4 then opens a new connection for every retrieve and every save (NullPool)
   and the file keeps SQLite's rollback journal. Here the engine keeps its connections
   (QueuePool, each used by one thread at a time) and the file is switched once to WAL, which
   SQLite remembers in the file: a save appends to the log instead of rewriting pages twice,
   and readers (the web app's purge, the observatory) do not block it. Rasa's COUNT of the
   stored events before each save (`_additional_events`) is Rasa's code and stays.
"""

from __future__ import annotations

import contextvars
import sqlite3
from typing import Any, Callable

_APPLIED: dict[str, Any] = {}

# A callable given the tracker loaded for the message being handled; consumed by the first
# load (a later load in the same context, a reminder for instance, is not checked again).
TRACKER_LOADED: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "indy_tracker_loaded", default=None)


def on_tracker_loaded(check: Callable[[Any], None]) -> contextvars.Token:
    """Calls `check(tracker)` on the next tracker Rasa loads in this context (and only it);
    what it raises stops the handling (Rasa's lock is released on the way out)."""
    return TRACKER_LOADED.set([check])


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


def _checked_get_tracker(original):  # noqa: ANN001, ANN202
    async def get_tracker(self, conversation_id):  # noqa: ANN001, ANN202
        tracker = await original(self, conversation_id)
        pending = TRACKER_LOADED.get()
        if pending:
            check = pending.pop()
            check(tracker)
        return tracker

    get_tracker.indy_original = original
    return get_tracker


def _sqlite_file(url: Any) -> str | None:
    from sqlalchemy.engine import make_url

    url = make_url(str(url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return url.database


def use_wal(path: str) -> None:
    """Switches a SQLite file to write-ahead logging (kept by the file itself)."""
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _pooled_sqlite(original):  # noqa: ANN001, ANN202
    def create_engine_kwargs(url):  # noqa: ANN001, ANN202
        path = _sqlite_file(url)
        if path is None:
            return original(url)
        from sqlalchemy.pool import QueuePool

        use_wal(path)
        return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}

    create_engine_kwargs.indy_original = original
    return create_engine_kwargs


def apply() -> None:
    if _APPLIED.get("done"):
        return
    from rasa.core import tracker_store
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    RemoteAction._validate_action_result = validate_action_result
    MessageProcessor.get_tracker = _checked_get_tracker(MessageProcessor.get_tracker)
    tracker_store.create_engine_kwargs = _pooled_sqlite(tracker_store.create_engine_kwargs)
    _APPLIED["done"] = True


def applied() -> bool:
    from rasa.core import tracker_store
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    return (RemoteAction._validate_action_result is validate_action_result
            and hasattr(MessageProcessor.get_tracker, "indy_original")
            and hasattr(tracker_store.create_engine_kwargs, "indy_original"))
