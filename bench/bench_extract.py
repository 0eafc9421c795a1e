"""Extraction benchmark: ``python -m bench.bench_extract [--limit N] [--devdata PATH]``.

Section 1 (``bench_devdata``): real news pages with gold main text (the dev data set of 258
pages in 22 languages). Scores, side by side in one run and page by page in turn:

* ``newsbot.extract:main_text`` - the full entry point (metadata, generic body, cleaning);
* ``newsbot.extract.generic:generic_text`` - the generic body alone;
* trafilatura's default ``extract()`` - the baseline to beat.

Metric (the data set's own ``score_text.py``, imported when present, else the same code below):
tokens = NFC(text).lower().split(); true positives = multiset overlap with the gold tokens;
P, R, F1 per page (an empty output scores 0), averaged over pages; share of empty outputs;
median milliseconds per page. The data set is looked up at ``--devdata``, else
``$NEWSBOT_DEVDATA``, else ``../shared/devdata/news-extraction`` next to the repository.

Section 2 (``bench_sampleweb`` in ``bench/bench_sampleweb.py``): the bundled Bengali sample web,
run after section 1 unless ``--skip-sampleweb``.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib
import importlib.util
import json
import logging
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEVDATA = REPO.parent / "shared" / "devdata" / "news-extraction"

Extractor = Callable[[str, str], str]


@dataclass
class Score:
    """Mean precision/recall/F1 over pages, share of empty outputs, median ms per page."""

    name: str
    precision: float
    recall: float
    f1: float
    empty: float
    median_ms: float
    pages: int

    def row(self) -> str:
        return (f"{self.name:44} {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f} "
                f"{self.empty:6.1%} {self.median_ms:8.1f}")


def _bag_prf(gold: str, pred: str) -> tuple[float, float, float]:
    """Bag-of-tokens P/R/F1, exactly as the data set's score_text.py computes it."""
    g = collections.Counter(unicodedata.normalize("NFC", gold).lower().split())
    p = collections.Counter(unicodedata.normalize("NFC", pred or "").lower().split())
    ng, np_ = sum(g.values()), sum(p.values())
    if not ng or not np_:
        return 0.0, 0.0, 0.0
    tp = sum(min(c, g[t]) for t, c in p.items())
    prec, rec = tp / np_, tp / ng
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""


def find_devdata(path: str | None = None) -> Path | None:
    """The dev data folder (the one holding index.jsonl), or None when it is not there."""
    for candidate in (path, os.environ.get("NEWSBOT_DEVDATA"), DEFAULT_DEVDATA):
        if not candidate:
            continue
        folder = Path(candidate)
        if (folder / "index.jsonl").is_file():
            return folder
        if (folder / "news-extraction" / "index.jsonl").is_file():
            return folder / "news-extraction"
    return None


def _scorer(devdata: Path) -> tuple[Callable[[str, str], tuple[float, float, float]], Extractor,
                                    str]:
    """The data set's own bag_prf and trafilatura call when its score_text.py is there."""
    script = devdata.parent / "score_text.py"
    if script.is_file():
        try:
            spec = importlib.util.spec_from_file_location("_devdata_score_text", script)
            module = importlib.util.module_from_spec(spec)
            assert spec.loader is not None
            spec.loader.exec_module(module)
            return module.bag_prf, module.trafilatura_text, str(script)
        except Exception as exc:  # fall back to the identical local copy
            print(f"(could not import {script}: {exc!r}; using the local copy of the metric)")
    return _bag_prf, _trafilatura_text, "local copy of score_text.py's metric"


def _extractors(trafilatura_fn: Extractor) -> tuple[dict[str, Extractor], list[str]]:
    notes: list[str] = []
    tools: dict[str, Extractor] = {}
    generic = importlib.import_module("newsbot.extract.generic").generic_text
    try:
        tools["newsbot.extract:main_text"] = importlib.import_module("newsbot.extract").main_text
    except (ImportError, AttributeError) as exc:
        notes.append(f"newsbot.extract:main_text unavailable ({exc!r}); "
                     "generic_text stands in for it")
        tools["newsbot.extract:main_text (= generic_text)"] = generic
    tools["newsbot.extract.generic:generic_text"] = generic
    tools["trafilatura.extract (default)"] = trafilatura_fn
    return tools, notes


