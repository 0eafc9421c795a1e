"""Render the sample web into ready-to-serve pages.

Templates are files under ``templates/<outlet>/`` (``article.html``, ``listing.html``,
``parts.html``) with ``string.Template`` placeholders; ``parts.html`` holds the small repeated
pieces (a paragraph, a related item, ...) separated by ``<!--part:NAME-->`` lines. A part named
``NAME.<lang>`` overrides ``NAME`` on pages in that language. Shared templates (feeds, robots.txt,
the video page, 404) live in ``templates/_common/``; ``templates/_redesign/`` is the markup an
outlet switches to when the server is told it was redesigned.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import quote_plus, unquote, urlsplit

from .model import (
    Article,
    SampleWeb,
    Site,
    listing_urls,
    site_tags,
    tag_url,
    video_url,
)

_BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_MONTHS_BN = ("জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট",
              "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_WEEKDAYS_BN = ("সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার", "রবিবার")
_PERIODS = ((4, "ভোর"), (6, "সকাল"), (12, "দুপুর"), (15, "বিকেল"), (18, "সন্ধ্যা"), (20, "রাত"))
_AGENCIES = ("এএফপি", "রয়টার্স", "আল-জাজিরা", "এপি")

HTML_TYPE = "text/html; charset=utf-8"
LEGACY_CHARSET = "windows-1252"


@dataclass
class Page:
    """A ready response: status, headers and body bytes."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def bn_digits(text: str) -> str:
    """Write ASCII digits as Bengali digits."""
    return text.translate(_BN_DIGITS)


def format_date(fmt: str, iso: str | None) -> str:
    """Format an ISO timestamp with a sites.toml date format ('' when either is empty)."""
    if not fmt or not iso:
        return ""
    when = datetime.fromisoformat(iso)
    hour12 = when.hour % 12 or 12
    period = next((name for start, name in reversed(_PERIODS) if when.hour >= start), "রাত")
    fields = {
        "d": bn_digits(str(when.day)), "month": _MONTHS_BN[when.month - 1],
        "Y": bn_digits(str(when.year)), "H": bn_digits(f"{when.hour:02d}"),
        "M": bn_digits(f"{when.minute:02d}"), "h": bn_digits(str(hour12)), "period": period,
        "ampm": "এএম" if when.hour < 12 else "পিএম",
        "ampm_bn": "পূর্বাহ্ন" if when.hour < 12 else "অপরাহ্ন",
        "weekday": _WEEKDAYS_BN[when.weekday()],
        "d_en": str(when.day), "month_en": _MONTHS_EN[when.month - 1], "Y_en": str(when.year),
    }
    return fmt.format(**fields)


# ---------------------------------------------------------------- templates


def _read(folder: str, name: str) -> str | None:
    path = resources.files(__package__).joinpath("templates", folder, name)
    return path.read_text(encoding="utf-8") if path.is_file() else None


