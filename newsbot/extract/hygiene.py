"""Body hygiene: elements whose text must never enter an article body.

* hidden elements: the ``hidden`` attribute, ``aria-hidden="true"``, an inline style with
  ``display: none`` or ``visibility: hidden``;
* advertising and sponsored-content containers, and embedded posts and players (tweets,
  Instagram, TikTok, Facebook, video players), by the words of their class or id
  (``hygiene.toml``); a container holding two or more long paragraphs, or much text, is
  kept, as its class words describe what is around the text, not the text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from lxml import etree

#: A paragraph this long is article text (a container holding two such is no ad) ...
LONG_PARAGRAPH_CHARS = 100
#: ... and so is more text than this (characters, markup white space included).
MAX_AD_CHARS = 3000

_INVISIBLE_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b",
                              re.I)
_STREAMED_SEGMENT = re.compile(r"^S:[0-9a-z]+$")
_CAMEL = re.compile(r"\s+|(?<=[a-z])(?=[A-Z])")
_COUNT_LONG_P = etree.XPath(
    f"count(.//p[string-length(normalize-space(.)) > {LONG_PARAGRAPH_CHARS}])"
)


@functools.cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """(ad words, embed names) from ``hygiene.toml``; embed names keep their hyphens."""
    text = resources.files("newsbot.extract").joinpath("hygiene.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return frozenset(data["ads"]["words"]), frozenset(data["embeds"]["words"])


# ads and embeds come in these containers
_CONTAINER_TAGS = frozenset({
    "div", "section", "aside", "ins", "blockquote", "figure", "span", "p", "ul", "article",
})
_MAY_HIDE = etree.XPath(".//*[@style or @hidden or @aria-hidden]")
_SEPARATORS = str.maketrans({"-": " ", "_": " "})


def _is_hidden(el) -> bool:
    attrib = el.attrib
    if "hidden" in attrib:
        # React streams server-rendered parts into hidden segments (id "S:<n>") that its
        # script moves into place: visible on the page
        return not _STREAMED_SEGMENT.match(el.get("id") or "")
    if "aria-hidden" in attrib and attrib["aria-hidden"].strip().lower() == "true":
        return True
    return "style" in attrib and _INVISIBLE_STYLE.search(attrib["style"]) is not None


@functools.lru_cache(maxsize=1 << 14)
def _is_ad_or_embed_name(value: str) -> bool:
    """Whether a class or id value names an ad or an embed (pages repeat their classes)."""
    ad_words, embed_names = _words()
    low = value.lower()
    if not embed_names.isdisjoint(low.split()):
        return True
    words = low.translate(_SEPARATORS).split()
    if low != value:  # camel case: "adSlot" is "ad slot"
        words += [w.lower() for w in _CAMEL.split(value.translate(_SEPARATORS)) if w]
    return not ad_words.isdisjoint(words)


def _holds_text(el) -> bool:
    """Whether a container named like an ad holds article text: two long paragraphs, or more
    text than an ad or embed shows (a page wrapper classed "gate-ad", "has-ads")."""
    return _COUNT_LONG_P(el) >= 2 or len(el.text_content()) > MAX_AD_CHARS


def invisible_elements(root) -> list:
    """The elements inside ``root`` (a document: inside its body) that are hidden, ads or
    embeds, in no particular order; one may hold another (removing both is harmless)."""
    if root.tag == "html":
        root = next(root.iter("body"), root)
    # Two passes that stay in C as long as they can: an XPath for the few elements that carry
    # a hiding attribute, and a walk over the container tags only (not every element).
    found = [el for el in _MAY_HIDE(root) if _is_hidden(el)]
    hidden = set(found)
    for el in root.iter(*_CONTAINER_TAGS):
        if el is root or el in hidden:
            continue
        cls, ident = el.get("class"), el.get("id")
        if (
            ((cls and _is_ad_or_embed_name(cls)) or (ident and _is_ad_or_embed_name(ident)))
            and not _holds_text(el)
        ):
            found.append(el)
    return found
