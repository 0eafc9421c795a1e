"""Selector expressions as profiles write them: XPath when they start with "/" or "(",
CSS (with parsel's ``::text`` and ``::attr()``) otherwise."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from parsel import Selector, SelectorList

log = logging.getLogger(__name__)


def is_xpath(expr: str) -> bool:
    """XPath when the expression starts with "/" or "(" (or "./"); CSS otherwise."""
    return expr.lstrip().startswith(("/", "(", "./"))


def select(sel: Selector | SelectorList, expr: str) -> SelectorList:
    """Apply one expression (XPath or CSS) to ``sel``; a broken one matches nothing."""
    expr = expr.strip()
    if not expr:
        return SelectorList([])
    try:
        return sel.xpath(expr) if is_xpath(expr) else sel.css(expr)
    except Exception as exc:  # a bad selector in a data file must not crash the crawl
        log.warning("bad selector %r: %s", expr, exc)
        return SelectorList([])


def select_all(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """Every string the expressions yield, in expression order (empty strings left out)."""
    out: list[str] = []
    for expr in exprs:
        out.extend(v for v in select(sel, expr).getall() if v and v.strip())
    return out