class Templates:
    """The templates of one outlet (falling back to ``_common``)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.parts: dict[str, str] = {}
        for source in (_read("_common", "parts.html"), _read(folder, "parts.html")):
            self.parts.update(_split_parts(source or ""))

    def page(self, name: str) -> Template:
        """A whole-page template, from the outlet folder or ``_common``."""
        text = _read(self.folder, name) or _read("_common", name)
        if text is None:
            raise FileNotFoundError(f"template {self.folder}/{name}")
        return Template(text)

    def part(self, name: str, lang: str = "bn", /, **values: str) -> str:
        """Fill the part ``name`` (or its ``name.<lang>`` override); missing part -> ''."""
        text = self.parts.get(f"{name}.{lang}", self.parts.get(name, ""))
        return Template(text).safe_substitute(values)


def _split_parts(source: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in source.splitlines():
        if line.startswith("<!--part:") and line.endswith("-->"):
            if name:
                parts[name] = "\n".join(lines).strip("\n")
            name, lines = line[9:-3].strip(), []
        elif name:
            lines.append(line)
    if name:
        parts[name] = "\n".join(lines).strip("\n")
    return parts


@cache
def templates_for(folder: str) -> Templates:
    """Cached ``Templates`` of a folder."""
    return Templates(folder)


# ---------------------------------------------------------------- helpers

e = html.escape


def _h(seed: str) -> int:
    return int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8], 16)


def image_url(site: Site, art: Article) -> str:
    """The (never fetched) lead image URL of an article."""
    host = urlsplit(art.url).hostname
    return f"https://{host}/media/{art.published[:4]}/{art.published[5:7]}/{art.num}.jpg"


def source_line(web: SampleWeb, art: Article) -> str:
    """The 'সূত্র: …' line closing some bodies ('' when the article has none)."""
    site = web.sites[art.outlet]
    items = web.site_articles(art.outlet)
    if not site.source_line or art.lang != "bn" or art not in items:
        return ""
    if items.index(art) % 2:
        return ""
    return "সূত্র: " + _AGENCIES[_h(art.ref) % len(_AGENCIES)]


def inline_boxes(web: SampleWeb, art: Article) -> list[tuple[int, Article]]:
    """The "also read" boxes that show: (paragraph index they follow, target), in page order."""
    boxes = [(int(b.get("after", -1)), web.articles[b["ref"]]) for b in art.inline_related
             if b.get("ref") in web.articles]
    return sorted([b for b in boxes if 0 <= b[0] < len(art.body)], key=lambda b: b[0])


def related_targets(web: SampleWeb, art: Article) -> list[tuple[str, Article]]:
    """Related links of a page in page order: ("inline", target) boxes, then ("block", target)."""
    inline = [("inline", target) for _, target in inline_boxes(web, art)]
    return inline + [("block", t) for t in web.resolve(art.related)]


def _sidebars(web: SampleWeb, site: Site, tpl: Templates, exclude: str,
              lang: str) -> dict[str, str]:
    items = [a for a in web.site_articles(site.id) if a.ref != exclude]
    latest = sorted(items, key=lambda a: a.published, reverse=True)[:5]
    popular = sorted(items, key=lambda a: _h("popular:" + a.ref))[:5]

    def block(arts: list[Article]) -> str:
        return "\n".join(tpl.part("side_item", lang, title=e(a.title), url=e(a.url)) for a in arts)

    return {"latest": block(latest), "popular": block(popular)}


def _chrome(web: SampleWeb, site: Site, tpl: Templates, lang: str, exclude: str = "",
            charset: str = "utf-8") -> dict[str, str]:
    values = {"site_name": e(site.name_bn), "listing": e(site.listing), "charset": charset,
              "year": "২০২৬", "lang": lang}
    values.update(_sidebars(web, site, tpl, exclude, lang))
    for name in ("header", "footer", "sidebar"):
        values[name] = tpl.part(name, lang, **values)
    return values


def _meta_tags(pairs: list[tuple[str, str, str]]) -> str:
    return "\n".join(f'<meta {attr}="{e(key)}" content="{e(val)}">' for attr, key, val in pairs
                     if val)


def _jsonld(obj: dict[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def article_jsonld(web: SampleWeb, site: Site, art: Article) -> str:
    """The NewsArticle JSON-LD block (articleBody truncated to two paragraphs)."""
    if site.jsonld == "none":
        return ""
    authors: list[dict[str, str]] = [{"@type": "Person", "name": n} for n in art.authors]
    if not authors:
        authors = [{"@type": "Organization", "name": art.desk or site.name_bn}]
    news: dict[str, Any] = {
        "@type": "NewsArticle", "headline": art.title, "description": art.summary,
        "datePublished": art.published, "dateModified": art.updated or art.published,
        "author": authors, "articleSection": art.section or "",
        "keywords": art.tags if site.jsonld == "plain" else ", ".join(art.tags),
        "image": {"@type": "ImageObject", "url": image_url(site, art), "width": 1200,
                  "height": 675},
        "articleBody": " ".join(art.body[:2]), "inLanguage": art.lang,
        "mainEntityOfPage": {"@type": "WebPage", "@id": art.url},
        "publisher": {"@type": "Organization", "name": site.name_bn,
                      "logo": {"@type": "ImageObject",
                               "url": f"https://{urlsplit(site.listing).hostname}/logo.png"}},
    }
    if site.jsonld == "graph":
        crumbs = {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": site.name_bn,
             "item": f"https://{urlsplit(site.listing).hostname}/"},
            {"@type": "ListItem", "position": 2, "name": art.section or "", "item": site.listing},
        ]}
        page = {"@type": "WebPage", "@id": art.url, "url": art.url, "name": art.title}
        return _jsonld({"@context": "https://schema.org", "@graph": [page, crumbs, news]})
    return _jsonld({"@context": "https://schema.org", **news})


def article_meta(web: SampleWeb, site: Site, art: Article, redesigned: bool = False) -> str:
    """<link rel=canonical>, OpenGraph and article:* meta tags, and the JSON-LD."""
    pairs = [("name", "description", art.summary), ("property", "og:title", art.title),
             ("property", "og:description", art.summary)]
    if not redesigned:
        pairs += [("property", "og:type", "article"), ("property", "og:url", art.url),
                  ("property", "og:site_name", site.name_bn),
                  ("property", "og:image", image_url(site, art)),
                  ("property", "article:published_time", art.published),
                  ("property", "article:modified_time", art.updated or ""),
                  ("property", "article:section", art.section or "")]
        pairs += [("property", "article:tag", t) for t in art.tags]
        if site.kind == "aggregator":
            pairs = [p for p in pairs if p[1] in {"description", "og:title", "og:type", "og:url",
                                                  "article:published_time"}]
    head = f'<link rel="canonical" href="{e(art.url)}">\n' + _meta_tags(pairs)
    if not redesigned:
        head += "\n" + article_jsonld(web, site, art)
    return head


def _epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def _text_block(kind: str, text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "model": {"text": text, "blocks": [
        {"type": "fragment", "model": {"text": text, "attributes": []}}]}}
    return {"type": kind, "model": {"blocks": [
        {"type": "text", "model": {"blocks": [paragraph]}}]}}


def article_page_data(site: Site, art: Article) -> str:
    """The page data a Next.js front end embeds as ``__NEXT_DATA__`` (BBC's shape: content
    blocks for headline, byline, timestamp and text; metadata with Unix-millisecond times and
    topics), as JSON safe inside a ``<script>``."""
    contributors = [{"type": "contributor", "model": {"blocks": [_text_block("name", name)]}}
                    for name in art.authors]
    if art.desk:
        contributors.append({"type": "contributor", "model": {"blocks": [
            _text_block("role", art.desk)]}})
    first = _epoch_ms(art.published)
    last = _epoch_ms(art.updated) if art.updated else first
    blocks: list[dict[str, Any]] = [_text_block("headline", art.title)]
    if contributors:
        blocks.append({"type": "byline", "model": {"blocks": contributors}})
    blocks.append({"type": "timestamp", "model": {"firstPublished": first,
                                                   "lastPublished": last}})
    blocks += [{"type": "text", "model": {"blocks": [
        {"type": "paragraph", "model": {"text": text}}]}} for text in art.body]
    data = {
        "props": {"pageProps": {"pageData": {
            "metadata": {"id": f"urn:bbc:optimo:asset:{art.url.rsplit('/', 1)[-1]}",
                         "language": art.lang, "firstPublished": first, "lastPublished": last,
                         "topics": [{"topicName": tag} for tag in art.tags]},
            "content": {"model": {"blocks": blocks}},
            "promo": {"headlines": {"seoHeadline": art.title, "promoHeadline": art.title}},
        }, "service": site.id}},
        "page": "/[service]/articles/[id]",
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


# ---------------------------------------------------------------- article pages


def _body(web: SampleWeb, site: Site, art: Article, tpl: Templates, lang: str) -> str:
    pieces: list[str] = []
    boxes = inline_boxes(web, art)
    promo = site.promo if lang == "bn" else ""
    promo_at = site.promo_after if site.promo_after >= 0 else len(art.body) - 1
    if site.caption_in_body and art.image_caption:
        pieces.append(tpl.part("caption_para", lang, caption=e(art.image_caption)))
    for i, text in enumerate(art.body):
        pieces.append(tpl.part("para", lang, text=e(text)))
        for _, target in (b for b in boxes if b[0] == i):
            pieces.append(tpl.part("also_read", lang, title=e(target.title), url=e(target.url)))
        if i == len(art.body) - 1 and source_line(web, art):
            pieces.append(tpl.part("para", lang, text=e(source_line(web, art))))
        if promo and i == min(promo_at, len(art.body) - 1):
            pieces.append(tpl.part("para", lang, text=e(promo)))
    pieces.append(tpl.part("body_end", lang))
    return "\n".join(p for p in pieces if p)


def _related(web: SampleWeb, site: Site, art: Article, tpl: Templates, lang: str) -> str:
    items = []
    for target in web.resolve(art.related):
        tsite = web.sites[target.outlet]
        items.append(tpl.part(
            "related_item", lang, title=e(target.title), url=e(target.url),
            label=e(tsite.aggregator_label), outlet_name=e(tsite.name_bn),
            time=e(format_date(site.published_format, target.published)),
        ))
    if not items:
        return ""
    return tpl.part("related", lang, items="\n".join(items))


def trending_url(web: SampleWeb, entry: Any) -> tuple[str, str]:
    """(title, url) of a trending entry: an ``outlet/key`` ref, or a title linked to search."""
    if isinstance(entry, str) and entry in web.articles:
        target = web.articles[entry]
        return target.title, target.url
    title = entry if isinstance(entry, str) else str(entry.get("title", ""))
    return title, "https://www.songkolon.example/search?q=" + quote_plus(title)


def _trending(art: Article, tpl: Templates, web: SampleWeb, lang: str) -> str:
    items = []
    for entry in art.trending:
        title, url = trending_url(web, entry)
        items.append(tpl.part("trending_item", lang, title=e(title), url=e(url)))
    return tpl.part("trending", lang, items="\n".join(items)) if items else ""


def render_article(web: SampleWeb, art: Article, redesigned: bool = False,
                   charset: str = "utf-8") -> str:
    """The article page of ``art`` as text (encode it with ``charset``)."""
    site = web.sites[art.outlet]
    tpl = templates_for("_redesign" if redesigned else site.id)
    lang = art.lang
    values = _chrome(web, site, tpl, lang, exclude=art.ref, charset=charset)
    shown_published = art.updated if site.published_uses_updated and art.updated else art.published
    fmt = site.published_format if lang == "bn" else "{d_en} {month_en} {Y_en}"
    values.update({
        "title": e(art.title), "summary": e(art.summary), "canonical": e(art.url),
        "meta": article_meta(web, site, art, redesigned), "section": e(art.section or ""),
        "published_iso": e(art.published), "updated_iso": e(art.updated or art.published),
        "published": e(format_date(fmt, shown_published)),
        "image_url": e(image_url(site, art)), "caption": e(art.image_caption or ""),
        "outlet_id": site.id,
    })
    values["updated"] = ""
    if art.updated and site.updated_format and lang == "bn":
        values["updated"] = tpl.part("updated", lang, updated=e(
            format_date(site.updated_format, art.updated)), updated_iso=e(art.updated))
    authors = [tpl.part("author", lang, name=e(n)) for n in art.authors]
    values["authors"] = tpl.part("authors", lang, items="\n".join(authors)) if authors else ""
    values["desk"] = tpl.part("desk", lang, desk=e(art.desk)) if art.desk else ""
    values["byline"] = values["authors"] + values["desk"] if site.renders_byline else ""
    values["tags"] = "\n".join(tpl.part("tag", lang, name=e(t), url=e(tag_url(site, t)))
                               for t in art.tags)
    values["figure"] = tpl.part("figure", lang, **values) if art.image_caption else ""
    values["body"] = _body(web, site, art, tpl, lang)
    values["related"] = _related(web, site, art, tpl, lang)
    values["trending"] = _trending(art, tpl, web, lang)
    values["share"] = tpl.part("share", lang, **values)
    values["page_data"] = article_page_data(site, art)
    return tpl.page("article.html").safe_substitute(values)


# ---------------------------------------------------------------- listings, tag and video pages


def listing_items(web: SampleWeb, site: Site) -> list[list[tuple[str, str, str]]]:
    """Per listing page, the (url, title, summary) items in order, odd links included."""
    arts = sorted(web.site_articles(site.id), key=lambda a: a.published, reverse=True)
    urls = listing_urls(web, site)
    pages: list[list[tuple[str, str, str]]] = [[] for _ in urls]
    redirect = web.odd_url("redirect")
    for i, art in enumerate(arts):
        url = art.url
        if redirect and redirect[0] is art:
            url = redirect[1]
        pages[min(i // site.per_page, len(pages) - 1)].append((url, art.title, art.summary))
    first, last = pages[0], pages[-1]
    video = video_url(web, site)
    if video:
        first.insert(min(3, len(first)), (video, video_title(web, site), ""))
    for art in web.foreign():
        if art.outlet == site.id:
            first.append((art.url, art.title, art.summary))
    printed = web.odd_url("robots_disallowed")
    if printed and printed[0].outlet == site.id:
        first.append((printed[1], printed[0].title, printed[0].summary))
    nf = web.odd.get("not_found", {})
    if nf.get("outlet") == site.id and arts:
        last.append((nf["url"], nf.get("title", ""), ""))
    dup = web.pick(web.odd["duplicates"]["article"])
    if dup and dup.outlet == site.id:
        last.insert(0, (dup.url + web.odd["duplicates"]["utm"], dup.title, dup.summary))
        last.append((dup.url + web.odd["duplicates"]["fragment"], dup.title, ""))
    return pages


def video_title(web: SampleWeb, site: Site) -> str:
    """Headline of the outlet's video page."""
    items = web.site_articles(site.id)
    topic = items[0].tags[0] if items and items[0].tags else "বিশ্ব"
    return f"{topic} পরিস্থিতি নিয়ে ভিডিও প্রতিবেদন"


