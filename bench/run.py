"""`make bench`: NLU quality, conversation latency and throughput, cold start, memory,
training time, catalogue search; a table on screen, bench/results.json, docs/benchmarks.md.

Everything runs on this machine against the real stack started on free ports (embedded
profile: SQLite). Figures are measured, never asserted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import platform
import socket
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import versus, widget_size
from bench.catalogue_search import run as catalogue_run
from bench.load import load
from bot.model import ensure_model, training_seconds
from bot.runner import started
from bot.settings import ROOT, get_settings

RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "benchmarks.md"
SCRIPT = ["bonjour", "je cherche un taf de soudeur vers thiers", "oui", "d'autres offres",
          "c'est quoi la mrs", "merci"]
USERS = (1, 20, 100)
SCALING_USERS = (20, 100)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def _load(url: str, users: int, body) -> dict[str, float]:
    return await load(url, users, body, SCRIPT)


def run() -> dict:
    from rasa.core.agent import Agent

    from bot.nlu_eval import evaluate

    model = ensure_model()
    results: dict = {"date": date.today().isoformat(), "machine": {
        "cpus": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version()}}
    report = evaluate(Agent.load(str(model)), ROOT / "tests" / "nlu" / "holdout.yml")
    results["nlu"] = {k: report[k] for k in ("examples", "intent_accuracy", "intent_macro_f1",
                                              "entities", "top_confusions")}
    results["training_seconds"] = training_seconds()
    with tempfile.TemporaryDirectory() as var:
        settings = dataclasses.replace(get_settings(), rasa_port=_free_port(),
                                       actions_port=_free_port(), web_port=_free_port(),
                                       var_dir=Path(var))
        begin = time.perf_counter()
        with started(settings) as processes:
            results["cold_start_s"] = round(time.perf_counter() - begin, 1)
            results["memory_rss_mb"] = {name: _rss_mb(p.pid) for name, p in processes.items()}
            rest = f"{settings.rasa_url}/webhooks/rest/webhook"
            parse = f"{settings.rasa_url}/model/parse?token={settings.rasa_token}"
            results["conversation"] = [
                asyncio.run(_load(rest, n, lambda s, t: {"sender": s, "message": t}))
                for n in USERS]
            results["parse_only"] = [
                asyncio.run(_load(parse, n, lambda s, t: {"text": t})) for n in USERS]
            results["memory_rss_mb_after_load"] = {
                name: _rss_mb(p.pid) for name, p in processes.items()}
            results["versus_plain_rasa"] = versus.run(
                SCRIPT, str(model), settings,
                indy=versus.Server("Indy", settings.rasa_url, settings.rasa_token,
                                   processes["rasa"].pid))
            results["widget_bytes"] = widget_size.run(f"http://127.0.0.1:{settings.web_port}")
    results["scaling"], results["scaling_date"] = scaling(), date.today().isoformat()
    results["catalogue_search_100k"] = catalogue_run(100_000, 300)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    DOC.write_text(markdown(results), encoding="utf-8")
    return results


def scaling() -> list[dict]:
    """The production profile (PostgreSQL, Redis, nginx) with 1 then 2 Rasa replicas (and as
    many action servers), under the same conversation load."""
    from tests.support import servers

    rows = []
    with tempfile.TemporaryDirectory() as folder, \
            servers.postgres(Path(folder) / "pg") as database, \
            servers.redis(Path(folder) / "redis") as redis:
        for replicas in (1, 2):
            settings = dataclasses.replace(
                get_settings(), profile="production", database_url_env=database,
                redis_url=redis, rasa_replicas=replicas, action_servers=replicas,
                replica_base_port=servers.free_block(2 * replicas),
                rasa_port=_free_port(), actions_port=_free_port(), web_port=_free_port(),
                var_dir=Path(folder) / f"var-{replicas}")
            with started(settings):
                rest = f"{settings.rasa_url}/webhooks/rest/webhook"
                for users in SCALING_USERS:
                    row = asyncio.run(_load(rest, users, lambda s, t: {"sender": s, "message": t}))
                    rows.append({"replicas": replicas, **row})
    return rows


def markdown(r: dict) -> str:
    nlu = r["nlu"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {r['date']}: {r['machine']['cpus']} CPUs, "
        f"{r['machine']['platform']}, Python {r['machine']['python']}; embedded profile "
        "(SQLite), real processes on loopback. Raw figures: `bench/results.json`.",
        "",
        "## NLU (held-out `tests/nlu/holdout.yml`)",
        "",
        f"{nlu['examples']} examples: intent accuracy {nlu['intent_accuracy']:.3f}, "
        f"macro-F1 {nlu['intent_macro_f1']:.3f}.",
        "",
        "| entity | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    for kind, s in nlu["entities"].items():
        lines.append(f"| {kind} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
    lines += ["", "Costliest confusions: " + ", ".join(
        f"{c['expected']} → {c['predicted']} ({c['count']})" for c in nlu["top_confusions"][:6]),
        "", "## Conversation latency", "",
        "A 6-turn script per simulated user (search with the catalogue, the form, more results, "
        "the MRS with its sessions), each user with its own sender id.", "",
        "| endpoint | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|"]
    for name, rows in (("/webhooks/rest/webhook", r["conversation"]),
                       ("/model/parse", r["parse_only"])):
        for row in rows:
            lines.append(f"| {name} | {row['users']} | {row['requests']} | {row['errors']} | "
                         f"{row['throughput_rps']} | {row['p50_ms']} | {row['p95_ms']} | "
                         f"{row['p99_ms']} |")
    ratio = [round(c["p50_ms"] / p["p50_ms"], 1) if p["p50_ms"] else None
             for c, p in zip(r["conversation"], r["parse_only"], strict=True)]
    cat = r["catalogue_search_100k"]
    lines += ["", f"Dialogue and actions cost ×{ratio} the p50 of NLU alone (1, 20, 100 users).",
              "", "## Start, memory, training, catalogue", "",
              f"- Cold start (processes started to all answering): {r['cold_start_s']} s.",
              "- Memory (RSS, MB) after start: " + ", ".join(
                  f"{k} {v}" for k, v in r["memory_rss_mb"].items())
              + "; after the load: " + ", ".join(
                  f"{k} {v}" for k, v in r["memory_rss_mb_after_load"].items()) + ".",
              f"- Last training (`make train`): {r['training_seconds']} s. Rasa reuses the "
              "components whose inputs did not change (its cache): a training from a clean clone "
              "(`make test` in CI) takes about 5 minutes on this machine.",
              f"- Catalogue search over {cat['offers']:,} offers ({cat['queries']} queries): "
              f"p50 {cat['p50_ms']} ms, p95 {cat['p95_ms']} ms, max {cat['max_ms']} ms.", ""]
    if r.get("versus_plain_rasa"):
        lines += versus.markdown(r["versus_plain_rasa"], r.get("versus_date", r["date"]))
    if r.get("widget_bytes"):
        lines += widget_size.markdown(r["widget_bytes"])
    if r.get("scaling"):
        lines += ["", "## Replicas (production profile)", "",
                  f"Measured on {r.get('scaling_date', r['date'])}. PostgreSQL tracker store, "
                  "Redis lock store, nginx in front; N Rasa replicas "
                  "and N action servers on this same machine, the same 6-turn script.", "",
                  "| replicas | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in r["scaling"]:
            lines.append(f"| {row['replicas']} | {row['users']} | {row['requests']} | "
                         f"{row['errors']} | {row['throughput_rps']} | {row['p50_ms']} | "
                         f"{row['p95_ms']} | {row['p99_ms']} |")
        by = {(row["replicas"], row["users"]): row for row in r["scaling"]}
        ratios = [f"{users} users: throughput ×"
                  f"{by[(2, users)]['throughput_rps'] / by[(1, users)]['throughput_rps']:.2f}, "
                  f"p95 ×{by[(2, users)]['p95_ms'] / by[(1, users)]['p95_ms']:.2f}"
                  for users in sorted({row["users"] for row in r["scaling"]})
                  if (1, users) in by and (2, users) in by and by[(1, users)]["throughput_rps"]
                  and by[(1, users)]["p95_ms"]]
        lines += ["", "2 replicas against 1: " + "; ".join(ratios) + ". On one machine the "
                  "replicas share its cores: the gain measures concurrency, not added hardware."]
    return "\n".join(lines)


def main() -> None:
    import sys

    if "--doc-only" in sys.argv:  # rewrite docs/benchmarks.md from bench/results.json
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        DOC.write_text(markdown(results), encoding="utf-8")
    elif "--scaling-only" in sys.argv:  # measure the replicas again, keep the other figures
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["scaling"], results["scaling_date"] = scaling(), date.today().isoformat()
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        DOC.write_text(markdown(results), encoding="utf-8")
    else:
        results = run()
    print(markdown(results))


if __name__ == "__main__":
    main()
