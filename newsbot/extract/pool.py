"""Extraction in worker processes, so that a crawl can use more than one core.

Scrapy keeps the network, the scheduler, the pipelines and the feed in the crawl process; with
``NEWSBOT_EXTRACT_WORKERS = N`` (N > 0) the spider hands each article page's bytes to one of N
worker processes (:class:`ExtractionPool`) and awaits the :class:`~newsbot.items.Article` it
returns. With 0 (the default) pages are extracted in the crawl process. Workers are started with
``spawn`` (a clean interpreter: no threads or sockets of the crawl inherited) and warmed up when
the pool opens; their clock is the crawl's (``NEWSBOT_NOW`` is inherited, ``fetched_at`` is
passed along) and so are their profiles (``NEWSBOT_PROFILES_DIR``).

It pays when extraction, not the network, limits a crawl (backfills, re-extraction, fast local
mirrors) and a core is free; a polite crawl of live sites spends its time waiting, and each
worker costs its own memory (the extraction libraries, about 100 MB).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from newsbot.extract.api import extract_html
from newsbot.extract.guard import ExtractionError
from newsbot.extract.profiles import use_profiles
from newsbot.items import Article

#: What a worker returns: ("ok", article, misses, cpu seconds) or ("drop", reason, detail,
#: misses, cpu seconds); misses are the profile fields that matched nothing.
Outcome = tuple[Any, ...]


def _init_worker(profiles_dir: str | None) -> None:
    """Use the crawl's extraction profiles (``NEWSBOT_PROFILES_DIR``) in the worker."""
    use_profiles(profiles_dir)


def _warm_up() -> int:
    """Import and exercise the extractor once (profiles, registry, vocabularies)."""
    with contextlib.suppress(ExtractionError):
        extract_html("<html><body><p>-</p></body></html>", "https://example.invalid/")
    return os.getpid()


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (``VmHWM``; 0.0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _worker_peak() -> tuple[int, float]:
    return os.getpid(), peak_rss_mb()


def extract_outcome(body: bytes, url: str, encoding: str | None, fetched_at: str) -> Outcome:
    """Extract one page in a worker; errors come back as values (ExtractionError does not
    survive pickling with its reason)."""
    started = time.process_time()
    misses: list[str] = []
    try:
        article = extract_html(body, url, encoding=encoding, fetched_at=fetched_at, misses=misses)
    except ExtractionError as exc:
        return ("drop", exc.reason, exc.detail, misses, time.process_time() - started)
    return ("ok", article, misses, time.process_time() - started)


class ExtractionPool:
    """``workers`` extraction processes fed from the crawl's event loop."""

    def __init__(self, workers: int, profiles_dir: str | None = None):
        if workers < 1:
            raise ValueError("an extraction pool needs at least one worker")
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(profiles_dir,),
        )
        #: CPU seconds the workers spent extracting.
        self.cpu_seconds = 0.0

    def warm_up(self) -> None:
        """Start every worker and load the extractor in it (blocks until they are ready)."""
        futures = [self._executor.submit(_warm_up) for _ in range(self.workers * 2)]
        for future in futures:
            future.result()

    async def extract(self, body: bytes, url: str, encoding: str | None,
                      fetched_at: str, misses: list[str] | None = None) -> Article:
        """The article of a page (raises :class:`ExtractionError` like ``extract_html``);
        ``misses`` receives the profile fields that matched nothing on it."""
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(
            self._executor, extract_outcome, body, url, encoding, fetched_at
        )
        self.cpu_seconds += outcome[-1]
        if misses is not None:
            misses.extend(outcome[-2])
        if outcome[0] == "drop":
            raise ExtractionError(outcome[1], outcome[2])
        return outcome[1]

    def peak_rss_mb(self) -> float:
        """The largest peak RSS (MB) among the workers (asked of each, as far as they answer)."""
        futures = [self._executor.submit(_worker_peak) for _ in range(self.workers * 4)]
        peaks = dict(f.result() for f in futures)
        return max(peaks.values(), default=0.0)

    def close(self) -> None:
        """Stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)
