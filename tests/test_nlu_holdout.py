"""NLU quality on the held-out file tests/nlu/holdout.yml (never used in training).

Reports intent accuracy, macro-F1 and entity F1 (type and canonical value), writes
reports/nlu_holdout.json, and fails below 0.90 intent macro-F1.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

from bot.entities import normalise_entities
from bot.model import ensure_model
from bot.settings import ROOT

HOLDOUT = ROOT / "tests" / "nlu" / "holdout.yml"
TRAINING = ROOT / "data" / "nlu"
REPORT = ROOT / "reports" / "nlu_holdout.json"
MIN_MACRO_F1 = 0.90


def _gold_entities(example) -> set[tuple[str, str]]:
    """Gold spans normalised the same way the product does (type, canonical value)."""
    text = example.get("text")
    spans = [
        {"entity": e["entity"], "start": e["start"], "end": e["end"], "value": e["value"]}
        for e in example.get("entities", [])
    ]
    return {(e["entity"], str(e["value"])) for e in normalise_entities(text, spans, False)}


def _entity_scores(gold: list[set], predicted: list[set]) -> dict[str, dict[str, float]]:
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


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent

    return Agent.load(str(ensure_model()))


def test_holdout_never_overlaps_training_data():
    def texts(path: Path) -> set[str]:
        examples = load_data(str(path)).intent_examples
        return {" ".join(m.get("text").lower().split()) for m in examples}

    overlap = texts(HOLDOUT) & texts(TRAINING)
    assert not overlap, f"held-out examples found in training data: {sorted(overlap)[:10]}"


def test_intent_macro_f1_on_holdout(agent, capsys):
    examples = load_data(str(HOLDOUT)).intent_examples

    async def parse_all():
        return [await agent.parse_message(e.get("text")) for e in examples]

    parsed = asyncio.run(parse_all())
    gold = [e.get("intent") for e in examples]
    predicted = [p["intent"]["name"] for p in parsed]
    accuracy = accuracy_score(gold, predicted)
    labels = sorted(set(gold))
    macro_f1 = f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
    per_intent = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    entities = _entity_scores(
        [_gold_entities(e) for e in examples],
        [{(x["entity"], str(x["value"])) for x in p["entities"]} for p in parsed],
    )
    pairs = zip(gold, predicted, strict=True)
    confusions = Counter((g, p) for g, p in pairs if g != p).most_common(10)
    errors = [
        {"text": e.get("text"), "expected": g, "predicted": p}
        for e, g, p in zip(examples, gold, predicted, strict=True)
        if g != p
    ]
    report = {
        "examples": len(examples),
        "intent_accuracy": accuracy,
        "intent_macro_f1": macro_f1,
        "per_intent_f1": dict(zip(labels, map(float, per_intent), strict=True)),
        "entities": entities,
        "top_confusions": [{"expected": g, "predicted": p, "count": n} for (g, p), n in confusions],
        "errors": errors,
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    with capsys.disabled():
        print(f"\nNLU held-out: {len(examples)} examples, intent accuracy {accuracy:.3f}, "
              f"macro-F1 {macro_f1:.3f}")
        for kind, s in entities.items():
            print(f"  entity {kind}: P {s['precision']:.3f} R {s['recall']:.3f} "
                  f"F1 {s['f1']:.3f} (n={s['support']})")
        weakest = sorted(report["per_intent_f1"].items(), key=lambda kv: kv[1])[:5]
        print("  weakest intents: " + ", ".join(f"{k} {v:.2f}" for k, v in weakest))
        print(f"  details: {REPORT.relative_to(ROOT)}")
    assert macro_f1 >= MIN_MACRO_F1
