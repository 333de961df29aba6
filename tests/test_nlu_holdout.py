"""NLU quality on the held-out file tests/nlu/holdout.yml (never used in training).

Reports intent accuracy, macro-F1 and entity F1 (type and canonical value), writes
reports/nlu_holdout.json, and fails below 0.90 intent macro-F1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.model import ensure_model
from bot.nlu_eval import evaluate
from bot.settings import ROOT

HOLDOUT = ROOT / "tests" / "nlu" / "holdout.yml"
TRAINING = ROOT / "data" / "nlu"
REPORT = ROOT / "reports" / "nlu_holdout.json"
MIN_MACRO_F1 = 0.90


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
    report = evaluate(agent, HOLDOUT)
    examples, accuracy = report["examples"], report["intent_accuracy"]
    macro_f1, entities = report["intent_macro_f1"], report["entities"]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    with capsys.disabled():
        print(f"\nNLU held-out: {examples} examples, intent accuracy {accuracy:.3f}, "
              f"macro-F1 {macro_f1:.3f}")
        for kind, s in entities.items():
            print(f"  entity {kind}: P {s['precision']:.3f} R {s['recall']:.3f} "
                  f"F1 {s['f1']:.3f} (n={s['support']})")
        weakest = sorted(report["per_intent_f1"].items(), key=lambda kv: kv[1])[:5]
        print("  weakest intents: " + ", ".join(f"{k} {v:.2f}" for k, v in weakest))
        print(f"  details: {REPORT.relative_to(ROOT)}")
    assert macro_f1 >= MIN_MACRO_F1
