"""Feed delivery: every feed file is written to a spool directory and only leaves it once it is
stored (atomic rename for local files, upload for ``s3://``); the articles it holds are then
marked delivered in the incremental state. A feed that cannot be stored stays complete in the
spool and is stored by the next run or by ``python -m newsbot deliver``.

Modules: ``uri`` (feed URI parameters), ``spool`` (the spool directory), ``targets`` (where
feeds go: local files, S3), ``storage`` (Scrapy feed storages), ``exporter`` (the feed exporter
that seals and delivers), ``context`` (per-run delivery bookkeeping), ``addon`` (S3 feed from
``NEWSBOT_S3_BUCKET``), ``cli`` (``python -m newsbot deliver``), ``rebuild`` (``python -m newsbot
state rebuild``: the state store's delivery records from the stored feeds and the spool).
"""
