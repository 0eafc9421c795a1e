"""Archiving every response that reaches the spider in gzip WARC files (a Scrapy extension).

On with ``NEWSBOT_WARC_ENABLED=1`` (setting or environment). For each response to one of the
spider's own requests (articles, listings, feeds, sitemaps; robots.txt is not the spider's) it
writes a ``request`` and a ``response`` record. Besides the standard headers (``WARC-Date`` is
the fetch time, to the microsecond: WARC/1.1), each record carries ``Newsbot-Outlet-Id`` and
``Newsbot-Kind`` (the spider's request kind). The payload is the body as the spider received it:
content and transfer encodings already removed, so those headers are left out.

Files are written in the spool and delivered like feeds (:mod:`newsbot.delivery`): sealed when
complete (at ``NEWSBOT_WARC_MAX_MB`` or at the end of the run), then stored exactly once, locally
beside the feed or to S3 under ``…/warc/…``; a file that cannot be stored stays in the spool
and the run exits with the delivery-failed code.

``NEWSBOT_WARC_URI`` overrides where files go; it takes the feed placeholders plus ``%(warc)s``
(the file's number in the run, ``00001``, ``00002``, …).
"""

from __future__ import annotations

import http.client
import io
import logging
from datetime import UTC
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.python.failure import Failure

from newsbot import __version__, clock, statskeys
from newsbot.archive.records import KIND_HEADER, OUTLET_HEADER
from newsbot.delivery.addon import (
    configured_bucket,
    configured_prefix,
    s3_feed_uri,
    setting_or_env,
)
from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.errors import DeliveryError
from newsbot.delivery.storage import SpoolFeedStorage, SpoolFileFeedStorage, SpoolS3FeedStorage
from newsbot.delivery.uri import uri_params_for
from newsbot.registry import load_registry

logger = logging.getLogger(__name__)

WARC_FORMAT = "warc"
_TRUE = {"1", "true", "yes", "on"}
_SKIPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def _warc_name(template: str) -> str:
    """``…/%(stamp)s.jsonl`` -> ``…/%(stamp)s-%(warc)s.warc.gz``."""
    head, sep, name = template.rpartition("/")
    return f"{head}{sep}{name.partition('.')[0]}-%(warc)s.warc.gz"


def warc_uri_template(settings: BaseSettings) -> str:
    """Where WARC files go: ``NEWSBOT_WARC_URI``; else under ``warc/`` beside the S3 feed's
    prefix when ``NEWSBOT_S3_BUCKET`` is set; else beside the first local feed."""
    explicit = setting_or_env(settings, "NEWSBOT_WARC_URI")
    if explicit:
        return explicit
    bucket = configured_bucket(settings)
    if bucket:
        prefix = "/".join(filter(None, [configured_prefix(settings), "warc"]))
        return _warc_name(s3_feed_uri(bucket, prefix))
    for template in settings.getdict("FEEDS"):
        if urlsplit(str(template)).scheme in ("", "file"):
            return _warc_name(str(template))
    return "feeds/%(name)s/%(date)s/%(stamp)s-%(warc)s.warc.gz"


