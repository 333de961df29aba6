"""Sends what a bot/ service decided to say: (response name, variables) pairs."""

from typing import Any, Dict, Iterable, Tuple

from rasa_sdk.executor import CollectingDispatcher


def say_all(dispatcher: CollectingDispatcher,
            messages: Iterable[Tuple[str, Dict[str, Any]]]) -> None:
    for response, variables in messages:
        dispatcher.utter_message(response=response, **variables)
