"""Selector expressions as profiles write them: XPath when they start with "/" or "(",
CSS (with parsel's ``::text`` and ``::attr()``) otherwise."""

from __future__ import annotations

from collections.abc import Iterable

from parsel import Selector, SelectorList


def is_xpath(expr: str) -> bool:
    """XPath when the expression starts with "/" or "(" (or "./"); CSS otherwise."""
    return expr.lstrip().startswith(("/", "(", "./"))


_PROBE = Selector(text="<html><body></body></html>")


def compile_check(expr: str) -> str | None:
    """Why the expression does not compile (None when it does, or is empty)."""
    try:
        select(_PROBE, expr)
    except Exception as exc:  # parsel and cssselect raise several kinds of errors
        return f"{type(exc).__name__}: {exc}"
    return None


def select(sel: Selector | SelectorList, expr: str) -> SelectorList:
    """Apply one expression (XPath or CSS) to ``sel``. Profiles are checked when loaded
    (:func:`compile_check`), so an expression that does not compile here is a bug and raises."""
    expr = expr.strip()
    if not expr:
        return SelectorList([])
    return sel.xpath(expr) if is_xpath(expr) else sel.css(expr)


def select_all(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """Every string the expressions yield, in expression order (empty strings left out)."""
    out: list[str] = []
    for expr in exprs:
        out.extend(v for v in select(sel, expr).getall() if v and v.strip())
    return out
