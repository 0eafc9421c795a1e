"""Boilerplate knowledge: the phrase rules of ``newsbot/data/boilerplate_bn.tsv`` and the per-outlet
template-line learner.

``PhraseBook`` says what a body line is when a rule of the data file describes it (a read-more
prompt, a caption, a section marker …). ``TemplateStore`` learns, per outlet, the lines that recur
on many of its pages (an app promo under every article) and persists them between runs, so the
first articles of the next run are cleaned as well as the last ones of this run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsbot.fileio import write_atomic
from newsbot.text import (
    SENTENCE_END,
    compare_key,
    fold,
    line_key,
    nfc,
    split_sentences,
    tokens,
)

logger = logging.getLogger(__name__)

PHRASES_FILE = "boilerplate_bn.tsv"
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
_DIGIT_RE = re.compile(r"\d")


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
        if word_count(text) <= _STAMP_MAX_WORDS and _DIGIT_RE.search(text):
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
            rules.append(_prepare(row["phrase"], row["kind"], row["match"],
                                  int(row.get("max_words") or 0), row.get("gloss", "")))
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
    text = resources.files("newsbot.data").joinpath(PHRASES_FILE).read_text("utf-8")
    return PhraseBook(parse_rules(text))


# ---------------------------------------------------------------- learned template lines

STATE_FORMAT = "newsbot-templates/1"


@dataclass
class _OutletLines:
    """What the learner knows about one outlet."""

    pages: float = 0.0
    # compare_key -> [pages seen on (decayed), the line as printed ("" until seen twice)]
    lines: dict[str, list[Any]] = field(default_factory=dict)
    urls: deque[str] = field(default_factory=deque)
    url_set: set[str] = field(default_factory=set)


def _url_hash(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


class TemplateStore:
    """Lines that recur on an outlet's pages, counted once per distinct article URL.

    A line is a template line of an outlet once the outlet has ``min_pages`` pages counted, the
    line was seen on at least ``min_pages`` of them, and on at least ``min_share`` of all of them.
    Only lines of at most ``max_words`` words are counted (real paragraphs are long), each line at
    most once per page (by ``compare_key``), and each URL only once. When an outlet reaches
    ``window`` pages, its counts are halved, so old layouts fade out and one-off lines are
    forgotten; at most ``max_lines`` lines are remembered per outlet.
    """

    def __init__(self, min_share: float = 0.5, min_pages: int = 3, max_words: int = 30,
                 window: int = 400, max_lines: int = 2000):
        self.min_share = min_share
        self.min_pages = max(1, min_pages)
        self.max_words = max_words
        self.window = max(2 * self.min_pages, window)
        self.max_lines = max_lines
        self.outlets: dict[str, _OutletLines] = {}
        self.changed = 0  # pages observed since the last save

    # -- learning ------------------------------------------------------------------------------

    def observe(self, outlet: str, url: str, lines: Iterable[str]) -> bool:
        """Count the lines of one page; False (nothing counted) when the URL was seen before."""
        state = self.outlets.setdefault(outlet, _OutletLines())
        digest = _url_hash(url)
        if digest in state.url_set:
            return False
        state.url_set.add(digest)
        state.urls.append(digest)
        while len(state.urls) > 2 * self.window:
            state.url_set.discard(state.urls.popleft())
        seen: set[str] = set()
        for line in lines:
            key = line_key(line)
            if not key or key in seen or word_count(line) > self.max_words:
                continue
            seen.add(key)
            entry = state.lines.get(key)
            if entry is None:
                state.lines[key] = [1.0, ""]  # most lines are seen once: keep no text for them
            else:
                entry[0] += 1.0
                entry[1] = entry[1] or line
        state.pages += 1.0
        if state.pages >= self.window:
            self._decay(state)
        if len(state.lines) > self.max_lines:
            self._prune(state)
        self.changed += 1
        return True

    def _decay(self, state: _OutletLines) -> None:
        state.pages /= 2.0
        state.lines = {k: [n / 2.0, s] for k, (n, s) in state.lines.items() if n / 2.0 >= 1.0}

    def _prune(self, state: _OutletLines) -> None:
        keep = sorted(state.lines.items(), key=lambda kv: kv[1][0], reverse=True)
        state.lines = dict(keep[: int(self.max_lines * 0.8)])

    # -- asking --------------------------------------------------------------------------------

    def is_template(self, outlet: str, key: str) -> bool:
        """True when the line with comparison key ``key`` is a template line of ``outlet``."""
        state = self.outlets.get(outlet)
        if state is None or state.pages < self.min_pages:
            return False
        entry = state.lines.get(key)
        if entry is None:
            return False
        count = entry[0]
        return count >= self.min_pages and count / state.pages >= self.min_share

    def templates(self, outlet: str) -> list[str]:
        """The template lines of ``outlet`` as printed (for inspection and tests)."""
        state = self.outlets.get(outlet)
        if state is None:
            return []
        return [sample for key, (_n, sample) in state.lines.items()
                if self.is_template(outlet, key)]

    def template_count(self) -> int:
        """How many template lines all outlets have together."""
        return sum(len(self.templates(outlet)) for outlet in self.outlets)

    # -- persistence ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The state as a JSON-ready dict."""
        return {
            "format": STATE_FORMAT,
            "settings": {"min_share": self.min_share, "min_pages": self.min_pages,
                         "max_words": self.max_words, "window": self.window},
            "outlets": {
                outlet: {"pages": state.pages, "urls": list(state.urls),
                         "lines": {k: v for k, v in state.lines.items()}}
                for outlet, state in sorted(self.outlets.items())
            },
        }

    def load_json(self, data: Mapping[str, Any]) -> None:
        """Replace the state with one from ``to_json`` (a file of another format is ignored)."""
        if data.get("format") != STATE_FORMAT:
            return
        self.outlets = {}
        for outlet, raw in (data.get("outlets") or {}).items():
            urls = deque(str(u) for u in raw.get("urls") or [])
            lines = {str(k): [float(v[0]), str(v[1])] for k, v in (raw.get("lines") or {}).items()
                     if isinstance(v, list) and len(v) == 2}
            self.outlets[outlet] = _OutletLines(float(raw.get("pages") or 0.0), lines, urls,
                                                set(urls))

    def load(self, path: str | os.PathLike[str]) -> bool:
        """Read the state from ``path``; False when there is no (readable) file."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            return False
        try:
            self.load_json(data)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            # A damaged file must not stop the crawl: start learning afresh.
            logger.warning("Ignoring learned templates in %s: %s", path, exc)
            self.outlets = {}
            return False
        return True

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state to ``path`` atomically (a temporary file renamed over it)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        write_atomic(target, data.encode("utf-8"))
        self.changed = 0


def sentence_end(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (closing quotes allowed after it)."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END
