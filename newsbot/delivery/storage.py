"""Scrapy feed storages that write through the spool (``FEED_STORAGES`` for ``file`` and ``s3``).

``open()`` creates a spool entry and returns its data file; ``store()`` seals the entry (unless
the feed exporter already sealed it with the run's other feeds) and stores it in a worker
thread: local feeds are renamed into place, S3 feeds uploaded with botocore (timeouts and
retries from ``NEWSBOT_S3_CONNECT_TIMEOUT``, ``NEWSBOT_S3_READ_TIMEOUT``,
``NEWSBOT_S3_MAX_ATTEMPTS``). Only after the store succeeds are the feed's articles marked
delivered. On failure ``store()`` raises :class:`~newsbot.delivery.errors.DeliveryError` and the
feed stays complete in the spool.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any

from scrapy import Spider
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.defer import deferred_from_coro

from newsbot.delivery.addon import configured_bucket
from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.errors import DeliveryError
from newsbot.delivery.spool import SpoolEntry
from newsbot.delivery.targets import redact_url, split_s3_uri

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred


class SpoolFeedStorage:
    """Base class: a feed storage whose file lives in the spool until it is stored."""

    def __init__(
        self,
        uri: str,
        *,
        feed_options: dict[str, Any] | None = None,
        context: DeliveryContext,
    ):
        self.uri = uri
        self.feed_options = feed_options or {}
        self.context = context
        context.target_for(uri)  # refuses a bad URI (or credentials in it) before the crawl
        self.entry: SpoolEntry | None = None
        self._file: IO[bytes] | None = None
        self.failure: str | None = None

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> SpoolFeedStorage:
        """Build the storage for ``uri`` with the crawler's delivery context."""
        return cls(uri, feed_options=feed_options, context=DeliveryContext.for_crawler(crawler))

    def _endpoint(self) -> str | None:
        return None

    def _s3_key(self) -> str | None:
        return None

    def open(self, spider: Spider) -> IO[bytes]:
        """A new spool entry's data file, for the exporter to write the feed into."""
        self.entry = self.context.spool.create(
            self.uri,
            spider=spider.name,
            format=str(self.feed_options.get("format") or "jsonlines"),
            endpoint=self._endpoint(),
            s3_key=self._s3_key(),
            state_id=self.context.state_id,
        )
        self._file = open(self.entry.data_path, "wb")  # noqa: SIM115
        return self._file

    def finish(self, file: IO[bytes]) -> SpoolEntry:
        """Flush, sync and close the data file; return the (still unsealed) entry."""
        if self.entry is None:
            raise RuntimeError("feed storage was never opened")
        if not file.closed:
            file.flush()
            os.fsync(file.fileno())
            file.close()
        return self.entry

    def store(self, file: IO[bytes]) -> Deferred[None]:
        """Seal the entry if needed, then store it in a worker thread."""
        if self.entry is not None and not self.entry.sealed and self.failure is None:
            self.context.seal([self.finish(file)])
        return deferred_from_coro(run_in_thread(self._store_in_thread))

    def _store_in_thread(self) -> None:
        if self.failure is not None:
            raise DeliveryError(self.failure, target=self.uri)
        if self.entry is None:
            return
        self.context.deliver(self.entry)


class SpoolFileFeedStorage(SpoolFeedStorage):
    """Local feed files (``file://`` URIs and plain paths), renamed into place when complete.

    A feed is never appended to an existing file: feed names carry the run's time stamp."""


class SpoolS3FeedStorage(SpoolFeedStorage):
    """``s3://BUCKET/KEY`` feeds, uploaded with botocore when complete."""

    def _endpoint(self) -> str | None:
        endpoint = self.context.s3.endpoint_url
        return redact_url(endpoint) if endpoint else None

    def _s3_key(self) -> str | None:
        # The bucket from NEWSBOT_S3_BUCKET is kept as "whatever bucket is configured": a feed
        # spooled for a misspelled bucket goes to the corrected one.
        bucket, key = split_s3_uri(self.uri)
        return key if bucket == configured_bucket(self.context.settings) else None
