"""Where feeds go: local files (atomic rename out of the spool) and S3 (botocore ``put_object``
with bounded timeouts and retries).

S3 credentials come only from the environment (botocore's standard chain: ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_PROFILE``, instance roles); settings
that carry credentials are refused. Error messages never contain them.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from scrapy.settings import BaseSettings
from w3lib.url import file_uri_to_path

from newsbot import conf
from newsbot.delivery.errors import DeliveryError, FeedConfigError
from newsbot.delivery.spool import GZIP_MAGIC, SpoolEntry, file_digest
from newsbot.fileio import fsync_dir

#: Object metadata key holding the SHA-256 of the uploaded bytes (to recognise a finished upload).
SHA_METADATA = "newsbot-sha256"
CREDENTIAL_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


class Target(ABC):
    """A place one feed file is stored."""

    uri: str

    @property
    @abstractmethod
    def breaker_key(self) -> str:
        """Targets sharing this key fail together (same endpoint and bucket, or local disk)."""

    @abstractmethod
    def store(self, entry: SpoolEntry) -> None:
        """Store the sealed entry's data; raise :class:`DeliveryError` on failure."""

    @abstractmethod
    def holds(self, entry: SpoolEntry) -> bool:
        """Whether the target already holds exactly the entry's data (an earlier run stored it
        but died before its bookkeeping)."""

    @abstractmethod
    def stored_copy(self, entry: SpoolEntry) -> Path:
        """A local file with the stored bytes, to read the delivered lines from."""


# -- local files ----------------------------------------------------------------------------------


def local_path(uri: str) -> Path:
    """The filesystem path of a ``file://`` URI or a plain path."""
    return Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)


class FileTarget(Target):
    """A local file, written by renaming the spooled file into place (atomic on one filesystem;
    across filesystems, copied beside the destination and renamed)."""

    def __init__(self, uri: str):
        self.uri = uri
        self.path = local_path(uri)

    @property
    def breaker_key(self) -> str:
        return f"file:{self.path.parent}"

    def store(self, entry: SpoolEntry) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(entry.data_path, self.path)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                tmp = self.path.with_name(f".{self.path.name}.{entry.id}.tmp")
                shutil.copyfile(entry.data_path, tmp)
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
                entry.data_path.unlink(missing_ok=True)
            fsync_dir(self.path.parent)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write {self.path}: {exc.strerror or exc}", target=self.uri
            ) from None

    def holds(self, entry: SpoolEntry) -> bool:
        if not self.path.is_file():
            return False
        size, sha = file_digest(self.path)
        return size == entry.size and sha == entry.sha256

    def stored_copy(self, entry: SpoolEntry) -> Path:
        return self.path


# -- S3 -------------------------------------------------------------------------------------------


_USERINFO_RE = re.compile(r"^(\w[\w+.-]*://)?[^/?#]*@")


def redact_url(url: str) -> str:
    """``url`` with any user name, password and query replaced by ``***`` (for messages)."""
    url = _USERINFO_RE.sub(lambda m: f"{m.group(1) or ''}***@", url)
    head, sep, _ = url.partition("?")
    return f"{head}?***" if sep else head


def _endpoint_setting(settings: BaseSettings) -> str:
    return str(settings.get("AWS_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL") or "")


def check_no_credentials_in_settings(settings: BaseSettings) -> None:
    """Refuse S3 credentials given as settings (they belong in the environment only), and an
    ``AWS_ENDPOINT_URL`` (setting or environment) that carries credentials (``user:secret@``
    or a signed query): it would reach logs, summaries and spool manifests."""
    given = [name for name in CREDENTIAL_SETTINGS if settings.get(name)]
    if given:
        raise FeedConfigError(
            f"S3 credentials must come from the environment, not from settings; remove the "
            f"setting(s) {', '.join(given)} and export them as environment variables instead"
        )
    endpoint = _endpoint_setting(settings)
    if endpoint and (_USERINFO_RE.match(endpoint) or "?" in endpoint):
        raise FeedConfigError(
            f"AWS_ENDPOINT_URL must not carry credentials ({redact_url(endpoint)}); give "
            "only scheme, host and port, and export AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY instead"
        )


