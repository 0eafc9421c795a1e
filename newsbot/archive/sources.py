"""Where WARC files come from: local paths, HTTP(S) URLs and ``s3://`` objects, each opened at
a byte offset (to resume); and Common Crawl's CC-NEWS monthly listings.

S3 reads use their own endpoint and are unsigned by default (Common Crawl's bucket is public):
settings ``NEWSBOT_ARCHIVE_S3_ENDPOINT`` (default: AWS), ``NEWSBOT_ARCHIVE_S3_ANONYMOUS``
(default true; false signs with the credentials of the environment). CC-NEWS listings and
relative paths are resolved against ``NEWSBOT_CCNEWS_BASE``
(default ``https://data.commoncrawl.org/``; ``s3://commoncrawl/`` reads the bucket directly).
"""

from __future__ import annotations

import gzip
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from newsbot import __version__, conf, default_settings
from newsbot.delivery.targets import S3Config, describe_s3_error, local_path, split_s3_uri

LISTING = "crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz"
_FILE_TIME = re.compile(r"CC-NEWS-(\d{14})-\d+\.warc(\.gz)?$")
USER_AGENT = f"newsbot/{__version__} (Bengali news corpus; WARC reader)"


class SourceError(Exception):
    """A WARC file or listing that cannot be opened or read; the message says why."""


@dataclass(frozen=True)
class Sources:
    """How to open archive files."""

    s3: S3Config = field(default_factory=lambda: S3Config(anonymous=True))
    base: str = default_settings.NEWSBOT_CCNEWS_BASE
    timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings: Any) -> Sources:
        """From ``NEWSBOT_ARCHIVE_S3_*``, ``NEWSBOT_CCNEWS_BASE`` and the S3 time-outs."""
        anonymous = str(conf.get(settings, "NEWSBOT_ARCHIVE_S3_ANONYMOUS")).lower()
        return cls(
            s3=S3Config(
                endpoint_url=conf.get(settings, "NEWSBOT_ARCHIVE_S3_ENDPOINT") or None,
                region=conf.get_or_default(settings, "NEWSBOT_ARCHIVE_S3_REGION"),
                connect_timeout=conf.getfloat(settings, "NEWSBOT_S3_CONNECT_TIMEOUT"),
                read_timeout=conf.getfloat(settings, "NEWSBOT_S3_READ_TIMEOUT"),
                max_attempts=max(1, conf.getint(settings, "NEWSBOT_S3_MAX_ATTEMPTS")),
                anonymous=anonymous not in ("0", "false", "no", "off"),
            ),
            base=conf.get_or_default(settings, "NEWSBOT_CCNEWS_BASE"),
        )

    def resolve(self, path_or_url: str) -> str:
        """A listing line (``crawl-data/…``) joined to the base; URLs and paths unchanged."""
        if path_or_url.startswith("crawl-data/"):
            return self.base.rstrip("/") + "/" + path_or_url
        return path_or_url

    def open(self, uri: str, offset: int = 0) -> IO[bytes]:
        """The bytes of ``uri`` from ``offset`` on; raises :class:`SourceError`."""
        scheme = urlsplit(uri).scheme
        try:
            if scheme in ("http", "https"):
                return self._open_http(uri, offset)
            if scheme == "s3":
                return self._open_s3(uri, offset)
            if scheme in ("", "file") or len(scheme) == 1:
                fh = open(local_path(uri), "rb")  # noqa: SIM115
                fh.seek(offset)
                return fh
        except SourceError:
            raise
        except Exception as exc:
            raise SourceError(f"cannot open {uri}: {type(exc).__name__}: {exc}") from None
        raise SourceError(f"cannot read WARC files with the scheme {scheme!r}: {uri}")

    def _open_http(self, uri: str, offset: int) -> IO[bytes]:
        request = urllib.request.Request(uri, headers={"User-Agent": USER_AGENT})
        if offset:
            request.add_header("Range", f"bytes={offset}-")
        response = urllib.request.urlopen(request, timeout=self.timeout)
        if offset and response.status != 206:
            skipped = 0  # the server ignored the range: read up to the offset
            while skipped < offset:
                chunk = response.read(min(1 << 20, offset - skipped))
                if not chunk:
                    break
                skipped += len(chunk)
        return response

    def _open_s3(self, uri: str, offset: int) -> IO[bytes]:
        bucket, key = split_s3_uri(uri)
        kwargs = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            reply = self.s3.client().get_object(Bucket=bucket, Key=key, **kwargs)
        except Exception as exc:
            why = describe_s3_error(exc, self.s3, bucket)
            if self.s3.anonymous and "refused the credentials" in why:
                why = (f"S3 at {self.s3.endpoint_label} refused an anonymous read (the object "
                       "is not public; NEWSBOT_ARCHIVE_S3_ANONYMOUS=0 signs with the "
                       "environment's credentials)")
            raise SourceError(f"cannot read {uri}: {why}") from None
        return reply["Body"]

    def month_listing(self, month: str) -> list[str]:
        """The WARC files of CC-NEWS month ``YYYY-MM``, as URIs under the base."""
        try:
            year, mon = (int(part) for part in month.split("-"))
            date(year, mon, 1)
        except ValueError:
            raise SourceError(f"not a month (YYYY-MM): {month!r}") from None
        uri = self.resolve(LISTING.format(year=year, month=mon))
        try:
            with self.open(uri) as fh:
                text = gzip.decompress(fh.read()).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot read the listing {uri}: {exc}") from None
        return [self.resolve(line.strip()) for line in text.splitlines() if line.strip()]


def file_time(uri: str) -> datetime | None:
    """When a CC-NEWS file was started, from its name (``CC-NEWS-20240101012345-00001``)."""
    match = _FILE_TIME.search(uri)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def select_files(uris: list[str], start: datetime | None, end: datetime | None) -> list[str]:
    """The files that can hold captures between ``start`` and ``end``: CC-NEWS files are
    written one after the other, so a file covers its start time up to the next file's."""
    timed = sorted((file_time(u), u) for u in uris if file_time(u) is not None)
    untimed = [u for u in uris if file_time(u) is None]
    kept = []
    for i, (began, uri) in enumerate(timed):
        assert began is not None
        following = timed[i + 1][0] if i + 1 < len(timed) else None
        if end is not None and began > end:
            continue
        if start is not None and following is not None and following < start:
            continue
        kept.append(uri)
    return kept + untimed


def display_name(uri: str) -> str:
    """The file name part of a URI or path (for logs and rejects)."""
    return Path(urlsplit(uri).path).name or uri



