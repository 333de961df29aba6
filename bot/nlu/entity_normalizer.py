"""Rasa NLU component: gives `job` and `location` entities their canonical value.

Runs after DIET. For each entity DIET found, the value becomes the canonical trade name
(content/trades.yml) or the commune's INSEE code / the area id (territory/<name>/),
tolerating accents, hyphens, abbreviations and typos. Names DIET missed but that stand
word for word in the text are added (extractor "EntityNormalizer").
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.entities import normalise_entities


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class EntityNormalizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"add_missing": True}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._add_missing = bool(config.get("add_missing", True))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityNormalizer":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text:
                continue
            entities = normalise_entities(
                text, message.get(ENTITIES, []), add_missing=self._add_missing
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
