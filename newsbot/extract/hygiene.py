"""Body hygiene: elements whose text must never enter an article body.

* hidden elements: the ``hidden`` attribute, ``aria-hidden="true"``, an inline style with
  ``display: none`` or ``visibility: hidden``;
* advertising and sponsored-content containers, and embedded posts and players (tweets,
  Instagram, TikTok, Facebook, video players), by the words of their class or id
  (``hygiene.toml``); a container holding two or more long paragraphs is kept, as its class
  words describe what is around the text, not the text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from lxml import etree

#: A paragraph this long is article text (a container holding two such is no ad).
LONG_PARAGRAPH_CHARS = 100

_HIDDEN = etree.XPath(
    ".//*[@hidden or translate(@aria-hidden, 'TRUE', 'true')='true'"
    " or contains(translate(@style, 'DISPLAYNOEVISBT', 'displaynoevisbt'), 'none')"
    " or contains(translate(@style, 'DISPLAYNOEVISBT', 'displaynoevisbt'), 'hidden')]"
)
_INVISIBLE_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b",
                              re.I)
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_COUNT_LONG_P = etree.XPath(
    f"count(.//p[string-length(normalize-space(.)) > {LONG_PARAGRAPH_CHARS}])"
)


@functools.cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """(ad words, embed names) from ``hygiene.toml``; embed names keep their hyphens."""
    text = resources.files("newsbot.extract").joinpath("hygiene.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return frozenset(data["ads"]["words"]), frozenset(data["embeds"]["words"])


@functools.cache
def _candidates() -> etree.XPath:
    """Elements whose class or id contains (lower-cased) one of the listed words: a cheap
    pre-filter run by lxml, before the words are compared in Python."""
    ad_words, embed_names = _words()
    needles: list[str] = []
    for word in sorted(ad_words | embed_names, key=len):
        if not any(n in word for n in needles):
            needles.append(word)
    lower = "translate(@{0}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    tests = [f"contains({lower.format(attr)}, '{n}')" for attr in ("class", "id") for n in needles]
    return etree.XPath(f".//*[{' or '.join(tests)}]")


def _is_hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_INVISIBLE_STYLE.search(el.get("style") or ""))


def _is_ad_or_embed(el) -> bool:
    ad_words, embed_names = _words()
    for attr in ("class", "id"):
        value = el.get(attr)
        if not value:
            continue
        names = value.lower().split()
        if any(name in embed_names for name in names):
            return True
        words = {w.lower() for w in _WORD_SPLIT.split(value) if w}
        if words & ad_words:
            return True
    return False


def invisible_elements(root) -> list:
    """The outermost elements inside ``root`` (a document: inside its body) that are hidden,
    ads or embeds."""
    if root.tag == "html":
        root = next(root.iter("body"), root)
    found = [el for el in _HIDDEN(root) if _is_hidden(el)]
    found += [el for el in _candidates()(root) if _is_ad_or_embed(el) and _COUNT_LONG_P(el) < 2]
    doomed = set(found)
    return [el for el in found if not any(a in doomed for a in el.iterancestors())]
