"""The production profile's nginx publishes socket.io only: the real nginx, with the
configuration the runner writes, in front of a stand-in replica that answers everything.
Requests from this machine's network address (not loopback) reach /socket.io/ only."""

from __future__ import annotations

import dataclasses
import http.client
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.cluster import NGINX, write_nginx_conf
from bot.settings import get_settings
from tests.support.network import outside_address
from tests.support.servers import _wait_port, free_block, free_port


class Replica(BaseHTTPRequestHandler):
    """Answers 200 to anything: whatever nginx lets through arrives here."""

    def log_message(self, *args):  # quiet
        pass

    def _ok(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _ok  # noqa: N815



def test_nginx_publishes_only_socketio_beyond_loopback(tmp_path):
    outside = outside_address()
    if outside is None:
        pytest.skip("no network address besides loopback on this machine")
    base = free_block(2)
    settings = dataclasses.replace(get_settings(), profile="production", rasa_replicas=1,
                                   action_servers=1, replica_base_port=base,
                                   rasa_port=free_port(), actions_port=free_port(),
                                   var_dir=tmp_path)
    replica = ThreadingHTTPServer(("127.0.0.1", base), Replica)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    nginx = subprocess.Popen([NGINX, "-c", str(write_nginx_conf(settings)), "-e", "stderr"])
    try:
        _wait_port(settings.rasa_port, nginx)

        def status(path: str, source: str, method: str = "GET") -> int:
            connection = http.client.HTTPConnection("127.0.0.1", settings.rasa_port, timeout=10,
                                                    source_address=(source, 0))
            connection.request(method, path, body=b"{}" if method == "POST" else None)
            code = connection.getresponse().status
            connection.close()
            return code

        for path, method in (("/webhooks/rest/webhook", "POST"),
                             ("/webhooks/telegram/webhook", "POST"),
                             ("/conversations/x/tracker", "GET"), ("/", "GET")):
            assert status(path, outside, method) == 403, path
            assert status(path, "127.0.0.1", method) == 200, path  # Indy's own processes
        assert status("/socket.io/?EIO=4&transport=polling", outside) == 200
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        replica.shutdown()
