"""The page's main text block, found by text density (a readability-style second opinion).

Every run of text is credited to its nearest block element ("paragraph"); a paragraph of at
least :data:`MIN_PARAGRAPH_CHARS` scores ``1 + commas + min(chars / 100, 3)``, given in full to
its parent and half to its grandparent (text beside block children, and a table cell's text,
count for the element holding them). A candidate's score starts from its tag and its
class/id names (``article``, ``content`` up; ``comment``, ``sidebar``, ``share`` down) and is
scaled by ``1 - link density``. The best candidate and those of its siblings that score close
to it (or are link-free prose paragraphs) form the main block.

Lengths (of stripped text nodes), link lengths and commas of every element come from ONE pass
over the body in reverse document order (descendants before ancestors), so no element's text
is read twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.text import nfc

#: A paragraph shorter than this (characters, white space collapsed) is not scored.
MIN_PARAGRAPH_CHARS = 25
#: Siblings of the best candidate join the main block from this share of its score ...
SIBLING_SHARE = 0.2
#: ... and never below this score.
MIN_SIBLING_SCORE = 10.0

BLOCK_TAGS = frozenset({
    "p", "div", "td", "th", "pre", "li", "section", "article", "main", "blockquote", "body",
    "dd", "dt", "dl", "ul", "ol", "table", "tbody", "thead", "tr", "form", "center", "header",
    "h1", "h2", "h3", "h4", "h5", "h6", "address", "fieldset", "details", "summary", "html",
})
_TAG_WEIGHT = {
    "div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "address": -3,
    "th": -5, "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5,
}
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story", re.I
)
_NEGATIVE = re.compile(
    r"combx|comment|com-|contact|foot|footnote|masthead|media|meta|outbrain|promo|related|"
    r"scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|share|social|nav|menu|"
    r"teaser|recommend|advert|banner|breadcrumb|login|subscribe|newsletter",
    re.I,
)
_SPACE = re.compile(r"\s+")


@dataclass
class MainBlock:
    """The main block: its elements in page order, score and text length."""

    elements: list
    score: float
    chars: int


def _class_weight(el) -> int:
    weight = 0
    for name in (el.get("class"), el.get("id")):
        if name:
            if _NEGATIVE.search(name):
                weight -= 25
            if _POSITIVE.search(name):
                weight += 25
    return weight


def _commas(text: str) -> int:
    return text.count(",") + text.count("，") + text.count("、") + text.count("،")


def main_block(tree) -> MainBlock | None:
    """The page's main text block (best candidate and its close siblings), or None when no
    paragraph scores."""
    body = next(tree.iter("body"), tree)
    elements = [el for el in body.iter() if isinstance(el.tag, str)]
    chars: dict = {}
    links: dict = {}
    commas: dict = {}
    para_len: dict = {}  # block element -> inline text length credited to it
    para_commas: dict = {}
    for el in reversed(elements):
        text = el.text
        own = len(text.strip()) if text else 0
        n_commas = _commas(text) if own else 0
        total, linked, total_commas = own, 0, n_commas
        inline, inline_commas = own, n_commas
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            tail = child.tail
            tail_len = len(tail.strip()) if tail else 0
            tail_commas = _commas(tail) if tail_len else 0
            total += chars[child] + tail_len
            linked += links[child]
            total_commas += commas[child] + tail_commas
            inline += tail_len
            inline_commas += tail_commas
            if tag not in BLOCK_TAGS:
                inline += chars[child]
                inline_commas += commas[child]
        if el.tag == "a":
            linked = total
        chars[el], links[el], commas[el] = total, linked, total_commas
        if el.tag in BLOCK_TAGS and inline >= MIN_PARAGRAPH_CHARS:
            para_len[el], para_commas[el] = inline, inline_commas
    scores: dict = {}
    for el, length in para_len.items():
        if el is body or el.tag == "html":
            continue
        # text beside block children is a paragraph of its own inside ``el``; so is a table
        # cell's text (a layout table's cells are the page's columns)
        own_block = el.tag == "td" or (el.tag not in ("p", "pre") and any(
            c.tag in BLOCK_TAGS for c in el if isinstance(c.tag, str)))
        parent = el if own_block else el.getparent()
        if parent is None:
            continue
        score = 1 + para_commas[el] + min(length / 100, 3)
        for share, node in ((1.0, parent), (0.5, parent.getparent())):
            if node is None or not isinstance(node.tag, str):
                continue
            if node not in scores:
                scores[node] = _TAG_WEIGHT.get(node.tag, 0) + _class_weight(node)
            scores[node] += score * share
    if not scores:
        return None

    def final(el) -> float:
        total = chars.get(el, 0)
        density = links.get(el, 0) / total if total else 0.0
        return scores[el] * (1 - density)

    best = max(scores, key=final)
    top = final(best)
    parent = best.getparent()
    if parent is None:
        return MainBlock([best], top, chars[best])
    threshold = max(MIN_SIBLING_SCORE, top * SIBLING_SHARE)
    chosen = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        total = chars.get(sib, 0)
        density = links.get(sib, 0) / total if total else 1.0
        if (
            sib is best
            or (sib in scores and final(sib) >= threshold)
            or (sib.tag == "p" and _prose_paragraph(sib, total, density))
        ):
            chosen.append(sib)
    return MainBlock(chosen, top, sum(chars[c] for c in chosen))


def _prose_paragraph(p, chars: int, density: float) -> bool:
    """A paragraph beside the best candidate that is article text: long with few links, or
    link-free and ending a sentence."""
    if chars > 80 and density < 0.25:
        return True
    return bool(chars) and density == 0 and nfc(p.text_content()).rstrip()[-1:] in ".!?।"


_BREAK_TAGS = BLOCK_TAGS | {"br", "hr"}


def block_paragraphs(elements: list) -> list[str]:
    """The text of ``elements`` as paragraphs: split at block elements and line breaks,
    white space collapsed."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(buf)).strip()
        if text:
            out.append(nfc(text))
        buf.clear()

    def walk(el) -> None:
        block = el.tag in _BREAK_TAGS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    for el in elements:
        walk(el)
        flush()
    return out
