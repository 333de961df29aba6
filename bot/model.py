"""The trained Rasa model, named by a hash of what it is trained from (train only on change)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import ROOT, get_settings

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


def _input_files() -> list[Path]:
    files: list[Path] = []
    for name in TRAINING_INPUTS:
        path = ROOT / name
        files.extend(sorted(p for p in path.rglob("*.yml")) if path.is_dir() else [path])
    return files


def training_hash() -> str:
    digest = hashlib.sha256()
    for path in _input_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    return get_settings().models_dir / f"indy-{training_hash()}.tar.gz"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def ensure_model() -> Path:
    """Trains when no model matches the current inputs; returns the model's path."""
    target = model_path()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"Entraînement du modèle ({target.name})…", file=sys.stderr, flush=True)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
        "--out", str(target.parent), "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=rasa_env(), check=True)
    seconds = round(time.monotonic() - started, 1)
    target.with_suffix("").with_suffix(".json").write_text(
        json.dumps({"training_seconds": seconds}), encoding="utf-8")  # read by `make bench`
    for old in target.parent.glob("indy-*"):
        if old.name not in (target.name, target.name.replace(".tar.gz", ".json")):
            old.unlink()
    return target


def training_seconds() -> float | None:
    info = model_path().with_suffix("").with_suffix(".json")
    return json.loads(info.read_text())["training_seconds"] if info.exists() else None


def test_stories() -> int:
    """Rasa's conversation tests (tests/test_stories.yml) against the current model."""
    model = ensure_model()
    command = [
        sys.executable, "-m", "rasa", "test", "core", "--model", str(model),
        "--stories", "tests/test_stories.yml", "--out", "reports/core",
        "--fail-on-prediction-errors",
    ]
    return subprocess.run(command, cwd=ROOT, env=rasa_env(), check=False).returncode
