"""Related-article links: found wherever a page puts them, recorded in page order, kept out of
the body.

Two sources, merged in page order and de-duplicated (first occurrence wins):

* profile rules (``[[versions.related]]``): each element matching ``item`` is one link;
* generic rules, driven by the labels in ``newsbot/vocabulary/labels.toml``:
  - a heading or label whose text is a related phrase ("এই বিভাগের আরও খবর", "আরও পড়ুন", …)
    introduces the links of the box it sits in (inline also-read box or "আরও পড়ুন: <a>…</a>"
    paragraph) or, failing that, of the blocks that follow it, up to the next heading;
  - aggregator cards: a link whose title is printed twice with a short line under it that is
    a registry outlet name take that name as ``label``.

Navigation widgets ("সর্বশেষ", "সর্বাধিক পঠিত", "ট্রেন্ডিং") are never related links and end a
related block. Every element a link was read from is returned so that the caller can remove it
from the tree before the body is read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from newsbot.extract.profiles import RelatedRule
from newsbot.extract.selectors import select
from newsbot.registry import Registry, load_registry
from newsbot.text import clean_line, compare_key
from newsbot.urls import absolute_url, canonicalize_url
from newsbot.vocabulary.labels import (
    MAX_LABEL_CHARS,
    is_navigation_heading,
    is_related_heading,
    is_teaser_link_text,
    strip_related_prefix,
    vocab,
)
from newsbot.vocabulary.lines import looks_like_prose

#: English labels as element text (English editions of Bengali outlets).
ENGLISH_MARKERS = (">Read more<", ">Read More<", ">Also read", ">Also Read", ">Read also",
                   ">Related<", ">Related news<", ">Related News<", ">Related stories<",
                   ">More news<", ">More News<")
_ENGLISH_MARKER_RE = re.compile("|".join(map(re.escape, ENGLISH_MARKERS)))
#: Signs found in any Bengali text (aa-kar, virama): without them no Bengali marker can occur.
_BENGALI_SIGNS = ("\u09be", "\u09cd")
#: Bengali letters written as numeric character references (legacy-charset pages).
_BENGALI_REF_RE = re.compile(r"&#(?:24[3-9]\d|25[0-5]\d|[xX]0*9[89a-fA-F][0-9a-fA-F]);")
#: Tags whose text never counts (and whose links are never related links).
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
#: Containers that hold page navigation, never related links.
NAV_TAGS = frozenset({"nav", "header", "footer", "form", "select", "option"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that break a line: their text never runs into the text around them.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "section",
    "article", "aside", "header", "footer", "nav", "figure", "figcaption", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "main", "form", "address",
})
#: Elements that may be a whole page section; a label never climbs to them.
TOP_TAGS = frozenset({"html", "body", "main", "article"})
#: Most links one block may give (a longer list is a navigation list, not related links).
MAX_BLOCK_LINKS = 40
#: Non-link text a link box may carry besides its labels and titles.
MAX_BOX_PROSE = 160
#: How far a label climbs to find the box its links are in.
MAX_CLIMB = 3
_HIDDEN_CLASS_RE = re.compile(r"visually-hidden|sr-only|screen-reader|screenreader|hidden-text")
_CLASSY_HEADING = re.compile(r"(?:^|[\s_-])(?:title|head|heading|header|caption)(?:$|[\s_-])", re.I)


@dataclass
class FoundLink:
    """One related link as found on the page."""

    title: str
    url: str | None
    label: str | None
    position: int
    source: str = "generic"

    def as_dict(self, registry: Registry | None = None) -> dict[str, Any]:
        """The link as an ``Article.related_links`` entry (outlet from the label, else URL)."""
        registry = registry or load_registry()
        outlet = registry.by_name(self.label) if self.label else None
        if outlet is None and self.url:
            outlet = registry.by_url(self.url)
        return {
            "title": self.title,
            "url": self.url,
            "label": self.label,
            "outlet_id": outlet.id if outlet else None,
            "outlet_name": outlet.name_bn if outlet else None,
        }


@dataclass
class RelatedResult:
    """Links in page order, and the elements to keep out of the body."""

    links: list[FoundLink] = field(default_factory=list)
    elements: list[etree._Element] = field(default_factory=list)

    @property
    def title_keys(self) -> set[str]:
        """Comparison keys of the link titles (to filter them out of a body)."""
        return {compare_key(link.title) for link in self.links if link.title}

    def as_dicts(self, registry: Registry | None = None) -> list[dict[str, Any]]:
        """The links as ``Article.related_links`` entries."""
        return [link.as_dict(registry) for link in self.links]


class DocOrder:
    """Document-order index of a tree's elements, built on first use."""

    def __init__(self, root: etree._Element):
        self.root = root
        self._index: dict[etree._Element, int] | None = None

    def __call__(self, el: etree._Element) -> int:
        if self._index is None:
            self._index = {e: i for i, e in enumerate(self.root.iter())}
        return self._index.get(el, 1 << 30)


