"""Reading WARC files record by record, robustly.

A gzip WARC is a series of gzip members, one record each. :func:`iter_members` splits the
compressed stream itself, so a corrupt member costs only that member: the reader skips to the
next gzip header and goes on. Every record read ends as one :class:`Entry`:

* ``capture`` -- an HTTP response record with its payload decoded (transfer and content
  encodings removed);
* ``drop`` -- a record that cannot become a page, with a reason (:data:`DROP_REASONS`);
* ``other`` -- a record that is not a page (``warcinfo``, ``request``, ``metadata``): counted by
  type, not a drop.

Offsets are those of the gzip member in the file, so a reader can resume at any entry's
``next_offset``.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from newsbot.state import parse_time

GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 16
#: A gzip member (one record) larger than this is skipped as ``too_large``.
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: Newsbot's own WARC headers (written by :mod:`newsbot.archive.writer`).
_TYPE_RE = re.compile(rb"^WARC-Type:[ \t]*(\S+)", re.M | re.I)
_URI_RE = re.compile(rb"^WARC-Target-URI:[ \t]*<?([^\s>]+)", re.M | re.I)
OUTLET_HEADER = "Newsbot-Outlet-Id"
KIND_HEADER = "Newsbot-Kind"

#: Why a record does not become a page.
DROP_REASONS = {
    "warc_corrupt": "a gzip member or record that cannot be read (skipped; reading goes on)",
    "warc_truncated": "a record cut short (the file ends inside it, or WARC-Truncated is set)",
    "revisit": "a revisit record (no payload of its own)",
    "bad_encoding": "a payload whose transfer or content encoding cannot be decoded",
    "too_large": "a record larger than the reader's limit",
    "not_http": "a response record without an HTTP response in it",
    "foreign_host": "a response of a host the reader was told to skip",
}


@dataclass
class Capture:
    """One archived HTTP response."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime | None
    outlet_id: str | None = None
    kind: str | None = None
    record_id: str | None = None

    @property
    def content_type(self) -> str:
        """The Content-Type header ('' when missing)."""
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return ""


@dataclass
class Entry:
    """What one record (or one unreadable stretch of the file) became."""

    kind: str  # "capture" | "drop" | "other"
    offset: int
    next_offset: int
    capture: Capture | None = None
    reason: str | None = None
    detail: str = ""
    url: str = ""
    record_type: str = ""
    date: datetime | None = field(default=None)


@dataclass
class Member:
    """One gzip member: its decompressed bytes, or the error that made it unreadable."""

    offset: int
    end: int
    data: bytes | None = None
    error: str | None = None
    detail: str = ""


def iter_members(stream: IO[bytes], start: int = 0) -> Iterator[Member]:
    """The gzip members of ``stream`` (positioned at absolute offset ``start``).

    A member that does not decompress is reported with ``error="warc_corrupt"`` and reading
    resumes at the next gzip header; bytes that are not gzip likewise; a file ending inside a
    member gives ``error="warc_truncated"``."""
    buf = bytearray()
    pos = start
    eof = False

    def more() -> None:
        nonlocal eof
        chunk = stream.read(CHUNK)
        if chunk:
            buf.extend(chunk)
        else:
            eof = True

    def resync(skip_from: int) -> int:
        # the next gzip header after skip_from, reading on as needed; len(buf) when none
        found = buf.find(GZIP_MAGIC, skip_from)
        while found < 0 and not eof:
            more()
            found = buf.find(GZIP_MAGIC, skip_from)
        return found if found >= 0 else len(buf)

    while True:
        while len(buf) < len(GZIP_MAGIC) and not eof:
            more()
        if not buf:
            return
        if not buf.startswith(GZIP_MAGIC):
            end = resync(1)
            yield Member(pos, pos + end, error="warc_corrupt", detail="bytes that are not gzip")
            del buf[:end]
            pos += end
            continue
        decomp = zlib.decompressobj(31)
        out: list[bytes] = []
        size = used = 0
        error = detail = ""
        while not decomp.eof:
            if used >= len(buf):
                if eof:
                    error, detail = "warc_truncated", "the file ends inside a gzip member"
                    break
                more()
                continue
            data = bytes(buf[used:])
            try:
                piece = decomp.decompress(data)
            except zlib.error as exc:
                error, detail = "warc_corrupt", f"gzip: {exc}"
                break
            used += len(data) - len(decomp.unused_data)
            size += len(piece)
            if size > MAX_RECORD_BYTES:
                error, detail = "too_large", f"record over {MAX_RECORD_BYTES} bytes"
                break
            out.append(piece)
        if error == "warc_truncated":
            yield Member(pos, pos + len(buf), error=error, detail=detail)
            return
        if error:
            end = resync(1)
            yield Member(pos, pos + end, error=error, detail=detail)
            del buf[:end]
            pos += end
            continue
        yield Member(pos, pos + used, data=b"".join(out))
        del buf[:used]
        pos += used


