"""Finding article URLs: in listings (per-outlet selectors, else generic rules), RSS/Atom feeds
and (news) sitemaps, and telling article URLs from other links."""

from __future__ import annotations

import functools
import io
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.data import load_toml
from newsbot.extract.profiles import (
    article_url_patterns,
    listing_link_selectors,
    next_page_selectors,
)
from newsbot.extract.selectors import select_all
from newsbot.registry import load_registry
from newsbot.text import compare_key
from newsbot.urls import absolute_url, canonicalize_url
from newsbot.vocabulary import label_list

RULES_FILE = "discovery.toml"


def _rules() -> dict[str, Any]:
    return load_toml(RULES_FILE)


@functools.cache
def _non_article_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in _rules()["non_article_path_segments"])
    return re.compile(rf"/({words})(/|$)", re.I)


def _link_text_key(text: str) -> str:
    # Punctuation-only link texts ("»", "›") have no compare key: they stand for themselves.
    return compare_key(text) or text.strip()


@functools.cache
def _next_page_keys() -> frozenset[str]:
    return frozenset(filter(None, map(_link_text_key, label_list("navigation.next_page"))))


_XML_STARTS = (b"<?xml", b"<rss", b"<urlset", b"<sitemapindex", b"<feed")


def _head(response: TextResponse, size: int = 512) -> bytes:
    """The first bytes of the body, lower-cased, without a UTF-8 BOM and leading white space
    (the body is not decoded: a sitemap can be tens of megabytes)."""
    head = response.body[:size]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decode the head only
        head = head.decode("utf-16", "ignore").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()


def is_xml_response(response: TextResponse) -> bool:
    """True for RSS, Atom and sitemap documents, by content type or by their first element."""
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "xml" in ctype and "html" not in ctype:
        return True
    return _head(response).startswith(_XML_STARTS)


def _stream_sitemap(body: bytes) -> tuple[str, list[str]] | None:
    """(root element name, ``<loc>`` URLs) of a sitemap or sitemap index, read as a stream:
    each ``<url>``/``<sitemap>`` entry is dropped once read, so memory holds the URLs, not the
    tree. None when the document is neither."""
    root_name = ""
    locs: list[str] = []
    try:
        for event, el in etree.iterparse(
            io.BytesIO(body), events=("start", "end"), recover=True, huge_tree=True,
            resolve_entities=False, no_network=True,
        ):
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if event == "start":
                if not root_name:
                    root_name = name
                    if name not in ("urlset", "sitemapindex"):
                        return None
                continue
            if name in ("url", "sitemap"):
                for child in el:
                    if isinstance(child.tag, str) and etree.QName(child).localname == "loc":
                        if child.text and child.text.strip():
                            locs.append(child.text.strip())
                        break
                el.clear()
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
    except (etree.XMLSyntaxError, ValueError):
        return (root_name, locs) if root_name else None
    return (root_name, locs) if root_name else None


def feed_entry_urls(response: TextResponse) -> tuple[list[str] | None, list[str]]:
    """Article URLs listed by a feed or sitemap, and child sitemaps of a sitemap index.

    Returns ``(None, [])`` when the document is not a feed or sitemap that parses. Sitemaps are
    read as a stream (:func:`_stream_sitemap`); RSS and Atom feeds as a document.
    """
    head = _head(response, 2048)
    if b"<urlset" in head or b"<sitemapindex" in head:
        found = _stream_sitemap(response.body)
        if found is not None:
            root, locs = found
            if root == "sitemapindex":
                return [], locs
            return [u for u in (absolute_url(response.url, u) for u in locs) if u], []
    try:
        sel = Selector(text=response.text, type="xml")
    except (ValueError, TypeError):
        return None, []
    sel.remove_namespaces()
    root = sel.xpath("name(/*)").get() or ""
    if root == "sitemapindex":
        return [], [u.strip() for u in sel.xpath("//sitemap/loc/text()").getall()]
    if root == "urlset":
        urls = sel.xpath("//url/loc/text()").getall()
    elif root == "rss" or root == "RDF":
        urls = sel.xpath("//item/link/text()").getall() or sel.xpath("//item/guid/text()").getall()
    elif root == "feed":
        urls = sel.xpath("//entry/link[not(@rel) or @rel='alternate']/@href").getall()
    else:
        return None, []
    return [u for u in (absolute_url(response.url, u) for u in urls) if u], []


def article_url_matches(url: str, outlet_id: str) -> bool:
    """Whether ``url`` looks like an article of the outlet: its profile's URL patterns when it
    has a profile, else the generic rule (a deep or numbered path that is no tag/video/… page)."""
    patterns = article_url_patterns(outlet_id)
    if patterns:
        canonical = canonicalize_url(url)
        return any(p.search(canonical) for p in patterns)
    return generic_article_url(url)


def generic_article_url(url: str) -> bool:
    """The generic article-URL rule: a deep or numbered path that is no tag/video/… page."""
    path = urlsplit(canonicalize_url(url)).path
    if _non_article_re().search(path):
        return False
    segments = [s for s in path.split("/") if s]
    slug = segments[-1] if segments else ""
    return bool(re.search(r"\d{4,}", path)) or slug.count("-") >= 3 or len(segments) >= 3


def _same_outlet(url: str, outlet_id: str) -> bool:
    return (outlet := load_registry().by_url(url)) is not None and outlet.id == outlet_id


def _article_links(response: TextResponse, outlet_id: str, hrefs: list[str],
                   generic: bool = False) -> list[str]:
    seen: dict[str, None] = {}
    for href in hrefs:
        url = absolute_url(response.url, href)
        if not url or not _same_outlet(url, outlet_id):
            continue
        if generic_article_url(url) if generic else article_url_matches(url, outlet_id):
            seen.setdefault(url, None)
    return list(seen)


def listing_article_links(response: TextResponse, outlet_id: str,
                          misses: list[str] | None = None) -> list[str]:
    """Article URLs a listing page links to, in page order, each once.

    The outlet profile's listing selectors first; when they find no article link (a redesign),
    every link of the page by the profile's article URL patterns, and failing that by the
    generic URL rule — and ``"listing_links"`` is noted in ``misses``."""
    selectors = listing_link_selectors(outlet_id)
    if selectors:
        found = _article_links(response, outlet_id, select_all(response.selector, selectors))
        if found:
            return found
        if misses is not None:
            misses.append("listing_links")
    hrefs = select_all(response.selector, ["a::attr(href)"])
    found = _article_links(response, outlet_id, hrefs)
    if not found and article_url_patterns(outlet_id):
        found = _article_links(response, outlet_id, hrefs, generic=True)
    return found


def next_page_links(response: TextResponse, outlet_id: str) -> list[str]:
    """The listing's next-page URL(s): the profile's selectors, else rel=next or a link whose
    text is a next-page word ("পরবর্তী", "পরের পাতা", "Next", "»")."""
    hrefs = select_all(response.selector, next_page_selectors(outlet_id))
    if not hrefs:
        hrefs = response.css("a[rel~=next]::attr(href), link[rel~=next]::attr(href)").getall()
    if not hrefs:
        words = _next_page_keys()
        for anchor in response.css("a[href]"):
            if _link_text_key(" ".join(anchor.css("::text").getall())) in words:
                hrefs.append(anchor.attrib["href"])
    urls = [absolute_url(response.url, h) for h in hrefs]
    return [u for u in urls if u and u != response.url and _same_outlet(u, outlet_id)]
