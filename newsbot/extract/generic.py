"""Generic article-body extraction, for pages of outlets that have no profile.

The body comes from trafilatura, run in fast mode on a tree parsed once with lxml, with our own
handling around it:

* before: hidden elements, ads and embeds (:mod:`newsbot.extract.hygiene`) and elements
  trafilatura would delete anyway are dropped first (this makes its many per-element XPath
  passes cheaper), then related-story and tag lists (link-dense lists,
  breadcrumbs), page chrome (nav, footer, aside), site headers without a headline, figures
  (captions) and embedded social posts are removed;
* the full (slower) trafilatura cascade runs only when the fast result is nearly empty; long
  paragraphs it misses are taken back when they sit in containers shaped like those of the
  extracted ones (a body split into chunks by ads or inline boxes);
* a second opinion by text density (:mod:`newsbot.extract.density`) replaces trafilatura's
  paragraphs when they miss most of the page's main block and the block holds clearly more
  prose, and drops their short lines outside the block when they hold it and much more;
* after: paragraphs that are page furniture in any language (labels, read-more prompts, photo
  credits, copyright, reading times, date and byline lines, newsletter/app promos, tweet
  signatures) and a repeated headline are dropped, a standfirst that the page shows (it
  matches the meta description) is restored when missing, and a page with no visible body
  falls back to JSON-LD ``articleBody`` or the description.

Tokenisation never relies on ``\\w`` alone: Bengali vowel signs are not word characters.
"""

from __future__ import annotations

import bisect
import collections
import copy
import itertools
import logging
import re

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from newsbot.extract.density import MainBlock, block_paragraphs, main_block
from newsbot.extract.hygiene import invisible_elements
from newsbot.extract.metadata import jsonld_article_body
from newsbot.extract.related import remove_keeping_tail
from newsbot.text import compare_key, nfc
from newsbot.vocabulary.lines import GENERIC_BODY_CHECKS, classify_line

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 8_000_000
MIN_BODY_CHARS = 250
LONG_P_CHARS = 100

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse a page into an lxml tree (trafilatura's loader); None for empty, binary or
    oversized input."""
    if not html:
        return None
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", "replace")
    if not isinstance(html, str) or len(html) > MAX_HTML_CHARS:
        return None
    head = html[:4096]
    if len(_CONTROL.findall(head)) > 8 or "\ufffd" * 4 in head:
        return None
    try:
        tree = load_html(html)
    except (etree.ParserError, ValueError, TypeError):
        return None
    if tree is None or not isinstance(tree.tag, str):
        return None
    return tree


# ---------------------------------------------------------------------------------------------
# Tree preparation

# Elements trafilatura deletes anyway (head is emptied except for JSON-LD, which its baseline
# rescue reads).
_DEAD_TAGS = (
    "style", "noscript", "svg", "iframe", "template", "button", "select", "input", "textarea",
    "label", "video", "audio", "canvas", "picture", "object", "embed", "map", "dialog",
    "link", "meta", "source", "use", "math", "title", "base",
)
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "menu"})
_PREPARE_TAGS = ("script", "nav", "footer", "aside", "menu", "figure", "header", "blockquote",
                 "head", "ul", "ol")
_HAS_LONG_P = etree.XPath(
    f"boolean(descendant-or-self::p[string-length(normalize-space(.)) > {LONG_P_CHARS}])"
)
_HAS_HEADLINE = etree.XPath(
    "boolean(.//h1 | .//*[string-length(normalize-space(text()[1])) > 80])"
)
_COUNT_LONG_P = etree.XPath(f"count(//p[string-length(normalize-space(.)) > {LONG_P_CHARS}])")
_EMBED_CLASS = re.compile(r"twitter-tweet|instagram|tiktok|embed", re.IGNORECASE)


def _link_share(el) -> tuple[int, float]:
    """(text length, share of that text inside links) of an element."""
    total = len(" ".join(el.text_content().split()))
    if not total:
        return 0, 0.0
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return total, min(1.0, linked / total)


def _is_link_list(lst) -> bool:
    """A list of related stories, tags or a breadcrumb: mostly link text, or several short
    items most of which are links."""
    items = [li for li in lst if li.tag == "li"]
    if len(items) < 2:
        return False
    total, share = _link_share(lst)
    if total == 0 or share >= 0.6:
        return True
    if len(items) >= 3 and total < 45 * len(items):
        linked = sum(1 for li in items if _link_share(li)[1] >= 0.9)
        return linked * 2 >= len(items)
    return False


def _prepare(tree) -> None:
    """Drop dead elements, hidden elements, ads and embeds, and page furniture from ``tree``
    (in place)."""
    for el in invisible_elements(tree):
        remove_keeping_tail(el)
    etree.strip_elements(tree, *_DEAD_TAGS, with_tail=False)
    doomed, guarded, lists = [], [], []
    for el in tree.iter(*_PREPARE_TAGS):
        tag = el.tag
        if tag == "script":
            if (el.get("type") or "").strip().lower() != "application/ld+json":
                doomed.append(el)
        elif tag in _CHROME_TAGS:
            guarded.append(el)
        elif tag == "figure":
            if el.find(".//table") is None:
                doomed.append(el)
        elif tag == "header":
            if not _HAS_HEADLINE(el):
                doomed.append(el)
        elif tag == "blockquote":
            if _EMBED_CLASS.search(el.get("class") or ""):
                doomed.append(el)
        elif tag == "head":
            doomed.extend(child for child in el if child.tag != "script")
        else:
            lists.append(el)
    for el in doomed:
        remove_keeping_tail(el)
    # kept when broken markup put the article inside them
    for el in guarded:
        if not _HAS_LONG_P(el):
            remove_keeping_tail(el)
    for lst in lists:
        if _is_link_list(lst):
            remove_keeping_tail(lst)


# ---------------------------------------------------------------------------------------------
# trafilatura and its output

_BLOCKS = frozenset({"p", "head", "item", "row", "quote", "list", "table", "code", "lb", "div"})


def _render(body) -> list[str]:
    """Flatten trafilatura's output tree into paragraphs (list items and table rows apart,
    cells joined by spaces, no list markers or table pipes)."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = nfc(" ".join("".join(buf).split()))
        if text:
            out.append(text)
        buf.clear()

    def walk(el) -> None:
        block = el.tag in _BLOCKS
        if block:
            flush()
        elif el.tag == "cell":
            buf.append(" ")
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()
        elif el.tag == "cell":
            buf.append(" ")

    for child in body:
        walk(child)
        if child.tail:
            buf.append(child.tail)
    flush()
    return out


