"""Settings of ``scrapy crawl bn_world`` in the crawl benchmark: newsbot's settings for the
sample web (:mod:`newsbot.sampleweb.settings`) with the benchmark's instruments
(:mod:`bench.crawlprobe`, :mod:`bench.crawltimers`) added. Politeness is switched off on the
command line by the benchmark, explicitly."""

from newsbot.sampleweb.settings import *  # noqa: F403
from newsbot.sampleweb.settings import EXTENSIONS as _EXTENSIONS

_EXPORTER = "newsbot.delivery.exporter.DeliveryFeedExporter"
EXTENSIONS = {
    **{k: v for k, v in _EXTENSIONS.items() if k != _EXPORTER},
    "bench.crawltimers.TimedFeedExporter": 0,
    "bench.crawlprobe.CrawlProbe": 900,
}
ITEM_PROCESSOR = "bench.crawltimers.TimedPipelineManager"