def render_listing(web: SampleWeb, site: Site, n: int, url: str, items: list[tuple[str, str, str]],
                   next_url: str, title: str | None = None) -> str:
    """One listing (or tag) page."""
    tpl = templates_for(site.id)
    values = _chrome(web, site, tpl, "bn")
    values["items"] = "\n".join(tpl.part("listing_item", "bn", url=e(u), title=e(t), summary=e(s))
                                for u, t, s in items)
    values["next"] = tpl.part("next_link", "bn", url=e(next_url), n=bn_digits(str(n + 1))) \
        if next_url else ""
    tags = site_tags(web, site)[:6]
    values["topics"] = "\n".join(tpl.part("topic_link", "bn", name=e(t), url=e(tag_url(site, t)))
                                 for t in tags if tag_url(site, t))
    values["page_title"] = e(title or (site.name_bn + " | বিশ্ব"))
    values["page_no"] = bn_digits(str(n))
    values["meta"] = f'<link rel="canonical" href="{e(url)}">\n' + _meta_tags([
        ("property", "og:type", "website"), ("property", "og:title", title or "বিশ্ব"),
        ("property", "og:url", url), ("property", "og:site_name", site.name_bn)])
    values["canonical"] = e(url)
    return tpl.page("listing.html").safe_substitute(values)