def _run_trafilatura(tree, url: str, fast: bool) -> list[str]:
    doc = bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_tables=True,
        output_format="txt",
        # the main block (_arbitrate) brings back what a precise first pass leaves out
        favor_precision=fast,
    )
    if doc is None or doc.body is None:
        return []
    return _render(doc.body)


def _coverage(page_long_p: int, paras: list[str]) -> float | None:
    """Long paragraphs in ``paras`` per long <p> of the page; None when the page has few."""
    if page_long_p < 3:
        return None
    return min(1.0, sum(1 for p in paras if len(p) > LONG_P_CHARS) / page_long_p)


# ---------------------------------------------------------------------------------------------
# Tags

# a tag; script, style and iframe elements go with their content (see _strip_tags)
_TAG = re.compile(r"<(script|style|iframe)\b[^<>]{0,500}>|</?[a-zA-Z][^<>]{0,500}>")
_END_TAGS = {name: re.compile(rf"</{name}\s*>") for name in ("script", "style", "iframe")}


def _strip_tags(text: str, repl: str) -> str:
    """``text`` with every tag replaced by ``repl``, script/style/iframe elements with their
    content. Linear time: an element without an end tag loses only its start tag, and the
    search for an end tag that is not there is made once per tag name."""
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    for m in _TAG.finditer(text):
        if m.start() < pos:
            continue  # inside an element dropped with its content
        out += (text[pos:m.start()], repl)
        pos = m.end()
        name = m.group(1)
        if name and name not in unclosed:
            end = _END_TAGS[name].search(text, pos)
            if end is None:
                unclosed.add(name)
            else:
                pos = end.end()
    out.append(text[pos:])
    return "".join(out)



# ---------------------------------------------------------------------------------------------
# Headline, standfirst, repair

_LEAD_BLOCKS = frozenset(
    {"p", "div", "h2", "h3", "h4", "li", "section", "header", "blockquote", "td", "article",
     "summary", "dd", "main", "body"}
)
_LEAD_SKIP = frozenset(
    {"script", "style", "noscript", "template", "a", "title", "figcaption", "button", "label",
     "option", "textarea"}
)
_META_TITLES = etree.XPath(
    "(//meta[@property='og:title' or @name='twitter:title']/@content)[1]"
    " | (//title)[1]//text() | (//h1)[1]//text()"
)
_META_DESCRIPTIONS = etree.XPath(
    "//meta[@property='og:description' or @name='description'"
    " or @name='twitter:description']/@content"
)
_TEXT_CONTAINING = etree.XPath("//body//text()[contains(., $p)]")
_BODY_SPLIT = re.compile(r"\s*\n\s*")