def _headers(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcArchive:
    """The extension (see the module docstring)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.context = DeliveryContext.for_crawler(crawler)
        self.template = warc_uri_template(crawler.settings)
        max_mb = float(setting_or_env(crawler.settings, "NEWSBOT_WARC_MAX_MB"))
        self.max_bytes = max(1, int(max_mb * 1024 * 1024))
        self.registry = load_registry()
        self.number = 0
        self.spider: Spider | None = None
        self.storage: SpoolFeedStorage | None = None
        self.file: IO[bytes] | None = None
        self.writer: Any = None
        self._stores: list[Any] = []
        self.context.target_for(self.template)  # refuses a bad URI before the crawl

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        if setting_or_env(crawler.settings, "NEWSBOT_WARC_ENABLED").lower() not in _TRUE:
            raise NotConfigured  # off: no message, or every crawl would log a warning
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.spider = spider
        self.context.hold()  # the run summary waits for the last WARC file's store

    # -- writing ---------------------------------------------------------------------------------

    def _open(self) -> Any:
        from warcio.warcwriter import WARCWriter

        assert self.spider is not None
        self.number += 1
        params = uri_params_for(self.crawler, self.spider)
        params["warc"] = f"{self.number:05d}"
        uri = self.template % params
        cls = SpoolS3FeedStorage if uri.startswith("s3:") else SpoolFileFeedStorage
        self.storage = cls(uri, feed_options={"format": WARC_FORMAT}, context=self.context)
        self.file = self.storage.open(self.spider)
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        info = self.writer.create_warcinfo_record(
            uri.rpartition("/")[2],
            {"software": f"newsbot/{__version__}", "format": "WARC File Format 1.1"},
        )
        self.writer.write_record(info)
        self.stats.inc_value(statskeys.WARC_FILES)
        return self.writer

    def response_received(
        self, response: Response, request: Request, spider: Spider
    ) -> None:
        kind = request.meta.get("newsbot_kind")
        if kind is None:  # not the spider's own request (robots.txt)
            return
        try:
            self._write(response, request, str(kind))
        except Exception as exc:
            # the archive must not break the crawl; the incomplete file is not delivered, which
            # the run reports as a failed delivery
            logger.exception("Could not archive %s in the WARC file", response.url)
            self.stats.inc_value(statskeys.WARC_ERRORS)
            if self.storage is not None and self.storage.failure is None:
                self.storage.failure = f"could not write the WARC file: {exc}"
            self._rotate()
            return
        assert self.file is not None
        if self.file.tell() >= self.max_bytes:
            self._rotate()

    def _write(self, response: Response, request: Request, kind: str) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        writer = self.writer or self._open()
        outlet = self.registry.by_url(response.url)
        fetched = clock.now().astimezone(UTC)
        extra = {
            "WARC-Date": fetched.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            OUTLET_HEADER: outlet.id if outlet else "",
            KIND_HEADER: kind,
        }
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_http = StatusAndHeaders(
            f"{request.method} {target} HTTP/1.1",
            [("Host", parts.netloc), *_headers(request.headers)],
            is_http_request=True,
        )
        body = response.body
        headers = [(k, v) for k, v in _headers(response.headers) if k.lower() not in
                   _SKIPPED_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        reason = http.client.responses.get(response.status, "")
        response_http = StatusAndHeaders(
            f"{response.status} {reason}".strip(), headers, protocol="HTTP/1.1"
        )
        response_record = writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(body), http_headers=response_http,
            warc_headers_dict=dict(extra),
        )
        request_record = writer.create_warc_record(
            request.url, "request", payload=io.BytesIO(request.body or b""),
            http_headers=request_http,
            warc_headers_dict={
                **extra,
                "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(request_record)
        writer.write_record(response_record)
        self.stats.inc_value(statskeys.WARC_RECORDS, 2)
        self.stats.inc_value(statskeys.warc_responses(kind))

    # -- sealing and delivering ------------------------------------------------------------------

    def _rotate(self) -> None:
        """Seal the current file in the spool and store it (in a worker thread)."""
        storage, file = self.storage, self.file
        self.storage = self.file = self.writer = None
        if storage is None or file is None:
            return
        try:
            entry = storage.finish(file)
            if storage.failure is None:
                self.context.seal([entry])
        except Exception as exc:
            logger.debug("Could not seal the WARC file", exc_info=True)
            storage.failure = f"could not seal the WARC file in the spool: {exc}"
        self.context.hold()
        deferred = storage.store(file)
        deferred.addErrback(self._failed, storage)
        deferred.addBoth(self._stored, storage)
        self._stores.append(deferred)

    def _failed(self, failure: Failure, storage: SpoolFeedStorage) -> None:
        exc = failure.value
        if not isinstance(exc, DeliveryError):
            exc = DeliveryError(f"{type(exc).__name__}: {exc}", target=storage.uri)
        self.context.report_failure(exc, storage.entry, uri=storage.uri)
        self.stats.inc_value(statskeys.WARC_FAILED)

    def _stored(self, result: Any, storage: SpoolFeedStorage) -> None:
        try:
            if not isinstance(result, Failure) and not storage.failure:
                entry_id = storage.entry.id if storage.entry else None
                if any(r.spool_entry == entry_id and r.status == "stored"
                       for r in self.context.results):
                    self.stats.inc_value(statskeys.WARC_STORED)
                    logger.info("Stored WARC file %s", storage.uri)
        finally:
            self.context.release()  # whatever happens, the run summary must not wait forever

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            self._rotate()
            for deferred in list(self._stores):
                await maybe_deferred_to_future(deferred)
        finally:
            self.context.release()