def render_video(web: SampleWeb, site: Site, url: str) -> str:
    """The outlet's video page: a player and a caption, not an article."""
    tpl = templates_for(site.id)
    values = _chrome(web, site, tpl, "bn")
    items = web.site_articles(site.id)
    title = video_title(web, site)
    values.update({
        "title": e(title), "canonical": e(url),
        "description": e(items[0].summary if items else ""),
        "meta": f'<link rel="canonical" href="{e(url)}">\n' + _meta_tags([
            ("property", "og:type", "video.other"), ("property", "og:title", title),
            ("property", "og:url", url), ("property", "og:site_name", site.name_bn)]) + "\n"
        + _jsonld({"@context": "https://schema.org", "@type": "VideoObject", "name": title,
                   "uploadDate": items[0].published if items else "",
                   "thumbnailUrl": f"{url}/thumb.jpg"}),
        "video_id": f"v{_h(url) % 10**8:08d}",
    })
    return tpl.page("video.html").safe_substitute(values)


# ---------------------------------------------------------------- feeds and robots


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def render_rss(web: SampleWeb, site: Site, feed_url: str, links: dict[str, str]) -> str:
    """An RSS 2.0 feed of the outlet's Bengali articles, newest first."""
    tpl = templates_for(site.id)
    arts = sorted(web.site_articles(site.id), key=lambda a: a.published, reverse=True)
    items = "\n".join(tpl.part(
        "rss_item", "bn", title=e(a.title), link=e(links.get(a.ref, a.url)), guid=e(a.url),
        description=e(a.summary), pubdate=_rfc822(a.published), category=e(a.section or ""),
        author=e(", ".join(a.authors) or a.desk or "")) for a in arts)
    newest = _rfc822(arts[0].published) if arts else _rfc822(web.when("2026-11-29T00:00:00+00:00"))
    return tpl.page("rss.xml").safe_substitute(
        title=e(site.name_bn), link=e(site.listing), self_url=e(feed_url), items=items,
        build_date=newest)


