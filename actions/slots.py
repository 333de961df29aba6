"""Reading the tracker the same way in every action."""

from typing import Optional

from rasa_sdk import Tracker


def current_location(tracker: Tracker) -> Optional[str]:
    """The place of the latest message, else the one remembered in the slot."""
    return next(tracker.get_latest_entity_values("location"), None) or tracker.get_slot("location")
