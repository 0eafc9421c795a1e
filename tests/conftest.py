"""Shared fixtures: the bundled sample web, served for real on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsbot.sampleweb.server import SampleWebServer, serve
from tests.crawling import CrawlResult, run_crawl


@pytest.fixture(scope="session")
def sample_web() -> Iterator[str]:
    """Base URL of the sample-web server, running for the whole session."""
    server = serve(port=0)
    try:
        yield server.base_url
    finally:
        server.close()


@pytest.fixture(scope="module")
def web() -> Iterator[SampleWebServer]:
    """A sample-web server of the test module's own, so its access log holds that module's
    crawls only."""
    with serve(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def crawl(web: SampleWebServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """One full ``scrapy crawl bn_world`` of the sample web, shared by a test module."""
    result = run_crawl(tmp_path_factory.mktemp("crawl"), web.base_url)
    assert result.returncode == 0, result.log[-3000:]
    return result
