"""Settings of crawls of the bundled sample web — the demo's, the tests' and the benchmarks'
only: newsbot's production settings (:mod:`newsbot.settings`) with every download routed to the
local sample-web server. Production never loads this module.

Use it with ``SCRAPY_SETTINGS_MODULE=newsbot.sampleweb.settings`` and
``NEWSBOT_SAMPLE_WEB=http://127.0.0.1:PORT`` (e.g. ``serve().base_url``) in the crawl's
environment: each request then goes to that server under its original URL and Host
(:mod:`newsbot.sampleweb.handler`), so the crawl runs offline unchanged.
"""

import os

from newsbot import default_settings
from newsbot.settings import *  # noqa: F403

NEWSBOT_SAMPLE_WEB = os.environ.get("NEWSBOT_SAMPLE_WEB", default_settings.NEWSBOT_SAMPLE_WEB)
DOWNLOAD_HANDLERS = {
    "http": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
    "https": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
}
# The sample web is on this machine: no need to space requests out.
DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_START_DELAY = 0.0
