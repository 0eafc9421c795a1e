"""Extraction quality on the bundled Bengali sample web (deterministic, no timing).

Every article page of :mod:`newsbot.sampleweb` is rendered in-process, extracted, and cleaned
by ONE shared chain of the cleaning pipelines (template learning on, nothing persisted), outlet
after outlet, as in a crawl. The result is compared with :mod:`newsbot.sampleweb.expected`:

* title exact (string equality after cleaning),
* body token F1 (multiset overlap of :func:`newsbot.text.tokens`),
* related links: precision and recall of (title, url, outlet_id) triples (title and URL in
  comparison form), and whether their order matches.

Figures are given for all pages and "after learning": pages from the
``NEWSBOT_TEMPLATE_MIN_PAGES``-th page (default 3) of an outlet on, when the boilerplate pipeline
knows the outlet's template lines.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newsbot.extract.api import extract_html
from newsbot.extract.guard import ExtractionError
from newsbot.text import compare_key, nfc, tokens
from newsbot.urls import canonicalize_url

#: Pages of an outlet the boilerplate pipeline needs before its template lines are known.
LEARNING_PAGES = 3


@dataclass
class PageResult:
    """Scores of one article page."""

    outlet_id: str
    url: str
    index: int  # position of the page among its outlet's pages
    title_ok: bool
    body_f1: float
    related_tp: int
    related_pred: int
    related_gold: int
    related_order_ok: bool
    error: str | None = None
    dropped: str | None = None
    got_title: str = ""
    missing_body: list[str] = field(default_factory=list)
    extra_body: list[str] = field(default_factory=list)
    missing_related: list[tuple[str, str, str]] = field(default_factory=list)
    extra_related: list[tuple[str, str, str]] = field(default_factory=list)
    related_in_body: list[str] = field(default_factory=list)


def token_f1(gold: Iterable[str], pred: Iterable[str]) -> float:
    """Token F1 of two paragraph lists (bags of :func:`newsbot.text.tokens`)."""
    g = Counter(t for p in gold for t in tokens(p))
    p = Counter(t for q in pred for t in tokens(q))
    ng, np_ = sum(g.values()), sum(p.values())
    if not ng and not np_:
        return 1.0
    if not ng or not np_:
        return 0.0
    tp = sum(min(c, g[t]) for t, c in p.items())
    if not tp:
        return 0.0
    prec, rec = tp / np_, tp / ng
    return 2 * prec * rec / (prec + rec)


def _triple(title: str, url: str | None, outlet_id: str | None) -> tuple[str, str, str]:
    return compare_key(title or ""), canonicalize_url(url) if url else "", outlet_id or ""


def score_page(expected: Any, record: dict[str, Any] | None, index: int,
               error: str | None = None, dropped: str | None = None) -> PageResult:
    """Compare one cleaned record with its :class:`~newsbot.sampleweb.expected.ExpectedArticle`."""
    gold_related = [_triple(*r) for r in expected.related]
    if record is None:
        return PageResult(expected.outlet_id, expected.url, index, False, 0.0, 0, 0,
                          len(gold_related), False, error=error,
                          missing_related=gold_related)
    pred_related = [
        _triple(r.get("title", ""), r.get("url"), r.get("outlet_id"))
        for r in record.get("related_links") or []
    ]
    gold_set, pred_set = set(gold_related), set(pred_related)
    body = record.get("body") or []
    gold_keys = {compare_key(p) for p in expected.body}
    pred_keys = {compare_key(p) for p in body}
    return PageResult(
        outlet_id=expected.outlet_id,
        url=expected.url,
        index=index,
        title_ok=nfc(record.get("title") or "") == nfc(expected.title),
        body_f1=token_f1(expected.body, body),
        related_tp=len(gold_set & pred_set),
        related_pred=len(pred_set),
        related_gold=len(gold_set),
        related_order_ok=[t for t in pred_related if t in gold_set] == gold_related,
        dropped=dropped,
        got_title=record.get("title") or "",
        missing_body=[p for p in expected.body if compare_key(p) not in pred_keys],
        extra_body=[p for p in body if compare_key(p) not in gold_keys],
        missing_related=[t for t in gold_related if t not in pred_set],
        extra_related=[t for t in pred_related if t not in gold_set],
        related_in_body=[p for p in body
                         if compare_key(p) in {t[0] for t in gold_related + pred_related}],
    )


def sample_pages(redesigned: Iterable[str] = ()) -> Iterator[tuple[Any, bytes, str | None]]:
    """(expected article, page bytes, charset) of every article page, outlet after outlet."""
    from newsbot.sampleweb.expected import expected_articles
    from newsbot.sampleweb.model import load
    from newsbot.sampleweb.render import build_pages, route_key

    web = load()
    pages = build_pages(web, frozenset(redesigned))
    order = {outlet: i for i, outlet in enumerate(web.sites)}
    articles = sorted(expected_articles(web), key=lambda a: order.get(a.outlet_id, 99))
    for art in articles:
        parts = urlsplit(art.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        page = pages.get(route_key(parts.hostname or "", target))
        if page is None or page.status != 200:
            continue
        ctype = page.headers.get("Content-Type", "")
        charset = ctype.split("charset=", 1)[1].strip() if "charset=" in ctype else None
        yield art, page.body, charset


def evaluate(redesigned: Iterable[str] = (), settings: dict[str, Any] | None = None
             ) -> list[PageResult]:
    """Extract and clean every sample-web article page through one shared pipeline chain."""
    from newsbot.cleaning import Cleaner

    cleaner = Cleaner({"NEWSBOT_TEMPLATES_PATH": "", "NEWSBOT_TEMPLATES_LEARN": True,
                       **(settings or {})})
    seen: Counter[str] = Counter()
    results: list[PageResult] = []
    for expected, body, charset in sample_pages(redesigned):
        index = seen[expected.outlet_id]
        seen[expected.outlet_id] += 1
        try:
            article = extract_html(body, expected.url, encoding=charset,
                                   fetched_at="2026-11-29T00:00:00+00:00")
        except ExtractionError as exc:
            results.append(score_page(expected, None, index, error=exc.reason))
            continue
        record, reason = cleaner.clean(article)
        results.append(score_page(expected, record, index, dropped=reason))
    return results


@dataclass
class Figures:
    """Aggregate scores of a set of pages."""

    pages: int
    title_exact: float
    body_f1_mean: float
    body_f1_min: float
    related_precision: float
    related_recall: float
    related_order: float
    errors: int

    def row(self, name: str) -> str:
        """One line of the report table."""
        return (f"{name:24} {self.pages:5d} {self.title_exact:7.3f} {self.body_f1_mean:7.4f} "
                f"{self.body_f1_min:7.4f} {self.related_precision:7.4f} "
                f"{self.related_recall:7.4f} {self.related_order:7.3f} {self.errors:4d}")


HEADER = (f"{'pages':24} {'n':>5} {'title=':>7} {'F1mean':>7} {'F1min':>7} {'relP':>7} "
          f"{'relR':>7} {'order':>7} {'err':>4}")


def figures(results: list[PageResult]) -> Figures:
    """Aggregate figures (related precision/recall are micro-averaged over links)."""
    if not results:
        return Figures(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    tp = sum(r.related_tp for r in results)
    pred = sum(r.related_pred for r in results)
    gold = sum(r.related_gold for r in results)
    return Figures(
        pages=len(results),
        title_exact=sum(r.title_ok for r in results) / len(results),
        body_f1_mean=statistics.mean(r.body_f1 for r in results),
        body_f1_min=min(r.body_f1 for r in results),
        related_precision=tp / pred if pred else 1.0,
        related_recall=tp / gold if gold else 1.0,
        related_order=sum(r.related_order_ok for r in results) / len(results),
        errors=sum(r.error is not None for r in results),
    )


def after_learning(results: list[PageResult], pages: int = LEARNING_PAGES) -> list[PageResult]:
    """The pages an outlet's template lines are known for (its ``pages``-th page on)."""
    return [r for r in results if r.index >= pages - 1]


def by_outlet(results: list[PageResult]) -> dict[str, list[PageResult]]:
    """Results grouped by outlet, in first-seen order."""
    groups: dict[str, list[PageResult]] = {}
    for r in results:
        groups.setdefault(r.outlet_id, []).append(r)
    return groups
