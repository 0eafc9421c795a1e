"""Reading a news page saved as plain text (the layout of ``tests/fixtures/seed``).

Layout: the first non-empty line is the headline. Every other line is one paragraph (a block of
lines with no blank line between them holds lines of different kinds in such files: the last
paragraph and the heading of the related block, an outlet name and the next headline), except
that hard-wrapped prose is joined back together. Related links are written as
"headline, blank line, the same headline again, the outlet's name", usually under a heading such as
"এই বিভাগের আরও খবর"; list sections are bullet lines ("•", "-", "*") under a heading such as
"ট্রেন্ডিং". Neither is body text; a section heading after the article text ends the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.items import Article, related_link
from newsbot.registry import load_registry
from newsbot.text import clean_line, compare_key, tokens
from newsbot.urls import canonicalize_url
from newsbot.vocabulary.lines import (
    HEADING_CHECKS,
    MARKER,
    LineContext,
    classify_line,
    load_phrasebook,
    looks_like_prose,
    marker_ends_body,
    sentence_end,
)

BULLETS = ("•", "●", "▪", "◦", "·", "-", "*", "–")
# A headline that is repeated to make a related link is not longer than this.
MAX_HEADLINE_WORDS = 25
# An outlet label the registry does not know (yet) is at most this many words.
MAX_LABEL_WORDS = 4
# A line is only joined with the next one when it is at least this long (hard-wrapped prose).
MIN_WRAPPED_WORDS = 8


@dataclass
class _Line:
    text: str
    block: int
    bullet: bool


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            block += 1
            continue
        bullet = False
        for mark in BULLETS:
            if stripped.startswith(mark) and stripped[len(mark):len(mark) + 1].isspace():
                stripped, bullet = stripped[len(mark):], True
                break
        cleaned = clean_line(stripped)
        if cleaned:
            lines.append(_Line(cleaned, block, bullet))
    return lines


class _Reader:
    """One pass over the lines of a page."""

    def __init__(self, lines: list[_Line]):
        self.lines = lines
        self.context = LineContext(book=load_phrasebook())
        self.registry = load_registry()

    def heading(self, i: int) -> str | None:
        line = self.lines[i]
        return None if line.bullet else classify_line(line.text, HEADING_CHECKS, self.context)

    def is_outlet(self, i: int) -> bool:
        line = self.lines[i]
        return not line.bullet and self.registry.by_name(line.text) is not None

    def join_wrapped(self) -> None:
        """Join hard-wrapped prose: a long line without closing punctuation continues on the
        next line of the same block unless that line is a bullet, heading, outlet or repeat."""
        out: list[_Line] = []
        for i, line in enumerate(self.lines):
            prev = out[-1] if out else None
            if (
                prev is not None and prev.block == line.block and not prev.bullet
                and not line.bullet and len(tokens(prev.text)) >= MIN_WRAPPED_WORDS
                and not sentence_end(prev.text) and not prev.text.endswith(":")
                and compare_key(prev.text) != compare_key(line.text)
                and self.heading(i) is None and not self.is_outlet(i)
            ):
                prev.text = f"{prev.text} {line.text}"
                continue
            out.append(line)
        self.lines = out

    def pair_at(self, i: int, in_related: bool) -> tuple[dict, int] | None:
        """A related link starting at line ``i`` (headline, same headline, outlet label) and the
        number of lines it takes, or None."""
        lines = self.lines
        if i + 1 >= len(lines):
            return None
        first, second = lines[i], lines[i + 1]
        if first.bullet or second.bullet or compare_key(first.text) != compare_key(second.text):
            return None
        if looks_like_prose(first.text) or len(tokens(first.text)) > MAX_HEADLINE_WORDS:
            return None
        if self.heading(i) is not None:
            return None
        j = i + 2
        if j < len(lines) and self.is_outlet(j):
            return related_link(first.text, None, lines[j].text), 3
        if not in_related:
            return None
        if j < len(lines) and self._unknown_label(j):
            return related_link(first.text, None, lines[j].text), 3
        return related_link(first.text, None, None), 2

    def _unknown_label(self, j: int) -> bool:
        """Line ``j`` is a short label closing a related link: what follows it is the end, a
        heading, a bullet or the next related link."""
        line = self.lines[j]
        if line.bullet or self.heading(j) or sentence_end(line.text):
            return False
        if len(tokens(line.text)) > MAX_LABEL_WORDS:
            return False
        k = j + 1
        if k >= len(self.lines) or self.lines[k].bullet or self.heading(k):
            return True
        return k + 1 < len(self.lines) and (
            compare_key(self.lines[k].text) == compare_key(self.lines[k + 1].text)
        )

    def read(self) -> tuple[list[str], list[dict]]:
        """Body paragraphs and related links, in page order."""
        body: list[str] = []
        links: list[dict] = []
        in_tail = False  # after a section marker that follows the article text
        in_related = False  # after a heading or a related link: unknown labels are accepted
        under_heading = False  # bullets here are a list section, not body
        seen_prose = False
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            kind = self.heading(i)
            if kind is not None:
                in_related = under_heading = True
                in_tail = in_tail or (
                    kind == MARKER and seen_prose
                    and marker_ends_body(x.text for x in self.lines[i + 1:])
                )
                i += 1
                continue
            found = self.pair_at(i, in_related)
            if found is not None:
                link, used = found
                links.append(link)
                in_related = True
                i += used
                continue
            if line.bullet and (under_heading or in_tail):
                i += 1
                continue
            under_heading = in_related = False
            if not in_tail:
                body.append(line.text)
                seen_prose = seen_prose or looks_like_prose(line.text)
            i += 1
        return body, links


def read_plain_page(text: str, url: str | None = None) -> Article:
    """An ``Article`` from the text of a page saved as plain text (see the module docstring).

    ``url`` (optional) sets ``url``, ``canonical_url`` and the outlet; related links read from
    plain text have ``url`` None and the printed outlet name as ``label``.
    """
    lines = _split_lines(text.lstrip("\ufeff"))
    title = lines[0].text if lines else ""
    reader = _Reader(lines[1:])
    reader.join_wrapped()
    body, links = reader.read()
    outlet = load_registry().by_url(url) if url else None
    return Article(
        url=url or "",
        canonical_url=canonicalize_url(url) if url else "",
        outlet_id=outlet.id if outlet else None,
        outlet_name=outlet.name_bn if outlet else None,
        title=title,
        body=body,
        related_links=links,
    )
