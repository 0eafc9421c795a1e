"""Tests for newsbot.dates: Bengali/English date parsing."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsbot.dates import (
    BN_DIGITS,
    MONTHS,
    find_dates,
    parse_date,
    to_iso,
)

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # 12:00 in Dhaka
MASTHEAD = "ঢাকা, শনিবার, ২৮ নভেম্বর ২০২৬, ১৩ অগ্রহায়ণ ১৪৩৩, ২৬ জমাদিউল আউয়াল ১৪৪৮"


def iso(text: str, **kwargs) -> str | None:
    dt = parse_date(text, **kwargs)
    return None if dt is None else to_iso(dt)


def iso_pair(text: str, **kwargs) -> tuple[str | None, str | None]:
    found = find_dates(text, **kwargs)
    assert set(found) == {"published", "updated"}
    return tuple(None if found[k] is None else to_iso(found[k]) for k in ("published", "updated"))


# --- machine formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T10:30:00+06:00", "2026-11-28T10:30:00+06:00"),
        ("2026-11-28T04:30:00Z", "2026-11-28T04:30:00+00:00"),
        ("2026-11-28T04:30:00z", "2026-11-28T04:30:00+00:00"),
        ("2026-11-28T10:30:00", "2026-11-28T10:30:00+06:00"),
        ("2026-11-28T10:30:00.123456+05:30", "2026-11-28T10:30:00+05:30"),
        ("2026-11-28T10:30+0600", "2026-11-28T10:30:00+06:00"),
        ("2026-11-28T10:30:00-05:00", "2026-11-28T10:30:00-05:00"),
        ("2026-11-28", "2026-11-28T00:00:00+06:00"),
        ("Sat, 28 Nov 2026 10:30:00 +0600", "2026-11-28T10:30:00+06:00"),
        ("Sat, 28 Nov 2026 04:30:00 GMT", "2026-11-28T04:30:00+00:00"),
        ("Fri, 27 Nov 2026 23:45:00 -0500", "2026-11-27T23:45:00-05:00"),
        ("Sat, 28 Nov 2026 10:30:00 +0530", "2026-11-28T10:30:00+05:30"),
        ("Sat, 28 Nov 2026 10:30:00 EST", "2026-11-28T10:30:00-05:00"),
        ("2026-11-28 10:30", "2026-11-28T10:30:00+06:00"),
        ("2026-11-28 10:30:45", "2026-11-28T10:30:45+06:00"),
        ("2026/11/28 10:30", "2026-11-28T10:30:00+06:00"),
        ("28 Nov 2026 10:30 IST", "2026-11-28T10:30:00+05:30"),
        ("২৮ নভেম্বর ২০২৬ ১০:৩০ (GMT+6)", "2026-11-28T10:30:00+06:00"),
        ("28 Nov 2026 10:30 UTC+05:30", "2026-11-28T10:30:00+05:30"),
    ],
)
def test_machine_formats(text, expected):
    assert iso(text) == expected


def test_explicit_offset_is_kept_whatever_the_default():
    assert iso("2026-11-28T04:30:00Z", default_tz="Asia/Kolkata") == "2026-11-28T04:30:00+00:00"


# --- visible forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("২৮ নভেম্বর ২০২৬", "2026-11-28T00:00:00+06:00"),
        ("২৮ নভেম্বর ২০২৬, ১০:৩০", "2026-11-28T10:30:00+06:00"),
        ("২৮ নভেম্বর, ২০২৬ ১০:৩০:১৫", "2026-11-28T10:30:15+06:00"),
        ("নভেম্বর ২৮, ২০২৬", "2026-11-28T00:00:00+06:00"),
        ("নভেম্বর ২৮, ২০২৬ ১০:৩০", "2026-11-28T10:30:00+06:00"),
        ("২৮শে নভেম্বর ২০২৬", "2026-11-28T00:00:00+06:00"),
        ("১লা ডিসেম্বর ২০২৬", "2026-12-01T00:00:00+06:00"),
        ("28 Nov 2026, 10:30", "2026-11-28T10:30:00+06:00"),
        ("28 November 2026", "2026-11-28T00:00:00+06:00"),
        ("28-Nov-2026", "2026-11-28T00:00:00+06:00"),
        ("November 28, 2026", "2026-11-28T00:00:00+06:00"),
        ("Nov. 28, 2026 10:30", "2026-11-28T10:30:00+06:00"),
        ("November 28th, 2026", "2026-11-28T00:00:00+06:00"),
        ("২৮.১১.২০২৬", "2026-11-28T00:00:00+06:00"),
        ("২৮/১১/২০২৬", "2026-11-28T00:00:00+06:00"),
        ("২৮-১১-২০২৬ ১০:৩০", "2026-11-28T10:30:00+06:00"),
        ("০৫/০৩/২০২৬", "2026-03-05T00:00:00+06:00"),  # day first
        ("05.03.2026", "2026-03-05T00:00:00+06:00"),
        ("28/11/26", "2026-11-28T00:00:00+06:00"),
        ("11/28/2026", "2026-11-28T00:00:00+06:00"),  # only month-first reading is possible
        ("২৮ নভেম্বর 2026, 10:৩০", "2026-11-28T10:30:00+06:00"),  # mixed digits
        ("২৮ নভেম্বর ২০২৬ ১০ঃ৩০", "2026-11-28T10:30:00+06:00"),  # visarga as colon
        ("প্রকাশ: ২৭ নভেম্বর ২০২৬, ০৯: ১৫", "2026-11-27T09:15:00+06:00"),  # spaced colon
        ("২৭ নভেম্বর ২০২৬, ০৯ : ১৫", "2026-11-27T09:15:00+06:00"),
        ("২৮ নভেম্বর ২০২৬ বাংলাদেশ সময় সকাল ১০:৩০", "2026-11-28T10:30:00+06:00"),
        ("ঢাকা, ২৮ মে ২০২৬", "2026-05-28T00:00:00+06:00"),
    ],
)
def test_visible_forms(text, expected):
    assert iso(text) == expected


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("জানুয়ারি", 1), ("জানুয়ারী", 1), ("ফেব্রুয়ারি", 2), ("ফেব্রুয়ারী", 2), ("মার্চ", 3),
        ("এপ্রিল", 4), ("মে", 5), ("জুন", 6), ("জুলাই", 7), ("আগস্ট", 8), ("আগষ্ট", 8),
        ("অগাস্ট", 8), ("সেপ্টেম্বর", 9), ("সেপ্টে\u200cম্বর", 9), ("সেপটেম্বর", 9),
        ("অক্টোবর", 10), ("অক্\u200dটোবর", 10), ("নভেম্বর", 11), ("ডিসেম্বর", 12),
        ("ডিসেম্বার", 12),
        # য় precomposed (U+09DF) and as য + nukta
        ("জানু\u09dfারি", 1), ("জানু\u09af\u09bcারি", 1), ("ফেব্রু\u09dfারী", 2),
        ("ফেব্রু\u09af\u09bcারী", 2),
    ],
)
def test_bengali_month_names(name, month):
    expected = f"2026-{month:02d}-05T00:00:00+06:00"
    assert iso(f"৫ {name} ২০২৬") == expected
    assert iso(f"{name} ৫, ২০২৬") == expected


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("January", 1), ("Jan", 1), ("February", 2), ("Feb", 2), ("March", 3), ("Mar", 3),
        ("April", 4), ("Apr", 4), ("May", 5), ("June", 6), ("Jun", 6), ("July", 7), ("Jul", 7),
        ("August", 8), ("Aug", 8), ("September", 9), ("Sept", 9), ("Sep", 9), ("October", 10),
        ("Oct", 10), ("November", 11), ("Nov", 11), ("DECEMBER", 12), ("dec", 12),
    ],
)
def test_english_month_names(name, month):
    expected = f"2026-{month:02d}-05T00:00:00+06:00"
    assert iso(f"5 {name} 2026") == expected
    assert iso(f"{name} 5, 2026") == expected


@pytest.mark.parametrize(("name", "month"), sorted(MONTHS.items()))
def test_every_month_table_entry_parses(name, month):
    assert parse_date(f"7 {name} 2026").month == month


def test_every_data_file_word_is_recognised():
    """Each month, weekday and time-of-day entry of dates_bn.toml works in a simple sentence."""
    from newsbot.data import load_toml

    data = load_toml("dates_bn.toml")
    months = [
        (name, int(number))
        for script in data["months"].values()
        for number, names in script.items()
        for name in names
    ]
    assert len(months) == len(MONTHS)
    for name, month in months:
        assert iso(f"২৮ {name} ২০২৬") == f"2026-{month:02d}-28T00:00:00+06:00", name
        assert iso(f"{name} ২৮, ২০২৬") == f"2026-{month:02d}-28T00:00:00+06:00", name
    for script in data["weekdays"].values():
        for weekday in script:
            assert iso(f"{weekday}, ২৮ নভেম্বর ২০২৬ ১০:৩০") == "2026-11-28T10:30:00+06:00", weekday
            assert iso(f"{weekday.title()} 28 Nov 2026") == "2026-11-28T00:00:00+06:00", weekday
    for period, (first_pm, last_pm, twelve) in data["periods"].items():
        for hour in range(1, 13):
            expected = twelve if hour == 12 else hour + 12 if first_pm <= hour <= last_pm else hour
            got = parse_date(f"২৮ নভেম্বর ২০২৬, {period} {hour}:১৫")
            assert (got.hour, got.minute) == (expected, 15), (period, hour)


def test_precomposed_and_decomposed_input_agree():
    decomposed = "৫ জানু\u09af\u09bcারি ২০২৬"
    precomposed = "৫ জানু\u09dfারি ২০২৬"
    assert parse_date(decomposed) == parse_date(precomposed) is not None


@pytest.mark.parametrize(
    "text",
    [
        "শনিবার, ২৮ নভেম্বর ২০২৬, ১০:৩০",
        "রোববার ২৮ নভেম্বর ২০২৬ ১০:৩০",
        "বৃহস্পতিবার, নভেম্বর ২৮, ২০২৬ ১০:৩০",
        "Saturday, November 28, 2026 10:30",
        "Sat, 28 Nov 2026 10:30",
        "Thu 28 Nov 2026 10:30",  # a wrong weekday does not matter either
    ],
)
def test_weekdays_are_ignored(text):
    assert iso(text) == "2026-11-28T10:30:00+06:00"


@pytest.mark.parametrize(
    "prefix",
    [
        "প্রকাশ:", "প্রকাশ :", "প্রকাশঃ", "প্রকাশিত:", "প্রকাশের সময়:", "আপডেট:", "আপডেট :",
        "সর্বশেষ আপডেট:", "Published:", "Updated:", "Last updated:", "published on",
    ],
)
def test_prefixes(prefix):
    assert iso(f"{prefix} ২৮ নভেম্বর ২০২৬, ১০:৩০") == "2026-11-28T10:30:00+06:00"


# --- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("time_text", "expected_time"),
    [
        ("১০:৩০", "10:30:00"),
        ("১০টা ৩০ মিনিট", "10:30:00"),
        ("১০টা", "10:00:00"),
        ("সকাল ১০:৩০", "10:30:00"),
        ("সকাল ১০টায়", "10:00:00"),
        ("সকাল ১০.৩০", "10:30:00"),
        ("দুপুর ১:১৫", "13:15:00"),
        ("দুপুর ১২:১০", "12:10:00"),
        ("বিকেল ৪:০০", "16:00:00"),
        ("বিকাল ৪:০০", "16:00:00"),
        ("সন্ধ্যা ৭:২০", "19:20:00"),
        ("সন্ধ্যায় ৭টা", "19:00:00"),
        ("রাত ১১:০৫", "23:05:00"),
        ("রাত ৯টা", "21:00:00"),
        ("রাত ১২:৩০", "00:30:00"),  # same calendar date
        ("রাত ২:০০", "02:00:00"),  # same calendar date
        ("ভোর ৫:০০", "05:00:00"),
        ("১৮:৪৫", "18:45:00"),
    ],
)
def test_time_of_day(time_text, expected_time):
    assert iso(f"২৮ নভেম্বর ২০২৬, {time_text}") == f"2026-11-28T{expected_time}+06:00"


@pytest.mark.parametrize(
    ("time_text", "expected_time"),
    [
        ("10:30 PM", "22:30:00"),
        ("10:30 AM", "10:30:00"),
        ("10:30 pm", "22:30:00"),
        ("10:30 p.m.", "22:30:00"),
        ("12:15 AM", "00:15:00"),
        ("12:15 PM", "12:15:00"),
        ("১০:৩০ পিএম", "22:30:00"),
        ("১০:৩০ এএম", "10:30:00"),
        ("১২:০৫ এএম", "00:05:00"),
        ("১০:৩০ অপরাহ্ণ", "22:30:00"),
        ("রাত ১০:৩০ এএম", "10:30:00"),  # explicit AM/PM beats the time-of-day word
    ],
)
def test_am_pm_both_scripts(time_text, expected_time):
    assert iso(f"২৮ নভেম্বর ২০২৬ {time_text}") == f"2026-11-28T{expected_time}+06:00"
    assert iso(f"28 Nov 2026, {time_text}") == f"2026-11-28T{expected_time}+06:00"


def test_time_before_date():
    assert iso("রাত ১১:০৫, ২৮ নভেম্বর ২০২৬") == "2026-11-28T23:05:00+06:00"
    assert iso("10:30 PM, 28 Nov 2026") == "2026-11-28T22:30:00+06:00"


# --- time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default_tz", "offset"),
    [
        ("+06:00", "+06:00"),
        ("Asia/Dhaka", "+06:00"),
        ("+05:30", "+05:30"),
        ("Asia/Kolkata", "+05:30"),
        ("+0530", "+05:30"),
        ("UTC", "+00:00"),
    ],
)
def test_default_timezone(default_tz, offset):
    text = "২৮ নভেম্বর ২০২৬, রাত ১১:০৫"
    assert iso(text, default_tz=default_tz) == f"2026-11-28T23:05:00{offset}"
    assert iso("২৮/১১/২০২৬", default_tz=default_tz) == f"2026-11-28T00:00:00{offset}"


def test_result_is_timezone_aware():
    dt = parse_date("২৮ নভেম্বর ২০২৬", default_tz="Asia/Kolkata")
    assert dt.tzinfo is not None
    assert dt.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("bad", ["Mars/Olympus", "+25:00", "", "not a zone"])
def test_invalid_default_tz_raises(bad):
    with pytest.raises(ValueError):
        parse_date("২৮ নভেম্বর ২০২৬", default_tz=bad)


# --- published vs updated ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "updated"),
    [
        (
            "প্রকাশ: ২৮ নভেম্বর ২০২৬, ১০:৩০ | আপডেট: ২৮ নভেম্বর ২০২৬, ১২:১৫",
            "2026-11-28T10:30:00+06:00",
            "2026-11-28T12:15:00+06:00",
        ),
        (
            "আপডেট: ২৯ নভেম্বর ২০২৬, সকাল ৮:০০ প্রকাশ: ২৮ নভেম্বর ২০২৬, রাত ১১:০৫",
            "2026-11-28T23:05:00+06:00",
            "2026-11-29T08:00:00+06:00",
        ),
        (
            "প্রকাশিত: ২৭ নভেম্বর ২০২৬ সর্বশেষ আপডেট: ২৮ নভেম্বর ২০২৬ দুপুর ১:১৫",
            "2026-11-27T00:00:00+06:00",
            "2026-11-28T13:15:00+06:00",
        ),
        (
            "Published: 28 Nov 2026 10:30 AM Updated: 28 Nov 2026 1:00 PM",
            "2026-11-28T10:30:00+06:00",
            "2026-11-28T13:00:00+06:00",
        ),
        (
            "২৮ নভেম্বর ২০২৬, ১০:৩০ | আপডেট : ২৮ নভেম্বর ২০২৬, ১২:১৫",
            "2026-11-28T10:30:00+06:00",
            "2026-11-28T12:15:00+06:00",
        ),
        # an updated time without a date takes the date before it
        (
            "প্রকাশ: ২৮ নভেম্বর ২০২৬, ১০:৩০ | আপডেট: ১২:১৫",
            "2026-11-28T10:30:00+06:00",
            "2026-11-28T12:15:00+06:00",
        ),
        # ... and never goes back in time
        (
            "প্রকাশ: ২৮ নভেম্বর ২০২৬, রাত ১১:০৫ | আপডেট: রাত ১২:৩০",
            "2026-11-28T23:05:00+06:00",
            "2026-11-29T00:30:00+06:00",
        ),
        ("আপডেট: ২৮ নভেম্বর ২০২৬, ১২:১৫", None, "2026-11-28T12:15:00+06:00"),
        ("প্রকাশ: ২৮ নভেম্বর ২০২৬, ১০:৩০", "2026-11-28T10:30:00+06:00", None),
        ("২৮ নভেম্বর ২০২৬", "2026-11-28T00:00:00+06:00", None),
        ("প্রকাশ: কিছু নেই | আপডেট: ২৮ নভেম্বর ২০২৬", None, "2026-11-28T00:00:00+06:00"),
        ("", None, None),
        ("garbage", None, None),
    ],
)
def test_find_dates(text, published, updated):
    assert iso_pair(text) == (published, updated)


def test_find_dates_labelled_published_beats_unlabelled_date():
    text = f"{MASTHEAD} প্রকাশ: ২৭ নভেম্বর ২০২৬, ১০:৩০"
    assert iso_pair(text) == ("2026-11-27T10:30:00+06:00", None)


def test_find_dates_in_indian_time():
    text = "প্রকাশ: ২৮ নভেম্বর ২০২৬ ১০:৩০ | আপডেট: ২৮ নভেম্বর ২০২৬ ১১:০০"
    assert iso_pair(text, default_tz="Asia/Kolkata") == (
        "2026-11-28T10:30:00+05:30",
        "2026-11-28T11:00:00+05:30",
    )


def test_parse_date_prefers_published_over_updated():
    text = "আপডেট: ২৯ নভেম্বর ২০২৬ | প্রকাশ: ২৮ নভেম্বর ২০২৬"
    assert iso(text) == "2026-11-28T00:00:00+06:00"


# --- masthead, Bangla and Hijri calendars -----------------------------------------------------


def test_masthead_line():
    assert iso(MASTHEAD) == "2026-11-28T00:00:00+06:00"
    assert iso_pair(MASTHEAD) == ("2026-11-28T00:00:00+06:00", None)


@pytest.mark.parametrize(
    "text",
    [
        "ঢাকা, শনিবার, ১৩ অগ্রহায়ণ ১৪৩৩, ২৮ নভেম্বর ২০২৬, ২৬ জমাদিউল আউয়াল ১৪৪৮",
        "২৬ জমাদিউল আউয়াল ১৪৪৮ হিজরি, ১৩ অগ্রহায়ণ ১৪৩৩ বঙ্গাব্দ, ২৮ নভেম্বর ২০২৬",
        "শনিবার ২৮ নভেম্বর ২০২৬ ১৩ অগ্রহায়ণ ১৪৩৩",
    ],
)
def test_masthead_orders(text):
    assert iso(text) == "2026-11-28T00:00:00+06:00"


def test_masthead_with_time():
    assert iso(f"{MASTHEAD}, রাত ৯:১০") == "2026-11-28T21:10:00+06:00"


@pytest.mark.parametrize(
    "text",
    [
        "১৩ অগ্রহায়ণ ১৪৩৩",
        "১৩ অগ্রহায়ণ ১৪৩৩ বঙ্গাব্দ",
        "২৬ জমাদিউল আউয়াল ১৪৪৮",
        "২৬ জমাদিউল আউয়াল ১৪৪৮ হিজরি",
        "ঢাকা, শনিবার, ১৩ অগ্রহায়ণ ১৪৩৩, ২৬ জমাদিউল আউয়াল ১৪৪৮",
        "১৩/০৮/১৪৩৩",
        "৫ সফর ১৪৪৮, ১০:৩০",
    ],
)
def test_bangla_and_hijri_dates_alone_are_not_parsed(text):
    assert parse_date(text) is None


# --- relative dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("৩ ঘণ্টা আগে", "2026-11-28T09:00:00+06:00"),
        ("৩ ঘন্টা আগে", "2026-11-28T09:00:00+06:00"),
        ("২ দিন আগে", "2026-11-26T12:00:00+06:00"),
        ("৩০ মিনিট আগে", "2026-11-28T11:30:00+06:00"),
        ("এক ঘণ্টা আগে", "2026-11-28T11:00:00+06:00"),
        ("১ সপ্তাহ আগে", "2026-11-21T12:00:00+06:00"),
        ("২ মাস আগে", "2026-09-28T12:00:00+06:00"),
        ("5 hours ago", "2026-11-28T07:00:00+06:00"),
        ("an hour ago", "2026-11-28T11:00:00+06:00"),
        ("3 days ago", "2026-11-25T12:00:00+06:00"),
        ("আপডেট: ১৫ মিনিট আগে", "2026-11-28T11:45:00+06:00"),
        ("গতকাল রাত ১১:০৫", "2026-11-27T23:05:00+06:00"),
        ("আজ সকাল ১০:৩০", "2026-11-28T10:30:00+06:00"),
        ("yesterday 10:30 PM", "2026-11-27T22:30:00+06:00"),
        ("এইমাত্র", "2026-11-28T12:00:00+06:00"),
    ],
)
def test_relative_dates(text, expected):
    assert iso(text, now=NOW) == expected


def test_relative_in_indian_time_and_naive_now():
    assert iso("৩ ঘণ্টা আগে", now=NOW, default_tz="Asia/Kolkata") == "2026-11-28T08:30:00+05:30"
    naive = datetime(2026, 11, 28, 12, 0)  # taken as default_tz wall time
    assert iso("২ দিন আগে", now=naive) == "2026-11-26T12:00:00+06:00"


def test_relative_month_clamps_to_month_end():
    now = datetime(2026, 3, 31, 12, 0, tzinfo=timezone(timedelta(hours=6)))
    assert iso("১ মাস আগে", now=now) == "2026-02-28T12:00:00+06:00"


def test_absolute_date_beats_relative_words():
    assert iso("২৮ নভেম্বর ২০২৬ ১০:৩০ (৩ ঘণ্টা আগে)", now=NOW) == "2026-11-28T10:30:00+06:00"


@pytest.mark.parametrize("text", ["৩ ঘণ্টা আগে", "২ দিন আগে", "5 hours ago", "গতকাল রাত ১১:০৫"])
def test_relative_without_now_is_none(text):
    assert parse_date(text) is None


def test_find_dates_relative():
    text = "প্রকাশ: ২ দিন আগে | আপডেট: ৩ ঘণ্টা আগে"
    assert iso_pair(text, now=NOW) == ("2026-11-26T12:00:00+06:00", "2026-11-28T09:00:00+06:00")


def test_now_must_be_a_datetime():
    with pytest.raises(TypeError):
        parse_date("৩ ঘণ্টা আগে", now="2026-11-28")


# --- garbage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello world",
        "কোনো তারিখ নেই",
        "১২৩৪৫",
        "১০:৩০",  # a time without a date
        "৩১ ফেব্রুয়ারি ২০২৬",
        "২০২৬-১৩-৪৫",
        "2026-02-30T10:00:00Z",
        "২৮ নভেম্বর ২০২৬ ২৫:৯৯",
        "2026-11-28T10:30:00+25:00",
        "28 Nov 2026 13:00 PM",
        "১০.৩০.৪৫",
        "৯৯/৯৯/৯৯৯৯",
        "28 Nov 1066",
        "99999999999 days ago",
        "\x00\ufffd\ud800",
        "প্রকাশ: | আপডেট:",
        None,
        42,
        b"2026-11-28",
        ["2026-11-28"],
    ],
)
def test_garbage_returns_none(text):
    assert parse_date(text, now=NOW) is None
    assert find_dates(text, now=NOW) == {"published": None, "updated": None}


def test_decimal_numbers_are_not_times():
    assert iso("৩.৪৫ শতাংশ, ২৮ নভেম্বর ২০২৬") == "2026-11-28T00:00:00+06:00"


@pytest.mark.parametrize(
    "text",
    [
        "১" * 5000,
        "1 " * 3000,
        "12:" * 3000,
        "নভেম্বর " * 1000,
        "প্রকাশ: " * 1000,
        "28 Nov " * 1000,
        "a " * 3000 + "ago",
    ],
)
def test_pathological_input_is_fast(text):
    start = clock.perf_counter()
    parse_date(text, now=NOW)
    find_dates(text, now=NOW)
    assert clock.perf_counter() - start < 1.0


# --- helpers ----------------------------------------------------------------------------------


def test_to_iso():
    aware = datetime(2026, 11, 28, 10, 30, 15, 999999, tzinfo=timezone(timedelta(hours=6)))
    assert to_iso(aware) == "2026-11-28T10:30:15+06:00"
    assert to_iso(datetime(2026, 11, 28, 4, 30, tzinfo=UTC)) == "2026-11-28T04:30:00+00:00"
    assert to_iso(datetime(2026, 11, 28, 10, 30)) == "2026-11-28T10:30:00+06:00"
    assert to_iso(datetime(2026, 11, 28, 10, 30), "Asia/Kolkata") == "2026-11-28T10:30:00+05:30"
    converted = to_iso(datetime(2026, 11, 28, 4, 30, tzinfo=UTC), "Asia/Dhaka")
    assert converted == "2026-11-28T10:30:00+06:00"


def test_registry_time_zones_are_usable_as_default_tz():
    from newsbot.registry import load_registry

    tz = load_registry().by_id("anandabazar").timezone
    assert iso("২৮/১১/২০২৬ ১০:৩০", default_tz=tz) == "2026-11-28T10:30:00+05:30"


def test_digit_map_is_complete():
    assert "".join(BN_DIGITS[d] for d in "০১২৩৪৫৬৭৮৯") == "0123456789"
