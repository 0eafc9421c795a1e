"""The spool directory (setting ``NEWSBOT_SPOOL_DIR``, default ``.newsbot/spool``).

Every feed file is written here first, as ``<id>.data`` with a manifest ``<id>.json`` naming its
target URI. When the feed is complete the entry is *sealed*: the data is synced to disk, its size
and SHA-256 recorded in the manifest. Only sealed entries are ever stored; an unsealed entry left
by a killed run is discarded (its articles were not delivered, so the next run emits them again).

Several entries closed together (one per feed of a run) are sealed as a group: a ``<id>.seal``
file listing them all is written atomically before the manifests are updated, so after a crash
either all of them count as complete or none does.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from newsbot import clock, default_settings
from newsbot.fileio import fsync_dir, write_atomic
from newsbot.state import FeedRecord, fingerprint

logger = logging.getLogger(__name__)

MANIFEST = ".json"
DATA = ".data"
GROUP = ".seal"
QUARANTINE = "quarantine"
PROBE = ".write-probe"
GZIP_MAGIC = b"\x1f\x8b"
#: Feed formats whose lines can be read back to mark articles delivered.
READABLE_FORMATS = frozenset({"jsonlines", "jsonl", "json"})
#: Formats of files spooled and delivered like feeds that hold no articles (raw-page archives).
ARCHIVE_FORMATS = frozenset({"warc"})
#: Unsealed entries of a process that may still be alive are kept this long at most.
STALE_AFTER = timedelta(days=2)
#: Marks the entries this process creates (PIDs repeat: in a container every run is PID 1).
PROCESS_TOKEN = secrets.token_hex(8)

_counter = itertools.count(1)


@dataclass
class SpoolEntry:
    """One feed file in the spool."""

    id: str
    uri: str
    spider: str = ""
    created: str = ""
    pid: int = 0
    owner: str = ""
    format: str = "jsonlines"
    endpoint: str | None = None
    #: The object key when the bucket is "the configured one" (``NEWSBOT_S3_BUCKET``): the feed
    #: is stored under that key in whatever bucket is configured at delivery.
    s3_key: str | None = None
    #: The id of the state store the entry's articles are recorded in (see newsbot.state).
    state_id: str | None = None
    sealed: bool = False
    size: int | None = None
    sha256: str | None = None
    items: int | None = None
    spool_dir: Path = field(
        default=Path(default_settings.NEWSBOT_SPOOL_DIR), repr=False, compare=False
    )

    @property
    def data_path(self) -> Path:
        """The feed bytes (compressed when the feed is gzipped)."""
        return self.spool_dir / f"{self.id}{DATA}"

    @property
    def manifest_path(self) -> Path:
        """The entry's manifest."""
        return self.spool_dir / f"{self.id}{MANIFEST}"

    def to_dict(self) -> dict[str, Any]:
        """The manifest content."""
        data = asdict(self)
        data.pop("spool_dir")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], spool_dir: Path) -> SpoolEntry:
        """An entry from its manifest content."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known.pop("spool_dir", None)
        return cls(**known, spool_dir=spool_dir)


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of the file at ``path``."""
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
            size += len(block)
    return size, sha.hexdigest()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Spool:
    """A spool directory."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.dir = Path(directory)

    def create(
        self,
        uri: str,
        *,
        spider: str = "",
        format: str = "jsonlines",
        endpoint: str | None = None,
        s3_key: str | None = None,
        state_id: str | None = None,
    ) -> SpoolEntry:
        """A new, unsealed entry for a feed going to ``uri`` (its data file is not opened)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        now = clock.now()
        entry_id = (
            f"{now:%Y%m%dT%H%M%S}{now.microsecond:06d}Z-{os.getpid()}-{next(_counter):04d}"
            f"-{secrets.token_hex(2)}"
        )
        entry = SpoolEntry(
            id=entry_id,
            uri=uri,
            spider=spider,
            created=now.isoformat(timespec="seconds"),
            pid=os.getpid(),
            owner=PROCESS_TOKEN,
            format=format,
            endpoint=endpoint,
            s3_key=s3_key,
            state_id=state_id,
            spool_dir=self.dir,
        )
        write_atomic(entry.manifest_path, self._manifest_bytes(entry))
        return entry

    @staticmethod
    def _manifest_bytes(entry: SpoolEntry) -> bytes:
        return json.dumps(entry.to_dict(), indent=1, sort_keys=True).encode("utf-8")

    def seal(self, entries: list[SpoolEntry]) -> None:
        """Seal ``entries`` together. Their data files must be complete, flushed and closed."""
        if not entries:
            return
        for entry in entries:
            size, sha = file_digest(entry.data_path)
            with open(entry.data_path, "rb") as fh:
                os.fsync(fh.fileno())
            entry.size, entry.sha256, entry.sealed = size, sha, True
            entry.items = count_items(entry)
        group = self.dir / f"{entries[0].id}{GROUP}"
        write_atomic(group, json.dumps([e.to_dict() for e in entries]).encode("utf-8"))
        for entry in entries:
            write_atomic(entry.manifest_path, self._manifest_bytes(entry))
        group.unlink(missing_ok=True)
        fsync_dir(self.dir)

    def rewrite(self, entry: SpoolEntry) -> None:
        """Write the entry's manifest again (after changing it)."""
        write_atomic(entry.manifest_path, self._manifest_bytes(entry))

    def check_writable(self) -> None:
        """Raise OSError unless a file can be created, written, synced and removed in the
        spool directory (a read-only or full disk, or a file where the directory should be)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        probe = self.dir / PROBE  # only the holder of the run lock writes it
        try:
            with open(probe, "wb") as fh:
                fh.write(b"newsbot spool probe\n" * 256)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            probe.unlink(missing_ok=True)

    def intact(self, entry: SpoolEntry) -> bool:
        """Whether the sealed entry's data still has the size and SHA-256 its seal recorded."""
        if entry.size is None or entry.sha256 is None:
            return False
        return file_digest(entry.data_path) == (entry.size, entry.sha256)

    def quarantine(self, entry: SpoolEntry) -> Path:
        """Move a damaged entry (data and manifest) to ``quarantine/`` in the spool, out of the
        way of every later delivery; returns that folder."""
        folder = self.dir / QUARANTINE
        folder.mkdir(parents=True, exist_ok=True)
        for path in (entry.data_path, entry.manifest_path):
            if path.exists():
                os.replace(path, folder / path.name)
        fsync_dir(folder)
        fsync_dir(self.dir)
        return folder

    def _finish_interrupted_seals(self) -> None:
        for group in sorted(self.dir.glob(f"*{GROUP}")):
            try:
                listed = json.loads(group.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("Ignoring unreadable spool seal file %s", group)
                group.unlink(missing_ok=True)
                continue
            for data in listed:
                entry = SpoolEntry.from_dict(data, self.dir)
                write_atomic(entry.manifest_path, self._manifest_bytes(entry))
            group.unlink(missing_ok=True)

    def entries(self) -> list[SpoolEntry]:
        """Every entry (sealed or not), oldest first."""
        if not self.dir.is_dir():
            return []
        self._finish_interrupted_seals()
        found = []
        for path in sorted(self.dir.glob(f"*{MANIFEST}")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.warning("Ignoring unreadable spool manifest %s", path)
                continue
            found.append(SpoolEntry.from_dict(data, self.dir))
        return found

    def sealed(self) -> list[SpoolEntry]:
        """Entries complete and waiting to be stored, oldest first."""
        return [e for e in self.entries() if e.sealed]

    def discard_stale(self, *, exclusive: bool) -> list[SpoolEntry]:
        """Remove unsealed entries left by processes that died before sealing them.

        With ``exclusive`` (the caller holds the run lock) every unsealed entry of another
        process is stale; otherwise only those whose process is gone or that are very old.
        Entries are told apart by a token of the process that created them, not by PID. Data
        files without a manifest (left by a removal that was cut short) are deleted.
        """
        removed = []
        now = clock.now()
        entries = self.entries()
        if exclusive:
            named = {e.data_path.name for e in entries}
            for path in self.dir.glob(f"*{DATA}"):
                if path.name not in named:
                    path.unlink(missing_ok=True)
        for entry in entries:
            if entry.sealed or entry.owner == PROCESS_TOKEN:
                continue
            created = _created(entry)
            old = created is not None and now - created > STALE_AFTER
            if exclusive or old or not _pid_alive(entry.pid):
                self.remove(entry)
                removed.append(entry)
        return removed

    def remove(self, entry: SpoolEntry) -> None:
        """Delete the entry's manifest and then its data (a data file without a manifest is
        never read; :meth:`discard_stale` deletes it)."""
        entry.manifest_path.unlink(missing_ok=True)
        fsync_dir(self.dir)
        entry.data_path.unlink(missing_ok=True)
        fsync_dir(self.dir)


def _created(entry: SpoolEntry) -> datetime | None:
    try:
        return datetime.fromisoformat(entry.created)
    except ValueError:
        return None


# -- reading feed files ---------------------------------------------------------------------------


def open_feed(path: Path) -> IO[bytes]:
    """Open a feed file for reading, decompressing it when it is gzip."""
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")
    return open(path, "rb")


def iter_feed_objects(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines or JSON (array) feed file."""
    with open_feed(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        head = text.read(1)
        while head and head.isspace():
            head = text.read(1)
        if not head:
            return
        if head == "[":
            data = json.loads(head + text.read())
            yield from (obj for obj in data if isinstance(obj, dict))
            return
        first = head + text.readline()
        for line in itertools.chain([first], text):
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            if isinstance(obj, dict):
                yield obj


def count_items(entry: SpoolEntry) -> int | None:
    """How many records the entry's feed holds (None for formats other than JSON/JSON Lines)."""
    if entry.format not in READABLE_FORMATS:
        return None
    try:
        return sum(1 for _ in iter_feed_objects(entry.data_path))
    except (OSError, ValueError, EOFError):
        return None


def _records(objects: Iterable[dict[str, Any]]) -> Iterator[FeedRecord]:
    for obj in objects:
        canonical = obj.get("canonical_url") or obj.get("url")
        if not canonical:
            continue
        yield FeedRecord(
            canonical_url=str(canonical),
            fingerprint=fingerprint(obj.get("title"), obj.get("body")),
            revision=int(obj.get("revision") or 0),
            outlet_id=obj.get("outlet_id"),
            url=obj.get("url"),
            published=obj.get("published"),
        )


def feed_records(objects: Iterable[dict[str, Any]]) -> list[FeedRecord]:
    """Delivery records of feed objects (objects without a URL are skipped)."""
    return list(_records(objects))


def iter_feed_records(path: Path) -> Iterator[FeedRecord]:
    """Delivery records of the feed file at ``path``, one at a time (see
    :func:`read_feed_records`)."""
    return _records(iter_feed_objects(path))


def read_feed_records(path: Path) -> list[FeedRecord]:
    """Delivery records of every line of the feed file at ``path`` (gzip or plain)."""
    return feed_records(iter_feed_objects(path))
