"""Bundled offline sample web of Bengali world news (package data; no network).

``serve()`` starts a local HTTP server answering under the outlets' own host names;
``handler.SampleWebDownloadHandler`` routes a Scrapy crawl to it when ``NEWSBOT_SAMPLE_WEB`` is set
(enabled by ``settings``, the demo's and the tests' settings module — never by production's);
``expected`` holds the ground truth the crawl should produce.
"""

from .server import SampleWebServer, serve

__all__ = ["SampleWebServer", "serve"]
