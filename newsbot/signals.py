"""Signals of newsbot's own, beside Scrapy's."""

#: Sent when a fetched page does not become an article. Arguments: ``url``, ``reason``,
#: ``detail``, ``outlet_id``, ``response`` (may be None when no response arrived).
page_dropped = object()
