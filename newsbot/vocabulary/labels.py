"""Labels of Bengali page furniture (``labels.toml``): related-link headings, navigation
headings, teaser link texts and desk bylines, loaded once and matched by comparison key
(:func:`newsbot.text.compare_key`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newsbot.text import clean_line, compare_key, keys_of, nfc, phrase_pattern, spellings
from newsbot.vocabulary import LABELS_FILE, load_toml

#: Longest text (characters) a heading or label may have.
MAX_LABEL_CHARS = 48
#: The characters ``str.isspace`` (and so regex ``\\s``) counts as white space.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BENGALI_RE = re.compile("[\u0980-\u09ff]")


@dataclass(frozen=True)
class Vocab:
    """Comparison keys of each word list."""

    related: frozenset[str]
    navigation: frozenset[str]
    link_texts: frozenset[str]
    desks: frozenset[str]
    accounts: frozenset[str]
    desk_suffixes: tuple[str, ...]
    byline_prefix_re: re.Pattern[str]
    related_prefix_re: re.Pattern[str]
    related_markers: tuple[str, ...]


@functools.cache
def vocab() -> Vocab:
    """The bundled vocabulary (read once)."""
    data = load_toml(LABELS_FILE)
    related = [*data["related"]["section_markers"], *data["related"]["also_read"],
               *data["related"]["headings"]]
    navigation = [*data["navigation"]["section_markers"], *data["navigation"]["ticker"],
                  *data["navigation"]["ad_labels"], *data["navigation"]["headings"]]
    link_texts = [*data["navigation"]["teaser_prompts"], *data["navigation"]["link_texts"]]
    desks = [*data["byline"]["desk_lines"], *data["byline"]["staff_lines"],
             *data["byline"]["desks"]]
    return Vocab(
        related=keys_of(related),
        navigation=keys_of(navigation),
        link_texts=keys_of(link_texts),
        desks=keys_of(desks),
        accounts=keys_of(data["byline"]["accounts"]),
        desk_suffixes=tuple(compare_key(v) for v in data["byline"]["desk_suffixes"]),
        byline_prefix_re=_byline_prefix_regex(data["byline"]["prefixes"]),
        related_prefix_re=_prefix_regex(related),
        related_markers=_markers(related),
    )


#: Bengali letters with nukta: NFC spells them base + U+09BC, older text as one code point.
_NUKTA_LETTERS = {"\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd", "\u09af\u09bc": "\u09df"}


def _markers(phrases: list[str]) -> tuple[str, ...]:
    """Substrings a page must contain to hold one of the Bengali ``phrases``: the longest word
    of each in all its spellings, in NFC and with one-code-point nukta letters (য় ড় ঢ়)."""
    out: set[str] = set()
    for phrase in phrases:
        words = [w for w in clean_line(phrase).rstrip(":ঃ ").split() if _BENGALI_RE.search(w)]
        if not words:
            continue
        for word in spellings(nfc(max(words, key=len))):
            out.add(word)
            for decomposed, single in _NUKTA_LETTERS.items():
                word = word.replace(decomposed, single)
            out.add(word)
    return tuple(sorted(out))


def _byline_prefix_regex(prefixes: list[str]) -> re.Pattern[str]:
    """``^prefix``: a word followed by a space, or a word and a colon (any space before it)."""
    alternatives = []
    for prefix in sorted({clean_line(p) for p in prefixes if p.strip()}, key=len, reverse=True):
        word = prefix.rstrip(": ")
        alternatives.append(re.escape(word) + (r"\s*:" if prefix.endswith(":") else r"(?= )"))
    return re.compile(f"^(?:{'|'.join(alternatives)})")


def _prefix_regex(phrases: list[str]) -> re.Pattern[str]:
    """``^(phrase)<delimiter>(rest)``: a related phrase (any spacing, any spelling variant, any
    case, zero-width characters anywhere) at the start of a line."""
    alternatives = sorted({clean_line(p).rstrip(":ঃ ") for p in phrases if p.strip()},
                          key=len, reverse=True)
    body = "|".join(phrase_pattern(alt) for alt in alternatives)
    return re.compile(rf"^(?:{body})(?=$|[\s:ঃ\-–—|»])[\s:ঃ\-–—|»]*(.*)$", re.S | re.I)


#: Trimmed from the start of a label, and (with the dots) from its end.
_LABEL_LEAD = WHITESPACE + ":ঃ-–—»«›‹>|•·"
_LABEL_TAIL = _LABEL_LEAD + ".…"


def _trim_label(text: str) -> str:
    """``text`` without the delimiters around a label (linear: no regex backtracking)."""
    return text.lstrip(_LABEL_LEAD).rstrip(_LABEL_TAIL)


def _label_key(text: str) -> str:
    if not text or len(text) > MAX_LABEL_CHARS * 2:
        return ""
    return compare_key(_trim_label(text))


def _is_heading(text: str, keys: frozenset[str]) -> bool:
    """Whether ``text`` is short enough for a heading and its key is one of ``keys``."""
    if not text or len(text) > MAX_LABEL_CHARS * 2 or len(text.strip()) > MAX_LABEL_CHARS:
        return False
    key = _label_key(text)
    return bool(key) and key in keys


def is_related_heading(text: str) -> bool:
    """Whether ``text`` is a related-links heading ("আরও পড়ুন:", "এই বিভাগের আরও খবর", …)."""
    return _is_heading(text, vocab().related)


def is_navigation_heading(text: str) -> bool:
    """Whether ``text`` heads a navigation widget ("সর্বশেষ", "সর্বাধিক পঠিত", "ট্রেন্ডিং", …)."""
    return _is_heading(text, vocab().navigation)


def is_teaser_link_text(text: str) -> bool:
    """Whether a link text is a teaser such as "বিস্তারিত" or "আরও খবর" (never a title)."""
    key = _label_key(text)
    return not key or key in vocab().link_texts or key in vocab().related


def strip_related_prefix(text: str) -> str | None:
    """The rest of ``text`` after a leading "আরও পড়ুন:"-style label, or None without one."""
    match = vocab().related_prefix_re.match(clean_line(text))
    if match is None:
        return None
    return _trim_label(match.group(1))


def is_desk(name: str) -> bool:
    """Whether a byline is a desk or staff line ("আন্তর্জাতিক ডেস্ক", "নিজস্ব প্রতিবেদক", …)."""
    key = compare_key(name)
    if not key:
        return False
    v = vocab()
    if key in v.desks:
        return True
    return any(key.endswith(suffix) for suffix in v.desk_suffixes if suffix)


def is_account_name(name: str) -> bool:
    """Whether a byline is a CMS account name ("admin"), not a person."""
    return compare_key(name) in vocab().accounts


def strip_byline_prefix(name: str) -> str:
    """``name`` without a leading "লেখক:"/"By" and trailing punctuation."""
    line = vocab().byline_prefix_re.sub("", clean_line(name), count=1)
    return line.strip(" ,;:|/-–—")
