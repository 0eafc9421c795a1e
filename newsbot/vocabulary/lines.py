"""The line classifier: what a line of a page body is, for extraction and cleaning alike.

:func:`classify_line` is the one entry point: it runs named checks in order and returns the kind
of the first that applies. The checks:

* ``PHRASE_RULES`` — the phrase rules of ``boilerplate_bn.tsv`` (``PhraseBook``): the rule's own
  kind (``marker``, ``also_read``, ``prompt``, ``desk`` …); ``SECTION_HEADING`` — the same rules,
  heading kinds only (``marker``/``also_read``);
* ``FURNITURE`` — page furniture in many languages (``generic_phrases.toml``): labels, prompts,
  credits, promos, bylines and date lines;
* ``RELATED_HEADING``, ``NAVIGATION_HEADING``, ``RELATED_LINE`` ("আরও পড়ুন: <title>"),
  ``DESK_LINE`` — the labels of ``labels.toml``;
* ``DATE_LINE`` — :func:`is_date_line`, the one date-line detector (``FURNITURE`` uses it too).

Each body source runs its rule set (``CLEANING_CHECKS``, ``GENERIC_BODY_CHECKS``,
``PROFILE_BODY_CHECKS``, ``HEADING_CHECKS``): the boilerplate pass, the generic extractor, the
profile body filter and the plain-text reader. :func:`marker_ends_body` says whether a section
marker ends the article; :func:`looks_like_prose` whether a line reads as article text. Every
comparison is made on :func:`newsbot.text.compare_key` / :func:`newsbot.text.fold`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbot import dates
from newsbot.dates import parse_date
from newsbot.text import (
    SENTENCE_END,
    clean_line,
    compare_key,
    fold,
    keys_of,
    line_key,
    nfc,
    split_sentences,
    tokens,
)
from newsbot.vocabulary import (
    GENERIC_PHRASES_FILE,
    PHRASES_FILE,
    label_list,
    load_toml,
    read_text,
)
from newsbot.vocabulary.labels import (
    is_desk,
    is_navigation_heading,
    is_related_heading,
    strip_related_prefix,
)

MATCH_MODES = ("line", "prefix", "tail", "contains", "regex", "all")
# Kinds with an effect beyond removing the one line (see the data file's header).
MARKER = "marker"
ALSO_READ = "also_read"
DESK = "desk"
HEADING_KINDS = frozenset({MARKER, ALSO_READ})
# Kinds whose lines are simply removed (the data file's header describes each).
LINE_KINDS = frozenset({"prompt", "share", "comment", "promo", "caption", "attribution", "nav",
                        "ad", "byline", "dateline", "footer"})
KINDS = HEADING_KINDS | LINE_KINDS | {DESK}
OUTLET_PLACEHOLDER = "{outlet}"
# A phrase "@table.list" stands for every label of that list of labels.toml (match=line).
LIST_REFERENCE = "@"
_QUOTES = "'\"‘’“”«»"
# "প্রকাশ : …", "ছবিঃ …": a colon with space on either side (or the visarga typed as one) is
# written ": "; a colon inside a word or a time ("০৯:১৫") stays as it is.
_COLON_RE = re.compile(r"\s*:(?=\s|$)\s*|\s+:\s*|\s*ঃ(?=\s|$)\s*")
_CLOSERS = "'\"’”)]»"

def loose(text: str) -> str:
    """The form rules match against: ``newsbot.text.fold`` (NFC, case-folded, no zero-width
    characters, visarga-colon and spelling variants equated) with collapsed spacing, and a
    spaced colon written as ": "."""
    return _COLON_RE.sub(": ", " ".join(fold(text).split())).strip()


def word_count(text: str) -> int:
    """Number of words of ``text``: runs of non-space characters (cheap; Bengali-safe)."""
    return len(text.split())


def looks_like_prose(line: str, min_words: int = 8) -> bool:
    """True for a line that reads like article prose rather than a headline or a label: two or
    more sentences, or one sentence of ``min_words`` words or more ending in "।" or "."."""
    text = line.strip().rstrip(_CLOSERS)
    if not text:
        return False
    words = word_count(text)
    if words >= min_words // 2 and len(split_sentences(text)) >= 2:
        return True
    return text[-1] in "।." and words >= min_words


# A short line with a digit after a heading is a time stamp (live-update entries), not content.
_STAMP_MAX_WORDS = 4
_DIGIT = re.compile(r"\d")  # any decimal digit, Bengali ones included


def marker_ends_body(following: Iterable[str], link_titles: Iterable[str] = ()) -> bool:
    """Whether a section marker ("সর্বশেষ", "আরও খবর" …) met after article prose ends the body,
    given the lines that follow it: yes where a block of headlines or links follows (or
    nothing), no where prose follows — the marker is then a subheading inside the article, as
    in a live-update story. Time stamps are looked past; a line that is one of the page's
    related-link titles counts as a link."""
    titles = {line_key(t) for t in link_titles}
    for line in following:
        text = line.strip()
        if not text:
            continue
        if word_count(text) <= _STAMP_MAX_WORDS and _DIGIT.search(text):
            continue
        return not looks_like_prose(text) or line_key(text) in titles
    return True


def _spaced_words(text: str) -> str:
    """The word tokens of ``text`` (case-folded), each preceded and followed by one space, so
    that ``" ফেসবুক" in`` it finds the word and its inflections (ফেসবুকে) and ``" ফেসবুক "``
    only the word."""
    return " " + " ".join(tokens(fold(text))) + " "


@dataclass(frozen=True)
class Rule:
    """One line of the phrase file, prepared for matching."""

    phrase: str
    kind: str
    match: str
    max_words: int
    gloss: str
    # The loose phrase (line, prefix, tail), a compiled regex (regex), or word groups (contains,
    # all): alternatives written " word word" (a space before each word, see _spaced_words).
    form: str = ""
    regex: re.Pattern[str] | None = field(default=None, compare=False)
    groups: tuple[tuple[str, ...], ...] = ()
    # Cheap pre-check: from every group, one of these must occur in the case-folded line.
    anchors: tuple[tuple[str, ...], ...] = ()


def _prepare(phrase: str, kind: str, match: str, max_words: int, gloss: str) -> Rule:
    phrase = nfc(phrase)
    if match not in MATCH_MODES:
        raise ValueError(f"unknown match mode {match!r} for phrase {phrase!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} for phrase {phrase!r}")
    regex = None
    groups: tuple[tuple[str, ...], ...] = ()
    anchors: tuple[tuple[str, ...], ...] = ()
    form = loose(phrase)
    if match == "regex":
        regex = re.compile(phrase)
    elif match in ("prefix", "tail"):
        anchors = ((form.rstrip(": "),),)
    elif match == "contains":
        groups = ((_spaced_words(phrase),),)
        anchors = ((groups[0][0].split()[0],),)
    elif match == "all":
        parts = [[alt.strip() for alt in group.split("|") if alt.strip()]
                 for group in phrase.split(" + ")]
        groups = tuple(tuple(alt if alt == OUTLET_PLACEHOLDER else _spaced_words(alt)[:-1]
                             for alt in group) for group in parts)
        anchors = tuple(tuple(alt.split()[0] for alt in group) for group in groups
                        if OUTLET_PLACEHOLDER not in group)
    if match != "regex" and not (form or groups):
        raise ValueError(f"empty phrase in a {match} rule")
    return Rule(phrase, kind, match, max_words, gloss, form, regex, groups, anchors)


def parse_rules(text: str) -> list[Rule]:
    """Rules from the text of a phrase file (``#`` comments, a header row, then TSV rows)."""
    rules: list[Rule] = []
    header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        try:
            phrases = [row["phrase"]]
            if phrases[0].startswith(LIST_REFERENCE):
                if row["match"] != "line":
                    raise ValueError(f"a list ({phrases[0]}) needs match=line")
                phrases = label_list(phrases[0][len(LIST_REFERENCE):])
            rules.extend(_prepare(phrase, row["kind"], row["match"],
                                  int(row.get("max_words") or 0), row.get("gloss", ""))
                         for phrase in phrases)
        except (KeyError, ValueError, re.error) as exc:
            raise ValueError(f"{PHRASES_FILE} line {number}: {exc}") from exc
    return rules


def _boundary(text: str, at: int) -> bool:
    """True when ``text`` has no word character at ``at`` (end of text, space, punctuation)."""
    return at >= len(text) or unicodedata.category(text[at])[0] not in "LMN"


@functools.lru_cache(maxsize=256)
def _name_alternatives(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_spaced_words(name)[:-1] for name in names if name.strip())


class PhraseBook:
    """The phrase rules, indexed for fast matching of body lines."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = list(rules)
        self._by_key: dict[str, Rule] = {}
        self._other: list[Rule] = []
        for rule in self.rules:
            if rule.match == "line":
                self._by_key.setdefault(compare_key(rule.phrase), rule)
            else:
                self._other.append(rule)
        # The largest word limit of the other rules (a rule without one has no limit).
        limits = [rule.max_words for rule in self._other]
        self._max_words = 10**9 if 0 in limits else max(limits, default=0)

    def classify(self, line: str, outlet_names: Iterable[str] = (),
                 key: str | None = None) -> Rule | None:
        """The rule that describes ``line`` (first in file order), or None for article text.

        ``outlet_names`` are the spellings of the article's own outlet, for ``{outlet}``;
        ``key`` is ``compare_key(line)`` when the caller has it already.
        """
        rule = self._by_key.get(line_key(line) if key is None else key)
        if rule is not None:
            return rule
        count = word_count(line)
        if count > self._max_words:  # long lines (prose) need no further look
            return None
        low = fold(line)
        form: str | None = None
        words: str | None = None
        for rule in self._other:
            if rule.max_words and count > rule.max_words:
                continue
            if not all(any(a in low for a in group) for group in rule.anchors):
                continue
            if form is None:
                form = loose(line)
                if not form:
                    return None
            if rule.match in ("contains", "all"):
                if rule.match == "all" and any(q in low for q in _QUOTES):
                    continue
                words = _spaced_words(form) if words is None else words
                if self._words_match(rule, words, tuple(outlet_names)):
                    return rule
            elif self._form_matches(rule, form):
                return rule
        return None

    def heading_kind(self, line: str) -> str | None:
        """``marker`` or ``also_read`` when ``line`` is a section heading, else None."""
        rule = self._by_key.get(line_key(line))
        if rule is None and len(line) < 60:
            rule = self.classify(line)
        return rule.kind if rule is not None and rule.kind in HEADING_KINDS else None

    @staticmethod
    def _form_matches(rule: Rule, form: str) -> bool:
        if rule.match == "prefix":
            return form.startswith(rule.form) and (
                rule.form.endswith(":") or _boundary(form, len(rule.form))
            )
        if rule.match == "tail":
            sentences = split_sentences(form)
            if len(sentences) < 2:
                return False
            last = sentences[-1]
            return last.startswith(rule.form) and (
                rule.form.endswith(":") or _boundary(last, len(rule.form))
            )
        return rule.regex is not None and rule.regex.fullmatch(form) is not None

    @staticmethod
    def _words_match(rule: Rule, words: str, outlet_names: tuple[str, ...]) -> bool:
        if rule.match == "contains":
            return rule.groups[0][0] in words
        for group in rule.groups:
            alternatives: tuple[str, ...] = group
            if OUTLET_PLACEHOLDER in group:
                alternatives = tuple(a for a in group if a != OUTLET_PLACEHOLDER)
                alternatives += _name_alternatives(outlet_names)
            if not any(alt in words for alt in alternatives):
                return False
        return True


def load_phrasebook_file(path: Path) -> PhraseBook:
    """A phrase book read from a file in the format of the bundled one."""
    return PhraseBook(parse_rules(Path(path).read_text("utf-8")))


@functools.cache
def load_phrasebook() -> PhraseBook:
    """The bundled phrase book (loaded once)."""
    return PhraseBook(parse_rules(read_text(PHRASES_FILE)))


def sentence_end(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (closing quotes allowed after it)."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


# ---------------------------------------------------------------------------------------------
# Date lines: one detector for the generic and the profile body.

#: Lines longer than this are never date lines.
MAX_DATE_LINE_CHARS = 80
#: A date line made of date words and numbers has at most this many words.
MAX_DATE_LINE_WORDS = 10
_DATE_TOKEN = re.compile(r"^\d{1,4}(?:[./:\-–]\d{1,4}){0,2}(?:\.|h|am|pm|uhr)?$", re.I)
_DATE_FILLER = re.compile(r"[\s\d০-৯:ঃ,./|\-–—()]+")


def is_date_line(line: str) -> bool:
    """Whether ``line`` is a date or time line and nothing else: at most
    :data:`MAX_DATE_LINE_CHARS` characters with a digit, and either only numbers and date words
    of ``generic_phrases.toml`` in many languages ("12.03.2024 10:15 Uhr", "Updated 5 May
    2024"), or a date the date parser reads, with labels, month and weekday names and times of
    day around it ("প্রকাশ: ১২ জানুয়ারি ২০২৫, ১০:৩০", "ঢাকা, সোমবার …", "Last Updated:
    Monday, 26 November 2007, 15:30 GMT")."""
    if len(line) > MAX_DATE_LINE_CHARS or not _DIGIT.search(line):
        return False
    folded = fold(line)
    words = folded.split()
    if len(words) <= MAX_DATE_LINE_WORDS and all(
        not w or w in _DATE_WORDS or _DATE_TOKEN.match(w)
        for w in (w.strip(".,:;()[]|•·") for w in words)
    ):
        return True
    if "।" in line:
        return False
    rest = _DATE_FILLER.sub("", _bengali_date_words_re().sub(" ", folded))
    return len(rest) <= 3 and parse_date(line) is not None


@functools.cache
def _bengali_date_words_re() -> re.Pattern[str]:
    """Words a Bengali date line is made of: the date parser's labels, month and weekday names,
    times of day, AM/PM."""
    words = [*dates.LABELS, *dates.MONTHS, *dates.WEEKDAYS, *dates.PERIODS, *dates.AMPM,
             *dates.DAY_SUFFIXES, "শেষ আপডেট", "ঢাকা"]
    words = sorted({fold(clean_line(w)) for w in words if w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


# ---------------------------------------------------------------------------------------------
# Page furniture in many languages (the generic body extractor): short lines that are labels,
# prompts, credits, promos, bylines, dates. The words and phrases are data
# (``generic_phrases.toml``, literal text, compared in ``fold`` form); the regex structure around
# them (anchors, delimiters, numbers) is here.

_I = re.IGNORECASE


@functools.cache
def _phrases() -> dict[str, Any]:
    """The bundled multilingual phrase lists (``generic_phrases.toml``), read once."""
    return load_toml(GENERIC_PHRASES_FILE)


def _words(table: str, key: str) -> list[str]:
    """A phrase list in ``fold`` form (spelling variants merged), in file order."""
    return list(dict.fromkeys(fold(p) for p in _phrases()[table][key]))


def _alt(table: str, key: str) -> str:
    """A phrase list as a regex alternation (entries are literal text)."""
    return "|".join(re.escape(p) for p in _words(table, key))


# a whole line that is only a label (after bullets, before trailing punctuation): by key
_LABEL_KEYS = keys_of(_words("label", "lines"))
_LABEL_LEAD = "■□▶►•*#"
_LABEL_TAIL = ":：.,!»>›→-"
# a "read more" prompt followed by a headline
_READ_MORE_PREFIX = re.compile(
    rf"^(?:>+\s*)?(?:(?:{_alt('read_more', 'before_delimiter')})\s*[:：|>»›→–—]|"
    rf"(?:{_alt('read_more', 'before_space')})\s)",
    _I,
)
_CREDIT_PREFIX = re.compile(rf"^\(?(?:{_alt('credit', 'prefix_words')})\s*(?::|：|ঃ)", _I)
# a caption: a line ending in a photo credit ("... ছবি: এএফপি", "... Photo: Reuters", "ফাইল ছবি")
_CREDIT_SUFFIX = re.compile(
    rf"(?:^|[\s।.|(\[])(?:{_alt('credit', 'suffix_words')})\s*(?::|：|ঃ)\s*"
    rf"[^\s.!?।][^.!?।]{{0,50}}[)\]]?$|(?:{_alt('credit', 'caption_endings')})[)\]]?$|"
    rf"\b(?:{_alt('credit', 'caption_ending_words')})$",
    _I,
)
_AGENCY_CREDIT = re.compile(
    rf"{_alt('agency', 'names')}|/(?:{_alt('agency', 'after_slash')})\b|"
    rf"\b(?:{_alt('agency', 'phrases')})\b",
    _I,
)
_COPYRIGHT_START = re.compile(r"^(?:<?\s*copyright|©|ⓒ|\(c\)\s)", _I)
# phrases of copyright lines
_COPYRIGHT_PHRASES = tuple(_words("copyright", "phrases"))
# ... found in one search (the regex engine scans once for all of them)
_COPYRIGHT_PHRASE = re.compile("|".join(map(re.escape, _COPYRIGHT_PHRASES)))
_READING_TIME = re.compile(
    rf"^(?:{_alt('reading_time', 'labels')})?\s*:?\s*"
    rf"(?:\d+|ca\.? \d+)\s*(?:{_alt('reading_time', 'units')})\s*"
    rf"(?:{_alt('reading_time', 'suffixes')})?$|"
    rf"^(?:{_alt('reading_time', 'colon_labels')})\s*:",
    _I,
)
# phrases of newsletter, subscription, app, social-follow and comment prompts
_PROMO_PHRASES = tuple(_words("promo", "phrases"))
_PROMO_PHRASE = re.compile("|".join(map(re.escape, _PROMO_PHRASES)))
# "our" next to a social platform: "join our Telegram channel", "আমাদের ফেসবুক পাতায়"
_OUR_CHANNEL = re.compile(
    rf"(?:\bour|আমাদের)\W+(?:\S+\s+){{0,3}}(?:{_alt('social', 'platforms')})|"
    rf"(?:{_alt('social', 'platforms_before_with_us')})\S*\s+(?:\S+\s+){{0,3}}"
    rf"(?:{_alt('social', 'with_us')})",
    _I,
)
# ... and only with a call to action: "our readers spend hours on Facebook" is prose.
_CALL_TO_ACTION = re.compile(
    rf"\b(?:{_alt('social', 'call_to_action_words')})\b|{_alt('social', 'call_to_action')}",
    _I,
)
_FOLLOW_ON = re.compile(rf"follow .{{1,40}} on (?:{_alt('social', 'follow_on_platforms')})\b", _I)
_BYLINE = re.compile(rf"^(?:{_alt('byline', 'prefixes')})\s*:?\s+(?=\w)", _I)
_BYLINE_JOINERS = frozenset(_words("byline", "joiners"))
_TWEET_SIGNATURE = re.compile(r"^[—–-]\s*.{0,80}\(@\w+\)|pic\.twitter\.com/", _I)
_HAS_WORDCHAR = re.compile(r"[^\W_]")
# words that may stand next to the numbers of a date line
_DATE_WORDS = frozenset(_words("date", "words"))
_DATE_TOKEN = re.compile(r"^\d{1,4}(?:[./:\-–]\d{1,4}){0,2}(?:\.|h|am|pm|uhr)?$", _I)
def _is_byline(text: str, words: list[str]) -> bool:
    if len(words) > 8 or text[-1:] in ".!?" or not _BYLINE.match(text):
        return False
    names = [w for w in words[1:] if fold(w) not in _BYLINE_JOINERS]
    return bool(names) and all(w[:1].isupper() or w[:1] in ",:" for w in names)


def _is_label_line(text: str) -> bool:
    """A line that is only a label of ``generic_phrases.toml`` (by comparison key)."""
    return compare_key(text.lstrip(_LABEL_LEAD).strip().rstrip(_LABEL_TAIL)) in _LABEL_KEYS


def is_boilerplate_line(text: str) -> bool:
    """True if a body paragraph is page furniture: a label, read-more prompt, photo credit,
    copyright line, reading time, date or byline line, promo, or tweet signature."""
    if not _HAS_WORDCHAR.search(text):
        return True
    if len(text) > 400:
        return False
    words = text.split()
    n = len(words)
    if len(text) > 12 * n + 40:  # unspaced script (CJK): word counts say nothing
        n = len(text) // 4
    if n > 45:
        return False
    text = nfc(text)
    low = fold(text)
    if _PROMO_PHRASE.search(low) or ("follow" in low and _FOLLOW_ON.search(low)):
        return True
    if n <= 25 and _OUR_CHANNEL.search(low) and _CALL_TO_ACTION.search(low):
        return True
    if _COPYRIGHT_START.match(text) or _COPYRIGHT_PHRASE.search(low):
        return n <= 40
    if n > 25:
        return False
    if _READ_MORE_PREFIX.match(low):
        return len(text) < 200
    if n <= 14 and _CREDIT_PREFIX.match(low):
        return True
    if n <= 10 and _AGENCY_CREDIT.search(low) and text[-1:] not in ".!?\"”“":
        return True
    if _CREDIT_SUFFIX.search(low):
        return True
    if n <= 6 and (_is_label_line(text) or _READING_TIME.search(low)):
        return True
    if is_date_line(text) or _is_byline(text, words):
        return True
    if ("@" in text and _TWEET_SIGNATURE.search(text)) or "pic.twitter.com/" in low:
        return True
    return n <= 3 and text.startswith("(") and text.endswith(")")


# ---------------------------------------------------------------------------------------------
# Label lines of a profile's body (labels.toml)

#: A desk byline standing alone in the body is at most this long.
MAX_DESK_LINE_CHARS = 40
#: An "আরও পড়ুন: …" line longer than this is body text, not a related link.
MAX_RELATED_LINE_CHARS = 160
_DESK_HEAD_RE = re.compile(r"\s*[,|।]\s*")
_LABEL_COLON_RE = re.compile(r"^([^:ঃ]{1,60})[:ঃ]\s*(.*)$")


def is_desk_line(line: str) -> bool:
    """A standalone desk byline ("আন্তর্জাতিক ডেস্ক", "নিজস্ব প্রতিবেদক, ঢাকা")."""
    if len(line) > MAX_DESK_LINE_CHARS:
        return False
    head = _DESK_HEAD_RE.split(line, maxsplit=1)[0]
    return len(head.split()) <= 3 and is_desk(head)


def is_related_line(line: str, related_keys: Set[str] = frozenset()) -> bool:
    """An inline "আরও পড়ুন: <title>" line (a known related title: its key is one of
    ``related_keys``; or a short line whose label is followed by a colon)."""
    rest = strip_related_prefix(line)
    if rest is None:
        return False
    if not rest or compare_key(rest) in related_keys:
        return True
    match = _LABEL_COLON_RE.match(line)
    return bool(
        match and is_related_heading(match.group(1))
        and len(match.group(2)) <= MAX_RELATED_LINE_CHARS
    )


# ---------------------------------------------------------------------------------------------
# The classifier

PHRASE_RULES = "phrase_rules"
SECTION_HEADING = "section_heading"
FURNITURE = "furniture"
RELATED_HEADING = "related_heading"
NAVIGATION_HEADING = "navigation_heading"
RELATED_LINE = "related_line"
DESK_LINE = "desk_line"
DATE_LINE = "date_line"

#: The rule set of each body source. Each keeps the checks it was measured with: the Bengali
#: phrase rules cut and count lines after extraction; the generic extractor meets pages in many
#: languages; a profile's body holds only the labels a news CMS prints inside its container.
CLEANING_CHECKS: tuple[str, ...] = (PHRASE_RULES,)
GENERIC_BODY_CHECKS: tuple[str, ...] = (FURNITURE,)
PROFILE_BODY_CHECKS: tuple[str, ...] = (RELATED_HEADING, NAVIGATION_HEADING, RELATED_LINE,
                                        DESK_LINE, DATE_LINE)
HEADING_CHECKS: tuple[str, ...] = (SECTION_HEADING,)


@dataclass(frozen=True)
class LineContext:
    """What a check may know besides the line: the phrase book (None: the bundled one), the
    outlet's name spellings (``{outlet}`` in phrase rules) and the keys of the page's related
    titles."""

    book: PhraseBook | None = None
    outlet_names: tuple[str, ...] = ()
    related_keys: Set[str] = frozenset()

    def phrasebook(self) -> PhraseBook:
        return self.book if self.book is not None else load_phrasebook()


def _phrase_rule_kind(line: str, ctx: LineContext, key: str | None) -> str | None:
    rule = ctx.phrasebook().classify(line, ctx.outlet_names, key)
    return rule.kind if rule is not None else None


# (line, context, the line's comparison key when the caller has it) -> kind or None
Check = Callable[[str, LineContext, "str | None"], "str | None"]


def _named(check: str, predicate: Callable[[str], bool]) -> Check:
    """A check that names the line ``check`` when ``predicate`` holds."""
    return lambda line, _ctx, _key: check if predicate(line) else None


_CHECKS: dict[str, Check] = {
    PHRASE_RULES: _phrase_rule_kind,
    SECTION_HEADING: lambda line, ctx, _key: ctx.phrasebook().heading_kind(line),
    FURNITURE: _named(FURNITURE, is_boilerplate_line),
    RELATED_HEADING: _named(RELATED_HEADING, is_related_heading),
    NAVIGATION_HEADING: _named(NAVIGATION_HEADING, is_navigation_heading),
    RELATED_LINE: lambda line, ctx, _key: (RELATED_LINE
                                           if is_related_line(line, ctx.related_keys) else None),
    DESK_LINE: _named(DESK_LINE, is_desk_line),
    DATE_LINE: _named(DATE_LINE, is_date_line),
}


_NO_CONTEXT = LineContext()


def classify_line(line: str, checks: Iterable[str], ctx: LineContext | None = None,
                  key: str | None = None) -> str | None:
    """What ``line`` is by the first of ``checks`` that applies (a phrase rule's kind, or the
    check's own name), or None for article text. ``key`` is ``compare_key(line)`` when the
    caller has it already. Raises KeyError for an unknown check."""
    ctx = ctx or _NO_CONTEXT
    for check in checks:
        kind = _CHECKS[check](line, ctx, key)
        if kind is not None:
            return kind
    return None
