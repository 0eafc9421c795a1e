"""The outlet profiles read the sample web's pages correctly (checked with parsel alone).

A small stand-in applier (detect, body container, drop, paragraphs, fields, related rules) runs
every profile over the rendered pages and compares with the ground truth in ``expected``; the
only differences allowed are the outlet's template line and a closing "সূত্র: …" line, which a
profile cannot tell from prose and the cleaning stage removes.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector, SelectorList

from newsbot.sampleweb import expected
from newsbot.sampleweb.model import listing_urls, load
from newsbot.sampleweb.render import LEGACY_CHARSET, build_pages, route_key

PROFILES = Path(__file__).parent.parent / "newsbot" / "data" / "profiles"
FIELDS = ("title", "body", "paragraph", "drop", "published", "updated", "authors", "desk",
          "section", "tags", "image", "image_caption", "related")


def profiles() -> dict[str, dict[str, Any]]:
    """Every profile file, parsed."""
    out = {}
    for path in sorted(PROFILES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        assert data["outlet_id"] == path.stem
        out[path.stem] = data
    return out


def sel(node: Selector | SelectorList, expr: str) -> SelectorList:
    """Profile convention: XPath when starting with "/" or "(", CSS otherwise; "<sel> >> <path>"
    applies a JMESPath expression to the JSON text the selector picks."""
    base, data, path = expr.partition(" >> ")
    found = node.xpath(base) if base.lstrip().startswith(("/", "(")) else node.css(base)
    return SelectorList(v for f in found for v in f.jmespath(path.strip())) if data else found


def first(node: Selector, exprs: list[str]) -> list[str]:
    """Values of the first selector of ``exprs`` that yields any non-empty value."""
    for expr in exprs:
        values = [str(v).strip() for v in sel(node, expr).getall() if str(v).strip()]
        if values:
            return values
    return []


def page(url: str, pages: dict[str, Any]) -> Selector:
    """The rendered page of ``url`` as a parsel Selector."""
    parts = re.match(r"https://([^/]+)(.*)", url)
    assert parts
    found = pages[route_key(parts.group(1), parts.group(2))]
    charset = LEGACY_CHARSET if LEGACY_CHARSET in found.headers["Content-Type"] else "utf-8"
    return Selector(text=found.body.decode("cp1252" if charset == LEGACY_CHARSET else "utf-8"))


def version_for(profile: dict[str, Any], doc: Selector) -> dict[str, Any] | None:
    """The first version whose ``detect`` matches."""
    return next((v for v in profile["versions"] if sel(doc, v["detect"])), None)


def body_of(version: dict[str, Any], doc: Selector) -> list[str]:
    """Paragraph texts of the body container after the drop selectors."""
    container = next(c for c in (sel(doc, e) for e in version["body"]) if c)[0]
    for expr in version.get("drop", []):
        for node in sel(doc if expr.startswith("/") else container, expr):
            node.drop()
    return [t for t in (" ".join(" ".join(p.css("::text").getall()).split())
                        for p in sel(container, version.get("paragraph", "p"))) if t]


@pytest.fixture(scope="module")
def pages() -> dict[str, Any]:
    return build_pages(load())


def test_every_sample_outlet_has_a_complete_profile() -> None:
    found = profiles()
    assert set(found) == set(load().sites)
    for outlet, data in found.items():
        assert data["article_url"] and data["listing_links"] and data["next_page"], outlet
        for version in data["versions"]:
            missing = [f for f in FIELDS if f not in version]
            assert not missing, (outlet, version.get("version"), missing)
    assert [v["version"] for v in found["prothomalo"]["versions"]] == ["2024", "2019"]


def test_article_url_patterns_split_articles_from_other_pages() -> None:
    patterns = {o: [re.compile(p) for p in d["article_url"]] for o, d in profiles().items()}
    for art in expected.expected_articles():
        assert any(p.search(art.canonical_url) for p in patterns[art.outlet_id]), art.url
    for url in expected.non_article_urls():
        assert not any(p.search(url) for ps in patterns.values() for p in ps), url
    # links a crawler must meet and handle (robots, 404, redirect) look like articles
    for url in [*expected.robots_disallowed_urls(), *expected.not_found_urls(),
                *expected.redirects()]:
        assert any(p.search(url) for ps in patterns.values() for p in ps), url


def test_profiles_extract_every_article(pages: dict[str, Any]) -> None:
    web = load()
    found = profiles()
    template = expected.template_lines()
    for art in expected.expected_articles():
        doc = page(art.url, pages)
        version = version_for(found[art.outlet_id], doc)
        assert version is not None, art.url
        assert first(doc, version["title"]) == [art.title]
        body = [p for p in body_of(version, page(art.url, pages))
                if p != template.get(art.outlet_id)]
        if body and body[-1].startswith("সূত্র: "):
            body.pop()
        raw = web.articles[f"{art.outlet_id}/{art.key}"].body
        assert body == raw, art.url
        assert first(doc, version["published"])[:1] == [art.published]
        assert first(doc, version["authors"]) == art.authors, art.url
        assert first(doc, version["desk"]) == ([art.desk] if art.desk else []), art.url
        if art.outlet_id != "songkolon":
            updated = first(doc, version["updated"])[:1]
            if updated and updated[0].isdigit():
                # embedded Unix milliseconds; the instant of publication means "never updated"
                moment = datetime.fromtimestamp(int(updated[0]) / 1000, UTC)
                updated = [] if moment == datetime.fromisoformat(art.published) else [
                    moment.astimezone(datetime.fromisoformat(art.updated or art.published).tzinfo)
                    .isoformat()]
            assert updated == ([art.updated] if art.updated else []), art.url
            caption = [art.image_caption] if art.image_caption else []
            assert first(doc, version["image_caption"]) == caption, art.url
        related: list[tuple[str, str]] = []
        for rule in version["related"]:
            for item in sel(doc, rule["item"]):
                pair = (" ".join(first(item, [rule["title"]])), first(item, [rule["url"]])[0])
                if pair[1] not in [u for _, u in related]:
                    related.append(pair)
        assert related == [(t, u) for t, u, _ in art.related], art.url


def test_listing_selectors_find_articles_and_the_next_page(pages: dict[str, Any]) -> None:
    web = load()
    wanted = {a.url for a in expected.expected_articles()}
    for outlet, data in profiles().items():
        urls = listing_urls(web, web.sites[outlet])
        found: set[str] = set()
        for n, url in enumerate(urls):
            doc = page(url, pages)
            found |= {re.sub(r"[?#].*$", "", u) if "mzamin" not in u else u
                      for u in first(doc, data["listing_links"])}
            nxt = first(doc, data["next_page"])
            if n + 1 < len(urls):
                assert nxt and nxt[0] == urls[n + 1], url
            else:
                assert not nxt, url
        mine = {a.url for a in web.site_articles(outlet)}
        assert mine & wanted <= found | {u for u in expected.redirects().values()}, outlet


def test_redesign_defeats_the_profile() -> None:
    found = profiles()
    redesigned = build_pages(load(), frozenset(load().sites))
    for art in expected.expected_articles():
        doc = page(art.url, redesigned)
        assert version_for(found[art.outlet_id], doc) is None, art.url
        assert not doc.css("script[type='application/ld+json']")
