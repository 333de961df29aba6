"""Indy against plain `rasa run` with the same model, side by side in the same run.

- Cost of the dialogue: one client, fresh conversations, each message parsed (/model/parse)
  then sent (the REST webhook), interleaved; the webhook's p50 over the parse's p50 of the
  same messages, apart for the messages answered by responses and those that ran a custom
  action (read from the conversation's events).
- Throughput: 20 users at once, the same 6-turn script: msg/s, p50, p95.
- Growth: one conversation of 200 messages (the script over and over, paced under Indy's
  per-sender rate limit, the servers side by side): the p50 of its last 20 messages over the
  p50 of its first 20.

The servers measured: Indy's stack as `make run` starts it (embedded profile), plain
`rasa run` (Rasa's own REST channel, in-memory tracker and lock stores, the same model and the
same action server), and optionally Indy from another checkout (`--baseline DIR`: main, say),
started the same way. Loads alternate between the servers so that the machine's other work
weighs on each alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

import requests
import yaml

from bench.load import load
from bot.settings import ROOT

CONVERSATIONS = 6  # for the ratios: 6 fresh conversations of the script (36 messages)
USERS = 20
ROUNDS = 2  # throughput loads per server, alternated
LONG_TURNS = 200


@dataclass
class Server:
    name: str
    url: str  # http://127.0.0.1:port
    token: str
    pid: int | None = None
    results: dict = field(default_factory=dict)


def custom_actions() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {a for a in domain.get("actions", []) if not a.startswith("utter_")}


def _p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1) if values else 0.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def ratios(server: Server, script: list[str], conversations: int = CONVERSATIONS) -> dict:
    """Webhook p50 / parse p50 of the same messages, by kind of message."""
    custom = custom_actions()
    kinds: dict[str, dict[str, list[float]]] = {
        "responses": {"parse": [], "webhook": []}, "custom_action": {"parse": [], "webhook": []}}
    with requests.Session() as http:
        for _ in range(conversations):
            sender = f"bench-ratio-{uuid.uuid4().hex[:12]}"
            for text in script:
                begin = time.perf_counter()
                http.post(f"{server.url}/model/parse", params={"token": server.token},
                          json={"text": text}, timeout=120).raise_for_status()
                parse = time.perf_counter() - begin
                begin = time.perf_counter()
                http.post(f"{server.url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=120
                          ).raise_for_status()
                webhook = time.perf_counter() - begin
                events = http.get(f"{server.url}/conversations/{sender}/tracker",
                                  params={"token": server.token}, timeout=120).json()["events"]
                last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
                ran = {e.get("name") for e in events[last_user:] if e["event"] == "action"}
                kind = "custom_action" if ran & custom else "responses"
                kinds[kind]["parse"].append(parse)
                kinds[kind]["webhook"].append(webhook)
    out = {}
    for kind, timings in kinds.items():
        if timings["parse"]:
            parse, webhook = _p50(timings["parse"]), _p50(timings["webhook"])
            out[kind] = {"messages": len(timings["parse"]), "parse_p50_ms": parse,
                         "webhook_p50_ms": webhook,
                         "ratio": round(webhook / parse, 2) if parse else None}
    return out


def growth(server: Server, script: list[str], turns: int = LONG_TURNS) -> dict:
    """One long conversation: does a message cost more as the conversation grows? Paced so
    that Indy's rate limit (bot/ratelimit.py) never answers in Rasa's place."""
    from bot.ratelimit import MAX_MESSAGES, MESSAGE, PER_SECONDS

    pace = PER_SECONDS / MAX_MESSAGES * 1.1
    sender = f"bench-long-{uuid.uuid4().hex[:12]}"
    timings, limited = [], 0
    with requests.Session() as http:
        for turn in range(turns):
            begin = time.perf_counter()
            reply = http.post(f"{server.url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": script[turn % len(script)]},
                              timeout=120)
            reply.raise_for_status()
            timings.append(time.perf_counter() - begin)
            limited += any(m.get("text") == MESSAGE for m in reply.json())
            time.sleep(max(0.0, pace - (time.perf_counter() - begin)))
    window = min(20, turns // 2)
    first, last = _p50(timings[:window]), _p50(timings[-window:])
    return {"turns": turns, "first_p50_ms": first, "last_p50_ms": last,
            "ratio": round(last / first, 2) if first else None, "rate_limited": limited}


async def _throughput(url: str, script: list[str], users: int) -> dict:
    row = await load(url, users, lambda sender, text: {"sender": sender, "message": text},
                     script, timeout_s=600)
    return {"users": users, "requests": row["requests"], "errors": row["errors"],
            "msg_per_s": row["throughput_rps"], "p50_ms": row["p50_ms"],
            "p95_ms": row["p95_ms"]}


def compare(servers: list[Server], script: list[str], users: int = USERS,
            rounds: int = ROUNDS, turns: int = LONG_TURNS) -> dict:
    """Ratios, then throughput rounds alternated between the servers; the best round each
    (the one least disturbed by the machine's other work)."""
    for server in servers:
        ratios(server, script[:2], conversations=1)  # warm-up: first action, first parse
        server.results["ratios"] = ratios(server, script)
    loads: dict[str, list[dict]] = {s.name: [] for s in servers}
    for _ in range(rounds):
        for server in servers:
            loads[server.name].append(asyncio.run(_throughput(
                f"{server.url}/webhooks/rest/webhook", script, users)))
    for server in servers:
        if loads[server.name]:
            server.results["throughput"] = max(loads[server.name],
                                               key=lambda r: r["msg_per_s"])
            server.results["throughput_rounds"] = [r["msg_per_s"] for r in loads[server.name]]
        if server.pid:
            server.results["rss_mb"] = _rss_mb(server.pid)
    if turns:  # side by side, last (the longest): each long conversation mostly waits its pace
        from concurrent.futures import ThreadPoolExecutor

        def grown(server: Server) -> dict:
            try:
                return growth(server, script, turns)
            except requests.RequestException as error:  # a server stopped meanwhile
                return {"turns": turns, "error": type(error).__name__}

        with ThreadPoolExecutor(len(servers)) as pool:
            for server, result in zip(servers, pool.map(grown, servers), strict=True):
                server.results["growth"] = result
    plain = next((s for s in servers if s.name == "plain rasa run"), None)
    summary = {s.name: s.results for s in servers}
    if plain and plain.results.get("throughput", {}).get("msg_per_s"):
        for server in servers:
            server.results["throughput_vs_plain"] = round(
                server.results["throughput"]["msg_per_s"]
                / plain.results["throughput"]["msg_per_s"], 2)
    return summary


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _wait(url: str, process: subprocess.Popen, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: stopped (code {process.returncode})")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/", timeout=2).status_code == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"{url}: not ready in time")


