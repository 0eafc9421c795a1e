"""Page objects: one extractor per outlet layout, chosen from the profile registry.

:func:`extractor_for` picks a :class:`ProfileExtractor` when the page's outlet has a profile
whose (newest matching) version detects the page, and the :class:`GenericExtractor` otherwise.
Both read every field in the same order of evidence, field by field:

1. the outlet profile's selectors (ProfileExtractor only),
2. structured metadata (JSON-LD NewsArticle and subtypes incl. ``@graph``, OpenGraph,
   ``article:*`` meta, itemprop) from :mod:`newsbot.extract.metadata`,
3. the visible page: the generic body extractor (:mod:`newsbot.extract.generic`), ``<h1>``,
   ``<title>``, visible date lines, ``<figcaption>``.

The visible body wins over JSON-LD ``articleBody`` (which is often truncated). The HTML is parsed
once (:func:`newsbot.extract.guard.load_page`) and the tree is shared by all of them.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from parsel import Selector

from newsbot.dates import find_dates, parse_date, to_iso
from newsbot.extract import metadata_adapter as md
from newsbot.extract.guard import ExtractionError, LoadedPage, load_page, no_text_reason
from newsbot.extract.profiles import Profile, ProfileVersion, profile_for, select
from newsbot.extract.related import (
    DocOrder,
    RelatedResult,
    element_text,
    generic_related,
    merge,
    profile_related,
    remove_elements,
)
from newsbot.extract.vocab import (
    is_desk,
    is_navigation_heading,
    is_related_heading,
    strip_byline_prefix,
    strip_related_prefix,
)
from newsbot.items import Article
from newsbot.registry import Outlet, load_registry
from newsbot.text import clean_line, compare_key
from newsbot.urls import canonicalize_url

log = logging.getLogger(__name__)

#: A page that is not marked as an article needs at least this much body text.
MIN_UNMARKED_BODY_CHARS = 200
#: Paragraphs this short that hold a date are date lines, not body text.
MAX_DATE_LINE_CHARS = 80
#: An "আরও পড়ুন: …" line longer than this is body text, not a related link.
MAX_RELATED_LINE_CHARS = 160
#: A body paragraph made of link texts to this share is navigation.
MAX_LINK_SHARE = 0.7
_DEK_CLASS_RE = re.compile(
    r"dek|standfirst|summary|excerpt|intro|lead|sub-?title|subhead|strap|description|kicker",
    re.I,
)
_DEK_WRAPPER_RE = re.compile(r"head|dek|summary|intro|standfirst", re.I)
#: A byline longer than this is not a byline.
MAX_BYLINE_CHARS = 80
_FURNITURE_RE = re.compile(
    r"(?P<byline>author|byline|reporter|writer|desk|contributor)|(?P<date>date|time|publish|updated)",
    re.I,
)
#: Containers whose bylines and dates belong to other articles.
_OTHER_CONTAINERS = frozenset({"nav", "footer", "aside", "header", "form"})
_TITLE_SEPARATORS = (" | ", " || ", " - ", " – ", " — ", " :: ", " : ", " » ", " ।")
_DATE_LABEL_RE = re.compile(r"^(প্রকাশ|প্রকাশিত|আপডেট|হালনাগাদ|সর্বশেষ আপডেট|শেষ আপডেট|Published|Updated)")


@dataclass
class PageContext:
    """Everything the extractors share about one page: the ONE parsed tree and its selector."""

    url: str
    loaded: LoadedPage
    sel: Selector
    outlet: Outlet | None
    profile: Profile | None
    version: ProfileVersion | None
    meta: Any
    order: DocOrder
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> lxml.html.HtmlElement:
        """The parsed document."""
        return self.loaded.root

    @property
    def tz(self) -> str:
        """Time zone of dates printed without an offset (the outlet's, else Dhaka)."""
        return self.outlet.timezone if self.outlet and self.outlet.timezone else "Asia/Dhaka"


def build_context(html: str | bytes, url: str, encoding: str | None = None) -> PageContext:
    """Guard, parse once, find the outlet, profile version and metadata of a page."""
    loaded = load_page(html, url, encoding)
    sel = Selector(root=loaded.root, type="html", base_url=url)
    outlet = load_registry().by_url(url)
    profile = profile_for(outlet.id) if outlet else None
    version = profile.version_for(sel) if profile else None
    meta = md.read(sel, url)
    return PageContext(url, loaded, sel, outlet, profile, version, meta, DocOrder(loaded.root))


def _now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _first(values: list[str]) -> str:
    for value in values:
        line = clean_line(value)
        if line:
            return line
    return ""


def _texts(sel: Selector, expr: str) -> list[str]:
    """Strings a selector yields: attribute/text values as they are, elements as their text."""
    out = []
    for item in select(sel, expr):
        root = item.root
        text = element_text(root) if isinstance(getattr(root, "tag", None), str) else str(root)
        text = clean_line(text)
        if text:
            out.append(text)
    return out


class GenericExtractor:
    """Reads an article from metadata and the visible page (no profile)."""

    name = "generic"

    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.related_result = RelatedResult()

    # -- profile hooks (empty here) -----------------------------------------------------------

    def profile_values(self, name: str) -> list[str]:
        """Values of a profile field (the generic extractor has none)."""
        return []

    def profile_value(self, name: str) -> str:
        """First value of a profile field ('' when none)."""
        return _first(self.profile_values(name))

    # -- fields --------------------------------------------------------------------------------

    def canonical_url(self) -> str:
        """rel=canonical resolved against the URL (else the URL), in canonical form."""
        href = self.ctx.sel.xpath("//link[@rel='canonical'][@href][1]/@href").get()
        target = urljoin(self.ctx.url, href.strip()) if href and href.strip() else self.ctx.url
        if not target.startswith(("http://", "https://")):
            target = self.ctx.url
        return canonicalize_url(target)

    def title(self) -> str:
        """Profile → og:title / JSON-LD headline → <h1> → <title> minus " | site"."""
        title = self.profile_value("title") or md.title(self.ctx.meta)
        if not title:
            title = _first(_texts(self.ctx.sel, "//h1"))
        if not title:
            title = self._strip_site(_first(self.ctx.sel.xpath("//title//text()").getall()))
        return self._strip_site(title)

    def _strip_site(self, title: str) -> str:
        names = {compare_key(n) for n in self._site_names() if n}
        for sep in _TITLE_SEPARATORS:
            if sep in title:
                head, _, tail = title.rpartition(sep)
                if head and compare_key(tail) in names:
                    return head.strip()
                first, _, rest = title.partition(sep)
                if rest and compare_key(first) in names:
                    return rest.strip()
        return title

    def _site_names(self) -> list[str]:
        names = [md.site_name(self.ctx.meta)]
        if self.ctx.outlet:
            names += [self.ctx.outlet.name_bn, self.ctx.outlet.name_en]
            names += [f.value for f in self.ctx.outlet.names]
        return names

    def dates(self) -> tuple[str | None, str | None]:
        """(published, updated) as ISO 8601 with offset. Machine-readable dates first (profile
        ISO values, then metadata), then visible date text in the outlet's time zone."""
        tz = self.ctx.tz
        result: dict[str, str | None] = {"published": None, "updated": None}
        visible: dict[str, list[str]] = {"published": [], "updated": []}
        for name in ("published", "updated"):
            for value in self.profile_values(name):
                if _looks_iso(value):
                    result[name] = result[name] or _iso(value, tz)
                else:
                    visible[name].append(value)
        meta = {"published": md.published(self.ctx.meta), "updated": md.updated(self.ctx.meta)}
        for name in ("published", "updated"):
            if not result[name] and meta[name]:
                result[name] = _iso(meta[name], tz)
        for name in ("published", "updated"):
            if not result[name] and visible[name]:
                found = find_dates(_date_text(" \n".join(visible[name])), default_tz=tz)
                dt = found.get(name) or (found.get("published") if name == "published" else None)
                if dt is None and name == "updated":
                    dt = found.get("updated") or found.get("published")
                result[name] = to_iso(dt) if dt else None
        if not result["published"]:
            found = self._visible_dates()
            result["published"] = found.get("published")
            result["updated"] = result["updated"] or found.get("updated")
        if result["updated"] and result["updated"] == result["published"]:
            result["updated"] = None
        return result["published"], result["updated"]

    def _visible_dates(self) -> dict[str, str | None]:
        """Dates printed on the page: <time> elements and short date-like elements."""
        texts: list[str] = []
        for node in furniture(self.ctx)["date"][:12]:
            value = node.get("datetime")
            if value and _looks_iso(value):
                texts.append(value)
                continue
            text = element_text(node)
            if 4 <= len(text) <= MAX_DATE_LINE_CHARS * 2:
                texts.append(text)
        if not texts:
            return {}
        found = find_dates(_date_text("\n".join(texts)), default_tz=self.ctx.tz)
        return {k: (to_iso(v) if v else None) for k, v in found.items()}

    def byline(self, visible: bool = True) -> tuple[list[str], str | None]:
        """(authors, desk): people from the profile, else metadata, else (with ``visible``)
        byline elements of the page; desk bylines ("আন্তর্জাতিক ডেস্ক", …) go to desk."""
        desk = self.profile_value("desk") or None
        candidates = self.profile_values("authors") or md.authors(self.ctx.meta)
        if not candidates and visible:
            candidates = self._visible_byline()
        authors: list[str] = []
        registry = load_registry()
        for raw in candidates:
            for name in _split_names(raw):
                name = strip_byline_prefix(name)
                if not name or name.startswith(("http://", "https://")):
                    continue
                if is_desk(name):
                    desk = desk or name
                elif registry.by_name(name) is None and name not in authors:
                    authors.append(name)
        return authors, desk

    def _visible_byline(self) -> list[str]:
        """Short texts of byline elements (class or rel naming an author or reporter)."""
        out: list[str] = []
        for node in furniture(self.ctx)["byline"][:6]:
            text = element_text(node)
            if text and len(text) <= MAX_BYLINE_CHARS and text not in out:
                out.append(text)
        return out

    def section(self) -> str | None:
        """Profile → article:section / JSON-LD articleSection."""
        return self.profile_value("section") or md.section(self.ctx.meta) or None

    def tags(self) -> list[str]:
        """Profile → article:tag / JSON-LD keywords / news_keywords."""
        values = self.profile_values("tags") or md.tags(self.ctx.meta)
        out: list[str] = []
        for value in values:
            tag = clean_line(value)
            if tag and tag not in out:
                out.append(tag)
        return out

    def image(self) -> dict[str, Any] | None:
        """{url, caption}: profile → og:image / JSON-LD image; caption → <figcaption>."""
        url = self.profile_value("image") or md.image(self.ctx.meta)
        caption = self.profile_value("image_caption") or md.image_caption(self.ctx.meta)
        if not caption:
            caption = self._figcaption(url)
        if not url and not caption:
            return None
        if url:
            url = urljoin(self.ctx.url, url)
        return {"url": url or None, "caption": caption or None}

    def _figcaption(self, image_url: str) -> str:
        figures = self.ctx.sel.xpath("//figure[.//figcaption]")
        for fig in figures:
            srcs = fig.xpath(".//img/@src").getall()
            if image_url and srcs and not any(_same_image(s, image_url) for s in srcs):
                continue
            text = _first(_texts(fig, ".//figcaption"))
            if text:
                return text
        return ""

    def description(self) -> str:
        """The page's description (metadata, else ``<meta name=description>``)."""
        return md.description(self.ctx.meta) or clean_line(
            self.ctx.sel.xpath("//meta[@name='description']/@content").get() or ""
        )

    def is_standfirst(self, paragraph: str) -> bool:
        """Whether a leading body paragraph is the standfirst (dek) of a registry outlet's page:
        the page description, printed in a header or in an element classed as a dek/summary.
        (Pages of other sites keep their lead paragraph.)"""
        if self.ctx.outlet is None:
            return False
        key = compare_key(paragraph)
        if not key or key != compare_key(self.description()):
            return False
        for el in self.ctx.root.iter("p", "div", "h2", "h3", "span", "section"):
            if compare_key(element_text(el)) == key and _placed_as_standfirst(el):
                return True
        return False

    def related(self) -> RelatedResult:
        """Related links (profile rules and generic rules) in page order."""
        parts = []
        if self.ctx.version is not None and self.ctx.version.related:
            parts.append(
                profile_related(self.ctx.sel, self.ctx.version.related, self.ctx.url,
                                self.ctx.order)
            )
        parts.append(
            generic_related(self.ctx.root, self.ctx.url, self.ctx.order, html=self.ctx.loaded.html)
        )
        return merge(parts, page_url=self.ctx.url)

    def body_paragraphs(self) -> list[str]:
        """Visible body: the generic extractor on the shared tree (related blocks removed)."""
        from newsbot.extract.generic import generic_body

        return generic_body(self.ctx.loaded.html, self.ctx.url, tree=self.ctx.root)

    # -- assembly ------------------------------------------------------------------------------

    def extract(self, fetched_at: str | None = None, text_only: bool = False) -> Article:
        """Every field; raises :class:`ExtractionError` when the page holds no article text.

        ``text_only`` skips the fields that do not shape the body (dates, section, tags,
        canonical URL, related-link outlets); the body is the same either way."""
        ctx = self.ctx
        title = self.title()
        image = self.image()
        section = self.section()
        published = updated = None
        tags: list[str] = []
        canonical = ctx.url
        if not text_only:
            published, updated = self.dates()
            tags = self.tags()
            canonical = self.canonical_url()
        self.related_result = related = self.related()
        link_keys = _link_text_keys(ctx.root)
        remove_elements(related.elements)
        body = self.body_paragraphs()
        if not body:
            body = _split_body(md.article_body(ctx.meta))
        # A byline found only on the visible page can matter to the body only as a short line.
        visible = not text_only or any(len(p) <= MAX_BYLINE_CHARS for p in body)
        authors, desk = self.byline(visible=visible)
        drop_keys = {compare_key(t) for t in (title, desk, section, *authors) if t}
        if image and image.get("caption"):
            drop_keys.add(compare_key(image["caption"]))
        body = filter_body(body, drop_keys | related.title_keys, title)
        body = [p for p in body if not _mostly_links(p, link_keys)]
        if body and self.is_standfirst(body[0]):
            body = body[1:]
        if not body:
            raise ExtractionError(no_text_reason(ctx.loaded), ctx.url)
        if (
            not md.is_article(ctx.meta)
            and ctx.version is None
            and sum(len(p) for p in body) < MIN_UNMARKED_BODY_CHARS
        ):
            raise ExtractionError("no_article_text", f"{ctx.url}: too little text")
        return Article(
            url=ctx.url,
            canonical_url=canonical,
            outlet_id=ctx.outlet.id if ctx.outlet else None,
            outlet_name=ctx.outlet.name_bn if ctx.outlet else None,
            title=title,
            body=body,
            published=published,
            updated=updated,
            authors=authors,
            desk=desk,
            section=section,
            tags=tags,
            image=image,
            related_links=[] if text_only else related.as_dicts(),
            fetched_at=fetched_at or _now_utc(),
        )


class ProfileExtractor(GenericExtractor):
    """Reads the fields an outlet profile names first, then falls back to the generic reader."""

    name = "profile"

    def __init__(self, ctx: PageContext):
        super().__init__(ctx)
        assert ctx.version is not None
        self.version: ProfileVersion = ctx.version
        self._cache: dict[str, list[str]] = {}

    def profile_values(self, name: str) -> list[str]:
        """Values of the first selector of field ``name`` that yields any."""
        if name not in self._cache:
            values: list[str] = []
            for expr in self.version.selectors(name):
                values = _texts(self.ctx.sel, expr)
                if values:
                    break
            self._cache[name] = values
        return self._cache[name]

    def title(self) -> str:
        """Profile title selectors (joined when they yield several text nodes), else generic."""
        values = self.profile_values("title")
        if values:
            return self._strip_site(clean_line(" ".join(values)))
        return super().title()

    def body_paragraphs(self) -> list[str]:
        """Paragraphs of the profile's body containers (minus ``drop``), else generic."""
        paragraphs = profile_body(self.ctx.sel, self.version)
        return paragraphs or super().body_paragraphs()


def profile_body(sel: Selector, version: ProfileVersion) -> list[str]:
    """Paragraph texts of the first body selector that matches, after removing ``drop``."""
    for expr in version.body:
        containers = [c for c in select(sel, expr) if isinstance(getattr(c.root, "tag", None), str)]
        if not containers:
            continue
        for container in containers:
            for drop in version.drop:
                remove_elements([d.root for d in select(container, drop)
                                 if isinstance(getattr(d.root, "tag", None), str)])
        paragraphs: list[str] = []
        taken: set[Any] = set()
        for container in containers:
            items = [p.root for p in select(container, version.paragraph or "p")]
            items = [p for p in items if isinstance(getattr(p, "tag", None), str)]
            if not items:
                items = [container.root]
            for node in items:
                if node in taken or any(a in taken for a in node.iterancestors()):
                    continue
                taken.add(node)
                text = element_text(node)
                if text:
                    paragraphs.append(text)
        if paragraphs:
            return paragraphs
    return []


def filter_body(paragraphs: list[str], drop_keys: set[str], title: str = "") -> list[str]:
    """Body paragraphs without bylines, captions, the title, related titles and "আরও পড়ুন"
    lines, date lines, and related/navigation headings."""
    out: list[str] = []
    for para in paragraphs:
        line = clean_line(para)
        if not line:
            continue
        key = compare_key(line)
        if not key or key in drop_keys:
            continue
        if is_related_heading(line) or is_navigation_heading(line):
            continue
        if _is_related_line(line, drop_keys):
            continue
        if is_desk(line) and len(line) <= 40:
            continue
        if _is_date_line(line):
            continue
        out.append(line)
    return out


def _is_related_line(line: str, drop_keys: set[str]) -> bool:
    """An inline "আরও পড়ুন: <title>" line (a known related title, or a short line whose label is
    followed by a colon)."""
    rest = strip_related_prefix(line)
    if rest is None:
        return False
    if not rest or compare_key(rest) in drop_keys:
        return True
    match = re.match(r"^([^:ঃ]{1,60})[:ঃ]\s*(.*)$", line)
    return bool(
        match and is_related_heading(match.group(1))
        and len(match.group(2)) <= MAX_RELATED_LINE_CHARS
    )


def _is_date_line(line: str) -> bool:
    """A short line that is only a date (with an optional "প্রকাশ:"/"আপডেট:" label)."""
    if len(line) > MAX_DATE_LINE_CHARS or "।" in line:
        return False
    rest = _date_words_re().sub(" ", line.casefold())
    rest = re.sub(r"[\s\d০-৯:ঃ,./|\-–—()]+", "", rest)
    if len(rest) > 3:
        return False
    return parse_date(_date_text(line)) is not None


@functools.cache
def _date_words_re() -> re.Pattern[str]:
    """Words a date line is made of: labels, month and weekday names, times of day, AM/PM."""
    from newsbot import dates

    words = [*dates.LABELS, *dates.MONTHS, *dates.WEEKDAYS, *dates.PERIODS, *dates.AMPM,
             *dates.DAY_SUFFIXES, "শেষ আপডেট", "ঢাকা"]
    words = sorted({clean_line(w).casefold() for w in words if w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _split_body(text: str) -> list[str]:
    if not text:
        return []
    parts = re.split(r"\n\s*\n|\r\n\s*\r\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [clean_line(p) for p in parts if clean_line(p)]


def _split_names(raw: str) -> list[str]:
    line = clean_line(raw)
    parts = re.split(r"\s*(?:,|;|\||&| ও | এবং | and )\s*", line)
    # "আন্তর্জাতিক ডেস্ক, প্রথম আলো" is one desk line.
    if len(parts) > 1 and is_desk(parts[0]):
        return [parts[0]]
    return [p for p in parts if p]


def _placed_as_standfirst(el: Any) -> bool:
    """A dek: classed as one (or inside a head/summary wrapper within three levels), inside a
    ``<header>``, or among the three elements that follow the ``<h1>``."""
    if _DEK_CLASS_RE.search(el.get("class") or ""):
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


def _space_key(text: str) -> str:
    """A cheap matching key: the text without any white space."""
    return "".join(text.split())


def _link_text_keys(root: lxml.html.HtmlElement) -> set[str]:
    """Keys (:func:`_space_key`) of the texts of the page's links that are two words or more."""
    keys = set()
    for a in root.iter("a"):
        text = a.text_content()
        if text and " " in text.strip():
            key = _space_key(text)
            if len(key) >= 4:
                keys.add(key)
    return keys


def _mostly_links(paragraph: str, link_keys: set[str]) -> bool:
    """Whether link texts make up at least :data:`MAX_LINK_SHARE` of a paragraph."""
    if not link_keys:
        return False
    key = _space_key(paragraph)
    if not key:
        return False
    if key in link_keys:
        return True
    covered = sum(len(k) for k in link_keys if len(k) < len(key) and k in key)
    return covered >= MAX_LINK_SHARE * len(key)


def _date_text(text: str) -> str:
    """Date text with "০৯: ১৫"-style clock times closed up ("০৯:১৫")."""
    return _CLOCK_GAP_RE.sub(r"\1:\2", text)


_CLOCK_GAP_RE = re.compile(r"([0-9০-৯])\s*[:ঃ]\s+([0-9০-৯])")


def _looks_iso(value: str) -> bool:
    return bool(re.match(r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?", value))


def _iso(value: str, tz: str) -> str | None:
    dt = parse_date(value, default_tz=tz)
    return to_iso(dt) if dt else None


def _same_image(src: str, url: str) -> bool:
    return src.rsplit("/", 1)[-1].split("?")[0] == url.rsplit("/", 1)[-1].split("?")[0]


_FURNITURE_XPATH = etree.XPath("//body//*[@class or @rel or @itemprop or self::time]")


def furniture(ctx: PageContext) -> dict[str, list[Any]]:
    """Byline and date elements of the page (cached): elements whose class names an
    author/byline/desk or a date/time, ``rel=author``/``itemprop=author``, and ``<time>``;
    innermost ones only, none inside navigation, header, footer or asides."""
    if ctx.cache.get("furniture") is not None:
        return ctx.cache["furniture"]
    found: dict[str, list[Any]] = {"byline": [], "date": []}
    kinds: dict[str, str | None] = {}  # class attribute -> kind (pages repeat their classes)
    for el in _FURNITURE_XPATH(ctx.root):
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
        if kind and not any(a.tag in _OTHER_CONTAINERS for a in el.iterancestors()):
            found[kind].append(el)
    for kind, items in found.items():
        inner = set(items)
        found[kind] = [e for e in items if not any(d in inner for d in e.iterdescendants())]
    ctx.cache["furniture"] = found
    return found


def extractor_for(ctx: PageContext) -> GenericExtractor:
    """The extractor for a page: its outlet's profile when a version detects it, else generic."""
    if ctx.version is not None:
        return ProfileExtractor(ctx)
    return GenericExtractor(ctx)


def extract_page(
    html: str | bytes,
    url: str,
    encoding: str | None = None,
    fetched_at: str | None = None,
    text_only: bool = False,
) -> Article:
    """Guard, parse once, choose the extractor and read the article (raises ExtractionError);
    ``text_only`` skips fields that do not shape the body."""
    ctx = build_context(html, url, encoding)
    return extractor_for(ctx).extract(fetched_at=fetched_at, text_only=text_only)
