"""Ground truth of the sample web: what a perfect crawl and extraction produce.

Every value is derived from the same model the server renders, so it always matches the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import SampleWeb, listing_urls, load, site_tags, tag_url, video_url
from .render import related_targets, trending_url

_SENTENCE_END = re.compile(r"(?<=[।?!])\s+")


@dataclass(frozen=True)
class ExpectedArticle:
    """One article as it should come out of the crawl.

    ``related`` lists ``(title, url, outlet_id)`` in page order: the inline "also read" boxes as
    they appear in the body, then the related block (first occurrence of each URL kept).
    ``desk``/``authors`` are empty where the page shows no byline (the aggregator).
    """

    outlet_id: str
    key: str
    url: str
    canonical_url: str
    title: str
    body: list[str]
    lang: str
    published: str | None
    updated: str | None
    authors: list[str]
    desk: str | None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_caption: str | None = None
    related: list[tuple[str, str, str]] = field(default_factory=list)


def collapse_repeats(paragraph: str) -> str:
    """Drop a sentence that repeats the one right before it (the seed page's glitch)."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph.strip()):
        if not out or sentence != out[-1]:
            out.append(sentence)
    return " ".join(out)


def _web(web: SampleWeb | None) -> SampleWeb:
    return web or load()


def expected_articles(web: SampleWeb | None = None) -> list[ExpectedArticle]:
    """Every article page of the sample web (Bengali, plus the English, Hindi, Assamese and
    romanised-Bengali ones)."""
    web = _web(web)
    out = []
    for art in web.articles.values():
        site = web.sites[art.outlet]
        related: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for _, target in related_targets(web, art):
            if target.url not in seen:
                seen.add(target.url)
                related.append((target.title, target.url, target.outlet))
        body = [collapse_repeats(p) for p in art.body] if site.kind == "aggregator" else art.body
        byline = site.renders_byline
        out.append(ExpectedArticle(
            outlet_id=art.outlet, key=art.key, url=art.url, canonical_url=art.url,
            title=art.title, body=list(body), lang=art.lang, published=art.published,
            updated=art.updated, authors=list(art.authors) if byline else [],
            desk=art.desk if byline else None, section=art.section, tags=list(art.tags),
            image_caption=art.image_caption, related=related,
        ))
    return out


def non_article_urls(web: SampleWeb | None = None) -> list[str]:
    """Pages that answer 200 but are not articles: listings, tag pages, video pages."""
    web = _web(web)
    urls: list[str] = []
    for site in web.sites.values():
        urls += listing_urls(web, site)
        urls += [tag_url(site, t) for t in site_tags(web, site) if tag_url(site, t)]
        if video_url(web, site):
            urls.append(video_url(web, site))
    return urls


def tag_urls(web: SampleWeb | None = None) -> list[str]:
    """The tag (topic) pages."""
    web = _web(web)
    return [tag_url(s, t) for s in web.sites.values() for t in site_tags(web, s) if tag_url(s, t)]


def video_urls(web: SampleWeb | None = None) -> list[str]:
    """The video pages (one per full outlet)."""
    web = _web(web)
    return [u for u in (video_url(web, s) for s in web.sites.values()) if u]


def robots_disallowed_urls(web: SampleWeb | None = None) -> list[str]:
    """URLs linked from a listing that the host's robots.txt disallows (never to be fetched).

    (The aggregator's "ট্রেন্ডিং" links to its /search pages are disallowed too, but they sit on
    article pages, not listings; see ``trending_search_urls``.)
    """
    printed = _web(web).odd_url("robots_disallowed")
    return [printed[1]] if printed else []


def trending_search_urls(web: SampleWeb | None = None) -> list[str]:
    """The aggregator's trending links to its (robots-disallowed, unserved) search pages."""
    web = _web(web)
    return [trending_url(web, t)[1] for a in web.articles.values() for t in a.trending
            if not (isinstance(t, str) and t in web.articles)]


def redirects(web: SampleWeb | None = None) -> dict[str, str]:
    """Old URL -> current URL of the article that answers 301."""
    found = _web(web).odd_url("redirect")
    return {found[1]: found[0].url} if found else {}


def not_found_urls(web: SampleWeb | None = None) -> list[str]:
    """Links on the sample web that answer 404."""
    spec = _web(web).odd.get("not_found", {})
    return [spec["url"]] if "url" in spec else []


def duplicate_url_variants(web: SampleWeb | None = None) -> dict[str, list[str]]:
    """Canonical URL -> the other URLs under which the same page is linked."""
    web = _web(web)
    spec = web.odd["duplicates"]
    art = web.pick(spec["article"])
    if art is None:
        return {}
    return {art.url: [art.url + spec["utm"], art.url + "/", art.url + spec["fragment"]]}


def template_lines(web: SampleWeb | None = None) -> dict[str, str]:
    """Outlet -> the promotional line repeated inside every article body of that outlet."""
    return {s.id: s.promo for s in _web(web).sites.values() if s.promo}


def legacy_charset_url(web: SampleWeb | None = None) -> str:
    """The article URL served as windows-1252 with numeric character references."""
    web = _web(web)
    art = web.pick(web.odd["legacy_charset"]["article"])
    return art.url if art else ""


def foreign_urls(web: SampleWeb | None = None) -> dict[str, str]:
    """URL -> language of the non-Bengali article pages."""
    return {a.url: a.lang for a in _web(web).foreign()}


def start_urls(web: SampleWeb | None = None) -> dict[str, list[str]]:
    """Outlet -> its world listing plus feeds/sitemaps (dated sitemaps for the day before the
    content's anchor day, moved like the articles' dates)."""
    web = _web(web)
    day = web.when("2026-11-28T12:00:00+00:00")[:10]
    return {s.id: [s.listing] + [f.url.replace("{YYYY-MM-DD}", day) for f in s.feeds]
            for s in web.sites.values()}
