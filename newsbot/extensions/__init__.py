"""Scrapy extensions: drop accounting, the rejects feed, the run summary and the outlet canary."""