@dataclass(frozen=True)
class S3Config:
    """How to reach S3 (no credentials here: botocore reads them from the environment)."""

    endpoint_url: str | None = None
    region: str = "us-east-1"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_attempts: int = 3
    addressing_style: str = "auto"
    #: Upload with ``If-None-Match: *``: an existing object is never replaced.
    conditional: bool = False
    #: Unsigned requests (public buckets such as Common Crawl's); no credentials are read.
    anonymous: bool = False

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> S3Config:
        """Endpoint (``AWS_ENDPOINT_URL`` setting or environment), region (``AWS_REGION_NAME``
        setting, ``AWS_REGION``/``AWS_DEFAULT_REGION`` environment), ``NEWSBOT_S3_*`` timeouts."""
        check_no_credentials_in_settings(settings)
        endpoint = _endpoint_setting(settings) or None
        region = (
            settings.get("AWS_REGION_NAME")
            or os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or "us-east-1"
        )
        return cls(
            endpoint_url=endpoint,
            region=region,
            connect_timeout=conf.getfloat(settings, "NEWSBOT_S3_CONNECT_TIMEOUT"),
            read_timeout=conf.getfloat(settings, "NEWSBOT_S3_READ_TIMEOUT"),
            max_attempts=max(1, conf.getint(settings, "NEWSBOT_S3_MAX_ATTEMPTS")),
            addressing_style=conf.get_or_default(settings, "NEWSBOT_S3_ADDRESSING_STYLE"),
            conditional=conf.getbool(settings, "NEWSBOT_S3_CONDITIONAL_PUT"),
        )

    def client(self) -> Any:
        """A botocore S3 client with this configuration.

        botocore's DEBUG log shows signed request headers (with the access key id); it is held
        at INFO whatever the crawl's log level."""
        import botocore.session
        from botocore import UNSIGNED
        from botocore.config import Config

        for name in ("botocore", "boto3", "s3transfer"):
            quiet = logging.getLogger(name)
            if quiet.getEffectiveLevel() < logging.INFO:
                quiet.setLevel(logging.INFO)

        session = botocore.session.get_session()
        return session.create_client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            config=Config(
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                # total_max_attempts counts the first try (max_attempts counts retries only)
                retries={"total_max_attempts": self.max_attempts, "mode": "standard"},
                s3={"addressing_style": self.addressing_style},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                **({"signature_version": UNSIGNED} if self.anonymous else {}),
            ),
        )

    @property
    def endpoint_label(self) -> str:
        """The endpoint as shown in messages (never with credentials)."""
        return redact_url(self.endpoint_url) if self.endpoint_url else f"AWS S3 ({self.region})"


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of ``s3://bucket/key``; refuses credentials in the URI."""
    parsed = urlparse(uri)
    if parsed.username or parsed.password:
        raise FeedConfigError(
            "S3 feed URIs must not contain credentials; export AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY instead"
        )
    if not parsed.hostname:
        raise FeedConfigError(f"S3 feed URI without a bucket: {uri}")
    return parsed.hostname, parsed.path.lstrip("/")


