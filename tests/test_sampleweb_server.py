"""The bundled sample web, fetched over real HTTP on 127.0.0.1 with the outlets' Host headers."""

from __future__ import annotations

import html
import re
import socket
import unicodedata
import urllib.error
import urllib.request
import urllib.robotparser
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest

from newsbot.sampleweb import expected, serve
from newsbot.sampleweb.handler import rewrite_url
from newsbot.sampleweb.model import listing_urls, load
from newsbot.vocabulary.lines import load_phrasebook

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_6a9de8de847cfd9f.txt"
FULL = ("prothomalo", "kalerkantho", "ittefaq", "jugantor", "bbcbangla", "anandabazar")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(base: str, url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` from the sample web at ``base`` (Host header = the URL's host)."""
    local, host = rewrite_url(url, base)
    request = urllib.request.Request(local, headers={"Host": host})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def links(page: bytes, page_url: str) -> list[str]:
    """Absolute hrefs of a page, in order."""
    text = page.decode("utf-8")
    return [urljoin(page_url, html.unescape(h)) for h in re.findall(r'href="([^"]*)"', text)]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in {"script", "style", "head"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"script", "style", "head"}

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def visible_lines(page: str) -> list[str]:
    """Visible text nodes of ``page`` (tags stripped, entities decoded), NFC."""
    parser = _Text()
    parser.feed(page)
    return [unicodedata.normalize("NFC", c) for c in parser.chunks]


def test_content_is_present_and_consistent() -> None:
    web = load()
    for outlet in FULL:
        assert len(web.site_articles(outlet)) >= 8, outlet
    for art in web.articles.values():
        assert 2 <= len(art.related) <= 4 or art.outlet == "songkolon", art.ref
        missing = [r for r in art.related if r not in web.articles]
        missing += [b["ref"] for b in art.inline_related if b["ref"] not in web.articles]
        assert not missing, (art.ref, missing)
    titles = [a.title for a in web.articles.values()]
    assert len(titles) == len(set(titles))
    urls = [a.url for a in web.articles.values()]
    assert len(urls) == len(set(urls))
    assert sorted(expected.foreign_urls().values()) == ["as", "bn-Latn", "en", "hi"]


def test_every_expected_article_answers_200_with_its_canonical(sample_web: str) -> None:
    articles = expected.expected_articles()
    assert len(articles) >= 60
    for art in articles:
        status, headers, body = fetch(sample_web, art.url)
        assert status == 200, art.url
        assert headers["Content-Type"].startswith("text/html")
        assert f'<link rel="canonical" href="{html.escape(art.canonical_url)}">'.encode() in body


def test_listings_link_at_least_eight_articles_over_two_pages(sample_web: str) -> None:
    web = load()
    wanted = {a.url for a in expected.expected_articles()}
    for outlet in FULL:
        url: str | None = web.sites[outlet].listing
        pages, found = 0, set()
        while url:
            status, _, body = fetch(sample_web, url)
            assert status == 200, url
            pages += 1
            hrefs = links(body, url)
            found |= {h for h in hrefs if h in wanted}
            nxt = [t for t in re.findall(r"<a [^>]*>", body.decode()) if 'rel="next"' in t]
            url = urljoin(url, html.unescape(links(nxt[0].encode(), url)[0])) if nxt else None
            assert pages < 10
        assert pages >= 2, outlet
        assert len(found) >= 8, (outlet, len(found))


def test_listings_show_tag_and_video_pages_that_are_not_articles(sample_web: str) -> None:
    web = load()
    for outlet in FULL:
        listing = web.sites[outlet].listing
        hrefs = set(links(fetch(sample_web, listing)[2], listing))
        videos = [u for u in expected.video_urls() if u in hrefs]
        tags = [u for u in expected.tag_urls() if u in hrefs]
        assert len(videos) == 1 and tags, outlet
        for url in videos + tags:
            status, _, page = fetch(sample_web, url)
            assert status == 200, url
            assert b'"NewsArticle"' not in page
            assert b'property="og:type" content="article"' not in page
    for url in expected.non_article_urls():
        assert fetch(sample_web, url)[0] == 200, url


def listing_links(base: str, outlet: str) -> set[str]:
    """Every link on every listing page of ``outlet``."""
    web = load()
    found: set[str] = set()
    for url in listing_urls(web, web.sites[outlet]):
        found |= set(links(fetch(base, url)[2], url))
    return found


def test_robots_txt_for_every_host_and_disallowed_link(sample_web: str) -> None:
    web = load()
    hosts = {h for s in web.sites.values() for h in s.hosts}
    assert {"feeds.bbci.co.uk", "en.prothomalo.com", "www.songkolon.example"} <= hosts
    for host in hosts:
        status, headers, body = fetch(sample_web, f"https://{host}/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain"), host
        assert body.startswith(b"User-agent: *")
        assert b"Crawl-delay" not in body
    disallowed = expected.robots_disallowed_urls()
    assert disallowed
    for url in disallowed:
        host = urlsplit(url).hostname
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(fetch(sample_web, f"https://{host}/robots.txt")[2].decode().splitlines())
        assert not robots.can_fetch("newsbot", url)
        outlet = next(s.id for s in web.sites.values() if host in s.hosts)
        assert url in listing_links(sample_web, outlet)
    for art in expected.expected_articles():
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(fetch(sample_web, f"https://{urlsplit(art.url).hostname}/robots.txt")[2]
                     .decode().splitlines())
        assert robots.can_fetch("newsbot", art.url), art.url


def test_not_found_and_redirect(sample_web: str) -> None:
    for url in expected.not_found_urls():
        assert fetch(sample_web, url)[0] == 404
        assert url in set().union(*(listing_links(sample_web, o) for o in FULL))
    assert fetch(sample_web, "https://www.prothomalo.com/world/nowhere/zz")[0] == 404
    assert fetch(sample_web, "https://unknown.example/")[0] == 404
    (old, new), = expected.redirects().items()
    status, headers, _ = fetch(sample_web, old)
    assert status == 301 and headers["Location"] == new
    assert old in listing_links(sample_web, "prothomalo")
    assert fetch(sample_web, new)[0] == 200


def test_duplicate_variants_answer_with_the_same_canonical(sample_web: str) -> None:
    (canonical, variants), = expected.duplicate_url_variants().items()
    reference = fetch(sample_web, canonical)[2]
    for variant in variants:
        status, _, body = fetch(sample_web, variant)
        assert status == 200 and body == reference, variant
    feeds = [f.url for s in load().sites.values() for f in s.feeds if "{" not in f.url]
    feed_links = [h for url in feeds
                  for h in re.findall(r"<link>([^<]+)</link>", fetch(sample_web, url)[2].decode())]
    assert canonical + "/" in feed_links


def test_legacy_charset_page(sample_web: str) -> None:
    url = expected.legacy_charset_url()
    (article,) = [a for a in expected.expected_articles() if a.url == url]
    status, headers, body = fetch(sample_web, url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=windows-1252"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert any(b in body for b in (b"\x91", b"\x92", b"\x93", b"\x94", b"\x96"))
    text = html.unescape(body.decode("cp1252"))
    title = re.search(r"<h1>(.*?)</h1>", text, re.S)
    assert title and title.group(1) == article.title
    assert article.body[0] in text


def test_seed_page_shows_the_seed_text_in_order(sample_web: str) -> None:
    seed_lines = [unicodedata.normalize("NFC", line.strip().lstrip("•").strip())
                  for line in SEED.read_text(encoding="utf-8").splitlines()]
    seed_lines = [line for line in seed_lines if line]
    (article,) = [a for a in expected.expected_articles() if a.title == seed_lines[0]]
    assert article.outlet_id == "songkolon"
    status, _, body = fetch(sample_web, article.url)
    assert status == 200
    shown = visible_lines(body.decode("utf-8"))
    start = shown.index(seed_lines[0])
    assert shown[start:start + len(seed_lines)] == seed_lines
    assert [r[2] for r in article.related] == [
        "ittefaq", "bonikbarta", "prothomalo", "manabzamin", "nayadiganta", "bhorerkagoj"]
    assert "পুতিনের সাথে একান্ত বৈঠক করতে পারেন কিম।" in article.body


def test_absolute_form_request_uri(sample_web: str) -> None:
    port = urlsplit(sample_web).port
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET http://www.jugantor.com/robots.txt HTTP/1.1\r\n"
                     b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200")
    assert b"Disallow: /print/" in data


def test_feeds_and_sitemaps_list_the_articles(sample_web: str) -> None:
    web = load()
    wanted = {a.url for a in expected.expected_articles()}
    for site in web.sites.values():
        for feed in site.feeds:
            url = feed.url.replace("{YYYY-MM-DD}", web.site_articles(site.id)[0].published[:10])
            status, _, body = fetch(sample_web, url)
            assert status == 200, url
            root = ElementTree.fromstring(body)
            if feed.kind == "rss":
                found = [el.text or "" for el in root.iter("link")][1:]
            else:
                found = [el.text or "" for el in root.iter(
                    "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
            assert found and all(f.rstrip("/") in wanted for f in found), url
    day = fetch(sample_web, "https://www.kalerkantho.com/daily-sitemap/2019-01-01/sitemap.xml")
    assert day[0] == 200 and b"<loc>" not in day[2]
    assert fetch(sample_web, "https://feeds.bbci.co.uk/bengali/rss.xml")[0] == 200


def test_foreign_pages_are_linked_from_listings(sample_web: str) -> None:
    web = load()
    for url, lang in expected.foreign_urls().items():
        outlet = next(a.outlet for a in web.articles.values() if a.url == url)
        listing = web.sites[outlet].listing
        assert url in links(fetch(sample_web, listing)[2], listing)
        status, _, body = fetch(sample_web, url)
        assert status == 200 and f'lang="{lang}"'.encode() in body


def test_template_line_repeats_in_every_article_of_its_outlet(sample_web: str) -> None:
    phrases = [rule.phrase for rule in load_phrasebook().rules]  # labels.toml lists expanded
    lines = expected.template_lines()
    assert set(FULL) <= set(lines)
    for outlet, line in lines.items():
        for phrase in phrases:
            for part in phrase.split(" / "):
                assert part.strip() not in line, (outlet, part)
        for art in expected.expected_articles():
            if art.outlet_id == outlet and art.lang == "bn":
                assert f">{line}</p>".encode() in fetch(sample_web, art.url)[2], art.url


def test_redesigned_outlet_drops_its_markup_and_json_ld() -> None:
    art = next(a for a in expected.expected_articles() if a.outlet_id == "prothomalo")
    with serve(redesigned={"prothomalo"}) as server:
        body = fetch(server.base_url, art.url)[2]
        other = next(a for a in expected.expected_articles() if a.outlet_id == "ittefaq")
        assert b"jw_article_body" in fetch(server.base_url, other.url)[2]
    assert b"story-element" not in body and b"application/ld+json" not in body
    assert art.title.encode() in body and art.body[0].encode() in body
    with pytest.raises(ValueError):
        serve(redesigned={"nosuchoutlet"})
