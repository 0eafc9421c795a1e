"""Page furniture around the article text: byline and date elements, standfirst (dek) and
caption placement, recognised by element names, class names and position."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

DEK_CLASS_RE = re.compile(
    r"dek|standfirst|summary|excerpt|intro|lead|sub-?title|subhead|strap|description|kicker",
    re.I,
)
CAPTION_CLASS_RE = re.compile(r"caption", re.I)
_DEK_WRAPPER_RE = re.compile(r"head|dek|summary|intro|standfirst", re.I)
#: A byline longer than this is not a byline.
MAX_BYLINE_CHARS = 80
# Class-name words of bylines and dates, as whole words of a class name ("author-name",
# "postAuthor", "desktopDetailReporter") but not inside other words ("desktop").
_FURNITURE_RE = re.compile(
    r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]))"
    r"(?:(?P<byline>(?i:author|byline|reporter|writer|desk|contributor))"
    r"|(?P<date>(?i:datetime|dateline|date|time|publish|published|updated|pubdate)))(?![a-z])"
)
#: Containers whose bylines and dates belong to other articles.
_OTHER_CONTAINERS = frozenset({"nav", "footer", "aside", "header", "form"})
#: Landmark roles of page chrome (masthead, menus, footer, sidebars).
_CHROME_ROLES = frozenset({"banner", "navigation", "contentinfo", "complementary", "search"})
# Class or id words of page chrome and of lists of other articles.
_CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:masthead|site-?header|main-?header|header-?top|top-?header|top-?bar|topbar"
    r"|footer|copyright|sidebar|widget|related|trending|popular|latest|more-?news)(?:$|[\s_-])",
    re.I,
)
#: A link text at least this long (and of at least three words) is another article's headline.
MIN_TEASER_HEADLINE_CHARS = 25
#: How far up a date element a teaser's headline link is looked for.
TEASER_DEPTH = 3


def placed_as_standfirst(el: Any) -> bool:
    """A dek: classed as one (or inside a head/summary wrapper within three levels), inside a
    ``<header>``, or among the three elements that follow the ``<h1>``."""
    if DEK_CLASS_RE.search(el.get("class") or ""):
        return True
    for depth, anc in enumerate(el.iterancestors()):
        if anc.tag == "header":
            return True
        if depth < 3 and _DEK_WRAPPER_RE.search(anc.get("class") or ""):
            return True
    for n, prev in enumerate(el.itersiblings(preceding=True)):
        if n >= 3:
            break
        if prev.tag == "h1":
            return True
    return False



_FURNITURE_XPATH = etree.XPath("//body//*[@class or @rel or @itemprop or self::time]")


def furniture(root: Any, cache: dict[str, Any] | None = None) -> dict[str, list[Any]]:
    """Byline and date elements of the page: elements whose class names an author/byline/desk
    or a date/time, ``rel=author``/``itemprop=author``, and ``<time>``; innermost ones only,
    none inside navigation, header, footer or asides. Kept in ``cache`` when one is given."""
    if cache is not None and cache.get("furniture") is not None:
        return cache["furniture"]
    found: dict[str, list[Any]] = {"byline": [], "date": []}
    kinds: dict[str, str | None] = {}  # class attribute -> kind (pages repeat their classes)
    for el in _FURNITURE_XPATH(root):
        if len(el) > 3:
            continue
        kind = None
        if el.tag == "time":
            kind = "date"
        elif el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
            kind = "byline"
        else:
            cls = el.get("class")
            if cls:
                if cls not in kinds:
                    match = _FURNITURE_RE.search(cls)
                    kinds[cls] = (
                        None if match is None else "byline" if match.group("byline") else "date"
                    )
                kind = kinds[cls]
        if kind and not any(_other_container(a) for a in el.iterancestors()):
            found[kind].append(el)
    for kind, items in found.items():
        inner = set(items)
        found[kind] = [e for e in items if not any(d in inner for d in e.iterdescendants())]
    if cache is not None:
        cache["furniture"] = found
    return found


def _other_container(el: Any) -> bool:
    """Navigation, footer, aside, form — or a header, unless it is the article's own header
    (the one holding the ``<h1>``, as HTML5 article templates write it)."""
    if el.tag not in _OTHER_CONTAINERS:
        return False
    return el.tag != "header" or next(el.iter("h1"), None) is None


def _headline_link(el: Any) -> bool:
    for a in el.iter("a"):
        text = " ".join(a.text_content().split())
        if len(text) >= MIN_TEASER_HEADLINE_CHARS and len(text.split()) >= 3:
            return True
    return False


def chrome_or_teaser(el: Any, h1: Any | None) -> bool:
    """Whether a date (or byline) element belongs to page chrome — masthead, menus, footer,
    sidebars, lists of other articles (by landmark role or class/id) — or to another article's
    teaser: a block within :data:`TEASER_DEPTH` levels that holds a headline link and not the
    page's ``<h1>``."""
    holds_h1 = set(h1.iterancestors()) if h1 is not None else set()
    for depth, anc in enumerate(el.iterancestors()):
        if anc.tag in ("body", "html"):
            break
        if _other_container(anc) or (anc.get("role") or "").lower() in _CHROME_ROLES:
            return True
        if _CHROME_RE.search(f"{anc.get('class') or ''} {anc.get('id') or ''}"):
            return True
        if depth < TEASER_DEPTH and anc not in holds_h1 and _headline_link(anc):
            return True
    return False


def article_scope(h1: Any | None) -> Any | None:
    """The element that holds the article around its ``<h1>``: the nearest ``<article>``,
    ``<main>`` or ``role=main`` ancestor (None when there is none)."""
    if h1 is None:
        return None
    for anc in h1.iterancestors():
        if anc.tag in ("article", "main") or (anc.get("role") or "").lower() == "main":
            return anc
    return None
