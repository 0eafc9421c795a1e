"""The public API: extraction (:mod:`newsbot.extract`) and cleaning (:mod:`newsbot.cleaning`)
composed, and ``python -m newsbot extract PAGE.html [--url URL]``.

Library::

    extract_article(response) -> Article          # Scrapy TextResponse; raises ExtractionError
    extract_html(html, url=None, encoding=None) -> Article
    clean(article) -> (record, drop reason)       # the cleaning pipelines of a crawl
    extract_record(html, url=None) -> dict        # cleaned as the feed holds it (+ "dropped")
    main_text(html, url=None) -> str              # cleaned body, paragraphs joined by blank lines
    ExtractionError(reason)                       # .reason: empty_page, binary_content, ...

The command extracts the page (:func:`extract_html`) and cleans it by the same item pipelines a
crawl runs (:func:`newsbot.cleaning.clean_article`); the record is printed as one JSON object. A
record the pipelines would drop is still printed, its drop reason in ``dropped`` (null when
kept). A page without an article prints ``{"url", "dropped", "error"}``.

Exit status: 0 a record was printed (kept or dropped), 1 the page holds no article, 2 bad
command line or unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsbot.cleaning import clean_article, clean_body
from newsbot.extract import ExtractionError, extract_article, extract_html
from newsbot.items import Article
from newsbot.text import valid_text

__all__ = [
    "ExtractionError",
    "clean",
    "extract_article",
    "extract_html",
    "extract_record",
    "main",
    "main_text",
]

EXIT_OK, EXIT_NO_ARTICLE, EXIT_USAGE = 0, 1, 2


def clean(article: Article, *, text_only: bool = False) -> tuple[dict[str, Any], str | None]:
    """The record the cleaning pipelines make of ``article`` and their drop reason (or None).

    ``text_only`` lets the cleaner skip work that does not change the body (validation,
    language detection)."""
    return clean_article(article, text_only=text_only)


def extract_record(html: str | bytes, url: str | None = None,
                   encoding: str | None = None) -> dict[str, Any]:
    """The cleaned record of a page (``url`` optional, as for :func:`extract_html`); a record
    the pipelines would drop carries ``dropped``. Raises :class:`ExtractionError` when the
    page holds no article."""
    record, reason = clean(extract_html(html, url, encoding=encoding))
    record = dict(record)
    if reason:
        record["dropped"] = reason
    return record


def main_text(html: str, url: str | None = None) -> str:
    """The cleaned body text of a page, paragraphs joined by blank lines ('' when the page holds
    no article text; an unexpected error is logged at ERROR by :func:`extract_html`). ``url``
    is optional."""
    try:
        article = extract_html(html, url, text_only=True)
    except ExtractionError:
        return ""
    # the article is spent here: cleaned in place, no copy and no record
    return "\n\n".join(p for p in clean_body(article) if p)


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python -m newsbot extract``."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot extract",
        description="Extract the article of a saved HTML page and print the cleaned record "
        "as one JSON object (with `dropped`: the drop reason, or null when kept).",
    )
    parser.add_argument("page", help="the saved page (HTML); '-' reads standard input")
    parser.add_argument("--url", default=None,
                        help="the URL the page was fetched from (default: the page's own "
                        "canonical URL or og:url; the outlet then comes from it or the page's "
                        "site name)")
    parser.add_argument("--encoding", help="the page's encoding (default: as the page declares)")
    parser.add_argument("--raw", action="store_true",
                        help="print the extracted article without the cleaning pipelines")
    parser.add_argument("--indent", type=int, default=None,
                        help="indent the JSON (default: one line)")
    return parser


def _read(page: str) -> bytes:
    if page == "-":
        return sys.stdin.buffer.read()
    return Path(page).read_bytes()


def _write(obj: dict, indent: int | None = None) -> None:
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # Bengali must reach a pipe as UTF-8 whatever the locale
        reconfigure(encoding="utf-8")
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    sys.stdout.write(valid_text(text) + "\n")  # nothing may fail to encode on the way out


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        data = _read(args.page)
    except OSError as exc:
        print(f"extract: cannot read {args.page}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        article = extract_html(data, args.url, encoding=args.encoding)
    except ExtractionError as exc:
        _write({"url": args.url, "dropped": exc.reason, "error": str(exc)}, args.indent)
        print(f"extract: no article: {exc}", file=sys.stderr)
        return EXIT_NO_ARTICLE
    if args.raw:
        from newsbot.items import record as as_record

        _write(as_record(article), args.indent)
        return EXIT_OK
    record, reason = clean(article)
    record = dict(record)
    record["dropped"] = reason
    _write(record, args.indent)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