def render_news_sitemap(web: SampleWeb, site: Site, day: str | None = None) -> str:
    """A Google News sitemap of the outlet's Bengali articles (of one day when ``day`` is set)."""
    tpl = templates_for(site.id)
    arts = [a for a in web.site_articles(site.id) if day is None or a.published[:10] == day]
    arts.sort(key=lambda a: a.published, reverse=True)
    items = "\n".join(tpl.part(
        "sitemap_item", "bn", loc=e(a.url), name=e(site.name_bn), published=e(a.published),
        title=e(a.title), lastmod=e(a.updated or a.published)) for a in arts)
    return tpl.page("news_sitemap.xml").safe_substitute(items=items)


def render_robots(web: SampleWeb, host: str) -> str:
    """robots.txt for ``host``: the Disallow lines of the outlets living there."""
    lines = ["User-agent: *"]
    sitemaps = []
    disallow: list[str] = []
    for site in web.sites.values():
        if host not in site.hosts:
            continue
        if host == urlsplit(site.listing).hostname:
            disallow += [d for d in site.robots_disallow if d not in disallow]
        sitemaps += [f.url for f in site.feeds if f.kind == "news_sitemap" and "{" not in f.url
                     and urlsplit(f.url).hostname == host]
    lines += [f"Disallow: {d}" for d in disallow] or ["Disallow:"]
    lines += ["", "User-agent: GPTBot", "Disallow: /"]
    lines += [""] + [f"Sitemap: {s}" for s in sitemaps]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_not_found(web: SampleWeb, host: str) -> str:
    """The 404 page of ``host`` (the outlet's chrome when the host is known)."""
    site = next((s for s in web.sites.values() if host in s.hosts), None)
    if site is None:
        return "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n"
    tpl = templates_for(site.id)
    return tpl.page("404.html").safe_substitute(_chrome(web, site, tpl, "bn"))


