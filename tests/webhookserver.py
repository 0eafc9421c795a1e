"""A webhook receiver on 127.0.0.1: records every POST (path, query and JSON body)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class WebhookServer:
    """Answers 204 to POSTs and keeps them; ``status`` makes it answer something else."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 204
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                server.received.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(raw.decode("utf-8")),
                    }
                )
                self.send_response(server.status)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, token: str = "") -> str:
        """The hook's URL, with a token in the query as real webhook URLs carry one."""
        return f"http://127.0.0.1:{self.port}/hook" + (f"?token={token}" if token else "")

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    """A webhook receiver for one test."""
    server = WebhookServer()
    try:
        yield server
    finally:
        server.close()
