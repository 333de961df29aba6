"""The safety layer's statistical detector: which distress a message carries, if any, beside the
lexicon (content/safety_patterns.yml) and the NLU's distress_* intents.

A linear model on character and word n-grams of folded text, trained in a few seconds from
files of the repository: the distress_* examples of data/nlu and content/safety_distress.yml
(positives, by category), every other training example of data/nlu, content/safety_ordinary.yml
and the ordinary ones of safety_distress.yml (some that look like distress and are not).
Trained once per change of those files and kept beside the Rasa model
(models/safety-<hash>.pkl). Its threshold is chosen on a calibration set
(tests/nlu/distress_dev.yml, never the held-out set): see `python -m bot safety calibrate`.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.content import load_yaml
from bot.settings import ROOT, get_settings
from bot.text import fold

PREFIX = "distress_"
ORDINARY = "ordinary"
MAX_CHARS = 4000
# P(distress) from which a message raises the alarm, chosen on tests/nlu/distress_dev.yml
# (python -m bot safety calibrate): a miss costs a life, a false alarm a kind message.
THRESHOLD = 0.5
SEED = 7
# The suicide answer comes first from this probability, even when another distress is likelier.
SUICIDE_FIRST = 0.25
_EXAMPLE = re.compile(r"^\s*-\s+(.*\S)\s*$")
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
_lock = threading.Lock()


@dataclass(frozen=True)
class Reading:
    category: str | None  # suicide, shelter, ... or None
    score: float  # P(distress)


def _nlu_examples(path: Path) -> list[tuple[str, str]]:
    raw = load_yaml(path) or {}
    found = []
    for block in raw.get("nlu") or []:
        intent = block.get("intent")
        if not intent or not isinstance(block.get("examples"), str):
            continue
        for line in block["examples"].splitlines():
            match = _EXAMPLE.match(line)
            if match:
                text = _ENTITY.sub(lambda m: m.group(1) or m.group(2), match.group(1))
                found.append((text, intent))
    return found


def _sources() -> list[Path]:
    content = get_settings().content_dir
    return sorted((ROOT / "data" / "nlu").glob("*.yml")) + [
        content / "safety_ordinary.yml", content / "safety_distress.yml"]


def training_examples() -> tuple[list[str], list[str]]:
    """Texts and labels: a distress category, or "ordinary"."""
    texts, labels = [], []
    for path in _sources():
        if not path.exists():
            continue
        if path.parent.name == "nlu":
            for text, intent in _nlu_examples(path):
                texts.append(text)
                labels.append(intent[len(PREFIX):] if intent.startswith(PREFIX) else ORDINARY)
        else:  # the detector's own examples (not the NLU's): by category, and ordinary
            raw = load_yaml(path) or {}
            for category, examples in (raw.get("distress") or {}).items():
                texts.extend(str(t) for t in examples or [])
                labels.extend(category for _ in examples or [])
            for text in raw.get("ordinary") or []:
                texts.append(str(text))
                labels.append(ORDINARY)
    return texts, labels


# The code as imported (not as it may be on disk later): a pickle is named after what made it.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).digest()


def _hash() -> str:
    digest = hashlib.sha256(_CODE)
    for path in _sources():
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _prepare(text: str) -> str:
    return fold(str(text or "")[:MAX_CHARS])


def train() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts, labels = training_examples()
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                        max_features=60000),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                        token_pattern=r"(?u)\b\w+\b"),
    )
    # No class weights: ordinary messages are many, as in life; the threshold does the rest.
    model = make_pipeline(features, LogisticRegression(C=16.0, max_iter=3000,
                                                       random_state=SEED))
    model.fit([_prepare(t) for t in texts], labels)
    return model


def model_file() -> Path:
    return get_settings().models_dir / f"safety-{_hash()}.pkl"


@lru_cache(maxsize=1)
def _model_for(path: Path) -> Any:
    with _lock:
        if path.exists():
            try:
                with open(path, "rb") as handle:
                    return pickle.load(handle)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                pass  # a damaged file: trained again below
        model = train()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        with open(partial, "wb") as handle:
            pickle.dump(model, handle)
        partial.replace(path)
        for old in path.parent.glob("safety-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
        return model


@lru_cache(maxsize=1)
def model() -> Any:
    """The detector of this process: its data files are hashed once, at the first message."""
    return _model_for(model_file())


def read(text: str | None) -> Reading:
    """P(distress) of a message and its most likely category (a message is read once: the
    dialogue may ask several times)."""
    return _read(_prepare(text or ""))


@lru_cache(maxsize=512)
def _read(prepared: str) -> Reading:
    if not prepared:
        return Reading(None, 0.0)
    trained = model()
    probabilities = trained.predict_proba([prepared])[0]
    classes = list(trained.classes_)
    ordinary = probabilities[classes.index(ORDINARY)]
    best = max((p, c) for p, c in zip(probabilities, classes, strict=True) if c != ORDINARY)
    category = best[1]
    if "suicide" in classes and probabilities[classes.index("suicide")] >= SUICIDE_FIRST:
        category = "suicide"  # « ce serait mieux si j'étais plus là »: never only « unwell »
    return Reading(category, float(1.0 - ordinary))


def category(text: str | None, threshold: float = THRESHOLD) -> str | None:
    reading = read(text)
    return reading.category if reading.score >= threshold else None