def route_key(host: str, path: str) -> str:
    """The lookup key of a page: lower-case host plus the percent-decoded path and query."""
    return host.lower() + unquote(path)


# ---------------------------------------------------------------- the whole site


def _html(text: str) -> Page:
    return Page(200, text.encode("utf-8"), {"Content-Type": HTML_TYPE})


def _key(url: str) -> str:
    parts = urlsplit(url)
    return route_key(parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else ""))


def build_pages(web: SampleWeb, redesigned: frozenset[str] = frozenset()) -> dict[str, Page]:
    """Every static page of the sample web, keyed by ``route_key(host, path?query)``."""
    pages: dict[str, Page] = {}
    legacy = web.pick(web.odd["legacy_charset"]["article"])
    for art in web.articles.values():
        if legacy is art:
            text = render_article(web, art, art.outlet in redesigned, charset=LEGACY_CHARSET)
            pages[_key(art.url)] = Page(200, text.encode("cp1252", "xmlcharrefreplace"),
                                        {"Content-Type": f"text/html; charset={LEGACY_CHARSET}"})
        else:
            pages[_key(art.url)] = _html(render_article(web, art, art.outlet in redesigned))
        pages[_key(art.url)].headers["Last-Modified"] = format_datetime(
            datetime.fromisoformat(art.updated or art.published).astimezone(UTC), usegmt=True)
    redirect = web.odd_url("redirect")
    if redirect:
        pages[_key(redirect[1])] = Page(301, b"", {"Location": redirect[0].url})
    printed = web.odd_url("robots_disallowed")
    if printed:
        pages[_key(printed[1])] = pages[_key(printed[0].url)]
    for site in web.sites.values():
        urls = listing_urls(web, site)
        for n, (url, items) in enumerate(zip(urls, listing_items(web, site), strict=True), start=1):
            nxt = urls[n] if n < len(urls) else ""
            pages[_key(url)] = _html(render_listing(web, site, n, url, items, nxt))
        for tag in site_tags(web, site):
            url = tag_url(site, tag)
            if url:
                items = [(a.url, a.title, a.summary) for a in web.site_articles(site.id)
                         if tag in a.tags]
                pages[_key(url)] = _html(render_listing(web, site, 1, url, items, "",
                                                        title=f"{tag} | {site.name_bn}"))
        video = video_url(web, site)
        if video:
            pages[_key(video)] = _html(render_video(web, site, video))
        links = {}
        dup = web.pick(web.odd["duplicates"]["article"])
        if dup:
            links[dup.ref] = dup.url + "/"
        for feed in site.feeds:
            if "{" in feed.url:
                continue
            if feed.kind == "rss":
                body = render_rss(web, site, feed.url, links)
                ctype = "application/rss+xml; charset=utf-8"
            else:
                body = render_news_sitemap(web, site)
                ctype = "application/xml; charset=utf-8"
            pages[_key(feed.url)] = Page(200, body.encode("utf-8"), {"Content-Type": ctype})
        for host in site.hosts:
            pages[route_key(host, "/robots.txt")] = Page(
                200, render_robots(web, host).encode("utf-8"),
                {"Content-Type": "text/plain; charset=utf-8"})
    return pages
