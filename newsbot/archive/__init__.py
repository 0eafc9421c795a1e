"""Raw pages in WARC files: archiving while crawling, re-extraction, and backfill from CC-NEWS.

Modules: ``records`` (reading WARC files robustly: gzip member by member, every record either a
capture or a counted drop), ``convert`` (a capture to an article, the same way the spider does
it), ``writer`` (the Scrapy extension that archives every response reaching the spider),
``sources`` (local files, HTTP(S) and S3, resumable at a byte offset; CC-NEWS monthly listings),
``reextract`` (``python -m newsbot reextract``), ``pipeline`` (incremental state that compares
capture times), ``backfill`` (``python -m newsbot backfill``; the spider is
``newsbot.spiders.backfill``).
"""
