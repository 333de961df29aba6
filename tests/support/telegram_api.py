"""A local stand-in for the Telegram Bot API (loopback only): enough of getMe and sendMessage
for python-telegram-bot, recording every message sent."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT = {"id": 4242, "is_bot": True, "first_name": "Indy", "username": "indy_test_bot"}


class TelegramApi:
    def __init__(self, token: str = "123:test"):
        self.token = token
        self.sent: list[dict] = []
        self.fail_next = 0  # that many 500 answers to sendMessage
        self.failures: list[tuple[int, int | None]] = []
        self.callback_answers: list[dict] = []
        self.actions: list[tuple[str, dict]] = []
        self.updates: list[dict] = []  # served by getUpdates (long polling)
        self.fail_get_updates = 0  # that many 502 answers to getUpdates first
        self.confirmed_offset = 0  # (status, retry_after) to answer first
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    data = json.loads(raw or "{}")
                else:
                    data = {k: v[0] for k, v in parse_qs(raw).items()}
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    return self._reply(401, {"ok": False, "error_code": 401,
                                             "description": "Unauthorized"})
                method = self.path[len(prefix):]
                if method == "getMe":
                    return self._reply(200, {"ok": True, "result": BOT})
                if method == "getUpdates":
                    if api.fail_get_updates:
                        api.fail_get_updates -= 1
                        return self._reply(502, {"ok": False, "error_code": 502,
                                                 "description": "Bad Gateway"})
                    # As Telegram does: asking with an offset confirms (forgets) every update
                    # below it, whoever asks next.
                    api.confirmed_offset = max(api.confirmed_offset, int(data.get("offset") or 0))
                    offset = api.confirmed_offset
                    deadline = time.monotonic() + min(float(data.get("timeout") or 0), 0.5)
                    while True:
                        ready = [u for u in api.updates if u["update_id"] >= offset]
                        if ready or time.monotonic() >= deadline:
                            return self._reply(200, {"ok": True, "result": ready})
                        time.sleep(0.05)
                if method in ("sendChatAction", "deleteWebhook", "setMyCommands"):
                    api.actions.append((method, data))
                    return self._reply(200, {"ok": True, "result": True})
                if method == "answerCallbackQuery":
                    api.callback_answers.append(data)
                    return self._reply(200, {"ok": True, "result": True})
                if method == "sendMessage":
                    if api.failures:
                        status, retry_after = api.failures.pop(0)
                        body = {"ok": False, "error_code": status,
                                "description": "Too Many Requests" if status == 429 else "Error"}
                        if retry_after is not None:
                            body["parameters"] = {"retry_after": retry_after}
                        return self._reply(status, body)
                    if api.fail_next:
                        api.fail_next -= 1
                        return self._reply(500, {"ok": False, "error_code": 500,
                                                 "description": "Internal Server Error"})
                    api.sent.append(data)
                    if isinstance(data.get("reply_markup"), str):
                        data["reply_markup"] = json.loads(data["reply_markup"])
                    message = {"message_id": len(api.sent), "date": int(time.time()),
                               "chat": {"id": int(data["chat_id"]), "type": "private"},
                               "from": BOT, "text": data["text"]}
                    return self._reply(200, {"ok": True, "result": message})
                return self._reply(404, {"ok": False, "error_code": 404,
                                         "description": "Not Found"})

            do_GET = do_POST  # noqa: N815

            def _reply(self, status, body):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self) -> TelegramApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
