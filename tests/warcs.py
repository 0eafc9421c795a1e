"""Building WARC files for the tests, with warcio, from pages of the sample web fetched over
HTTP on 127.0.0.1; and serving files over HTTP (with byte ranges) on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import io
import threading
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def fetch(base_url: str, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """GET ``url`` from the sample web at ``base_url`` (Host header from the URL)."""
    parts = urlsplit(url)
    port = urlsplit(base_url).port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target, headers={"Host": parts.netloc})
        reply = conn.getresponse()
        return reply.status, reply.getheaders(), reply.read()
    finally:
        conn.close()


def warc_date(moment: datetime) -> str:
    """A WARC-Date value."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _member(record_of: partial) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(record_of(writer))
    return out.getvalue()


def response(
    url: str,
    body: bytes,
    *,
    date: datetime,
    status: int = 200,
    headers: Iterable[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
    content_encoding: str | None = None,
    chunked: bool = False,
    warc_headers: dict[str, str] | None = None,
) -> bytes:
    """One gzip member holding a response record (payload gzip-encoded and/or chunked)."""
    payload = body
    head = [(k, v) for k, v in headers
            if k.lower() not in ("content-length", "transfer-encoding")]
    if content_encoding == "gzip":
        payload = gzip.compress(payload)
        head.append(("Content-Encoding", "gzip"))
    elif content_encoding:
        head.append(("Content-Encoding", content_encoding))
    if chunked:
        size = max(1, len(payload) // 3)
        pieces = [payload[i:i + size] for i in range(0, len(payload), size)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        head.append(("Transfer-Encoding", "chunked"))
    else:
        head.append(("Content-Length", str(len(payload))))
    http_headers = StatusAndHeaders(f"{status} OK", head, protocol="HTTP/1.1")
    extra = {"WARC-Date": warc_date(date), **(warc_headers or {})}

    def make(writer: WARCWriter) -> object:
        return writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                         http_headers=http_headers, warc_headers_dict=extra)

    return _member(partial(make))


def request(url: str, *, date: datetime) -> bytes:
    """One gzip member holding a request record."""
    parts = urlsplit(url)
    http_headers = StatusAndHeaders(f"GET {parts.path or '/'} HTTP/1.1",
                                    [("Host", parts.netloc)], is_http_request=True)

    def make(writer: WARCWriter) -> object:
        return writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                         http_headers=http_headers,
                                         warc_headers_dict={"WARC-Date": warc_date(date)})

    return _member(partial(make))


def revisit(url: str, *, date: datetime) -> bytes:
    """One gzip member holding a revisit record."""
    def make(writer: WARCWriter) -> object:
        return writer.create_revisit_record(url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                            url, warc_date(date))

    return _member(partial(make))


def truncated(member: bytes, cut: int = 200) -> bytes:
    """The member's record with its last ``cut`` bytes missing, recompressed (a good gzip
    member holding a record shorter than its Content-Length)."""
    raw = gzip.decompress(member)
    body = raw[: -(cut + 4)]  # the record's trailing CRLF CRLF goes too
    return gzip.compress(body)


def corrupt(member: bytes) -> bytes:
    """The member with bytes in the middle of its deflate stream flipped."""
    data = bytearray(member)
    middle = len(data) // 2
    for i in range(middle, min(middle + 24, len(data) - 8)):
        data[i] ^= 0xA5
    try:
        zlib.decompressobj(31).decompress(bytes(data))
    except zlib.error:
        return bytes(data)
    raise AssertionError("the member still decompresses")


def write(path: Path, members: Iterable[bytes]) -> Path:
    """Write the members one after the other (a gzip WARC file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(members))
    return path


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with ``Range: bytes=N-`` support (as data.commoncrawl.org has)."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def send_head(self):  # type: ignore[no-untyped-def]
        spec = self.headers.get("Range", "")
        if not spec.startswith("bytes=") or not spec.endswith("-"):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return None
        start = int(spec[len("bytes="):-1])
        data = path.read_bytes()[start:]
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class FileServer:
    """Serves ``root`` on 127.0.0.1 over HTTP in a background thread."""

    def __init__(self, root: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler,
                                                                    directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()
