"""Extraction benchmark: ``python -m bench.bench_extract [--limit N] [--devdata PATH]``.

Section 1 (``bench_devdata``): real pages with gold main text, set by set - ``news-extraction``
(258 news pages in 22 languages, with URLs) and ``news-extraction-en`` (1,002 English news and
blog pages, mostly without URL: extractors get ``url=None`` there). Scores, side by side in one
run and page by page in turn:

* ``newsbot.api:main_text`` - the full entry point (metadata, generic body, cleaning);
* ``newsbot.extract.generic:generic_text`` - the generic body alone;
* trafilatura's default ``extract()`` and readability-lxml's ``Document.summary()`` - the
  field to beat.

Metric (the data set's own ``score_text.py``, imported when present, else the same code below):
tokens = NFC(text).lower().split(); true positives = multiset overlap with the gold tokens;
P, R, F1 per page (an empty output scores 0), averaged over pages; share of empty outputs;
median milliseconds per page. The extractors take turns on each page, their order rotating
from page to page (the first to read a page pays for bringing it into the caches). The sets
are looked up at ``--devdata`` (a set, or the folder holding the sets), else
``$NEWSBOT_DEVDATA``, else ``../shared/devdata`` next to the repository.

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
DEFAULT_DEVDATA = REPO.parent / "shared" / "devdata"
SETS = ("news-extraction", "news-extraction-en")
TRAFILATURA = "trafilatura.extract (default)"
READABILITY = "readability-lxml Document.summary"

Extractor = Callable[[str, str | None], str]


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


def _trafilatura_text(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""


def _readability_text(html: str, url: str | None) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html, url=url).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def find_devdata(path: str | None = None) -> list[Path]:
    """The dev sets (folders holding index.jsonl): ``path`` itself when it is one, else the
    known sets inside it; [] when none is there."""
    for candidate in (path, os.environ.get("NEWSBOT_DEVDATA"), DEFAULT_DEVDATA):
        if not candidate:
            continue
        folder = Path(candidate)
        if (folder / "index.jsonl").is_file():
            return [folder]
        found = [folder / name for name in SETS if (folder / name / "index.jsonl").is_file()]
        if found:
            return found
    return []


def _scorer(devdata: Path) -> tuple[Callable[[str, str], tuple[float, float, float]],
                                    dict[str, Extractor], str]:
    """The data set's own bag_prf and baseline calls when its score_text.py is there."""
    script = devdata.parent / "score_text.py"
    if script.is_file():
        try:
            spec = importlib.util.spec_from_file_location("_devdata_score_text", script)
            module = importlib.util.module_from_spec(spec)
            assert spec.loader is not None
            spec.loader.exec_module(module)
            baselines = {TRAFILATURA: module.trafilatura_text,
                         READABILITY: getattr(module, "readability_text", _readability_text)}
            return module.bag_prf, baselines, str(script)
        except Exception as exc:  # fall back to the identical local copy
            print(f"(could not import {script}: {exc!r}; using the local copy of the metric)")
    return (_bag_prf, {TRAFILATURA: _trafilatura_text, READABILITY: _readability_text},
            "local copy of score_text.py's metric")


def _extractors(baselines: dict[str, Extractor]) -> tuple[dict[str, Extractor], list[str]]:
    notes: list[str] = []
    tools: dict[str, Extractor] = {}
    generic = importlib.import_module("newsbot.extract.generic").generic_text
    try:
        tools["newsbot.api:main_text"] = importlib.import_module("newsbot.api").main_text
    except (ImportError, AttributeError) as exc:
        notes.append(f"newsbot.api:main_text unavailable ({exc!r}); "
                     "generic_text stands in for it")
        tools["newsbot.api:main_text (= generic_text)"] = generic
    tools["newsbot.extract.generic:generic_text"] = generic
    for name, fn in baselines.items():
        if name == READABILITY and importlib.util.find_spec("readability") is None:
            notes.append("readability-lxml is not installed (requirements-test.txt); "
                         "its row is missing")
            continue
        tools[name] = fn
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
                  out: Any = None) -> dict[str, dict[str, Score]] | None:
    """Score main_text, generic_text, trafilatura and readability on each dev set in one run;
    print a table per set and the differences to the best of the field; return the scores by
    set and extractor name (None when no set is found)."""
    out = out or sys.stdout
    folders = find_devdata(str(devdata) if devdata else None)
    if not folders:
        print("dev data not found (use --devdata or NEWSBOT_DEVDATA); skipping", file=out)
        return None
    results: dict[str, dict[str, Score]] = {}
    for folder in folders:
        results[folder.name] = _bench_set(folder, limit, out)
        print(file=out)
    return results


def _bench_set(folder: Path, limit: int, out: Any) -> dict[str, Score]:
    bag_prf, baselines, metric_source = _scorer(folder)
    tools, notes = _extractors(baselines)
    pages = _load_pages(folder, limit)
    rows: dict[str, list[tuple[float, float, float, float, bool]]] = {n: [] for n in tools}
    names = list(tools)
    for index, (rec, html, gold) in enumerate(pages):
        # the order turns from page to page: the first extractor to read a page pays for
        # bringing it into the caches, and none should always be the one
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            fn = tools[name]
            t0 = time.perf_counter()
            try:
                text = fn(html, rec.get("url")) or ""
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
    no_url = sum(1 for rec, _, _ in pages if not rec.get("url"))
    print(f"{folder.name}: {len(pages)} pages ({no_url} without URL) from {folder} "
          f"(metric: {metric_source})", file=out)
    for note in notes:
        print(f"note: {note}", file=out)
    print(f"{'extractor':44} {'P':>6} {'R':>6} {'F1':>6} {'empty':>6} {'ms/page':>8}", file=out)
    for score in scores.values():
        print(score.row(), file=out)
    field = [scores[n] for n in (TRAFILATURA, READABILITY) if n in scores]
    base = scores.get(TRAFILATURA)
    if field and base:
        best = max(field, key=lambda s: s.f1)
        for score in scores.values():
            if score in field:
                continue
            ratio = score.median_ms / base.median_ms if base.median_ms else float("nan")
            print(f"{score.name:44} F1 {score.f1 - best.f1:+.3f} vs the best of the field "
                  f"({best.name}), median time x{ratio:.2f} trafilatura's", file=out)
    return scores


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark sections; exit status 0."""
    ap = argparse.ArgumentParser(prog="python -m bench.bench_extract", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N dev pages")
    ap.add_argument("--devdata", default=None,
                    help="a dev set, or the folder holding news-extraction and "
                    "news-extraction-en")
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
