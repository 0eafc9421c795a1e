"""Validate: required fields present and a body long enough to be an article."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import conf, statskeys
from newsbot.drops import Drop
from newsbot.pipelines.base import CountingPipeline

REQUIRED_FIELDS = ("url", "canonical_url", "title", "body")


def body_chars(body: list[str]) -> int:
    """Length of the body in characters, paragraphs counted without their separators."""
    return sum(len(p) for p in body)


class ValidatePipeline(CountingPipeline):
    """Drops an item that lacks a required field (reason ``missing:<field>``, for ``url``,
    ``canonical_url``, ``title``, ``body``) or whose body is shorter than
    ``NEWSBOT_MIN_BODY_CHARS`` characters (default 200; reason ``too_short``).

    Stats: ``newsbot/validate/ok``, ``newsbot/validate/missing/<field>``,
    ``newsbot/validate/too_short``.
    """

    stats_prefix = statskeys.VALIDATE_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        self.min_body_chars = conf.getint(s, "NEWSBOT_MIN_BODY_CHARS")

    def process_item(self, item: Any) -> Any:
        """Return the item, or raise ``Drop`` with the first problem found."""
        adapter = ItemAdapter(item)
        for name in REQUIRED_FIELDS:
            value = adapter.get(name)
            if not value or (isinstance(value, str) and not value.strip()):
                self._inc(f"missing/{name}")
                raise Drop(f"missing:{name}")
        chars = body_chars(adapter["body"])
        if chars < self.min_body_chars:
            self._inc("too_short")
            raise Drop("too_short", f"{chars} < {self.min_body_chars} characters")
        self._inc("ok")
        return item
