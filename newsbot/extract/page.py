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

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from parsel import Selector

from newsbot import clock
from newsbot.canonical import judge
from newsbot.dates import Stamp, find_stamps, from_epoch, parse_stamp, to_iso, tzinfo_for
from newsbot.extract.body import (
    filter_body,
    link_text_keys,
    mostly_links,
    profile_body,
    space_key,
    split_body,
)
from newsbot.extract.furniture import (
    CAPTION_CLASS_RE,
    MAX_BYLINE_CHARS,
    article_scope,
    chrome_or_teaser,
    furniture,
    placed_as_standfirst,
)
from newsbot.extract.guard import (
    ExtractionError,
    LoadedPage,
    has_visible_text,
    load_page,
    no_text_reason,
)
from newsbot.extract.listing import listing_reason
from newsbot.extract.metadata import PageMetadata, is_article, non_article_kind, read_metadata
from newsbot.extract.profiles import Profile, ProfileVersion, profile_for
from newsbot.extract.related import (
    DocOrder,
    RelatedResult,
    element_text,
    generic_related,
    merge,
    profile_related,
    remove_elements,
)
from newsbot.extract.selectors import select
from newsbot.extract.titles import strip_site_name
from newsbot.items import Article
from newsbot.registry import Outlet, load_registry
from newsbot.text import clean_line, compare_key
from newsbot.urls import absolute_url, host_of
from newsbot.vocabulary.labels import (
    is_account_name,
    is_desk,
    strip_byline_prefix,
)
from newsbot.vocabulary.lines import MAX_DATE_LINE_CHARS

log = logging.getLogger(__name__)

#: Most date elements of the page itself that are read.
MAX_DATE_ELEMENTS = 12
#: A page that is not marked as an article needs at least this much body text.
MIN_UNMARKED_BODY_CHARS = 200


@dataclass
class PageContext:
    """Everything the extractors share about one page: the ONE parsed tree and its selector."""

    url: str
    loaded: LoadedPage
    sel: Selector
    outlet: Outlet | None
    profile: Profile | None
    version: ProfileVersion | None
    meta: PageMetadata
    order: DocOrder
    cache: dict[str, Any] = field(default_factory=dict)
    #: Profile fields whose selectors matched nothing on this page ("detect" when no version
    #: of the outlet's profile recognised it); the extractor fell back for each.
    misses: list[str] = field(default_factory=list)

    @property
    def root(self) -> lxml.html.HtmlElement:
        """The parsed document."""
        return self.loaded.root

    @property
    def tz(self) -> str:
        """Time zone of dates printed without an offset (the outlet's, else Dhaka)."""
        return self.outlet.timezone if self.outlet and self.outlet.timezone else "Asia/Dhaka"


def own_url(root: lxml.html.HtmlElement) -> str:
    """The URL a page gives for itself (absolute ``rel=canonical``, else ``og:url``), or ''."""
    head = root.find("head")
    scope = head if head is not None else root
    for href in (*scope.xpath(".//link[@rel='canonical']/@href"),
                 *scope.xpath(".//meta[@property='og:url']/@content")):
        found = absolute_url("", href) if href and href.strip() else None
        if found:
            return found
    return ""


def build_context(
    html: str | bytes,
    url: str | None = None,
    encoding: str | None = None,
    profiles: Mapping[str, Profile] | None = None,
) -> PageContext:
    """Guard, parse once, find the outlet, profile version and metadata of a page.

    Without ``url`` the page's own canonical URL or ``og:url`` stands in for it, and the outlet
    is found from that URL, else from the site name the page gives (else None).
    ``profiles`` (outlet id -> profile) replaces the bundled profiles (tests, tools)."""
    loaded = load_page(html, url or "", encoding)
    given = bool(url)
    if not url:
        url = loaded.url = own_url(loaded.root)
    sel = Selector(root=loaded.root, type="html", base_url=url or None)
    registry = load_registry()
    outlet = registry.by_url(url) if url else None
    meta = read_metadata(sel, url)
    if outlet is None and not given and meta.site_name:
        outlet = registry.by_name(meta.site_name)
    if outlet is None:
        profile = None
    elif profiles is not None:
        profile = profiles.get(outlet.id)
    else:
        profile = profile_for(outlet.id)
    version = profile.version_for(sel) if profile else None
    ctx = PageContext(url, loaded, sel, outlet, profile, version, meta, DocOrder(loaded.root))
    if profile is not None and version is None:
        ctx.misses.append("detect")
    return ctx


