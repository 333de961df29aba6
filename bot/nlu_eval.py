"""NLU quality on a held-out file: intent accuracy and macro-F1, entity precision/recall/F1
(type and canonical value), the costliest confusions. Used by the test and by `make bench`."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from bot.entities import normalise_entities


def gold_entities(example) -> set[tuple[str, str]]:
    """Gold spans normalised the same way the product does (type, canonical value)."""
    text = example.get("text")
    spans = [
        {"entity": e["entity"], "start": e["start"], "end": e["end"], "value": e["value"]}
        for e in example.get("entities", [])
    ]
    return {(e["entity"], str(e["value"])) for e in normalise_entities(text, spans, False)}


def entity_scores(gold: list[set], predicted: list[set]) -> dict[str, dict[str, float]]:
    scores = {}
    for kind in ("job", "location"):
        tp = fp = fn = 0
        for g, p in zip(gold, predicted, strict=True):
            g = {x for x in g if x[0] == kind}
            p = {x for x in p if x[0] == kind}
            tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


def evaluate(agent, holdout: Path) -> dict[str, Any]:
    examples = load_data(str(holdout)).intent_examples

    async def parse_all():
        return [await agent.parse_message(e.get("text")) for e in examples]

    parsed = asyncio.run(parse_all())
    gold = [e.get("intent") for e in examples]
    predicted = [p["intent"]["name"] for p in parsed]
    labels = sorted(set(gold))
    per_intent = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "examples": len(examples),
        "intent_accuracy": accuracy_score(gold, predicted),
        "intent_macro_f1": f1_score(gold, predicted, labels=labels, average="macro",
                                    zero_division=0),
        "per_intent_f1": dict(zip(labels, map(float, per_intent), strict=True)),
        "entities": entity_scores(
            [gold_entities(e) for e in examples],
            [{(x["entity"], str(x["value"])) for x in p["entities"]} for p in parsed],
        ),
        "top_confusions": [{"expected": g, "predicted": p, "count": n}
                           for (g, p), n in confusions.most_common(10)],
        "errors": [{"text": e.get("text"), "expected": g, "predicted": p}
                   for e, g, p in zip(examples, gold, predicted, strict=True) if g != p],
    }
