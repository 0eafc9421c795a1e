"""Titles lose the site's name before or after them, for any site, registered or not."""

from __future__ import annotations

import pytest

from newsbot.extract import extract_html
from newsbot.extract.titles import strip_site_name

HEAD = "যুক্তরাষ্ট্রে শুল্ক নিয়ে নতুন আলোচনা"
PARAS = "".join(
    f"<p>{p}</p>" for p in (
        "ওয়াশিংটনে দুই দিনের বৈঠকে শুল্ক কমানোর বিষয়ে আলোচনা করেছেন দুই দেশের প্রতিনিধিরা।",
        "বৈঠক শেষে যৌথ বিবৃতিতে আলোচনা চালিয়ে যাওয়ার কথা বলা হয়েছে, তবে সময়সীমা জানানো হয়নি।",
        "ব্যবসায়ীরা বলছেন, শুল্ক কমলে তৈরি পোশাকের রপ্তানি বাড়তে পারে আগামী বছরেই।",
    )
)


@pytest.mark.parametrize(("title", "names", "host", "expected"), [
    # an unregistered site's name, known only from its host name
    (f"{HEAD} | UKBDNEWS", [], "www.ukbdnews.com", HEAD),
    (f"{HEAD} - Belfast Telegraph", [], "www.belfasttelegraph.co.uk", HEAD),
    # from og:site_name / application-name, before or after, with any separator
    (f"{HEAD} :: দৈনিক নতুন আলো", ["দৈনিক নতুন আলো"], "", HEAD),
    (f"দৈনিক নতুন আলো | {HEAD}", ["দৈনিক নতুন আলো"], "", HEAD),
    (f"{HEAD} — নতুন আলো", ["নতুন আলো"], "notunalo.example", HEAD),
    (f"{HEAD} । প্রথম আলো", ["প্রথম আলো"], "", HEAD),
    # a section between headline and site name stays: only the site's name goes
    (f"{HEAD} - বিশ্ব - UKBDNEWS", [], "ukbdnews.com", f"{HEAD} - বিশ্ব"),
    # names compare in their key (case, spacing, punctuation)
    (f"{HEAD} | The Daily Star", ["the daily  star"], "", HEAD),
    # nothing to strip
    (HEAD, ["UKBDNEWS"], "ukbdnews.com", HEAD),
    (f"{HEAD} | বিশ্ব", ["UKBDNEWS"], "ukbdnews.com", f"{HEAD} | বিশ্ব"),
    ("Biden - Trump debate: what we learned", [], "example.com",
     "Biden - Trump debate: what we learned"),
    # never the whole title
    ("UKBDNEWS", [], "ukbdnews.com", "UKBDNEWS"),
    # a long part is a headline, not a site name, even when it holds the host's name
    ("Ukbdnews readers react to the new tariffs in a long survey - UKBDNEWS", [],
     "ukbdnews.com", "Ukbdnews readers react to the new tariffs in a long survey"),
])
def test_strip_site_name(title: str, names: list[str], host: str, expected: str) -> None:
    assert strip_site_name(title, names, host) == expected


def test_the_pages_own_h1_decides_between_parts() -> None:
    title = f"বিশ্ব | {HEAD} | খবর সারাদিন"
    assert strip_site_name(title, [], "", headline=HEAD) == HEAD


def page(og_title: str, head: str = "") -> str:
    return (f"<html><head><title>{og_title}</title><meta property='og:title' "
            f"content='{og_title}'>{head}</head><body><h1>{HEAD}</h1>"
            f"<article>{PARAS}</article></body></html>")


def test_unregistered_site_by_host_name() -> None:
    article = extract_html(page(f"{HEAD} | UKBDNEWS"), "https://www.ukbdnews.com/world/123")
    assert article.title == HEAD


def test_unregistered_site_by_og_site_name_and_application_name() -> None:
    site = "<meta property='og:site_name' content='সংবাদ সারাবেলা'>"
    got = extract_html(page(f"সংবাদ সারাবেলা - {HEAD}", site), "https://ss.example/a/1")
    assert got.title == HEAD
    app = "<meta name='application-name' content='সারাবেলা'>"
    got = extract_html(page(f"{HEAD} | সারাবেলা", app), "https://ss.example/a/1")
    assert got.title == HEAD


def test_registered_outlet_by_its_registry_names() -> None:
    got = extract_html(page(f"{HEAD} | দৈনিক ইত্তেফাক"), "https://www.ittefaq.com.bd/1/x")
    assert got.title == HEAD


def test_without_url_the_site_name_still_goes() -> None:
    head = "<link rel='canonical' href='https://www.ukbdnews.com/world/123'>"
    assert extract_html(page(f"{HEAD} | UKBDNEWS", head)).title == HEAD
