"""Why a page or an item did not become a feed line.

Every page fetched ends as an article in the feed or as a drop with a reason; the reason is
counted under ``newsbot/drop/<reason>`` (:func:`newsbot.statskeys.drop`) in the crawl stats and
logged with the URL.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Drop(DropItem):
    """An item dropped for ``reason`` (a short code such as ``language:en`` or ``too_short``)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def drop_reason(exc: BaseException) -> str:
    """The reason code of a drop exception (``other`` for a plain DropItem)."""
    return getattr(exc, "reason", None) or "other"