@contextlib.contextmanager
def plain_rasa(model: str, actions_port: int, port: int, token: str) -> Iterator[Server]:
    """`rasa run` as Rasa ships it: its REST channel, in-memory stores, the same model and
    action server (Indy's own NLU components are importable from the checkout)."""
    from bot.model import rasa_env

    with tempfile.TemporaryDirectory() as folder:
        endpoints = Path(folder) / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
        credentials = Path(folder) / "credentials.yml"
        credentials.write_text("rest: {}\n")
        env = {**rasa_env(), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "rasa", "run", "--model", model, "--enable-api",
                   "--auth-token", token, "--interface", "127.0.0.1", "--port", str(port),
                   "--endpoints", str(endpoints), "--credentials", str(credentials)]
        with open(Path(folder) / "rasa.log", "w") as log:
            process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)
            try:
                _wait(f"http://127.0.0.1:{port}", process)
                yield Server("plain rasa run", f"http://127.0.0.1:{port}", token, process.pid)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


BASELINE_STACK = """
import dataclasses, sys
from pathlib import Path
from bot.runner import started
from bot.settings import get_settings
settings = dataclasses.replace(get_settings(), rasa_port={rasa}, actions_port={actions},
                               web_port={web}, var_dir=Path({var!r}))
with started(settings) as processes:
    Path({ready!r}).write_text(str(processes["rasa"].pid))
    sys.stdin.read()
"""