def describe_s3_error(exc: BaseException, config: S3Config, bucket: str) -> str:
    """One line saying why an S3 call failed, without secrets."""
    from botocore import exceptions as bx

    where = config.endpoint_label
    attempts = f"after {config.max_attempts} attempt{'s' if config.max_attempts > 1 else ''}"
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return (
            "no S3 credentials found in the environment (export AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY)"
        )
    if isinstance(exc, bx.ConnectTimeoutError):
        return (
            f"S3 endpoint {where} did not accept a connection within "
            f"{config.connect_timeout:g} s ({attempts})"
        )
    if isinstance(exc, bx.ReadTimeoutError):
        return f"S3 endpoint {where} did not answer within {config.read_timeout:g} s ({attempts})"
    if isinstance(exc, bx.EndpointConnectionError):
        return f"cannot connect to S3 endpoint {where} ({attempts})"
    if isinstance(exc, bx.ConnectionClosedError | bx.ConnectionError):
        return f"connection to S3 endpoint {where} failed: {type(exc).__name__} ({attempts})"
    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "")) or "error"
        message = str(error.get("Message", "")).strip()
        if code in ("NoSuchBucket", "404") and "Key" not in error:
            return f"S3 bucket {bucket!r} does not exist at {where}"
        if code in (
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "AccessDenied",
            "ExpiredToken",
            "InvalidToken",
            "403",
        ):
            return f"S3 at {where} refused the credentials from the environment ({code})"
        return f"S3 at {where} answered {code}: {message}" if message else f"S3 error {code}"
    if isinstance(exc, bx.BotoCoreError):
        return f"S3 client error: {exc}"
    return f"{type(exc).__name__}: {exc}"


class S3Target(Target):
    """An object in an S3 bucket (or an S3-compatible server)."""

    def __init__(self, uri: str, config: S3Config, client: Any | None = None):
        self.uri = uri
        self.bucket, self.key = split_s3_uri(uri)
        self.config = config
        self._client = client

    @property
    def client(self) -> Any:
        """The botocore client (created on first use)."""
        if self._client is None:
            self._client = self.config.client()
        return self._client

    @property
    def breaker_key(self) -> str:
        return f"s3:{self.config.endpoint_label}:{self.bucket}"

    def _fail(self, exc: BaseException) -> DeliveryError:
        return DeliveryError(describe_s3_error(exc, self.config, self.bucket), target=self.uri)

    def store(self, entry: SpoolEntry) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        extra = {"IfNoneMatch": "*"} if self.config.conditional else {}
        with open(entry.data_path, "rb") as fh:
            gz = fh.read(2) == GZIP_MAGIC
            fh.seek(0)
            try:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.key,
                    Body=fh,
                    ContentType="application/gzip" if gz else "application/x-ndjson",
                    Metadata={SHA_METADATA: entry.sha256 or ""},
                    **extra,
                )
            except ClientError as exc:
                if not (extra and _precondition_failed(exc)):
                    raise self._fail(exc) from None
                # the key exists: an earlier attempt of this very feed got through, or
                # something else sits there; either way it is never overwritten
                if not self.holds(entry):
                    raise DeliveryError(
                        f"s3://{self.bucket}/{self.key} already exists with other content; "
                        "not overwritten",
                        target=self.uri,
                    ) from None
            except BotoCoreError as exc:
                raise self._fail(exc) from None

    def holds(self, entry: SpoolEntry) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            # 403: a write-only policy may forbid reading; uploading the same bytes again is
            # harmless, and a real credential problem shows in the upload's error
            if code in ("404", "NoSuchKey", "NotFound", "403", "AccessDenied", "Forbidden"):
                return False
            raise self._fail(exc) from None
        except BotoCoreError as exc:
            raise self._fail(exc) from None
        meta = head.get("Metadata") or {}
        return meta.get(SHA_METADATA) == entry.sha256 and head.get("ContentLength") == entry.size

    def stored_copy(self, entry: SpoolEntry) -> Path:
        return entry.data_path


def _precondition_failed(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return str(error.get("Code", "")) in ("PreconditionFailed", "412") or status == 412


def make_target(uri: str, s3: S3Config | None = None) -> Target:
    """The target for a feed URI (``s3://`` or local)."""
    scheme = urlparse(uri).scheme
    if scheme == "s3":
        return S3Target(uri, s3 or S3Config())
    if scheme in ("", "file") or len(scheme) == 1:  # a Windows drive letter is a path
        return FileTarget(uri)
    raise FeedConfigError(f"newsbot cannot deliver feeds with the scheme {scheme!r}: {uri}")
