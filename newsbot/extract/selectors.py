"""Selector expressions as profiles write them: XPath when they start with "/" or "(",
CSS (with parsel's ``::text`` and ``::attr()``) otherwise, and embedded page data:
``<selector> >> <JMESPath>`` reads the JSON text the selector picks (``__NEXT_DATA__``, a
JSON-LD block) and applies the JMESPath expression to it, e.g.
``script#__NEXT_DATA__::text >> props.pageProps.pageData.metadata.firstPublished``.

Every expression is compiled when a profile is loaded (:func:`check`): a broken one is an
error at start-up, never a selector that silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import jmespath
from cssselect.parser import SelectorError as CssError
from jmespath.exceptions import JMESPathError
from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

#: Separates the selector of a JSON text from the JMESPath expression applied to it.
DATA_SEPARATOR = " >> "


class SelectorError(ValueError):
    """A selector expression that does not compile."""


def is_xpath(expr: str) -> bool:
    """XPath when the expression starts with "/" or "(" (or "./"); CSS otherwise."""
    return expr.lstrip().startswith(("/", "(", "./"))


def is_data(expr: str) -> bool:
    """Whether the expression reads embedded JSON (``<selector> >> <JMESPath>``)."""
    return DATA_SEPARATOR in expr


def check(expr: str) -> None:
    """Compile ``expr``; raise :class:`SelectorError` when it does not compile."""
    expr = expr.strip()
    base, _, path = expr.partition(DATA_SEPARATOR)
    try:
        if path:
            jmespath.compile(path.strip())
        if is_xpath(base):
            etree.XPath(base.strip())
        elif base.strip():
            css2xpath(base.strip())
    except (JMESPathError, etree.XPathError, CssError) as exc:
        raise SelectorError(f"selector {expr!r} does not compile: {exc}") from exc


def select(sel: Selector | SelectorList, expr: str) -> SelectorList:
    """Apply one expression (XPath, CSS or embedded data) to ``sel``. Profile expressions are
    compiled at load time, so an error here is a real error and is raised."""
    expr = expr.strip()
    if not expr:
        return SelectorList([])
    base, _, path = expr.partition(DATA_SEPARATOR)
    base = base.strip()
    found = sel.xpath(base) if is_xpath(base) else sel.css(base)
    if not path:
        return found
    # Text that is not JSON yields nothing.
    return SelectorList(value for item in found for value in item.jmespath(path.strip()))


def select_all(sel: Selector | SelectorList, exprs: Iterable[str]) -> list[str]:
    """Every string the expressions yield, in expression order (empty strings left out)."""
    out: list[str] = []
    for expr in exprs:
        out.extend(str(v) for v in select(sel, expr).getall() if v is not None and str(v).strip())
    return out
