"""Learned template lines: per outlet, the lines that recur on many of its pages (an app promo
under every article), persisted between runs so that the first articles of the next run are
cleaned as well as the last ones of this run."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbot.fileio import write_atomic
from newsbot.text import line_key
from newsbot.vocabulary.lines import word_count

logger = logging.getLogger(__name__)

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


