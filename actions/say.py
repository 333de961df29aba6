"""Sends what a bot/ service decided to say: (response name, variables) pairs; and the polite
message of content/system.yml when the database is busy or unreachable."""

import functools
import logging
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.catalogue.db import DATABASE_ERRORS, is_locked
from bot.content import load_yaml
from bot.settings import get_settings

logger = logging.getLogger(__name__)


def say_all(dispatcher: CollectingDispatcher,
            messages: Iterable[Tuple[str, Dict[str, Any]]]) -> None:
    for response, variables in messages:
        dispatcher.utter_message(response=response, **variables)


def say_database_busy(dispatcher: CollectingDispatcher, retry: Optional[str] = None) -> None:
    """The database is locked or down: say so, with a button to try again when there is one."""
    message = load_yaml(get_settings().content_dir / "system.yml")["database_busy"]
    buttons = [{"title": message["retry"], "payload": retry}] if retry else []
    dispatcher.utter_message(text=message["text"], buttons=buttons)


def polite_on_database_error(retry: Optional[str] = None):
    """Wraps an action's `run`: a database error drops what the action was about to say and
    sends the busy message instead (never silence, never a stack trace to the person). Indy
    then waits for the person (the retry button) rather than going on with what would have
    followed, such as a form's questions."""

    def decorate(run: Callable[..., Awaitable[List[Dict[str, Any]]]]):
        @functools.wraps(run)
        async def guarded(self, dispatcher: CollectingDispatcher, tracker, domain):
            said = len(dispatcher.messages)
            try:
                return await run(self, dispatcher, tracker, domain)
            except DATABASE_ERRORS as error:
                logger.warning("database %s in %s: answered politely",
                               "locked" if is_locked(error) else "unreachable", self.name())
                del dispatcher.messages[said:]
                say_database_busy(dispatcher, retry)
                return [FollowupAction("action_listen")]

        return guarded

    return decorate