# ---------------------------------------------------------------------------------------------
# small tree helpers (iterative: the tree may be deep)
# ---------------------------------------------------------------------------------------------


def _is_elem(el: Any) -> bool:
    return isinstance(getattr(el, "tag", None), str)


def _hidden(node: etree._Element) -> bool:
    cls = node.get("class")
    return bool(cls and _HIDDEN_CLASS_RE.search(cls)) or node.get("hidden") is not None


def element_text(el: etree._Element) -> str:
    """Visible text of ``el``, whitespace collapsed: scripts, styles and screen-reader-only
    elements ("visually-hidden", "sr-only") are left out, their tails kept."""
    parts: list[str] = []
    # Iterative walk (the tree may be deep): (node, True) stands for "now emit node's tail".
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack:
        node, tail_phase = stack.pop()
        if tail_phase:
            if node.tag in BLOCK_TAGS:
                parts.append(" ")
            if node.tail:
                parts.append(node.tail)
            continue
        if node is not el:
            stack.append((node, True))
        if not _is_elem(node) or node.tag in SKIP_TAGS or (node is not el and _hidden(node)):
            continue
        if node.tag == "br" or node.tag in BLOCK_TAGS:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.extend((child, False) for child in reversed(node))
    return clean_line("".join(parts)) if parts else ""


def remove_keeping_tail(el: etree._Element) -> None:
    """Detach ``el`` and its subtree from its tree, keeping its tail text in place (a root
    element is left alone)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _ancestors(el: etree._Element) -> Iterator[etree._Element]:
    parent = el.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def _in_nav(el: etree._Element) -> bool:
    for anc in _ancestors(el):
        if anc.tag in NAV_TAGS or (anc.get("role") or "").lower() == "navigation":
            return True
    return False


def _links_in(el: etree._Element) -> list[etree._Element]:
    if el.tag == "a":
        return [el] if el.get("href") is not None else []
    return [a for a in el.iter("a") if a.get("href") is not None]


def _link_url(a: etree._Element, base_url: str) -> str | None:
    """The link's absolute http(s) URL; None for an in-page or script link (a title without a
    URL); "" for a link to skip (it does not parse, or it is not http(s))."""
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    return absolute_url(base_url, href) or ""


def _prose_chars(el: etree._Element) -> int:
    """Characters of text in ``el`` outside links."""
    total = len(element_text(el))
    linked = sum(len(element_text(a)) for a in _links_in(el))
    return max(0, total - linked)


def _own_label_text(el: etree._Element) -> str:
    return clean_line(el.text or "") if el.text else ""


# ---------------------------------------------------------------------------------------------
# profile rules
# ---------------------------------------------------------------------------------------------


def _first_text(sel: Selector, expr: str) -> str:
    if not expr:
        return ""
    values = select(sel, expr)
    texts = []
    for value in values:
        root = value.root
        text = element_text(root) if _is_elem(root) else clean_line(str(root))
        if text:
            texts.append(text)
            if _is_elem(root):
                break
    return clean_line(" ".join(texts))


def profile_related(
    sel: Selector, rules: Iterable[RelatedRule], base_url: str, order: DocOrder
) -> RelatedResult:
    """Links read by a profile's ``[[versions.related]]`` rules."""
    result = RelatedResult()
    for rule in rules:
        for item in select(sel, rule.item):
            root = item.root
            if not _is_elem(root):
                continue
            title = _first_text(item, rule.title) if rule.title else element_text(root)
            href = select(item, rule.url).get() if rule.url else None
            if href is None and not rule.url and root.tag == "a":
                href = root.get("href")
            url = None
            if href and href.strip() and not href.strip().startswith(("#", "javascript:")):
                url = absolute_url(base_url, href)
                if url is None:
                    continue  # a link that does not parse (bad port, broken host)
            label = _first_text(item, rule.label) if rule.label else None
            if not title:
                continue
            result.links.append(
                FoundLink(title, url, label or None, order(root), source="profile")
            )
            result.elements.append(root)
    return result


# ---------------------------------------------------------------------------------------------
# generic rules
# ---------------------------------------------------------------------------------------------


