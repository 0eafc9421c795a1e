"""Published and updated dates of a page: the page's own date, never its furniture; a value with
a time of day beats a date-only one for the same day, from any source; updated never precedes
published; Bengali time-of-day words and label spellings read right."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsbot import clock
from newsbot.dates import find_dates, parse_date, parse_stamp
from newsbot.extract.page import extract_page
from newsbot.extract.profiles import parse_profile

URL = "https://www.example-khobor.com/world/2025/01/12/12345"
PARAS = "".join(
    f"<p>{p}</p>" for p in (
        "জাতিসংঘের মহাসচিব বলেছেন, গাজায় মানবিক সহায়তা পৌঁছাতে আরও বেশি পথ খুলে দিতে হবে।",
        "তিনি বলেন, শীতের মধ্যে লাখো মানুষ খোলা আকাশের নিচে দিন কাটাচ্ছে এবং খাদ্যসংকট বাড়ছে।",
        "নিরাপত্তা পরিষদের বৈঠকে কয়েকটি দেশ দ্রুত যুদ্ধবিরতির আহ্বান জানিয়েছে বলে কূটনীতিকেরা জানান।",
    )
)


def page(head: str = "", before: str = "", dateline: str = "", after: str = "") -> str:
    return (f"<html><head><title>গাজায় সহায়তার আহ্বান</title>{head}</head><body>{before}"
            f"<article><h1>গাজায় সহায়তার আহ্বান</h1>{dateline}<div class='body'>{PARAS}</div>"
            f"</article>{after}</body></html>")


def jsonld(**fields: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "গাজায় সহায়তার আহ্বান", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def dates_of(html: str, **kwargs: object) -> tuple[str | None, str | None]:
    article = extract_page(html, URL, **kwargs)  # type: ignore[arg-type]
    return article.published, article.updated


# -- a time of day beats a date-only value for the same day ---------------------------------------

def test_timed_jsonld_beats_date_only_time_element() -> None:
    html = page(head=jsonld(datePublished="2025-01-12T04:30:00Z"),
                dateline='<time datetime="2025-01-12">১২ জানুয়ারি ২০২৫</time>')
    assert dates_of(html)[0] == "2025-01-12T04:30:00+00:00"


def test_timed_visible_line_beats_date_only_metadata() -> None:
    head = '<meta property="article:published_time" content="2025-01-12">'
    dateline = '<p class="date">প্রকাশঃ ১২ জানুয়ারি ২০২৫, অপরাহ্ণ ০৩:১৫</p>'
    assert dates_of(page(head=head, dateline=dateline))[0] == "2025-01-12T15:15:00+06:00"


def test_timed_value_beats_date_only_profile_value() -> None:
    profile = parse_profile({
        "outlet_id": "kalerkantho", "versions": [{
            "version": "1", "detect": "article h1", "body": ["div.body"],
            "published": ["article time::attr(datetime)"]}]})
    html = page(head=jsonld(datePublished="2025-01-12T10:05:00+06:00"),
                dateline='<time datetime="2025-01-12">১২ জানুয়ারি</time>')
    url = "https://www.kalerkantho.com/online/world/2025/01/12/1234567"
    article = extract_page(html, url, profiles={"kalerkantho": profile})
    assert article.published == "2025-01-12T10:05:00+06:00"


def test_a_timed_value_of_another_day_does_not_replace_the_date() -> None:
    html = page(head=jsonld(datePublished="2025-01-12"),
                dateline='<p class="date">আপডেট: ১৪ জানুয়ারি ২০২৫, ১০:১৫</p>')
    assert dates_of(html) == ("2025-01-12T00:00:00+06:00", "2025-01-14T10:15:00+06:00")


# -- page furniture is never the date -----------------------------------------------------------

MASTHEAD = ('<div class="top-header"><div class="container"><span class="today-date">'
            "ঢাকা, রবিবার, ১২ জানুয়ারি ২০২৫, ২৮ পৌষ ১৪৩১</span></div></div>")


def test_masthead_today_is_not_the_published_date() -> None:
    with clock.use(datetime(2025, 1, 12, 9, 0, tzinfo=UTC)):
        assert dates_of(page(before=MASTHEAD)) == (None, None)
        # also when the masthead carries no telling class, and the page has no <article>
        bare = ('<div class="current-date">ঢাকা, রবিবার, ১২ জানুয়ারি ২০২৫</div><div><h1>গাজায় সহায়তার '
                f'আহ্বান</h1><div class="body">{PARAS}</div></div>')
        assert dates_of(f"<html><body>{bare}</body></html>") == (None, None)


def test_masthead_outside_the_article_is_not_the_date_on_another_day() -> None:
    masthead = '<div class="current-date">ঢাকা, রবিবার, ১২ জানুয়ারি ২০২৫</div>'
    with clock.use(datetime(2026, 3, 1, tzinfo=UTC)):
        assert dates_of(page(before=masthead)) == (None, None)
        dateline = '<div class="publish-time">প্রকাশ: ১১ জানুয়ারি ২০২৫, রাত ১১:০৫</div>'
        assert dates_of(page(before=masthead, dateline=dateline))[0] == "2025-01-11T23:05:00+06:00"


def test_footer_copyright_and_sidebar_teasers_are_not_dates() -> None:
    footer = ('<div class="footer-area"><p class="copyright">© ২০২৫ খবর। সর্বস্বত্ব সংরক্ষিত</p>'
              '<span class="date">১২ জানুয়ারি ২০২৫</span></div>')
    teasers = "".join(
        f'<div class="media"><a href="/world/2025/01/1{n}/9{n}">{title}</a>'
        f'<span class="time">{n} জানুয়ারি ২০২৫, ১০:০০</span></div>'
        for n, title in ((1, "ইউক্রেনে ড্রোন হামলায় সাতজন নিহত, আহত বহু"),
                         (2, "জাপানে ভূমিকম্পের পর সুনামি সতর্কতা জারি"))
    )
    listing = f'<div class="col-md-4">{teasers}</div>'
    assert dates_of(page(after=footer + listing)) == (None, None)
    dateline = '<span class="date">প্রকাশ: ১২ জানুয়ারি ২০২৫, ০৯:৪০</span>'
    assert dates_of(page(dateline=dateline, after=footer + listing)) == (
        "2025-01-12T09:40:00+06:00", None)


def test_no_date_of_its_own_gives_null() -> None:
    assert dates_of(page()) == (None, None)


def test_updated_never_precedes_published() -> None:
    html = page(head=jsonld(datePublished="2025-01-12T10:00:00+06:00",
                            dateModified="2025-01-11T08:00:00+06:00"))
    assert dates_of(html) == ("2025-01-12T10:00:00+06:00", None)
    later = page(head=jsonld(datePublished="2025-01-12T10:00:00+06:00",
                             dateModified="2025-01-12T12:30:00+06:00"))
    assert dates_of(later) == ("2025-01-12T10:00:00+06:00", "2025-01-12T12:30:00+06:00")


# -- Bengali times and labels -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "hour", "minute"), [
    ("১২ জানুয়ারি ২০২৫, ০৩:১৫ অপরাহ্ণ", 15, 15),
    ("১২ জানুয়ারি ২০২৫, অপরাহ্ণ ০৩:১৫", 15, 15),
    ("১২ জানুয়ারি ২০২৫, অপরাহ্ন ১২:৩০", 12, 30),
    ("পূর্বাহ্ণ ১১:২০, ১২ জানুয়ারি ২০২৫", 11, 20),
    ("পূর্বাহ্ণ ১২:০৫, ১২ জানুয়ারি ২০২৫", 0, 5),
    ("১২ জানুয়ারি ২০২৫, বিকেল ৪টা", 16, 0),
    ("১২ জানুয়ারি ২০২৫ বিকাল ০৫:০৫", 17, 5),
    ("১২ জানুয়ারি ২০২৫, রাত ১১:০৫", 23, 5),
    ("১২ জানুয়ারি ২০২৫, রাত ১০টা ৩০ মিনিটে", 22, 30),
    ("১২ জানুয়ারি ২০২৫, রাত ২:১০", 2, 10),
])
def test_bengali_times_of_day(text: str, hour: int, minute: int) -> None:
    dt = parse_date(text, default_tz="Asia/Dhaka")
    assert dt is not None and (dt.day, dt.hour, dt.minute) == (12, hour, minute)


def test_date_only_and_timed_values_are_told_apart() -> None:
    assert parse_stamp("2025-01-12", default_tz="Asia/Dhaka").timed is False  # type: ignore[union-attr]
    assert parse_stamp("১২ জানুয়ারি ২০২৫", default_tz="Asia/Dhaka").timed is False  # type: ignore[union-attr]
    assert parse_stamp("2025-01-12T00:00:00+06:00").timed is True  # type: ignore[union-attr]
    now = datetime(2025, 1, 12, 12, 0, tzinfo=UTC)
    stamp = parse_stamp("৩ ঘণ্টা আগে", now=now)
    assert stamp is not None and stamp.timed and now - stamp.moment == timedelta(hours=3)


@pytest.mark.parametrize("colon", [":", "ঃ", " :", " ঃ", "："])
def test_visarga_and_colon_labels_are_equal(colon: str) -> None:
    text = f"প্রকাশ{colon} ১২ জানুয়ারি ২০২৫, ০৯:০০ আপডেট{colon} ১২ জানুয়ারি ২০২৫, ১১:৩০"
    found = find_dates(text, default_tz="Asia/Dhaka")
    assert found["published"] == datetime(2025, 1, 12, 9, 0, tzinfo=found["published"].tzinfo)
    assert found["updated"] is not None and (found["updated"].hour, found["updated"].minute) == (
        11, 30)


def test_date_in_the_articles_own_header_is_read() -> None:
    header = ('<header class="entry-header"><h1 class="entry-title">গাজায় সহায়তার আহ্বান</h1>'
              '<time class="entry-date published" datetime="2025-01-12T09:15:00+06:00">'
              "১২ জানুয়ারি ২০২৫</time></header>")
    site_header = ('<header class="site-header"><span class="date">রবিবার, ১১ জানুয়ারি ২০২৫'
                   "</span></header>")
    html = (f"<html><body>{site_header}<article>{header}<div class='body'>{PARAS}</div>"
            "</article></body></html>")
    assert dates_of(html) == ("2025-01-12T09:15:00+06:00", None)


def test_timed_meta_tag_beats_date_only_jsonld_of_the_same_page() -> None:
    head = (jsonld(datePublished="2025-01-12")
            + '<meta property="article:published_time" content="2025-01-12T08:20:00+06:00">')
    assert dates_of(page(head=head))[0] == "2025-01-12T08:20:00+06:00"
