"""Body paragraphs: read from a profile's containers, and filtered of what is not article
text (bylines, captions, the title, related-link lines, date lines, headings, link lists)."""

from __future__ import annotations

import functools
import re
from typing import Any

import lxml.html
from parsel import Selector

from newsbot.dates import parse_date
from newsbot.extract.hygiene import invisible_elements
from newsbot.extract.profiles import ProfileVersion
from newsbot.extract.related import element_text, remove_elements
from newsbot.extract.selectors import select
from newsbot.extract.vocab import (
    is_desk,
    is_navigation_heading,
    is_related_heading,
    strip_related_prefix,
)
from newsbot.text import clean_line, compare_key, line_key

#: Paragraphs this short that hold a date are date lines, not body text.
MAX_DATE_LINE_CHARS = 80
#: A desk byline standing alone in the body is at most this long.
MAX_DESK_LINE_CHARS = 40
#: An "আরও পড়ুন: …" line longer than this is body text, not a related link.
MAX_RELATED_LINE_CHARS = 160
#: A body paragraph made of link texts to this share is navigation.
MAX_LINK_SHARE = 0.7
_DIGIT_RE = re.compile(r"\d")  # any decimal digit, Bengali ones included


def profile_body(sel: Selector, version: ProfileVersion) -> list[str]:
    """Paragraph texts of the first body selector that matches, after removing hidden
    elements, ads and embeds (:mod:`.hygiene`) and ``drop``."""
    for expr in version.body:
        containers = [c for c in select(sel, expr) if isinstance(getattr(c.root, "tag", None), str)]
        if not containers:
            continue
        for container in containers:
            remove_elements(invisible_elements(container.root))
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
        key = line_key(line)  # remembered: the cleaning pipelines ask for it again
        if not key or key in drop_keys:
            continue
        if is_related_heading(line) or is_navigation_heading(line):
            continue
        if _is_related_line(line, drop_keys):
            continue
        if _is_desk_line(line):
            continue
        if _is_date_line(line):
            continue
        out.append(line)
    return out


def _is_desk_line(line: str) -> bool:
    """A standalone desk byline ("আন্তর্জাতিক ডেস্ক", "নিজস্ব প্রতিবেদক, ঢাকা")."""
    if len(line) > MAX_DESK_LINE_CHARS:
        return False
    head = re.split(r"\s*[,|।]\s*", line, maxsplit=1)[0]
    return len(head.split()) <= 3 and is_desk(head)


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
    if len(line) > MAX_DATE_LINE_CHARS or "।" in line or not _DIGIT_RE.search(line):
        return False  # a date line has a number in it
    rest = _date_words_re().sub(" ", line.casefold())
    rest = re.sub(r"[\s\d০-৯:ঃ,./|\-–—()]+", "", rest)
    if len(rest) > 3:
        return False
    return parse_date(line) is not None


@functools.cache
def _date_words_re() -> re.Pattern[str]:
    """Words a date line is made of: labels, month and weekday names, times of day, AM/PM."""
    from newsbot import dates

    words = [*dates.LABELS, *dates.MONTHS, *dates.WEEKDAYS, *dates.PERIODS, *dates.AMPM,
             *dates.DAY_SUFFIXES, "শেষ আপডেট", "ঢাকা"]
    words = sorted({clean_line(w).casefold() for w in words if w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def split_body(text: str) -> list[str]:
    if not text:
        return []
    parts = re.split(r"\n\s*\n|\r\n\s*\r\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [clean_line(p) for p in parts if clean_line(p)]



def space_key(text: str) -> str:
    """A cheap matching key: the text without any white space."""
    return "".join(text.split())


def link_text_keys(root: lxml.html.HtmlElement) -> set[str]:
    """Keys (:func:`space_key`) of the texts of the page's links that are two words or more."""
    keys = set()
    for a in root.iter("a"):
        text = a.text_content()
        if text and " " in text.strip():
            key = space_key(text)
            if len(key) >= 4:
                keys.add(key)
    return keys


def mostly_links(paragraph: str, link_keys: set[str]) -> bool:
    """Whether link texts make up at least :data:`MAX_LINK_SHARE` of a paragraph."""
    if not link_keys:
        return False
    key = space_key(paragraph)
    if not key:
        return False
    if key in link_keys:
        return True
    need = MAX_LINK_SHARE * len(key)
    if sum(map(len, link_keys)) < need:
        return False  # all the page's link texts together could not cover it
    covered = sum(len(k) for k in link_keys if len(k) < len(key) and k in key)
    return covered >= need

