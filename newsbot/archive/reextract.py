"""``python -m newsbot reextract FILE.warc.gz… [-o FEED.jsonl]``: archived responses to records
with the current extraction and cleaning, without fetching anything.

Records have the live feed's schema (``revision`` 0: the incremental state is neither read nor
written; ``fetched_at`` is the capture time). Pages are extracted and cleaned in a process pool
(``-j``, default all cores); the output keeps the order of the input whatever the pool does.
Every record read ends as a line of the feed or as a counted drop, written to
``<feed>.rejects.jsonl`` beside it; ``<feed>.summary.json`` holds the counts, also printed at the
end. A progress bar shows on a terminal.

Exit codes: 0 done; 2 bad command line (or an input that does not exist); 4 an input could not
be read to its end (the rest was written).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsbot import clock
from newsbot.archive.convert import CaptureDrop, article_of
from newsbot.archive.records import Capture, Entry, iter_entries
from newsbot.archive.sources import SourceError, Sources, display_name
from newsbot.exitcodes import ExitCode
from newsbot.fileio import fsync_dir
from newsbot.items import record as feed_record

logger = logging.getLogger("newsbot.reextract")

#: Pages sent to a worker at a time, and batches in flight per worker.
BATCH = 8
IN_FLIGHT = 4

_CLEANER: Any = None
_OPTIONS: dict[str, Any] = {}


def _init_worker(overrides: dict[str, Any], all_bengali: bool) -> None:
    global _CLEANER
    from newsbot.cleaning import Cleaner

    _CLEANER = Cleaner(overrides or None)
    _OPTIONS["all_bengali"] = all_bengali


def process_capture(capture: Capture, all_bengali: bool = False) -> dict[str, Any]:
    """``{"record": …}`` or ``{"drop": reason, "detail", "record"}`` for one capture (in a
    worker: extraction and cleaning)."""
    try:
        article = article_of(capture, all_bengali=all_bengali)
    except CaptureDrop as exc:
        return {"drop": exc.reason, "detail": exc.detail, "url": capture.url,
                "outlet_id": capture.outlet_id}
    if _CLEANER is None:
        _init_worker({}, all_bengali)
    record, reason = _CLEANER.clean(article)
    if reason:
        return {"drop": reason, "detail": "", "url": article.url,
                "outlet_id": record.get("outlet_id"), "title": record.get("title")}
    return {"record": feed_record(record)}  # as the feed writes it: no internal fields


def _process_batch(captures: list[Capture]) -> list[dict[str, Any]]:
    return [process_capture(c, _OPTIONS.get("all_bengali", False)) for c in captures]


class Reextraction:
    """One run of the command: reading, the pool, writing, counting."""

    def __init__(self, inputs: list[str], output: Path, *, workers: int,
                 overrides: dict[str, Any], all_bengali: bool, progress: bool):
        self.inputs = inputs
        self.output = output
        self.rejects_path = output.with_name(_stem(output) + ".rejects.jsonl")
        self.summary_path = output.with_name(_stem(output) + ".summary.json")
        self.workers = max(1, workers)
        self.overrides = overrides
        self.all_bengali = all_bengali
        self.progress = progress
        self.sources = Sources()
        self.records: collections.Counter[str] = collections.Counter()
        self.drops: collections.Counter[str] = collections.Counter()
        self.items = 0
        self.pages = 0
        self.errors: list[str] = []
        self.emitted: set[str] = set()

    # -- reading ---------------------------------------------------------------------------------

    def entries(self, bar: Any) -> Iterator[tuple[str, Entry]]:
        for uri in self.inputs:
            name = display_name(uri)
            try:
                with self.sources.open(uri) as fh:
                    done = 0
                    for entry in iter_entries(fh):
                        bar.update(max(0, entry.next_offset - done))
                        done = max(done, entry.next_offset)
                        yield name, entry
            except (SourceError, OSError) as exc:
                logger.error("Cannot read %s to its end: %s", uri, exc)
                self.errors.append(f"{uri}: {exc}")

    # -- the run ---------------------------------------------------------------------------------

    def run(self) -> int:
        from tqdm import tqdm

        started = time.monotonic()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        part = self.output.with_name(f".{self.output.name}.part")
        rejects_part = self.rejects_path.with_name(f".{self.rejects_path.name}.part")
        total = sum(_size(u) for u in self.inputs)
        bar = tqdm(total=total or None, unit="B", unit_scale=True, desc="reextract",
                   disable=not self.progress, file=sys.stderr)
        with open(part, "w", encoding="utf-8") as out, \
                open(rejects_part, "w", encoding="utf-8") as rejects:
            self._out, self._rejects = out, rejects
            if self.workers == 1:
                _init_worker(self.overrides, self.all_bengali)
                for batch in self._batches(bar):
                    self._write(batch, _process_batch([c for _, _, c in batch]))
            else:
                self._pooled(bar)
            for handle in (out, rejects):
                handle.flush()
                os.fsync(handle.fileno())
        bar.close()
        os.replace(part, self.output)
        os.replace(rejects_part, self.rejects_path)
        fsync_dir(self.output.parent)
        summary = self.summary(time.monotonic() - started)
        self.summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
        self.report(summary)
        return ExitCode.SPIDER_ERRORS if self.errors else ExitCode.OK

    def _pooled(self, bar: Any) -> None:
        window: collections.deque[tuple[list[Any], Any]] = collections.deque()
        with concurrent.futures.ProcessPoolExecutor(
            self.workers, initializer=_init_worker,
            initargs=(self.overrides, self.all_bengali),
        ) as pool:
            for batch in self._batches(bar):
                window.append((batch, pool.submit(_process_batch, [c for _, _, c in batch])))
                while len(window) >= self.workers * IN_FLIGHT:
                    done, future = window.popleft()
                    self._write(done, future.result())
            while window:
                done, future = window.popleft()
                self._write(done, future.result())

    def _batches(self, bar: Any) -> Iterator[list[tuple[str, Entry, Capture]]]:
        batch: list[tuple[str, Entry, Capture]] = []
        for name, entry in self.entries(bar):
            self.records[entry.record_type or "unreadable"] += 1
            if entry.kind == "other":
                continue
            self.pages += 1
            if entry.kind == "drop" or entry.capture is None:
                self._reject(entry.reason or "warc_corrupt", entry.detail, entry.url, None,
                             name, entry.offset)
                continue
            batch.append((name, entry, entry.capture))
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _write(self, batch: list[tuple[str, Entry, Capture]],
               results: list[dict[str, Any]]) -> None:
        for (name, entry, _), result in zip(batch, results, strict=True):
            record = result.get("record")
            if record is None:
                self._reject(result["drop"], result.get("detail", ""), result.get("url", ""),
                             result.get("outlet_id"), name, entry.offset, result.get("title"))
                continue
            canonical = record.get("canonical_url") or record.get("url")
            if canonical in self.emitted:
                self._reject("duplicate_capture", canonical, record.get("url", ""),
                             record.get("outlet_id"), name, entry.offset, record.get("title"))
                continue
            self.emitted.add(canonical)
            self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.items += 1

    def _reject(self, reason: str, detail: str, url: str, outlet_id: str | None, name: str,
                offset: int, title: str | None = None) -> None:
        self.drops[reason] += 1
        logger.debug("Dropped %s: %s%s", url, reason, f" ({detail})" if detail else "")
        line = {"reason": reason, "detail": detail or None, "url": url, "outlet_id": outlet_id,
                "title": title, "warc": name, "offset": offset,
                "dropped_at": clock.now().isoformat()}
        self._rejects.write(json.dumps(line, ensure_ascii=False) + "\n")

    # -- the summary -----------------------------------------------------------------------------

    def summary(self, seconds: float) -> dict[str, Any]:
        """The counts of the run."""
        return {
            "inputs": self.inputs,
            "output": str(self.output),
            "rejects": str(self.rejects_path),
            "workers": self.workers,
            "records": dict(sorted(self.records.items())),
            "pages": self.pages,
            "items": self.items,
            "dropped": sum(self.drops.values()),
            "drops": dict(sorted(self.drops.items())),
            "errors": self.errors,
            "seconds": round(seconds, 3),
            "pages_per_second": round(self.pages / seconds, 2) if seconds > 0 else None,
        }

    def report(self, summary: dict[str, Any]) -> None:
        lines = [
            f"reextract: {summary['pages']} pages read, {summary['items']} records written to "
            f"{summary['output']}, {summary['dropped']} dropped "
            f"({summary['pages_per_second']} pages/s, {summary['workers']} workers)",
        ]
        lines += [f"  {reason}: {n}" for reason, n in summary["drops"].items()]
        lines += [f"  error: {e}" for e in summary["errors"]]
        lines.append(f"  rejects: {summary['rejects']}")
        print("\n".join(lines), file=sys.stderr)


def _stem(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _size(uri: str) -> int:
    try:
        return Path(uri).stat().st_size
    except (OSError, ValueError):
        return 0


def default_output() -> Path:
    """``feeds/reextract/<UTC date>/<stamp>.jsonl``."""
    from newsbot.delivery.uri import stamp_of

    now = clock.now()
    return Path("feeds/reextract") / now.strftime("%Y-%m-%d") / f"{stamp_of(now)}.jsonl"


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot reextract FILE… [-o FEED.jsonl] [-j N] [-s NAME=VALUE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot reextract",
        description="Turn archived responses (WARC files) into feed records with the current "
                    "extraction and cleaning, without fetching anything.",
    )
    parser.add_argument("warc", nargs="+", help="WARC files (gzip or plain; paths or URLs)")
    parser.add_argument("-o", "--output", type=Path, help="the feed to write (JSON Lines)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: all cores)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a cleaning setting")
    parser.add_argument("--all-bengali", action="store_true",
                        help="also keep Bengali pages of hosts that are no registered outlet")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: "
                        "%(message)s")
    missing = [w for w in args.warc if "://" not in w and not Path(w).is_file()]
    if missing:
        print(f"reextract: no such file: {', '.join(missing)}", file=sys.stderr)
        return ExitCode.USAGE
    overrides = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"bad -s value {item!r}: use -s NAME=VALUE")
        overrides[name] = value
    run = Reextraction(
        args.warc, args.output or default_output(), workers=args.jobs, overrides=overrides,
        all_bengali=args.all_bengali, progress=sys.stderr.isatty() and not args.no_progress,
    )
    return run.run()


if __name__ == "__main__":
    sys.exit(main())
