"""Shared fixtures: the bundled sample web, served for real on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsbot.sampleweb.server import SampleWebServer, serve


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
