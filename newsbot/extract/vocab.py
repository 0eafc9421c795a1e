"""Vocabulary of Bengali page furniture (``vocab.toml``): related-link headings, navigation
headings, teaser link texts and desk bylines, loaded once and matched by comparison key."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from newsbot.text import clean_line, compare_key

#: Longest text (characters) a heading or label may have.
MAX_LABEL_CHARS = 48


@dataclass(frozen=True)
class Vocab:
    """Comparison keys of each word list."""

    related: frozenset[str]
    navigation: frozenset[str]
    link_texts: frozenset[str]
    desks: frozenset[str]
    desk_suffixes: tuple[str, ...]
    byline_prefixes: tuple[str, ...]
    related_prefix_re: re.Pattern[str]


@functools.cache
def vocab() -> Vocab:
    """The bundled vocabulary (read once)."""
    text = resources.files("newsbot.extract").joinpath("vocab.toml").read_text("utf-8")
    data = tomllib.loads(text)

    def keys(values: list[str]) -> frozenset[str]:
        return frozenset(k for k in (compare_key(v) for v in values) if k)

    related = keys(data["related"]["headings"])
    return Vocab(
        related=related,
        navigation=keys(data["navigation"]["headings"]),
        link_texts=keys(data["navigation"]["link_texts"]),
        desks=keys(data["byline"]["desks"]),
        desk_suffixes=tuple(compare_key(v) for v in data["byline"]["desk_suffixes"]),
        byline_prefixes=tuple(
            sorted((clean_line(v) for v in data["byline"]["prefixes"]), key=len, reverse=True)
        ),
        related_prefix_re=_prefix_regex(data["related"]["headings"]),
    )


def _prefix_regex(phrases: list[str]) -> re.Pattern[str]:
    """``^(phrase)<delimiter>(rest)``: a related phrase (any spacing) at the start of a line."""
    alternatives = sorted({clean_line(p).rstrip(":ঃ ") for p in phrases if p.strip()},
                          key=len, reverse=True)
    body = "|".join(r"\s*".join(re.escape(w) for w in alt.split()) for alt in alternatives)
    return re.compile(rf"^(?:{body})(?=$|[\s:ঃ\-–—|»])[\s:ঃ\-–—|»]*(.*)$", re.S)


_LABEL_TRIM = re.compile(r"^[\s:ঃ\-–—»«›‹>|•·]+|[\s:ঃ\-–—»«›‹>|•·.…]+$")


def _label_key(text: str) -> str:
    if not text or len(text) > MAX_LABEL_CHARS * 2:
        return ""
    return compare_key(_LABEL_TRIM.sub("", text))


def is_related_heading(text: str) -> bool:
    """Whether ``text`` is a related-links heading ("আরও পড়ুন:", "এই বিভাগের আরও খবর", …)."""
    if not text or len(text) > MAX_LABEL_CHARS * 2 or len(text.strip()) > MAX_LABEL_CHARS:
        return False
    key = _label_key(text)
    return bool(key) and key in vocab().related


def is_navigation_heading(text: str) -> bool:
    """Whether ``text`` heads a navigation widget ("সর্বশেষ", "সর্বাধিক পঠিত", "ট্রেন্ডিং", …)."""
    if not text or len(text) > MAX_LABEL_CHARS * 2 or len(text.strip()) > MAX_LABEL_CHARS:
        return False
    key = _label_key(text)
    return bool(key) and key in vocab().navigation


def is_teaser_link_text(text: str) -> bool:
    """Whether a link text is a teaser such as "বিস্তারিত" or "আরও খবর" (never a title)."""
    key = _label_key(text)
    return not key or key in vocab().link_texts or key in vocab().related


def strip_related_prefix(text: str) -> str | None:
    """The rest of ``text`` after a leading "আরও পড়ুন:"-style label, or None without one."""
    match = vocab().related_prefix_re.match(clean_line(text))
    if match is None:
        return None
    return _LABEL_TRIM.sub("", match.group(1))


def is_desk(name: str) -> bool:
    """Whether a byline is a desk or staff line ("আন্তর্জাতিক ডেস্ক", "নিজস্ব প্রতিবেদক", …)."""
    key = compare_key(name)
    if not key:
        return False
    v = vocab()
    if key in v.desks:
        return True
    return any(key.endswith(suffix) for suffix in v.desk_suffixes if suffix)


def strip_byline_prefix(name: str) -> str:
    """``name`` without a leading "লেখক:"/"By" and trailing punctuation."""
    line = clean_line(name)
    for prefix in vocab().byline_prefixes:
        if line.startswith(prefix + " ") or (prefix.endswith(":") and line.startswith(prefix)):
            line = line[len(prefix):].strip()
            break
    return line.strip(" ,;:|/-–—")
