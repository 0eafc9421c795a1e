"""The S3 feed, configured from settings or the environment (a Scrapy add-on, so that
``-s NEWSBOT_S3_BUCKET=...`` on the command line works as well as the environment).

=========================== ====================================================================
setting / env variable      meaning
=========================== ====================================================================
``NEWSBOT_S3_BUCKET``       bucket; when set, feeds go to S3
``NEWSBOT_S3_PREFIX``       key prefix (e.g. ``corpus/world``; default none)
``NEWSBOT_S3_GZIP``         ``1``: gzip the feed (``.jsonl.gz``, Scrapy's GzipPlugin)
``NEWSBOT_S3_BATCH_ITEMS``  start a new file every N items (``-00001``, ``-00002`` … suffixes)
``NEWSBOT_S3_KEEP_LOCAL``   ``1``: keep the local feeds as well (default: S3 replaces them);
                            with batches they are batched alike (``-%(batch)s`` added)
``AWS_ENDPOINT_URL``        S3-compatible endpoint (default: AWS)
=========================== ====================================================================

A setting wins over the environment variable of the same name. Keys look like
``s3://BUCKET/PREFIX/bn_world/2026/11/29/20261129T194120Z[-00001].jsonl[.gz]``; a worker of a
shared run (``NEWSBOT_REDIS_URL``) writes ``…/2026/11/29/<run>/<worker>/20261129T194120Z.jsonl``.
Credentials: environment only (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, …).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from scrapy.settings import BaseSettings

from newsbot.delivery.uri import has_batch_placeholder
from newsbot.services import setting_or_env

GZIP_PLUGIN = "scrapy.extensions.postprocessing.GzipPlugin"
_TRUE = {"1", "true", "yes", "on"}


def _value(settings: BaseSettings, name: str) -> str:
    return setting_or_env(settings, name)


def configured_bucket(settings: BaseSettings) -> str:
    """The bucket ``NEWSBOT_S3_BUCKET`` names now (setting, else environment; '' if none)."""
    return _value(settings, "NEWSBOT_S3_BUCKET")


def configured_prefix(settings: BaseSettings) -> str:
    """The key prefix ``NEWSBOT_S3_PREFIX`` names now, without slashes at either end."""
    return _value(settings, "NEWSBOT_S3_PREFIX").strip("/")


def s3_feed_uri(
    bucket: str, prefix: str = "", *, gzip: bool = False, batched: bool = False,
    shared: bool = False,
) -> str:
    """The S3 feed URI template for ``bucket`` and ``prefix``; a worker of a shared run
    (``shared``) writes under ``<run>/<worker>/`` so that workers never overwrite each other."""
    prefix = prefix.strip("/")
    path = f"{prefix}/" if prefix else ""
    name = "%(stamp)s" + ("-%(batch)s" if batched else "") + ".jsonl" + (".gz" if gzip else "")
    if shared:
        name = "%(run)s/%(worker)s/" + name
    return f"s3://{bucket}/{path}%(name)s/%(year)s/%(month)s/%(day)s/{name}"


def batched_uri(template: str) -> str:
    """``template`` naming each batch: ``-%(batch)s`` before the file name's extensions
    (unchanged when it already has a batch placeholder)."""
    if has_batch_placeholder(template):
        return template
    head, sep, name = template.rpartition("/")
    stem, dot, extensions = name.partition(".")
    return f"{head}{sep}{stem}-%(batch)s{dot}{extensions}"


def s3_feed(settings: BaseSettings) -> tuple[str, dict[str, Any]] | None:
    """(URI template, feed options) of the S3 feed the settings/environment ask for, if any."""
    bucket = configured_bucket(settings)
    if not bucket:
        return None
    gzip = _value(settings, "NEWSBOT_S3_GZIP").lower() in _TRUE
    batch = int(_value(settings, "NEWSBOT_S3_BATCH_ITEMS") or 0)
    uri = s3_feed_uri(bucket, _value(settings, "NEWSBOT_S3_PREFIX"), gzip=gzip, batched=batch > 0,
                      shared=bool(_value(settings, "NEWSBOT_REDIS_URL")))
    base: dict[str, Any] = {}
    for template, options in settings.getdict("FEEDS").items():
        if urlparse(str(template)).scheme in ("", "file"):
            base = dict(options or {})
            break
    options = {
        **{k: v for k, v in base.items() if k in ("fields", "item_classes", "item_filter")},
        "format": "jsonlines",
        "encoding": "utf-8",
        "store_empty": base.get("store_empty", settings.getbool("FEED_STORE_EMPTY")),
        "batch_item_count": batch,
    }
    if gzip:
        options["postprocessing"] = [GZIP_PLUGIN]
    return uri, options


class DeliveryAddon:
    """Adds the S3 feed to ``FEEDS`` when ``NEWSBOT_S3_BUCKET`` is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Add (or swap in) the S3 feed."""
        feed = s3_feed(settings)
        if feed is None:
            return
        uri, options = feed
        keep_local = _value(settings, "NEWSBOT_S3_KEEP_LOCAL").lower() in _TRUE
        batch = options["batch_item_count"]
        feeds = {}
        for template, feed_options in settings.getdict("FEEDS").items():
            if urlparse(str(template)).scheme not in ("", "file"):
                feeds[template] = feed_options
            elif keep_local and batch:
                # the exporter requires one batch size for all feeds of a run
                feeds[batched_uri(str(template))] = {
                    **(feed_options or {}),
                    "batch_item_count": batch,
                }
            elif keep_local:
                feeds[template] = feed_options
        feeds[uri] = options
        settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "addon")
