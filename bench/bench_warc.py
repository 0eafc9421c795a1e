"""Benchmark of archive processing: ``python -m bench.bench_warc`` (``make bench-warc``).

Builds a gzip WARC from the bundled sample web (every article page, ``--rounds`` times, each
round under its own canonical URL so that nothing is a duplicate), then measures in one run:

* ``trafilatura.extract`` alone on the same pages, in this process (the yardstick);
* ``python -m newsbot reextract`` over the WARC with all cores, and with one;
* ``python -m newsbot backfill`` over the same WARC (one process, pipelines and delivery);
* ``backfill`` over a WARC of other sites' pages only: the rate at which it passes over the
  records of a CC-NEWS file that are not Bengali outlets (most of them).

Wall times of the commands include their start-up, printed separately. From the last two rates
and public figures on CC-NEWS (see the README) it prints the time a month of CC-NEWS would take.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from newsbot.sampleweb import expected
from newsbot.sampleweb.server import serve
from tests import warcs

REPO = Path(__file__).resolve().parent.parent
#: Public figures on CC-NEWS (README, "CC-NEWS backfill"): documents in the 2024-05 dump after
#: URL filtering (FineNews dataset card), and WARC bytes in March 2020 (news-please issue #168).
MONTH_RECORDS = 11_700_000
MONTH_BYTES = 450e9
#: Other sites' pages are passed over quickly: more of them make the rate measurable.
FOREIGN_ROUNDS = 8


def build(base_url: str, rounds: int, foreign: bool, path: Path) -> tuple[int, list[bytes]]:
    """Write the WARC; return (pages, HTML bodies)."""
    when = datetime(2026, 1, 15, tzinfo=UTC)
    members, bodies = [], []
    pages = [(a, *warcs.fetch(base_url, a.url)) for a in expected.expected_articles()]
    for n in range(rounds):
        for i, (article, status, headers, body) in enumerate(pages):
            if status != 200:
                continue
            body = body.replace(article.canonical_url.encode(),
                                f"{article.canonical_url}-r{n}".encode())
            url = (f"https://www.site{i}-{n}.example.com/news/{i}" if foreign
                   else f"{article.url}?r={n}")
            members.append(warcs.response(url, body, date=when, headers=headers))
            bodies.append(body)
    warcs.write(path, members)
    return len(members), bodies


def timed(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO), SCRAPY_SETTINGS_MODULE="newsbot.settings")
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[2:4])} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds


def newsbot(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbot", *args]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_warc")
    parser.add_argument("--rounds", type=int, default=6, help="copies of the sample web")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp, serve(port=0) as web:
        work = Path(tmp)
        outlet_warc, foreign_warc, empty = (work / n for n in ("outlets.warc.gz",
                                                              "foreign.warc.gz", "empty.warc.gz"))
        pages, bodies = build(web.base_url, args.rounds, False, outlet_warc)
        foreign, _ = build(web.base_url, args.rounds * FOREIGN_ROUNDS, True, foreign_warc)
        warcs.write(empty, [])
        size_mb = foreign_warc.stat().st_size / 1e6

        import trafilatura

        trafilatura.extract(bodies[0].decode("utf-8"))  # import and first-call costs aside
        started = time.perf_counter()
        for body in bodies:
            trafilatura.extract(body.decode("utf-8", "replace"))
        trafilatura_s = time.perf_counter() - started

        runs = {}
        for name, cmd in {
            "reextract_start": newsbot("reextract", str(empty), "-o", "e/x.jsonl", "-j",
                                       str(cores), "--no-progress"),
            "reextract_all": newsbot("reextract", str(outlet_warc), "-o", "a/x.jsonl", "-j",
                                     str(cores), "--no-progress"),
            "reextract_one": newsbot("reextract", str(outlet_warc), "-o", "b/x.jsonl", "-j", "1",
                                     "--no-progress"),
            "backfill_start": newsbot("backfill", "--warc", str(empty)),
            "backfill": newsbot("backfill", "--warc", str(outlet_warc)),
            "backfill_foreign": newsbot("backfill", "--warc", str(foreign_warc)),
        }.items():
            cwd = work / name
            cwd.mkdir()
            runs[name] = timed(cmd, cwd)

    def rate(n: int, seconds: float) -> float:
        return n / seconds if seconds > 0 else float("inf")

    rows = [
        ("trafilatura.extract alone, 1 process", trafilatura_s, trafilatura_s),
        (f"reextract, {cores} processes", runs["reextract_all"],
         runs["reextract_all"] - runs["reextract_start"]),
        ("reextract, 1 process", runs["reextract_one"],
         runs["reextract_one"] - runs["reextract_start"]),
        ("backfill, 1 process", runs["backfill"], runs["backfill"] - runs["backfill_start"]),
    ]
    print(f"{pages} article pages of the sample web ({args.rounds} rounds), {cores} cores")
    print(f"{'':40} {'pages/s':>10} {'w/o start-up':>13} {'x trafilatura':>14}")
    base = rate(pages, trafilatura_s)
    for label, wall, net in rows:
        print(f"{label:40} {rate(pages, wall):10.1f} {rate(pages, net):13.1f} "
              f"{rate(pages, net) / base:14.2f}")
    skip_s = runs["backfill_foreign"] - runs["backfill_start"]
    skip = rate(foreign, skip_s)
    print(f"backfill over other sites' pages: {foreign} records, {size_mb:.1f} MB in "
          f"{skip_s:.2f} s -> {skip:.0f} records/s, {size_mb / skip_s:.1f} MB/s")
    cpu_hours = MONTH_RECORDS / skip / 3600
    bytes_hours = MONTH_BYTES / 1e6 / (size_mb / skip_s) / 3600
    print(json.dumps({
        "month_estimate_hours_by_records": round(cpu_hours, 1),
        "month_estimate_hours_by_bytes": round(bytes_hours, 1),
        "assumed_month_records": MONTH_RECORDS, "assumed_month_bytes": MONTH_BYTES,
    }))
    print(f"a CC-NEWS month (~{MONTH_RECORDS / 1e6:.1f} M records, ~{MONTH_BYTES / 1e9:.0f} GB) "
          f"at these rates: {max(cpu_hours, bytes_hours):.0f} h of one core, download aside")
    return 0


if __name__ == "__main__":
    sys.exit(main())
