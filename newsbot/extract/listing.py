"""Page evidence that a page is a listing (section, tag, author, opinion index, home page) and not
an article, whatever its ``og:type`` says.

A listing shows many teasers - headlines that link to other pages (``<h2><a>…</a></h2>``,
``<a><h3>…</h3></a>``, or a link whose text is a headline of several words) - and no block of
article text: no container holds several prose paragraphs of its own. An article may show
teasers too (related stories, most read), but it has its text block, or at least its own
headline (an ``<h1>`` that links nowhere) above a body of some length.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from newsbot.text import compare_key

#: Headline links from which a page without an article text block is a listing.
MIN_TEASERS = 8
#: A paragraph of at least this many characters, mostly not link text, is prose.
MIN_PROSE_CHARS = 60
#: A container with this many prose paragraphs of its own ...
MIN_BLOCK_PARAGRAPHS = 3
#: ... or this much prose is an article text block.
MIN_BLOCK_CHARS = 600
#: A page that shows its own headline (an <h1>/<h2> its title holds, linking nowhere) above
#: this much body text is an article whatever surrounds it.
MIN_HEADLINED_BODY_CHARS = 150
#: A body this long, and longer than the teasers' excerpts would be, is article text.
MIN_LONG_BODY_CHARS = 1200
EXCERPT_CHARS = 150
#: A headline has at least this many words ...
MIN_HEADLINE_WORDS = 3
#: ... and a link outside a heading counts as a teaser from this many words on.
MIN_LINK_HEADLINE_WORDS = 5

#: Headings (h1-h3, in page order) searched for the one the page's title holds.
MAX_TITLE_HEADINGS = 30

_HEADINGS = ("h1", "h2", "h3", "h4")
_TEASER_HEADINGS = etree.XPath(
    "//body//*[self::h1 or self::h2 or self::h3 or self::h4]"
    "[.//a[@href] or ancestor::a[@href]]"
)
_LINKS = etree.XPath("//body//a[@href]")
_PARAGRAPHS = etree.XPath(f"//body//p[string-length(normalize-space(.)) >= {MIN_PROSE_CHARS}]")
# elements holding prose as their own text, between line breaks (older and hand-made pages)
_TEXT_HOLDERS = etree.XPath(
    f"//body//*[not(self::p) and not(self::a) and not(self::script) and not(self::style)]"
    f"[text()[string-length(normalize-space(.)) >= {MIN_PROSE_CHARS}]]"
)
_OWN_HEADINGS = etree.XPath(
    "(//body//*[self::h1 or self::h2][not(.//a[@href]) and not(ancestor::a[@href])])"
    "[position() <= 5]"
)
# headings that may carry the page's own title: a blog theme links the post's headline to the
# post itself and may set it in an <h3> under the blog's name in the <h1>
_TITLE_HEADINGS = etree.XPath(
    f"(//body//*[self::h1 or self::h2 or self::h3])[position() <= {MAX_TITLE_HEADINGS}]"
)
_H1 = etree.XPath("//body//h1")


@dataclass
class ListingEvidence:
    """What the page shows: teaser headlines (distinct targets), its largest text block."""

    teasers: int
    block_paragraphs: int
    block_chars: int
    own_headline: bool

    def describe(self) -> str:
        """A short account for the drop reason's detail."""
        return (f"{self.teasers} teaser headlines, largest text block "
                f"{self.block_paragraphs} paragraphs / {self.block_chars} characters")


def _words(text: str) -> int:
    return len(text.split())


def _link_chars(el) -> int:
    return sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))


