"""What a partner's page downloads for the widget before anyone opens it: the script and its
style sheet (socket.io comes at the first opening only), raw and gzipped as the web app sends
them. Issue 18's goal: under 20 KiB compressed."""

from __future__ import annotations

import requests

BEFORE_FIRST_OPEN = ("/widget.js", "/static/widget.css")


def run(base_url: str) -> dict:
    files = {}
    for path in BEFORE_FIRST_OPEN:
        raw = requests.get(base_url + path, headers={"Accept-Encoding": "identity"}, timeout=10)
        zipped = requests.get(base_url + path, headers={"Accept-Encoding": "gzip"}, timeout=10,
                              stream=True)
        files[path] = {"raw": len(raw.content), "gzip": len(zipped.raw.read()),
                       "encoding": zipped.headers.get("Content-Encoding", "none"),
                       "cache": zipped.headers.get("Cache-Control", ""),
                       "etag": bool(zipped.headers.get("ETag"))}
    return {"files": files, "raw_total": sum(f["raw"] for f in files.values()),
            "gzip_total": sum(f["gzip"] for f in files.values())}


def markdown(size: dict) -> list[str]:
    return ["", "## Widget on a partner's page", "",
            f"Before the first opening (`{'`, `'.join(size['files'])}`): "
            f"{size['raw_total'] / 1024:.1f} KiB raw, {size['gzip_total'] / 1024:.1f} KiB "
            "gzipped (goal: under 20 KiB), revalidated by ETag, kept an hour by browsers."]