def _now_utc() -> str:
    return clock.now().isoformat()


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

    def canonical_url(self) -> tuple[str, str | None]:
        """rel=canonical (else og:url) resolved against the URL, in canonical form, when it is
        believable (:func:`newsbot.canonical.judge`), else the URL; and why it was ignored."""
        href = self.ctx.sel.xpath("//link[@rel='canonical'][@href][1]/@href").get()
        if not (href and href.strip()):
            href = self.ctx.sel.xpath("//meta[@property='og:url'][@content][1]/@content").get()
        target = absolute_url(self.ctx.url, href) if href and href.strip() else None
        if not self.ctx.url:  # a page without URL that gives none itself
            return "", None
        return judge(self.ctx.url, target)

    def title(self) -> str:
        """Profile → og:title / JSON-LD headline → <h1> → <title> minus " | site"."""
        title = self.profile_value("title") or (self.ctx.meta.title or "")
        if not title:  # metadata falls back to <h1>/<title> itself, unless reading it failed
            title = _first(_texts(self.ctx.sel, "//h1")) or _first(
                self.ctx.sel.xpath("//title//text()").getall()
            )
        return self._strip_site(title)

    def _strip_site(self, title: str) -> str:
        """The title without the site's name before or after it (:mod:`.titles`)."""
        h1 = self.ctx.cache.get("h1")
        if h1 is None:
            h1 = self.ctx.cache["h1"] = _first(_texts(self.ctx.sel, "(//h1)[1]"))
        return strip_site_name(title, self._site_names(), host_of(self.ctx.url), h1)

    def _site_names(self) -> list[str]:
        names = [self.ctx.meta.site_name or "", *self.ctx.meta.site_names]
        if self.ctx.outlet:
            names += [self.ctx.outlet.name_bn, self.ctx.outlet.name_en]
            names += [f.value for f in self.ctx.outlet.names]
        return names

    def dates(self) -> tuple[str | None, str | None]:
        """(published, updated) as ISO 8601 with offset.

        Candidates in order of evidence: the profile's machine-readable values (ISO, Unix
        time), metadata, the text of the profile's date selectors, the page's own visible date
        elements (never the masthead, footer, sidebars or other articles' teasers). The first
        wins, except that a value with a time of day beats a date-only value for the same day.
        ``updated`` is dropped when it does not come after ``published``."""
        tz = self.ctx.tz
        meta = {"published": self.ctx.meta.published_values,
                "updated": self.ctx.meta.updated_values}
        page: dict[str, Stamp | None] | None = None
        best: dict[str, Stamp | None] = {}
        for name in ("published", "updated"):
            stamps: list[Stamp | None] = []
            visible: list[str] = []
            for value in self.profile_values(name):
                stamp = _machine_stamp(value, tz)
                if stamp is None:
                    visible.append(value)
                stamps.append(stamp)
            stamps += [_machine_stamp(value, tz) or parse_stamp(value, default_tz=tz)
                       for value in meta[name]]
            if visible:
                found = find_stamps(" \n".join(visible), default_tz=tz)
                # An unlabelled date counts as "published": in the text of the profile's
                # ``updated`` selectors it is the updated date.
                stamps.append(found.get(name) or found.get("published"))
            found_stamps = [s for s in stamps if s is not None]
            # The page's own date lines can change the choice only when nothing was found
            # before them or the first find lacks a time of day: read them only then.
            if not (found_stamps and found_stamps[0].timed):
                if page is None:
                    page = self._visible_dates()
                found_stamps += [s for s in (page.get(name),) if s is not None]
            best[name] = _most_precise(found_stamps)
        published, updated = best["published"], best["updated"]
        if updated and published and updated.moment <= published.moment:
            updated = None
        return (to_iso(published.moment) if published else None,
                to_iso(updated.moment) if updated else None)

    def _visible_dates(self) -> dict[str, Stamp | None]:
        """Dates printed on the page: <time> elements and short date-like elements of the
        article itself — not the masthead's "today" before the headline and outside the
        article, not page chrome, not other articles' teasers."""
        root = self.ctx.root
        h1 = next(root.iter("h1"), None)
        scope = article_scope(h1)
        today = clock.today(tzinfo_for(self.ctx.tz))
        texts: list[str] = []
        for node in furniture(root, self.ctx.cache)["date"]:
            if len(texts) >= MAX_DATE_ELEMENTS:
                break
            if chrome_or_teaser(node, h1):
                continue
            before_h1 = h1 is not None and self.ctx.order(node) < self.ctx.order(h1)
            if before_h1 and scope is not None and scope not in set(node.iterancestors()):
                continue  # a masthead line outside the article
            value = node.get("datetime")
            if value and _looks_iso(value):
                text = value
            else:
                text = element_text(node)
                if not 4 <= len(text) <= MAX_DATE_LINE_CHARS * 2:
                    continue
            stamp = parse_stamp(text, default_tz=self.ctx.tz)
            if before_h1 and stamp and not stamp.timed and stamp.moment.date() == today:
                continue  # the masthead's "today"
            texts.append(text)
        if not texts:
            return {}
        return find_stamps("\n".join(texts), default_tz=self.ctx.tz)

    def byline(self, visible: bool = True) -> tuple[list[str], str | None]:
        """(authors, desk): people from the profile, else metadata, else (with ``visible``)
        byline elements of the page; desk bylines ("আন্তর্জাতিক ডেস্ক", …) go to desk."""
        desk = self.profile_value("desk") or None
        candidates = self.profile_values("authors") or self.ctx.meta.authors
        if not candidates and visible:
            candidates = self._visible_byline()
        authors: list[str] = []
        registry = load_registry()
        for raw in candidates:
            for name in _split_names(raw):
                name = strip_byline_prefix(name)
                if not name or name.startswith(("http://", "https://")) or is_account_name(name):
                    continue
                if is_desk(name):
                    desk = desk or name
                elif name == desk or name in authors:
                    continue
                elif registry.by_name(name) is None:
                    authors.append(name)
        return authors, desk

    def _visible_byline(self) -> list[str]:
        """Short texts of byline elements (class or rel naming an author or reporter)."""
        out: list[str] = []
        for node in furniture(self.ctx.root, self.ctx.cache)["byline"][:6]:
            text = element_text(node)
            if text and len(text) <= MAX_BYLINE_CHARS and text not in out:
                out.append(text)
        return out

    def section(self) -> str | None:
        """Profile → article:section / JSON-LD articleSection."""
        return self.profile_value("section") or self.ctx.meta.section or None

    def tags(self) -> list[str]:
        """Profile → article:tag / JSON-LD keywords / news_keywords."""
        values = self.profile_values("tags") or self.ctx.meta.tags
        out: list[str] = []
        for value in values:
            tag = clean_line(value)
            if tag and tag not in out:
                out.append(tag)
        return out

    def image(self) -> dict[str, Any] | None:
        """{url, caption}: profile → og:image / JSON-LD image; caption → <figcaption>."""
        url = self.profile_value("image") or self.ctx.meta.image_url
        caption = self.profile_value("image_caption") or self.ctx.meta.image_caption
        if not caption or not url:
            found, src = self._figcaption(url)
            caption = caption or found
            url = url or src
        if url:
            url = absolute_url(self.ctx.url, url)
        if not url and not caption:
            return None
        return {"url": url or None, "caption": caption or None}

    def _figcaption(self, image_url: str) -> tuple[str, str]:
        """(caption, image src) of the lead image: the ``<figcaption>`` of the figure holding
        it, else an element classed "caption" next to it (within its parent or grandparent)."""
        for fig in self.ctx.root.iter("figure"):
            srcs = [img.get("src") or "" for img in fig.iter("img")]
            if image_url and srcs and not any(_same_image(s, image_url) for s in srcs):
                continue
            for cap in fig.iter("figcaption"):
                text = element_text(cap)
                if text:
                    return text, next((s for s in srcs if s), "")
        html = self.ctx.loaded.html
        if "aption" not in html and "APTION" not in html:  # no class can name a caption
            return "", ""
        for img in self.ctx.root.iter("img"):
            if image_url and not _same_image(img.get("src") or "", image_url):
                continue
            box = img.getparent()
            for _ in range(2):
                if box is None:
                    break
                for el in box.iter():
                    if el is not img and CAPTION_CLASS_RE.search(el.get("class") or ""):
                        text = element_text(el)
                        if text:
                            return text, img.get("src") or ""
                box = box.getparent()
            if image_url:
                break
        return "", ""

    def description(self) -> str:
        """The page's description (metadata, else ``<meta name=description>`` when reading
        the metadata failed)."""
        return self.ctx.meta.description or clean_line(
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
        # The raw text of an element holding the paragraph is at least about as long as its
        # key and, unless it holds much more (scripts, markup white space), not far longer.
        low, high = len(key) // 2, 4 * len(paragraph) + 1000
        for el in self.ctx.root.iter("p", "div", "h2", "h3", "span", "section"):
            if not low <= len(el.text_content()) <= high:
                continue
            if compare_key(element_text(el)) == key and placed_as_standfirst(el):
                return True
        return False

    def related(self) -> RelatedResult:
        """Related links in page order: the profile's rules and the generic rules together (a
        profile's rules may know only some of a page's related blocks: they fail soft)."""
        parts = []
        if self.ctx.version is not None and self.ctx.version.related:
            parts.append(profile_related(self.ctx.sel, self.ctx.version.related, self.ctx.url,
                                         self.ctx.order))
        parts.append(generic_related(self.ctx.root, self.ctx.url, self.ctx.order,
                                     html=self.ctx.loaded.html))
        return merge(parts, page_url=self.ctx.url)

    def body_paragraphs(self, spend_tree: bool = False) -> list[str]:
        """Visible body: the generic extractor on the shared tree (related blocks removed).
        ``spend_tree``: nothing reads the tree afterwards, so it is cut in place, not copied."""
        from newsbot.extract.generic import generic_body

        return generic_body(self.ctx.loaded.html, self.ctx.url, tree=self.ctx.root,
                            copy_tree=not spend_tree)

    # -- assembly ------------------------------------------------------------------------------

    def extract(self, fetched_at: str | None = None, text_only: bool = False) -> Article:
        """Every field; raises :class:`ExtractionError` when the page holds no article text.

        ``text_only`` skips the fields that do not shape the body (dates, tags, canonical URL,
        related-link outlets) and the verdict on whether the page is an article at all
        (:meth:`judge`): it asks for a page's main text, whatever the page is. The section is
        read either way, as body lines that repeat it are dropped, so the body is the same
        either way."""
        ctx = self.ctx
        title = self.title()
        image = self.image()
        section = self.section()
        published = updated = None
        tags: list[str] = []
        canonical, ignored = ctx.url, None
        if not text_only:
            published, updated = self.dates()
            tags = self.tags()
            canonical, ignored = self.canonical_url()
        self.related_result = related = self.related()
        link_keys = link_text_keys(ctx.root)
        remove_elements(related.elements)
        # The text alone of a page without outlet reads nothing of the tree after its body but
        # byline elements, which the body extractor leaves where they were (it cuts chrome,
        # hidden blocks, ads and link lists, where no byline of the article's own stands): it
        # may cut the shared tree instead of a copy of it.
        spend_tree = text_only and ctx.outlet is None and ctx.version is None
        body = self.body_paragraphs(spend_tree=spend_tree)
        json_body = (ctx.meta.article_body or "")
        if not body or (json_body and space_key(" ".join(body)) == space_key(json_body)):
            # No visible body (the generic extractor may fall back on articleBody itself,
            # flattened): the JSON-LD articleBody, in its own paragraphs.
            body = split_body(json_body) or body
        # A byline found only on the visible page can matter to the body only as a short line.
        visible = not text_only or any(len(p) <= MAX_BYLINE_CHARS for p in body)
        authors, desk = self.byline(visible=visible)
        drop_keys = {compare_key(t) for t in (title, desk, section, *authors) if t}
        if image and image.get("caption"):
            drop_keys.add(compare_key(image["caption"]))
        body = filter_body(body, drop_keys | related.title_keys, title)
        body = [p for p in body if not mostly_links(p, link_keys)]
        if body and self.is_standfirst(body[0]):
            body = body[1:]
        if not text_only:
            self.judge(body)
        if not body:
            raise ExtractionError(no_text_reason(ctx.loaded), ctx.url)
        return Article(
            url=ctx.url,
            canonical_url=canonical,
            canonical_ignored=ignored,
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


    def judge(self, body: list[str]) -> None:
        """Raise ``not_article`` or ``no_article_text`` when the page, whose body text is
        ``body``, is not an article: it says it is something else, it is not marked as an
        article and holds too little text, or it shows what listings show (many teaser
        headlines, no article text block: :mod:`.listing`) whatever it says. A page a profile
        version detects is an article."""
        ctx = self.ctx
        if ctx.version is not None:
            return
        chars = sum(len(p) for p in body)
        # a page without body text is a listing only where it claims to be an article; else
        # the caller says why it holds no text
        if (body or is_article(ctx.meta)) and has_visible_text(ctx.root):
            # every name the page gives itself: metadata may have taken a blog's name from
            # its <h1> where the <title> holds the post's headline
            titles = dict.fromkeys([ctx.meta.title or "", self.title(),
                                    _first(ctx.sel.xpath("//title//text()").getall())])
            listing = listing_reason(ctx.root, chars, " ".join(t for t in titles if t))
            if listing:
                raise ExtractionError("not_article", f"{ctx.url}: a listing ({listing})")
        if not body:
            return
        kind = non_article_kind(ctx.meta)
        if kind:
            raise ExtractionError("not_article", f"{ctx.url}: the page says it is {kind!r}")
        if not is_article(ctx.meta) and chars < MIN_UNMARKED_BODY_CHARS:
            raise ExtractionError("no_article_text", f"{ctx.url}: too little text")


class ProfileExtractor(GenericExtractor):
    """Reads the fields an outlet profile names first, then falls back to the generic reader."""

    name = "profile"

    def __init__(self, ctx: PageContext):
        super().__init__(ctx)
        assert ctx.version is not None
        self.version: ProfileVersion = ctx.version
        self._cache: dict[str, list[str]] = {}

    def profile_values(self, name: str) -> list[str]:
        """Values of the first selector of field ``name`` that yields any. A field whose
        selectors all match nothing is noted in ``ctx.misses`` (the caller falls back)."""
        if name not in self._cache:
            values: list[str] = []
            exprs = self.version.selectors(name)
            for expr in exprs:
                values = _texts(self.ctx.sel, expr)
                if values:
                    break
            if exprs and not values:
                self.ctx.misses.append(name)
            self._cache[name] = values
        return self._cache[name]

    def title(self) -> str:
        """Profile title selectors (joined when they yield several text nodes), else generic."""
        values = self.profile_values("title")
        if values:
            return self._strip_site(clean_line(" ".join(values)))
        return super().title()

    def body_paragraphs(self, spend_tree: bool = False) -> list[str]:
        """Paragraphs of the profile's body containers (minus ``drop``), else generic."""
        paragraphs = profile_body(self.ctx.sel, self.version)
        if not paragraphs and self.version.body:
            self.ctx.misses.append("body")
        return paragraphs or super().body_paragraphs(spend_tree=spend_tree)


def _split_names(raw: str) -> list[str]:
    line = clean_line(raw)
    parts = re.split(r"\s*(?:,|;|\||&| ও | এবং | and )\s*", line)
    # "আন্তর্জাতিক ডেস্ক, প্রথম আলো" is one desk line.
    if len(parts) > 1 and is_desk(parts[0]):
        return [parts[0]]
    return [p for p in parts if p]


def _looks_iso(value: str) -> bool:
    return bool(re.match(r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?", value))


def _machine_stamp(value: str, tz: str) -> Stamp | None:
    """A machine-readable date (ISO 8601, or a Unix time from embedded JSON); None for text."""
    if _looks_iso(value):
        return parse_stamp(value, default_tz=tz)
    stamp = from_epoch(value)
    # A Unix time carries no offset of its own: it is given in the outlet's time zone.
    return stamp._replace(moment=stamp.moment.astimezone(tzinfo_for(tz))) if stamp else None


def _most_precise(stamps: list[Stamp]) -> Stamp | None:
    """The first stamp, unless it is date-only and a later one gives a time on that same day."""
    if not stamps:
        return None
    first = stamps[0]
    if not first.timed:
        day = first.moment.date()
        for stamp in stamps[1:]:
            if stamp.timed and stamp.moment.astimezone(first.moment.tzinfo).date() == day:
                return stamp
    return first


def _same_image(src: str, url: str) -> bool:
    return src.rsplit("/", 1)[-1].split("?")[0] == url.rsplit("/", 1)[-1].split("?")[0]


def extractor_for(ctx: PageContext) -> GenericExtractor:
    """The extractor for a page: its outlet's profile when a version detects it, else generic."""
    if ctx.version is not None:
        return ProfileExtractor(ctx)
    return GenericExtractor(ctx)


def extract_page(
    html: str | bytes,
    url: str | None = None,
    encoding: str | None = None,
    fetched_at: str | None = None,
    text_only: bool = False,
    profiles: Mapping[str, Profile] | None = None,
    misses: list[str] | None = None,
) -> Article:
    """Guard, parse once, choose the extractor and read the article (raises ExtractionError);
    ``text_only`` skips fields that do not shape the body; ``profiles`` replaces the bundled
    profiles; ``misses`` receives the profile fields that matched nothing (see
    :attr:`PageContext.misses`), also when the page then fails."""
    ctx = build_context(html, url, encoding, profiles)
    if misses is not None:
        misses.extend(ctx.misses)
        ctx.misses = misses
    return extractor_for(ctx).extract(fetched_at=fetched_at, text_only=text_only)
