"""Selector expressions as profiles write them: XPath when they start with "/" or "(",
CSS (with parsel's ``::text`` and ``::attr()``) otherwise."""

from __future__ import annotations

from collections.abc import Iterable

from parsel import Selector, SelectorList


def select(sel: Selector | SelectorList, expr: str) -> SelectorList:
    """Apply one expression (XPath or CSS) to ``sel``."""
    expr = expr.strip()
    if expr.startswith(("/", "(", "./")):
        return sel.xpath(expr)
    return sel.css(expr)


def select_all(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """Every string the expressions yield, in expression order (empty strings left out)."""
    out: list[str] = []
    for expr in exprs:
        out.extend(v for v in select(sel, expr).getall() if v and v.strip())
    return out


def select_first(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """The strings of the first expression that yields any (the per-field fallback order)."""
    for expr in exprs:
        values = [v for v in select(sel, expr).getall() if v and v.strip()]
        if values:
            return values
    return []