def _own_headline(root, title: str) -> bool:
    """Whether the page shows its own headline: its only ``<h1>``, linking nowhere, or a
    heading (``<h1>``-``<h3>``) that the page's title holds; of a few words. A listing's title
    names the section, never one of its teasers, so the heading may link (to the post)."""
    h1s = _H1(root)
    if (
        len(h1s) == 1 and h1s[0] in _OWN_HEADINGS(root)
        and _words(" ".join(h1s[0].text_content().split())) >= MIN_HEADLINE_WORDS
    ):
        return True
    key = compare_key(title)
    if not key:
        return False
    for heading in _TITLE_HEADINGS(root):
        text = " ".join(heading.text_content().split())
        if _words(text) < MIN_HEADLINE_WORDS or compare_key(text) not in key:
            continue
        link = next(heading.iter("a"), None)
        if link is None:
            link = next(heading.iterancestors("a"), None)
        if link is None or not _home_link(link.get("href") or ""):
            return True  # (a heading linking home is the site's name in its logo)
    return False


def _home_link(href: str) -> bool:
    """Whether a link goes to a site's home page ("/", "https://host/")."""
    href = href.strip()
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href)
    return parts.path in ("", "/") and not parts.query


def _teasers(root) -> int:
    """Distinct targets of the page's teaser headlines (headings that link, long link texts)."""
    targets = set()
    for heading in _TEASER_HEADINGS(root):
        text = " ".join(heading.text_content().split())
        if _words(text) < MIN_HEADLINE_WORDS:
            continue
        link = next(heading.iter("a"), None)
        if link is None:
            link = next((a for a in heading.iterancestors("a")), None)
        href = (link.get("href") or "").strip() if link is not None else ""
        targets.add(href or text)
    for link in _LINKS(root):
        href = (link.get("href") or "").strip()
        if href in targets or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if _words(link.text_content()) >= MIN_LINK_HEADLINE_WORDS:
            targets.add(href)
    return len(targets)


def _text_block(root) -> tuple[int, int]:
    """Paragraphs and characters of the page's largest block of prose: the most paragraphs of
    any one container, and the characters of the container with the most prose."""
    blocks: dict = {}
    for p in _PARAGRAPHS(root):
        text = " ".join(p.text_content().split())
        if _link_chars(p) * 2 > len(text):
            continue
        parent = p.getparent()
        count, chars = blocks.get(parent, (0, 0))
        blocks[parent] = (count + 1, chars + len(text))
    for el in _TEXT_HOLDERS(root):
        runs = [len(" ".join(t.split())) for t in el.xpath("text()")]
        runs = [n for n in runs if n >= MIN_PROSE_CHARS]
        count, chars = blocks.get(el, (0, 0))
        blocks[el] = (count + len(runs), chars + sum(runs))
    best = max(blocks.values(), key=lambda v: (v[1], v[0]), default=(0, 0))
    most = max((v[0] for v in blocks.values()), default=0)
    return max(most, best[0]), best[1]


def evidence(root, title: str = "") -> ListingEvidence:
    """Teasers, largest prose block and own headline of a parsed page (``title``: what the
    page's metadata or ``<title>`` calls it)."""
    paragraphs, chars = _text_block(root)
    return ListingEvidence(_teasers(root), paragraphs, chars, _own_headline(root, title))


def listing_reason(root, body_chars: int, title: str = "") -> str | None:
    """Why the page is a listing and not an article (None when it may be an article).

    ``body_chars``: the length of the body text the extractor found; ``title``: what the page
    calls itself (metadata or ``<title>``). Any one sign of an article settles it, so the
    cheapest signs are read first: an article page, the common case, rarely pays for all."""
    own = _own_headline(root, title)
    if own and body_chars >= MIN_HEADLINED_BODY_CHARS:
        return None
    teasers = _teasers(root)
    if teasers < MIN_TEASERS or body_chars >= max(MIN_LONG_BODY_CHARS, EXCERPT_CHARS * teasers):
        return None
    paragraphs, chars = _text_block(root)
    if paragraphs >= MIN_BLOCK_PARAGRAPHS or chars >= MIN_BLOCK_CHARS:
        return None
    return ListingEvidence(teasers, paragraphs, chars, own).describe()
