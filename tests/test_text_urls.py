"""Unicode helpers and canonical URLs."""

from __future__ import annotations

import pytest

from newsbot.text import (
    clean_line,
    compare_key,
    script_share,
    split_sentences,
    tokens,
)
from newsbot.urls import canonicalize_url, host_of

DECOMPOSED_YA = "\u09af\u09bc"
PRECOMPOSED_YA = "\u09df"


def test_clean_line_normalises_to_nfc_and_collapses_space() -> None:
    raw = f"রাশি{PRECOMPOSED_YA}া\u00a0 পৌঁছেছেন\n\tকিম "
    assert clean_line(raw) == f"রাশি{DECOMPOSED_YA}া পৌঁছেছেন কিম"


def test_clean_line_keeps_zero_width_joiner_that_spelling_needs() -> None:
    rab = "র\u200d্যাব"
    assert clean_line(f" {rab} ") == rab
    assert compare_key(rab) == compare_key("র্যাব")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("প্রথমআলো", "প্রথম আলো"),
        ("কিম রাশিয়া গেছেন।", "কিম রাশিয়া গেছেন"),
        ("কিম রাশিয়া গেছেন!", "কিম  রাশিয়া গেছেন?"),
        ("নয়া দিগন্ত".replace(DECOMPOSED_YA, PRECOMPOSED_YA), "নয়া দিগন্ত"),
        ("Read More", "read more"),
    ],
)
def test_compare_key_ignores_spacing_punctuation_and_composition(a: str, b: str) -> None:
    assert compare_key(a) == compare_key(b)


def test_compare_key_keeps_words_apart() -> None:
    assert compare_key("কিম রাশিয়া গেছেন") != compare_key("কিম চীন গেছেন")


def test_sentences_split_on_dari_and_latin_marks() -> None:
    text = "পুতিনের সাথে বৈঠক করবেন কিম। তিনি ট্রেনে গেছেন! কেন? Yes."
    assert split_sentences(text) == [
        "পুতিনের সাথে বৈঠক করবেন কিম।",
        "তিনি ট্রেনে গেছেন!",
        "কেন?",
        "Yes.",
    ]


def test_tokens_keep_bengali_words_whole() -> None:
    assert tokens("বাংলাদেশের মানুষ, ‘ভালো’ আছে।") == ["বাংলাদেশের", "মানুষ", "ভালো", "আছে"]


def test_script_share() -> None:
    assert script_share("কিম রাশিয়া")[1] == 1.0
    assert script_share("Kim in Russia") == (11, 0.0)
    assert script_share("১২৩ !!") == (0, 0.0)
    assert 0.4 < script_share("কিম Kim")[1] < 0.7


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://WWW.Prothomalo.com:443/world/asia/abc123?utm_source=fb&utm_medium=x#top",
            "https://www.prothomalo.com/world/asia/abc123",
        ),
        (
            "https://www.mzamin.com/news.php?news=123456&fbclid=XYZ",
            "https://www.mzamin.com/news.php?news=123456",
        ),
        ("https://www.ittefaq.com.bd/700001/slug/", "https://www.ittefaq.com.bd/700001/slug/"),
        ("http://example.com:8080", "http://example.com:8080/"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_host_of() -> None:
    assert host_of("https://WWW.BBC.com./bengali") == "www.bbc.com"
    assert host_of("not a url") == ""


@pytest.mark.parametrize("bad", ["https://www.samakal.com:99999/x", "http://[bad/x"])
def test_urls_that_do_not_parse_never_raise(bad: str) -> None:
    from newsbot.registry import load_registry
    from newsbot.urls import absolute_url

    assert canonicalize_url(f" {bad} ") == bad
    assert host_of(bad) in ("", "www.samakal.com")  # the host, when there is one
    assert absolute_url("https://samakal.com/international", bad) is None
    load_registry().by_url(bad)  # the host's outlet, or None
