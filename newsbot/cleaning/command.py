"""``python -m newsbot clean FILE``: clean a page saved as plain text or HTML and print the
record. HTML goes through extraction (:mod:`newsbot.extract`), plain text through the plain-text
reader; the article is then cleaned by the runner (:func:`newsbot.cleaning.runner.clean_article`).

Exit status, as ``python -m newsbot extract``: 0 a record was printed (kept or dropped), 1 the page
holds no article (``{"url", "dropped", "error"}`` is printed), 2 bad command line or unreadable
file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsbot import clock
from newsbot.cleaning.runner import clean_article

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def _looks_like_html(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta"))


def read_article(path: str | Path, url: str | None = None) -> Any:
    """The ``Article`` of a saved page: HTML goes to ``newsbot.extract.extract_html``, anything
    else is read as plain text (``newsbot.extract.plaintext``). Without ``url`` the file's own
    ``file://`` URI stands in. Raises ``OSError`` and ``ExtractionError``."""
    path = Path(path)
    data = path.read_bytes()
    page_url = url or path.resolve().as_uri()
    if _looks_like_html(path, data):
        from newsbot.extract import extract_html

        article = extract_html(data, page_url)
    else:
        from newsbot.extract.plaintext import read_plain_page

        article = read_plain_page(data.decode("utf-8-sig", errors="replace"), page_url)
    if not article.fetched_at:
        article.fetched_at = clock.now().isoformat()
    return article


def clean_file(path: str | Path, url: str | None = None, templates: bool = True) -> dict[str, Any]:
    """The cleaned record of a page saved as plain text or HTML, with ``dropped`` holding the drop
    reason (None when kept). A page the extractor rejects gives ``{"url", "dropped", "error"}``.
    ``templates=False`` ignores the learned template lines."""
    from newsbot.extract.guard import ExtractionError

    try:
        article = read_article(path, url)
    except ExtractionError as exc:
        return {"url": url or Path(path).resolve().as_uri(), "dropped": exc.reason,
                "error": str(exc)}
    settings: Mapping[str, Any] | None = None if templates else {"NEWSBOT_TEMPLATES_PATH": ""}
    record, reason = clean_article(article, settings)
    record["dropped"] = reason
    return record


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot clean FILE [--url URL]``: print the cleaned record as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot clean",
        description="Clean a page saved as plain text or HTML and print the record as JSON "
                    "(with `dropped`: the drop reason, or null when the record is kept).",
    )
    parser.add_argument("file", help="the saved page (plain text or HTML)")
    parser.add_argument("--url", help="the page's URL (sets url, canonical_url and the outlet)")
    parser.add_argument("--no-templates", action="store_true",
                        help="ignore the template lines learned by earlier crawls")
    args = parser.parse_args(argv)
    try:
        record = clean_file(args.file, url=args.url, templates=not args.no_templates)
    except OSError as exc:
        print(f"clean: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # Bengali must reach a pipe as UTF-8 whatever the locale
        reconfigure(encoding="utf-8")
    sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    if "error" in record:
        print(f"clean: no article: {record['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