@contextlib.contextmanager
def baseline_stack(checkout: Path, ports: tuple[int, int, int], token: str) -> Iterator[Server]:
    """Indy's stack from another checkout (its own code, the same kind of start)."""
    from bot.model import rasa_env

    where = subprocess.run([sys.executable, "-m", "bot", "model", "path"], cwd=checkout,
                           env={**rasa_env(), "PYTHONPATH": str(checkout)}, text=True,
                           capture_output=True, check=True).stdout.strip()
    if not Path(where).exists():  # its start would train: never here
        raise SystemExit(f"{checkout} : pas de modèle entraîné ({where}), rien n'est mesuré.")
    with tempfile.TemporaryDirectory() as var:
        ready = Path(var) / "ready"
        script = BASELINE_STACK.format(rasa=ports[0], actions=ports[1], web=ports[2],
                                       var=var, ready=str(ready))
        env = {**rasa_env(), "PYTHONPATH": str(checkout), "INDY_RASA_TOKEN": token,
               "INDY_VAR_DIR": var}
        process = subprocess.Popen([sys.executable, "-c", script], cwd=checkout, env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            deadline = time.monotonic() + 600
            while not ready.exists() or not ready.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"baseline {checkout}: not started")
                time.sleep(1)
            yield Server(f"Indy at {checkout.name}", f"http://127.0.0.1:{ports[0]}", token,
                         int(ready.read_text()))
        finally:
            process.stdin.close()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def markdown(summary: dict, measured: str | None = None) -> list[str]:
    lines = ["", "## Against plain `rasa run` (same model, same run)", "",
             (f"Measured on {measured}. " if measured else "")
             + "Webhook p50 over the NLU parse p50 of the same messages (one client, fresh "
             "conversations, interleaved), then 20 users at once on the 6-turn script "
             "(the best of the alternated rounds).", "",
             "| server | kind | messages | parse p50 ms | webhook p50 ms | ratio |",
             "|---|---|---|---|---|---|"]
    for name, r in summary.items():
        for kind, row in r["ratios"].items():
            lines.append(f"| {name} | {kind.replace('_', ' ')} | {row['messages']} | "
                         f"{row['parse_p50_ms']} | {row['webhook_p50_ms']} | ×{row['ratio']} |")
    lines += ["", "| server | users | requests | errors | msg/s | p50 ms | p95 ms | "
              "vs plain | RSS MB |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in summary.items():
        t = r.get("throughput")
        if not t:
            continue
        lines.append(f"| {name} | {t['users']} | {t['requests']} | {t['errors']} | "
                     f"{t['msg_per_s']} | {t['p50_ms']} | {t['p95_ms']} | "
                     f"×{r.get('throughput_vs_plain', '')} | {r.get('rss_mb', '')} |")
    if any(r.get("growth") for r in summary.values()):
        lines += ["", "One conversation of "
                  f"{next(r['growth']['turns'] for r in summary.values() if r.get('growth'))} "
                  "messages (paced under the rate limit, the servers side by side): p50 of the "
                  "last 20 over the first 20.", "",
                  "| server | first 20 p50 ms | last 20 p50 ms | ratio |", "|---|---|---|---|"]
        for name, r in summary.items():
            if r.get("growth", {}).get("error"):
                lines.append(f"| {name} | stopped during the measure ({r['growth']['error']}) "
                             "| | |")
            elif r.get("growth"):
                g = r["growth"]
                lines.append(f"| {name} | {g['first_p50_ms']} | {g['last_p50_ms']} | "
                             f"×{g['ratio']} |")
    return lines


def _enter_together(stack: contextlib.ExitStack, managers: list) -> list:
    """Enters the context managers at once (the servers load their models side by side);
    those entered are exited with the stack, even when another failed."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    entered, failure = [], None
    for manager, future in zip(managers, futures, strict=True):
        if future.exception() is None:
            stack.push(manager.__exit__)
            entered.append(future.result())
        else:
            failure = failure or future.exception()
    if failure is not None:
        raise failure
    return entered


@contextlib.contextmanager
def indy_stack(settings) -> Iterator[Server]:  # noqa: ANN001
    from bot.runner import started

    with started(settings) as processes:
        yield Server("Indy", settings.rasa_url, settings.rasa_token, processes["rasa"].pid)


def run(script: list[str], model: str, settings, baseline: Path | None = None,  # noqa: ANN001
        turns: int = LONG_TURNS, rounds: int = ROUNDS, indy: Server | None = None) -> dict:
    """Indy's stack (`settings`; started here unless `indy` says it runs), plain Rasa beside
    it, and the baseline checkout if asked, started together, then measured."""
    from bench.run import _free_port

    with contextlib.ExitStack() as stack:
        managers = [] if indy else [indy_stack(settings)]
        if baseline is not None:
            managers.append(baseline_stack(
                baseline, (_free_port(), _free_port(), _free_port()), settings.rasa_token))
        managers.append(plain_rasa(model, settings.actions_port, _free_port(),
                                   settings.rasa_token))
        servers = ([indy] if indy else []) + _enter_together(stack, managers)
        return compare(servers, script, turns=turns, rounds=rounds)


def main() -> None:
    import argparse
    import dataclasses
    import json

    from bench.run import RESULTS, SCRIPT, _free_port
    from bot.model import model_path
    from bot.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout of Indy, e.g. main")
    parser.add_argument("--turns", type=int, default=LONG_TURNS,
                        help="messages of the long conversation (0: not measured)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="throughput rounds each")
    parser.add_argument("--write", action="store_true",
                        help="keep the figures in bench/results.json and docs/benchmarks.md")
    args = parser.parse_args()
    if not model_path().exists():  # the stack's start would train: never in a benchmark
        raise SystemExit(f"Pas de modèle entraîné ({model_path()}) : lance d'abord make train.")
    model = str(model_path())
    with tempfile.TemporaryDirectory() as var:
        settings = dataclasses.replace(get_settings(), rasa_port=_free_port(),
                                       actions_port=_free_port(), web_port=_free_port(),
                                       var_dir=Path(var))
        summary = run(SCRIPT, model, settings, args.baseline, args.turns, args.rounds)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print("\n".join(markdown(summary)))
    if args.write:  # beside the other figures of bench/results.json, and in the doc
        from bench.run import DOC
        from bench.run import markdown as full_markdown

        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["versus_plain_rasa"] = summary
        results["versus_date"] = date.today().isoformat()
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        DOC.write_text(full_markdown(results), encoding="utf-8")


if __name__ == "__main__":
    main()