def _label_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Elements whose own leading text is a related heading (not inside a link or navigation)."""
    for el in root.iter():
        if not _is_elem(el) or el.tag in SKIP_TAGS or el.tag == "a":
            continue
        text = el.text
        if not text or len(text) > MAX_LABEL_CHARS * 3 or not _is_label_line(text):
            continue
        if any(anc.tag == "a" for anc in _ancestors(el)) or _in_nav(el):
            continue
        yield el


@functools.lru_cache(maxsize=4096)
def _is_label_line(text: str) -> bool:
    """Whether an element's own text is a related heading. Cached: the same template lines
    (menus, widget titles) come back on every page of an outlet."""
    line = clean_line(text)
    return bool(line) and len(line) <= MAX_LABEL_CHARS and is_related_heading(line)


@functools.lru_cache(maxsize=4096)
def _has_related_prefix(head: str) -> bool:
    """Whether a link text's head starts with a related label (cached like
    :func:`_is_label_line`)."""
    return strip_related_prefix(head) is not None


def _is_stopper(el: etree._Element, link_keys: set[str]) -> bool:
    """Whether a following sibling starts a new section (a heading that is not a card title)."""
    # An <article> here is a teaser card (its prose, if any, is judged by the caller).
    if el.tag in NAV_TAGS or (el.tag in TOP_TAGS and el.tag != "article"):
        return True
    if el.tag in HEADING_TAGS and not _links_in(el):
        return True
    for node in el.iter():
        if not _is_elem(node) or node.tag in SKIP_TAGS:
            continue
        text = clean_line(node.text or "")
        if not text:
            continue
        if node.tag == "a" or any(anc.tag == "a" for anc in _ancestors(node) if anc is not el):
            return False
        if is_navigation_heading(text) or is_related_heading(text):
            return True
        headingish = node.tag in HEADING_TAGS or bool(
            _CLASSY_HEADING.search(node.get("class") or "")
        )
        return headingish and compare_key(text) not in link_keys and len(text) <= MAX_LABEL_CHARS
    return False


def _box_links(box: etree._Element) -> list[etree._Element]:
    return [a for a in _links_in(box) if not _in_nav(a)]


def _collect_block(label: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """(links, elements) introduced by ``label``: the links in its own box, else those of the
    blocks after it (climbing at most :data:`MAX_CLIMB` wrappers that hold only the label)."""
    # 1. The label's own box: "<p>আরও পড়ুন: <a>…</a></p>", "<div class=also-read>…</div>".
    if label.tag not in TOP_TAGS:
        links = _box_links(label)
        if links and _prose_chars(label) - len(_own_label_text(label)) <= MAX_BOX_PROSE:
            return links, [label]
    # 2. The blocks that follow it.
    anchor = label
    for _ in range(MAX_CLIMB + 1):
        links, elements = _following_links(anchor)
        if links:
            return links, [anchor, *elements]
        parent = anchor.getparent()
        if parent is None or parent.tag in TOP_TAGS:
            break
        # Climb only while the wrapper holds nothing but the label.
        if _box_links(parent) or _prose_chars(parent) > len(element_text(label)) + 8:
            break
        anchor = parent
    return [], []


def _following_links(anchor: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    links: list[etree._Element] = []
    elements: list[etree._Element] = []
    for sib in anchor.itersiblings():
        if not _is_elem(sib) or sib.tag in SKIP_TAGS:
            continue
        found = _box_links(sib)
        keys = {compare_key(element_text(a)) for a in found}
        if _is_stopper(sib, keys):
            break
        if found and _prose_chars(sib) > MAX_BOX_PROSE * max(1, len(found)):
            break  # article prose, not a link block
        if not found:
            text = element_text(sib)
            if len(text) > MAX_BOX_PROSE or (links and looks_like_prose(text, min_words=6)):
                break  # the article goes on after the link list
            if links:
                elements.append(sib)
            continue
        links.extend(found)
        elements.append(sib)
        if len(links) > MAX_BLOCK_LINKS:
            return [], []
    return links, elements


@dataclass
class _Entry:
    url: str | None
    title: str
    label: str | None
    position: int


def _card_entries(
    block_elements: list[etree._Element],
    links: list[etree._Element],
    base_url: str,
    order: DocOrder,
    registry: Registry,
) -> list[_Entry]:
    """One entry per distinct link target, with the outlet label printed after the title."""
    link_set = set(links)
    entries: list[_Entry] = []
    by_url: dict[str, _Entry] = {}
    current: _Entry | None = None
    for block in block_elements:
        for node in block.iter():
            if not _is_elem(node) or node.tag in SKIP_TAGS:
                continue
            if node in link_set:
                url = _link_url(node, base_url)
                if url == "":
                    current = None
                    continue
                text = element_text(node) or clean_line(_image_link_title(node))
                key = canonicalize_url(url) if url else None
                if key and key in by_url:
                    current = by_url[key]
                    if not current.title and text and not is_teaser_link_text(text):
                        current.title = text
                    continue
                entry = _Entry(url, "" if is_teaser_link_text(text) else text, None, order(node))
                entries.append(entry)
                if key:
                    by_url[key] = entry
                current = entry
                continue
            if current is None or any(a in link_set for a in _ancestors(node)):
                continue
            for text in (node.text, node.tail):
                _note_text(current, clean_line(text or ""), registry)
    return entries


def _note_text(entry: _Entry, text: str, registry: Registry) -> None:
    if not text:
        return
    if not entry.title and len(text) > MAX_LABEL_CHARS // 3 and registry.by_name(text) is None:
        entry.title = text
        return
    if (
        entry.label is None
        and len(text) <= MAX_LABEL_CHARS
        and compare_key(text) != compare_key(entry.title)
        and registry.by_name(text)
    ):
        entry.label = text


def _image_link_title(a: etree._Element) -> str:
    """The title an image link gives: its own ``title`` attribute (WordPress thumbnails), else
    the image's ``alt`` or ``title``."""
    if a.get("title") and a.get("title").strip():
        return a.get("title")
    for img in a.iter("img"):
        alt = img.get("alt") or img.get("title")
        if alt:
            return alt
    return ""


