"""Choosing the safety layer's thresholds on the calibration set tests/nlu/distress_dev.yml
(written by another hand, never used for training; the held-out set is never used here).

    .venv/bin/python -m bench.safety_calibration

For each message: the lexicon's category, the statistical detector's P(distress) and the NLU's
distress intent with its confidence. Prints recall and false alarms for each combination of
thresholds, and the misses and false alarms at the chosen ones.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import yaml

from bot.dialogue import distress_model, safety
from bot.model import ensure_model
from bot.settings import ROOT

DEV = ROOT / "tests" / "nlu" / "distress_dev.yml"


def _lexicon_only(text: str) -> str | None:
    return safety.detect(text, None, 0.0, statistical=False)


def main() -> int:
    from rasa.core.agent import Agent

    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    positives = [(m, c) for c, messages in data["distress"].items() for m in messages]
    negatives = list(data["ordinary"])
    agent = Agent.load(str(ensure_model()))

    def features(text: str) -> tuple[bool, float, float]:
        parsed = asyncio.run(agent.parse_message(text))
        intent = parsed.get("intent") or {}
        name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0.0)
        nlu = confidence if name.startswith(safety.INTENT_PREFIX) else 0.0
        return _lexicon_only(text) is not None, distress_model.read(text).score, nlu

    pos = [features(m) for m, _ in positives]
    neg = [features(m) for m in negatives]
    print(f"calibration set: {len(pos)} distress, {len(neg)} ordinary")
    lexicon_recall = sum(p[0] for p in pos) / len(pos)
    lexicon_alarms = sum(n[0] for n in neg) / len(neg)
    print(f"lexicon alone: recall {lexicon_recall:.3f}, false alarms {lexicon_alarms:.3f}")
    print("stat  nlu   recall  false-alarms")
    for stat in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
        for nlu in (0.5, 0.7, 0.9, 1.01):
            def hit(f, stat=stat, nlu=nlu):
                return f[0] or f[1] >= stat or f[2] >= nlu
            recall = sum(hit(p) for p in pos) / len(pos)
            alarms = sum(hit(n) for n in neg) / len(neg)
            print(f"{stat:4.2f}  {nlu:4.2f}  {recall:.3f}   {alarms:.3f}")
    stat, nlu = distress_model.THRESHOLD, safety.INTENT_CONFIDENCE
    print(f"\nat the thresholds in use (stat {stat}, nlu {nlu}):")
    for (m, c), f in zip(positives, pos, strict=True):
        if not (f[0] or f[1] >= stat or f[2] >= nlu):
            print(f"  MISS [{c}] {m}  (stat {f[1]:.2f}, nlu {f[2]:.2f})")
    for m, f in zip(negatives, neg, strict=True):
        if f[0] or f[1] >= stat or f[2] >= nlu:
            print(f"  FALSE ALARM {m}  (lexicon {f[0]}, stat {f[1]:.2f}, nlu {f[2]:.2f})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
