"""A local HTTP server (loopback, free port) that replays recorded API responses
(tests/fixtures/connectors/*.json) and records every request."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "connectors"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


class Recorded:
    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        parts = urlsplit(target)
        self.method = method
        self.path = parts.path
        self.query = parse_qs(parts.query, keep_blank_values=True)
        self.headers = headers
        self.body = body.decode("utf-8")

    def param(self, name: str) -> str:
        values = self.query.get(name, [])
        assert len(values) == 1, (name, values)
        return values[0]

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body).items()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold the test at shutdown
    block_on_close = False


class ReplayServer:
    """Scripted responses per path; the last response of a script repeats once reached. A
    response may say `"delay": seconds`, or `"hold": threading.Event`, to answer late."""

    def __init__(self) -> None:
        self.scripts: dict[str, deque[dict[str, Any]]] = {}
        self.requests: list[Recorded] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                replay.answer(self)

            def do_POST(self) -> None:  # noqa: N802
                replay.answer(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def script(self, path: str, *names: str) -> None:
        self.scripts[path] = deque(fixture(name) for name in names)

    def requests_to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        recorded = Recorded(handler.command, handler.path, dict(handler.headers.items()), body)
        self.requests.append(recorded)
        script = self.scripts.get(recorded.path)
        if not script:
            response: dict[str, Any] = {"status": 404, "body": {"message": "route inconnue"}}
        else:
            response = script.popleft() if len(script) > 1 else script[0]
        time.sleep(response.get("delay", 0))  # a slow API: seconds before answering
        if "hold" in response:  # ... or until the test sets this threading.Event
            response["hold"].wait(timeout=120)
        status = response["status"]
        if "body" in response:
            payload = json.dumps(response["body"], ensure_ascii=False).encode("utf-8")
        else:
            payload = response.get("text", "").encode("utf-8")
        if status == 204:
            payload = b""
        handler.send_response(status)
        headers = {"Content-Type": "application/json; charset=utf-8", **response.get("headers", {})}
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


