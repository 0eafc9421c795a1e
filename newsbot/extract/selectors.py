"""Selector expressions as profiles write them: XPath when they start with "/" or "(",
CSS (with parsel's ``::text`` and ``::attr()``) otherwise, and embedded page data:
``<selector> >> <JMESPath>`` reads the JSON text the selector picks (``__NEXT_DATA__``, a
JSON-LD block) and applies the JMESPath expression to it, e.g.
``script#__NEXT_DATA__::text >> props.pageProps.pageData.metadata.firstPublished``."""

from __future__ import annotations

from collections.abc import Iterable

import jmespath
from parsel import Selector, SelectorList

#: Separates the selector of a JSON text from the JMESPath expression applied to it.
DATA_SEPARATOR = " >> "


def is_xpath(expr: str) -> bool:
    """XPath when the expression starts with "/" or "(" (or "./"); CSS otherwise."""
    return expr.lstrip().startswith(("/", "(", "./"))


_PROBE = Selector(text="<html><body></body></html>")


def compile_check(expr: str) -> str | None:
    """Why the expression does not compile (None when it does, or is empty)."""
    try:
        _, data, path = expr.partition(DATA_SEPARATOR)
        if data:
            jmespath.compile(path.strip())
        select(_PROBE, expr)
    except Exception as exc:  # parsel, cssselect and jmespath raise several kinds of errors
        return f"{type(exc).__name__}: {exc}"
    return None


def select(sel: Selector | SelectorList, expr: str) -> SelectorList:
    """Apply one expression (XPath, CSS or embedded data) to ``sel``. Profiles are checked when
    loaded (:func:`compile_check`), so an expression that does not compile here is a bug and
    raises. Picked text that is not JSON yields nothing."""
    expr = expr.strip()
    if not expr:
        return SelectorList([])
    base, data, path = expr.partition(DATA_SEPARATOR)
    base = base.strip()
    found = sel.xpath(base) if is_xpath(base) else sel.css(base)
    if not data:
        return found
    return SelectorList(value for item in found for value in item.jmespath(path.strip()))


def select_all(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """Every string the expressions yield, in expression order (empty strings left out; JSON
    numbers as their text)."""
    out: list[str] = []
    for expr in exprs:
        out.extend(str(v) for v in select(sel, expr).getall() if v is not None and str(v).strip())
    return out