def _load_pages(devdata: Path, limit: int) -> list[tuple[dict, str, str]]:
    records = [json.loads(line) for line in
               (devdata / "index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        records = records[:limit]
    pages = []
    for rec in records:
        with gzip.open(devdata / f"{rec['id']}.html.gz", "rt", encoding="utf-8",
                       errors="replace") as fh:
            html = fh.read()
        gold = (devdata / f"{rec['id']}.gold.txt").read_text(encoding="utf-8")
        pages.append((rec, html, gold))
    return pages


def bench_devdata(devdata: str | Path | None = None, limit: int = 0,
                  out: Any = None) -> dict[str, Score] | None:
    """Score main_text, generic_text and trafilatura on the dev pages in one run; print a
    table and the differences to trafilatura; return the scores by extractor name (None when
    the data set is not found)."""
    out = out or sys.stdout
    folder = find_devdata(str(devdata) if devdata else None)
    if folder is None:
        print("dev data not found (use --devdata or NEWSBOT_DEVDATA); skipping", file=out)
        return None
    bag_prf, trafilatura_fn, metric_source = _scorer(folder)
    tools, notes = _extractors(trafilatura_fn)
    pages = _load_pages(folder, limit)
    rows: dict[str, list[tuple[float, float, float, float, bool]]] = {n: [] for n in tools}
    for rec, html, gold in pages:
        for name, fn in tools.items():
            t0 = time.perf_counter()
            try:
                text = fn(html, rec["url"]) or ""
            except Exception as exc:  # a crash scores 0 and is reported
                print(f"{name} failed on {rec['id']}: {exc!r}", file=sys.stderr)
                text = ""
            ms = (time.perf_counter() - t0) * 1000
            rows[name].append((*bag_prf(gold, text), ms, not text.strip()))
    scores = {
        name: Score(
            name=name,
            precision=statistics.mean(v[0] for v in vals),
            recall=statistics.mean(v[1] for v in vals),
            f1=statistics.mean(v[2] for v in vals),
            empty=sum(v[4] for v in vals) / len(vals),
            median_ms=statistics.median(v[3] for v in vals),
            pages=len(vals),
        )
        for name, vals in rows.items() if vals
    }
    print(f"Dev data: {len(pages)} pages from {folder} (metric: {metric_source})", file=out)
    for note in notes:
        print(f"note: {note}", file=out)
    print(f"{'extractor':44} {'P':>6} {'R':>6} {'F1':>6} {'empty':>6} {'ms/page':>8}", file=out)
    for score in scores.values():
        print(score.row(), file=out)
    base = scores.get("trafilatura.extract (default)")
    if base:
        for score in scores.values():
            if score is base:
                continue
            ratio = score.median_ms / base.median_ms if base.median_ms else float("nan")
            print(f"{score.name:44} F1 {score.f1 - base.f1:+.3f} vs trafilatura, "
                  f"median time x{ratio:.2f}", file=out)
    return scores


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark sections; exit status 0."""
    ap = argparse.ArgumentParser(prog="python -m bench.bench_extract", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N dev pages")
    ap.add_argument("--devdata", default=None, help="dev data folder (news-extraction)")
    ap.add_argument("--skip-sampleweb", action="store_true",
                    help="do not run the Bengali sample-web section")
    ap.add_argument("--verbose", action="store_true", help="sample web: list every difference")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page

    bench_devdata(args.devdata, limit=args.limit)
    if not args.skip_sampleweb:
        print()
        try:
            from bench.bench_sampleweb import bench_sampleweb
        except ImportError as exc:
            print(f"sample-web section unavailable: {exc!r}")
        else:
            try:
                bench_sampleweb(verbose=args.verbose)
            except Exception as exc:  # the first section's figures stay valid
                print(f"sample-web section failed: {exc!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