def _has_bengali_marker(html: str) -> bool:
    # One cheap look for Bengali script first: most pages of other languages stop there.
    if not any(sign in html for sign in _BENGALI_SIGNS):
        return False
    return any(marker in html for marker in vocab().related_markers)


def generic_related(
    root: etree._Element,
    base_url: str,
    order: DocOrder,
    registry: Registry | None = None,
    html: str | None = None,
) -> RelatedResult:
    """Related links found by the heading/label rules of :mod:`newsbot.vocabulary.labels`."""
    result = RelatedResult()
    if (
        html is not None
        and not _has_bengali_marker(html)
        and not _ENGLISH_MARKER_RE.search(html)
        and not _BENGALI_REF_RE.search(html)
    ):
        return result
    registry = registry or load_registry()
    taken: set[etree._Element] = set()
    for label in list(_label_elements(root)):
        if label in taken or any(anc in taken for anc in _ancestors(label)):
            continue
        links, elements = _collect_block(label)
        links = [a for a in links if a not in taken]
        if not links:
            continue
        for entry in _card_entries(elements, links, base_url, order, registry):
            if entry.title and len(entry.title) >= 4:
                result.links.append(
                    FoundLink(entry.title, entry.url, entry.label, entry.position)
                )
        for el in elements:
            taken.add(el)
            taken.update(el.iter())
        result.elements.extend(elements)
    _prefixed_links(root, base_url, order, taken, result)
    return result


#: Longest text of a link that carries its own "আরও পড়ুন:" label.
MAX_PREFIXED_LINK_CHARS = 200


def _prefixed_links(root: etree._Element, base_url: str, order: DocOrder,
                    taken: set[etree._Element], result: RelatedResult) -> None:
    """Links whose own text starts with a related label ("<a>আরও পড়ুন: শিরোনাম</a>"): the
    rest is the title; the link (or the block it fills alone) is kept out of the body."""
    for a in root.iter("a"):
        if a in taken or a.get("href") is None:
            continue
        head = " ".join(a.text_content()[:60].split())
        # the cheap text test first: few links carry a label, and most lie outside navigation
        if not head or not _has_related_prefix(head) or _in_nav(a):
            continue
        text = element_text(a)
        title = strip_related_prefix(text) if len(text) <= MAX_PREFIXED_LINK_CHARS else None
        url = _link_url(a, base_url)
        if not title or len(title) < 4 or url == "":
            continue
        result.links.append(FoundLink(title, url, None, order(a)))
        parent = a.getparent()
        alone = parent is not None and parent.tag in BLOCK_TAGS and parent.tag not in TOP_TAGS \
            and compare_key(element_text(parent)) == compare_key(text)
        result.elements.append(parent if alone else a)


# ---------------------------------------------------------------------------------------------
# merging
# ---------------------------------------------------------------------------------------------


def _link_key(link: FoundLink) -> str:
    return canonicalize_url(link.url) if link.url else "title:" + compare_key(link.title)


def merge(
    results: Iterable[RelatedResult], page_url: str | None = None
) -> RelatedResult:
    """All links in page order, once each (first occurrence wins; links to the page itself
    are dropped); all elements to remove."""
    merged = RelatedResult()
    links: list[FoundLink] = []
    for result in results:
        links.extend(result.links)
        merged.elements.extend(result.elements)
    self_key = canonicalize_url(page_url) if page_url else None
    seen: set[str] = set()
    for link in sorted(links, key=lambda lk: (lk.position, lk.source != "profile")):
        key = _link_key(link)
        title_key = "title:" + compare_key(link.title)
        if key == self_key or key in seen or (link.url is None and title_key in seen):
            continue
        seen.add(key)
        seen.add(title_key)
        merged.links.append(link)
    return merged


def remove_elements(elements: Iterable[etree._Element]) -> None:
    """Remove elements from their tree, keeping the text that follows each (its tail)."""
    for el in elements:
        remove_keeping_tail(el)