def iter_entries(stream: IO[bytes], start: int = 0,
                 keep_url: Callable[[str], bool] | None = None) -> Iterator[Entry]:
    """Every record of a WARC file (gzip or plain) as an :class:`Entry`, from offset ``start``.

    Responses whose target URI ``keep_url`` refuses become ``foreign_host`` drops without their
    payload being decoded (most of a CC-NEWS file is other sites)."""
    head = stream.read(len(GZIP_MAGIC))
    rest: IO[bytes] = _Prefixed(head, stream)
    if head and not head.startswith(GZIP_MAGIC[:2]) and head.startswith(b"WAR"):
        yield from _plain_entries(rest, start, keep_url)
        return
    for member in iter_members(rest, start):
        if member.data is None:
            yield Entry("drop", member.offset, member.end, reason=member.error,
                        detail=member.detail)
            continue
        yield from _member_entries(member, keep_url)


class _Prefixed(io.RawIOBase):
    """``stream`` with ``head`` put back in front of it."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            if size < 0:
                return data + self.stream.read()
            return data if len(data) >= size else data + self.stream.read(size - len(data))
        return self.stream.read(size)


def _foreign(data: bytes, keep_url: Callable[[str], bool]) -> str | None:
    """The target URI of a member that holds one response record of a refused host (read from
    the WARC headers alone, without warcio: most of a CC-NEWS file is passed over this way)."""
    head = data[: data.find(b"\r\n\r\n")]
    kind, uri = _TYPE_RE.search(head), _URI_RE.search(head)
    if kind is None or uri is None or kind.group(1).lower() != b"response":
        return None
    if data.find(b"WARC/1.", len(head)) != -1:  # more than one record: let warcio read them
        return None
    url = uri.group(1).decode("utf-8", "replace")
    return None if keep_url(url) else url


def _member_entries(member: Member, keep_url: Callable[[str], bool] | None) -> Iterator[Entry]:
    from warcio.archiveiterator import ArchiveIterator

    assert member.data is not None
    foreign = _foreign(member.data, keep_url) if keep_url is not None else None
    if foreign is not None:
        yield Entry("drop", member.offset, member.end, reason="foreign_host", detail=foreign,
                    url=foreign, record_type="response")
        return
    try:
        records = list(_records(ArchiveIterator(io.BytesIO(member.data)), keep_url))
    except Exception as exc:  # warcio raises several kinds; a bad record must cost only itself
        yield Entry("drop", member.offset, member.end, reason="warc_corrupt",
                    detail=f"{type(exc).__name__}: {exc}")
        return
    if not records:
        yield Entry("drop", member.offset, member.end, reason="warc_corrupt",
                    detail="no WARC record in a gzip member")
    for entry in records:
        entry.offset, entry.next_offset = member.offset, member.end
        yield entry


def _plain_entries(stream: IO[bytes], start: int,
                   keep_url: Callable[[str], bool] | None) -> Iterator[Entry]:
    """An uncompressed WARC: read with warcio; an unreadable record ends the file (counted)."""
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(stream)
    offset = start
    try:
        for entry in _records(iterator, keep_url):
            entry.offset = offset
            entry.next_offset = offset  # plain files resume only at their start
            yield entry
    except Exception as exc:
        yield Entry("drop", offset, offset, reason="warc_corrupt",
                    detail=f"{type(exc).__name__}: {exc} (rest of the file skipped)")


def _records(iterator: object, keep_url: Callable[[str], bool] | None) -> Iterator[Entry]:
    for record in iterator:  # type: ignore[attr-defined]
        yield entry_of(record, keep_url)


def _header(record: object, name: str) -> str | None:
    return record.rec_headers.get_header(name)  # type: ignore[attr-defined]


def entry_of(record: object, keep_url: Callable[[str], bool] | None = None) -> Entry:
    """The entry of one warcio record (its payload read and decoded, unless ``keep_url``
    refuses its URI)."""
    rtype = str(record.rec_type or "")  # type: ignore[attr-defined]
    url = _header(record, "WARC-Target-URI") or ""
    date = parse_time(_header(record, "WARC-Date"))
    if date is not None:
        date = date.astimezone(UTC)
    base = {"url": url, "record_type": rtype, "date": date, "offset": 0, "next_offset": 0}
    if rtype == "revisit":
        return Entry("drop", reason="revisit", detail=_header(record, "WARC-Refers-To") or "",
                     **base)
    if rtype != "response":
        return Entry("other", **base)
    if not url:
        return Entry("drop", reason="warc_corrupt", detail="response without WARC-Target-URI",
                     **base)
    if keep_url is not None and not keep_url(url):
        return Entry("drop", reason="foreign_host", detail=url, **base)
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None or not str(http.protocol or "").upper().startswith("HTTP"):
        return Entry("drop", reason="not_http", **base)
    if _header(record, "WARC-Truncated"):
        return Entry("drop", reason="warc_truncated",
                     detail=f"WARC-Truncated: {_header(record, 'WARC-Truncated')}", **base)
    raw = record.raw_stream.read()  # type: ignore[attr-defined]
    if record.raw_stream.limit > 0:  # type: ignore[attr-defined]
        return Entry("drop", reason="warc_truncated",
                     detail="the record is shorter than its Content-Length", **base)
    try:
        body = decode_payload(raw, http.get_header("transfer-encoding"),
                              http.get_header("content-encoding"))
    except Exception as exc:  # zlib, brotli, chunking errors
        return Entry("drop", reason="bad_encoding", detail=f"{type(exc).__name__}: {exc}",
                     **base)
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return Entry("drop", reason="not_http", detail=f"status line {http.statusline!r}",
                     **base)
    headers = [(k, v) for k, v in http.headers
               if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
    capture = Capture(
        url=url,
        status=status,
        headers=headers,
        body=body,
        date=date,
        outlet_id=_header(record, OUTLET_HEADER) or None,
        kind=_header(record, KIND_HEADER) or None,
        record_id=_header(record, "WARC-Record-ID"),
    )
    return Entry("capture", capture=capture, **base)


def decode_payload(raw: bytes, transfer_encoding: str | None,
                   content_encoding: str | None) -> bytes:
    """The body without chunking and content encoding. Strict: a payload that does not decode
    raises (warcio's own reader passes such payloads on half-decoded)."""
    from warcio.bufferedreaders import ChunkedDataReader

    data = raw
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        data = ChunkedDataReader(io.BytesIO(raw)).read()
    for coding in reversed([c.strip().lower() for c in (content_encoding or "").split(",")]):
        if coding in ("", "identity", "none"):
            continue
        if coding in ("gzip", "x-gzip", "deflate"):
            data = _inflate(data, coding)
        elif coding == "br":
            import brotli

            data = brotli.decompress(data)
        else:
            raise ValueError(f"unknown content encoding {coding!r}")
    return data


def _inflate(data: bytes, coding: str) -> bytes:
    # gzip and zlib streams (wbits 47 reads both); "deflate" is often raw deflate in practice
    attempts = (47,) if coding != "deflate" else (47, -15)
    error: Exception | None = None
    for wbits in attempts:
        decomp = zlib.decompressobj(wbits)
        try:
            out = decomp.decompress(data) + decomp.flush()
        except zlib.error as exc:
            error = exc
            continue
        if not decomp.eof:
            raise ValueError(f"{coding} payload ends early")
        return out
    raise ValueError(f"{coding} payload does not decode: {error}")