def _title_keys(tree) -> set[str]:
    """Keys of the page's headline as og:title, <title> and the first <h1> give it."""
    keys = {compare_key(t) for t in _META_TITLES(tree)}
    return {k for k in keys if len(k) >= 8}


def _descriptions(tree) -> list[str]:
    out: list[str] = []
    for d in _META_DESCRIPTIONS(tree):
        d = " ".join(d.split())
        if len(d) >= 40 and d not in out:
            out.append(d)
    return out


def _probes(desc: str) -> list[str]:
    """Word-aligned snippets of a description to look for on the page: its start and a piece
    from its middle (descriptions often carry a prefix the page does not show)."""
    words = desc.split()
    out = [" ".join(words[:8])]
    if len(words) >= 16:
        out.append(" ".join(words[len(words) // 3:][:7]))
    return [p.rstrip(".…") for p in out if len(p) >= 25]


def _find_lead(tree, descriptions: list[str]) -> str | None:
    """The standfirst the page shows: the text block holding the meta description."""
    for desc in descriptions:
        for probe in _probes(desc):
            for node in _TEXT_CONTAINING(tree, p=probe)[:5]:
                el = node.getparent()
                if el is not None and node.is_tail:
                    el = el.getparent()
                while el is not None and el.tag not in _LEAD_BLOCKS and el.tag not in _LEAD_SKIP:
                    el = el.getparent()
                if el is None or el.tag not in _LEAD_BLOCKS:
                    continue
                if any(a.tag in _LEAD_SKIP for a in el.iterancestors()):
                    continue
                text = " ".join(el.text_content().split())
                if len(text) <= max(len(desc) * 1.5, len(desc) + 150):
                    return text
    return None


def _clean(paras: list[str], title_keys: set[str]) -> list[str]:
    out = []
    for i, text in enumerate(paras):
        if "<" in text and ">" in text:  # markup that arrived as text (JSON-LD, CMS bugs)
            text = " ".join(_strip_tags(text, " ").split())
            if not text:
                continue
        if classify_line(text, GENERIC_BODY_CHECKS) is not None:
            continue
        if i < 4 and title_keys and len(text) < 300 and compare_key(text) in title_keys:
            continue
        out.append(text)
    return out


def _match_key(text: str) -> str:
    """A cheap key for finding one text of the page inside another (both come from the same
    tree, so only white space and case differ)."""
    return "".join(text.split()).casefold()


def _path_signature(p) -> tuple:
    """Tag and first class of a paragraph's three nearest ancestors."""
    out = []
    for a in itertools.islice(p.iterancestors(), 3):
        classes = (a.get("class") or "").split()
        out.append((a.tag, classes[0] if classes else ""))
    return tuple(out)


def _recover_siblings(tree, paras: list[str]) -> list[str]:
    """Add long paragraphs the extraction missed that sit in containers shaped like the ones
    holding two or more extracted paragraphs (same tags and classes up three levels, same
    <article>): article text split into chunks by ads or inline boxes. In page order."""
    keys = [_match_key(p) for p in paras]
    offsets, pos = [], 0
    for k in keys:
        offsets.append(pos)
        pos += len(k)
    joined = "".join(keys)  # a <p> split at <br> spans several extracted paragraphs
    longs = []
    for p in tree.iter("p"):
        text = " ".join(p.text_content().split())
        if len(text) >= LONG_P_CHARS:
            found = joined.find(_match_key(text))
            idx = bisect.bisect_right(offsets, found) - 1 if found >= 0 else None
            longs.append((p, text, idx, _path_signature(p)))
    counts = collections.Counter(sig for _, _, i, sig in longs if i is not None)
    shapes = {sig for sig, n in counts.items() if n >= 2}
    if not shapes:
        return paras
    articles = {next(p.iterancestors("article"), None)
                for p, _, i, sig in longs if i is not None and sig in shapes}
    inserts: dict[int, list[str]] = {}
    last = -1
    for p, text, idx, sig in longs:
        if idx is not None:
            last = max(last, idx)
        elif (
            sig in shapes
            and next(p.iterancestors("article"), None) in articles
            and classify_line(text, GENERIC_BODY_CHECKS) is None
        ):
            inserts.setdefault(last, []).append(nfc(text))
    if not inserts:
        return paras
    out = list(inserts.get(-1, []))
    for i, text in enumerate(paras):
        out.append(text)
        out.extend(inserts.get(i, []))
    return out


# The main block (text density) replaces trafilatura's output when that output holds less than
# this share of the block's long paragraphs ...
MAX_BLOCK_COVERAGE = 0.5
# ... and the block's prose outweighs the output's by this factor.
MIN_PROSE_GAIN = 1.5
# When the output holds the block (this share of its long paragraphs) and much more text
# (this factor), its short paragraphs outside the block are page furniture around it.
MIN_BLOCK_COVERAGE = 0.8
MAX_TEXT_AROUND = 1.2
_SENTENCE_END = tuple('.!?"”\'»)।。')


def _prose_chars(paras: list[str]) -> float:
    """Characters of prose (long paragraphs ending a sentence), weighted by their share of
    all the text: a block of prose among menus and teasers counts for less."""
    total = sum(len(p) for p in paras)
    if not total:
        return 0.0
    prose = sum(len(p) for p in paras if len(p) >= LONG_P_CHARS * 0.8
                and p.rstrip().endswith(_SENTENCE_END))
    return prose * prose / total


def _arbitrate(paras: list[str], block: MainBlock | None) -> list[str]:
    """trafilatura's paragraphs, or the main block's when the two disagree (the output misses
    most of the block's long paragraphs) and the block holds clearly more prose; when the
    output holds the block and much more, its short paragraphs outside the block go."""
    if block is None:
        return paras
    found = block_paragraphs(block.elements)
    keys = [_match_key(p) for p in found]
    longs = [k for p, k in zip(found, keys, strict=True) if len(p) >= LONG_P_CHARS * 0.8]
    if not longs:
        return paras
    have = _match_key(" ".join(paras))
    covered = sum(len(k) for k in longs if k in have) / sum(len(k) for k in longs)
    if covered < MAX_BLOCK_COVERAGE and _prose_chars(found) > MIN_PROSE_GAIN * _prose_chars(paras):
        return found
    inside = "".join(keys)
    if covered >= MIN_BLOCK_COVERAGE and len(have) > MAX_TEXT_AROUND * len(inside):
        return [p for p in paras if len(p) >= LONG_P_CHARS or _match_key(p) in inside]
    return paras


def _repair(tree, descriptions: list[str]) -> list[str]:
    """A body for a page whose visible text gave nothing: JSON-LD articleBody, else the meta
    description."""
    body = jsonld_article_body(s.text or "" for s in tree.iter("script"))
    if body:
        if "<" in body and ">" in body:
            body = _strip_tags(body, "\n")
        return [" ".join(p.split()) for p in _BODY_SPLIT.split(body) if p.strip()]
    return descriptions[:1]


def _add_lead(paras: list[str], lead: str | None) -> list[str]:
    if (
        lead
        and classify_line(lead, GENERIC_BODY_CHECKS) is None
        and compare_key(lead)[:80] not in compare_key(" ".join(paras[:3]))
    ):
        return [lead, *paras]
    return paras


# ---------------------------------------------------------------------------------------------
# Public API

def generic_body(html: str, url: str, *, tree=None, copy_tree: bool = True) -> list[str]:
    """The article body of a page as paragraphs, in page order, white space collapsed.

    ``tree`` may be a tree already parsed from ``html``: it is copied, not modified, unless
    ``copy_tree`` is False (the caller reads nothing of it afterwards; elements are cut from it
    in place). Empty, binary, oversized or unparsable input gives []; an error while reading a
    page is raised (the API reports it as ``extract_failed``).
    """
    if tree is None:
        tree = parse_html(html)
    elif isinstance(tree, etree._Element):
        if copy_tree:
            tree = copy.deepcopy(tree)
    else:
        tree = None
    if tree is None:
        return []
    title_keys = _title_keys(tree)
    descriptions = _descriptions(tree)
    _prepare(tree)
    paras = _run_trafilatura(tree, url, fast=True)
    long_p = int(_COUNT_LONG_P(tree))
    cov = _coverage(long_p, paras)
    # a fast result that misses paragraphs is the main block's to repair (_arbitrate); only a
    # nearly empty one gets the full cascade
    if sum(map(len, paras)) < MIN_BODY_CHARS:
        full = _run_trafilatura(tree, url, fast=False)
        full_cov = _coverage(long_p, full)
        if (full_cov or 0) > (cov or 0) + 0.2 or (
            not cov and sum(map(len, full)) > sum(map(len, paras))
        ):
            paras = full
    if cov is not None and cov < 0.9:
        paras = _recover_siblings(tree, paras)
    paras = _arbitrate(paras, main_block(tree))
    paras = _clean(paras, title_keys)
    if not paras:
        return _repair(tree, descriptions)
    return _add_lead(paras, _find_lead(tree, descriptions) if descriptions else None)


def generic_text(html: str, url: str) -> str:
    """The generic body as one string, paragraphs separated by blank lines (for scoring)."""
    return "\n\n".join(generic_body(html, url))
