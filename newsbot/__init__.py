"""newsbot: a Scrapy project that turns Bengali world-news pages into a clean, de-duplicated,
outlet-attributed corpus delivered as JSON Lines feeds."""

__version__ = "0.1.0"
