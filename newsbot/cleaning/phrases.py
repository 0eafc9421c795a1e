"""The boilerplate pass over an article's body: the phrase rules of the vocabulary
(:mod:`newsbot.vocabulary.lines`), the article's own fields (a line that repeats the title, the
image caption, an author or the desk), section markers that end the body and "also read" blocks.
``newsbot.pipelines.boilerplate`` runs it in a crawl, with the learned template lines after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsbot.registry import load_registry
from newsbot.text import clean_line, line_key
from newsbot.vocabulary.lines import (
    ALSO_READ,
    CLEANING_CHECKS,
    DESK,
    HEADING_CHECKS,
    MARKER,
    LineContext,
    PhraseBook,
    classify_line,
    looks_like_prose,
    marker_ends_body,
)

# After an "also read" heading, at most this many headline lines are taken as its links.
MAX_ALSO_READ_LINKS = 6
_DESK_STRIP = " ।.,:;|-–—"


@dataclass
class PhrasePass:
    """What the pass made of a body: the lines kept, the lines removed per kind, and the desk
    line moved out of the body (``desk_moves``: how many times; 0 when the record had a desk
    already or the body held no desk line)."""

    kept: list[str]
    removed: Counter[str]
    desk: str | None = None
    desk_moves: int = 0


def own_lines(item: Mapping[str, Any]) -> dict[str, str]:
    """Comparison key -> kind of the lines that repeat the item's own fields (title, image
    caption, authors, desk)."""
    image = item.get("image") if isinstance(item.get("image"), dict) else {}
    own = {
        line_key(item.get("title") or ""): "title",
        line_key((image or {}).get("caption") or ""): "caption",
        **{line_key(a): "byline" for a in item.get("authors") or []},
        line_key(item.get("desk") or ""): DESK,
    }
    own.pop("", None)
    return own


def outlet_names(outlet_id: str | None) -> tuple[str, ...]:
    """The spellings of an outlet's name in the registry (for ``{outlet}`` in phrase rules)."""
    outlet = load_registry().by_id(outlet_id) if outlet_id else None
    if outlet is None:
        return ()
    return tuple(dict.fromkeys([outlet.name_bn, *(f.value for f in outlet.names)]))


def phrase_pass(body: list[str], book: PhraseBook, *, names: Iterable[str] = (),
                own: Mapping[str, str] | None = None, link_titles: Iterable[str] = (),
                has_desk: bool = False) -> PhrasePass:
    """The body lines left after the phrase rules and the item's own fields (``own``, from
    :func:`own_lines`). ``names`` are the outlet's spellings, ``link_titles`` the titles of
    the item's related links (a line that is one counts as a link after a marker);
    ``has_desk``: the item has a desk already, so a desk line is not moved there."""
    own = own or {}
    titles = list(link_titles)
    ctx = LineContext(book=book, outlet_names=tuple(names))
    result = PhrasePass([], Counter())
    removed = result.removed
    seen_prose = False
    link_budget = 0  # headline lines still to drop after an "also read" heading
    for index, line in enumerate(body):
        if link_budget:
            if not looks_like_prose(line) and classify_line(line, HEADING_CHECKS, ctx) is None:
                removed["also_read_link"] += 1
                link_budget -= 1
                continue
            link_budget = 0
        key = line_key(line)
        kind = classify_line(line, CLEANING_CHECKS, ctx, key) or own.get(key)
        if kind is None:
            result.kept.append(line)
            seen_prose = seen_prose or looks_like_prose(line)
            continue
        removed[kind] += 1
        if kind == MARKER and seen_prose:
            if marker_ends_body(body[index + 1:], titles):
                removed["after_marker"] += len(body) - index - 1
                break
            continue  # a subheading inside the article: only the heading line goes
        if kind in (MARKER, ALSO_READ):
            link_budget = MAX_ALSO_READ_LINKS
        elif kind == DESK and not has_desk:
            result.desk = clean_line(line).strip(_DESK_STRIP) or None
            result.desk_moves += 1
            has_desk = result.desk is not None
    return result
