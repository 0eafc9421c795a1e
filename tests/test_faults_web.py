"""Hostile responses end as counted drops, never vanish: a decompression bomb and an oversized
body are ``too_large``, a redirect loop and an endless redirect chain are ``redirect_loop``."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.s3server import env_for, run, why

SITE = "https://www.prothomalo.com"
BOMB = gzip.compress(b"\0" * (8 << 20), compresslevel=9)  # 8 MB of zeros in about 8 KB


class HostileSite(BaseHTTPRequestHandler):
    """Serves the hostile pages under the outlet's paths (the sample-web handler routes every
    request here, with the outlet's Host)."""

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/world/bomb":
            self._send(200, BOMB, Content_Type="text/html; charset=utf-8",
                       Content_Encoding="gzip")
        elif path == "/world/huge":
            self._send(200, b"<p>" + b"x" * (3 << 20), Content_Type="text/html")
        elif path == "/world/loop-a":
            self._send(302, Location=f"{SITE}/world/loop-b")
        elif path == "/world/loop-b":
            self._send(301, Location=f"{SITE}/world/loop-a")
        elif path.startswith("/world/chain-"):
            n = int(path.rsplit("-", 1)[1])
            self._send(302, Location=f"{SITE}/world/chain-{n + 1}")
        else:
            self._send(404, b"not here")


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_bombs_and_redirect_loops_are_counted_drops(tmp_path: Path, hostile: str) -> None:
    urls = [f"{SITE}/world/{p}" for p in ("bomb", "huge", "loop-a", "chain-0")]
    proc = run(tmp_path, env_for(hostile), "prothomalo", "-a", f"start_urls={','.join(urls)}",
               "-s", "DOWNLOAD_MAXSIZE=2000000", "-s", "DOWNLOAD_WARNSIZE=1000000",
               "-s", "ROBOTSTXT_OBEY=False")
    assert "Traceback" not in proc.stderr, why(proc)
    summary = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())
    assert summary["drops"] == {"too_large": 2, "redirect_loop": 2}, why(proc)
    rejects = [json.loads(line) for path in (tmp_path / "feeds").rglob("*.rejects.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    by_url = {r["url"]: r["reason"] for r in rejects}
    assert by_url == {
        f"{SITE}/world/bomb": "too_large",
        f"{SITE}/world/huge": "too_large",
        f"{SITE}/world/loop-a": "redirect_loop",
        f"{SITE}/world/chain-0": "redirect_loop",
    }
    assert summary["stats"].get("newsbot/skipped/ignored", 0) == 0
