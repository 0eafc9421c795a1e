"""Reading WARC files: every record a capture, a counted drop or a non-page record; corrupt gzip
members, truncated records, revisits, encodings and wrong charsets never stop the reader."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsbot.archive.convert import CaptureDrop, article_of
from newsbot.archive.records import iter_entries
from newsbot.sampleweb import SampleWebServer, expected
from tests import warcs

WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def pages(web: SampleWebServer) -> list[tuple[expected.ExpectedArticle, bytes]]:
    wanted = [a for a in expected.expected_articles() if a.lang == "bn"
              and a.outlet_id == "prothomalo"][:4]
    out = []
    for article in wanted:
        status, _, body = warcs.fetch(web.base_url, article.url)
        assert status == 200
        out.append((article, body))
    return out


def entries(data: bytes, start: int = 0) -> list:
    return list(iter_entries(io.BytesIO(data), start))


def test_every_kind_of_bad_record_is_a_counted_drop_and_reading_goes_on(pages) -> None:
    (a1, b1), (a2, b2), (a3, _), (a4, b4) = pages
    members = [
        warcs.request(a1.url, date=WHEN),
        warcs.response(a1.url, b1, date=WHEN),
        warcs.corrupt(warcs.response(a2.url, b2, date=WHEN)),
        warcs.revisit(a1.url, date=WHEN),
        warcs.truncated(warcs.response(a2.url, b2, date=WHEN)),
        warcs.response("https://www.prothomalo.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300),
                       date=WHEN, headers=[("Content-Type", "image/png")]),
        warcs.response(a3.url, b"\x1f\x8b\x08 not really gzip", date=WHEN,
                       headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        warcs.response(a4.url, b4, date=WHEN),
    ]
    got = entries(b"".join(members))
    kinds = [(e.kind, e.reason) for e in got]
    assert kinds == [
        ("other", None),
        ("capture", None),
        ("drop", "warc_corrupt"),
        ("drop", "revisit"),
        ("drop", "warc_truncated"),
        ("capture", None),  # the image: a capture that convert drops as not_text
        ("drop", "bad_encoding"),
        ("capture", None),
    ]
    assert got[-1].capture.url == a4.url and got[-1].capture.body == b4
    with pytest.raises(CaptureDrop) as err:
        article_of(got[5].capture)
    assert err.value.reason == "not_text"
    # offsets chain: each entry starts where the previous member ended
    assert all(got[i].next_offset <= got[i + 1].offset for i in range(len(got) - 1))


def test_a_file_that_ends_inside_a_member_is_a_truncated_drop(pages) -> None:
    (a1, b1), (a2, b2), *_ = pages
    whole = warcs.response(a1.url, b1, date=WHEN)
    half = warcs.response(a2.url, b2, date=WHEN)
    got = entries(whole + half[: len(half) // 2])
    assert [(e.kind, e.reason) for e in got] == [("capture", None), ("drop", "warc_truncated")]


def test_a_payload_that_does_not_decode_is_a_bad_encoding_drop(pages) -> None:
    (a1, b1), *_ = pages
    broken = bytearray(gzip.compress(b1 * 4))
    for i in range(len(broken) // 2, len(broken) // 2 + 32):
        broken[i] ^= 0x5A
    for payload, coding in ((bytes(broken), "gzip"), (b"\x1f\x8b\x08\x00garbage", "x-gzip"),
                            (gzip.compress(b1)[:-40], "gzip"), (b1, "compress")):
        member = warcs.response(a1.url, payload, date=WHEN, headers=[
            ("Content-Type", "text/html"), ("Content-Encoding", coding)])
        (entry,) = entries(member)
        assert (entry.kind, entry.reason) == ("drop", "bad_encoding"), coding


def test_transfer_and_content_encodings_are_removed(pages) -> None:
    (a1, b1), *_ = pages
    member = warcs.response(a1.url, b1, date=WHEN, content_encoding="gzip", chunked=True)
    (entry,) = entries(member)
    assert entry.kind == "capture" and entry.capture.body == b1
    assert entry.capture.date == WHEN
    assert article_of(entry.capture).title == a1.title


def test_a_wrong_charset_does_not_garble_the_article(pages) -> None:
    (a1, b1), *_ = pages
    member = warcs.response(a1.url, b1, date=WHEN,
                            headers=[("Content-Type", "text/html; charset=iso-8859-1")])
    (entry,) = entries(member)
    article = article_of(entry.capture)
    assert article.title == a1.title
    unknown = warcs.response(a1.url, b1, date=WHEN,
                             headers=[("Content-Type", "text/html; charset=x-no-such")])
    assert article_of(entries(unknown)[0].capture).title == a1.title


def test_reading_resumes_at_an_entry_offset(pages, tmp_path: Path) -> None:
    members = [warcs.response(a.url, b, date=WHEN) for a, b in pages]
    path = warcs.write(tmp_path / "x.warc.gz", members)
    first = entries(path.read_bytes())
    resume_at = first[1].next_offset
    with open(path, "rb") as fh:
        fh.seek(resume_at)
        rest = list(iter_entries(fh, resume_at))
    assert [e.capture.url for e in rest] == [e.capture.url for e in first[2:]]
    assert [e.offset for e in rest] == [e.offset for e in first[2:]]


def test_foreign_hosts_and_archived_listings_are_not_articles(pages) -> None:
    (a1, b1), *_ = pages
    foreign = entries(warcs.response("https://news.example.org/a/1", b1, date=WHEN))[0]
    with pytest.raises(CaptureDrop) as err:
        article_of(foreign.capture)
    assert err.value.reason == "foreign_host"
    # --all-bengali keeps a Bengali page of any host, with no outlet
    article = article_of(foreign.capture, all_bengali=True)
    assert article.outlet_id is None and article.title == a1.title
    listing = entries(warcs.response(a1.url, b1, date=WHEN,
                                     warc_headers={"Newsbot-Kind": "listing"}))[0]
    with pytest.raises(CaptureDrop) as err:
        article_of(listing.capture)
    assert err.value.reason == "not_article"


def test_refused_hosts_are_dropped_without_reading_their_payload(pages) -> None:
    (_, b1), (a2, b2), *_ = pages
    members = [warcs.response("https://news.example.org/a/1", b1, date=WHEN),
               warcs.request("https://news.example.org/a/1", date=WHEN),
               warcs.response(a2.url, b2, date=WHEN),
               # a broken payload of a refused host costs nothing and is a foreign_host drop
               warcs.response("https://news.example.org/a/2", b"\x1f\x8b\x08\x00bad", date=WHEN,
                              headers=[("Content-Type", "text/html"),
                                       ("Content-Encoding", "gzip")])]
    got = entries_kept(b"".join(members), lambda url: "example.org" not in url)
    assert [(e.kind, e.reason, e.url) for e in got] == [
        ("drop", "foreign_host", "https://news.example.org/a/1"),
        ("other", None, "https://news.example.org/a/1"),
        ("capture", None, a2.url),
        ("drop", "foreign_host", "https://news.example.org/a/2"),
    ]


def entries_kept(data: bytes, keep) -> list:
    return list(iter_entries(io.BytesIO(data), 0, keep))
