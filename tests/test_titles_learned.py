"""A site that names itself only in its titles ("… | Some Site", no og:site_name, a host name
that does not spell it) loses that name once several of its pages share it."""

from __future__ import annotations

import copy

from newsbot.api import extract_html, extract_record
from newsbot.cleaning import CLEANING_PIPELINES, Cleaner
from newsbot.extract.titles import SiteNameLearner
from newsbot.pipelines.source import SourceFingerprintPipeline
from newsbot.pipelines.titles import TitleSiteNamePipeline
from newsbot.settings import ITEM_PIPELINES

SITE = "খবর সারাবেলা"
HOST = "https://www.ns-portal.example"
HEADS = [
    "যুক্তরাষ্ট্রে শুল্ক নিয়ে নতুন আলোচনা শুরু",
    "ঢাকায় আন্তর্জাতিক বাণিজ্য মেলা শুরু হচ্ছে কাল",
    "জাতিসংঘে জলবায়ু তহবিল নিয়ে বিতর্ক",
    "ইউরোপে জ্বালানির দাম আবার বেড়েছে",
    "জাপানে নতুন প্রধানমন্ত্রী দায়িত্ব নিলেন",
]
PARAS = "".join(
    f"<p>{p}</p>" for p in (
        "ওয়াশিংটনে দুই দিনের বৈঠকে শুল্ক কমানোর বিষয়ে আলোচনা করেছেন দুই দেশের প্রতিনিধিরা।",
        "বৈঠক শেষে যৌথ বিবৃতিতে আলোচনা চালিয়ে যাওয়ার কথা বলা হয়েছে, তবে সময়সীমা জানানো হয়নি।",
        "ব্যবসায়ীরা বলছেন, শুল্ক কমলে তৈরি পোশাকের রপ্তানি বাড়তে পারে আগামী বছরেই।",
    )
)


def page(title: str) -> str:
    """An unregistered site's article page: the title names the site, nothing else does."""
    return (f"<html><head><title>{title}</title><meta property='og:type' content='article'>"
            f"</head><body><article>{PARAS}</article></body></html>")


def articles() -> list:
    return [extract_html(page(f"{head} | {SITE}"), f"{HOST}/world/{i}")
            for i, head in enumerate(HEADS)]


def test_one_page_does_not_tell_the_site_name() -> None:
    # no og:site_name, no application-name, a host name unlike the site's: extraction keeps it
    assert [a.title for a in articles()] == [f"{h} | {SITE}" for h in HEADS]


def test_the_crawl_learns_the_shared_part_and_strips_it_from_then_on() -> None:
    cleaner = Cleaner({"NEWSBOT_TEMPLATES_PATH": "", "NEWSBOT_TEMPLATES_LEARN": True})
    titles = [cleaner.clean(a)[0]["title"] for a in articles()]
    # two pages say nothing yet; the third page shares the part with two others
    assert titles == [f"{HEADS[0]} | {SITE}", f"{HEADS[1]} | {SITE}", *HEADS[2:]]
    assert cleaner.stats.get_value("newsbot/titles/site_name_removed") == 3
    # a page seen again after the name was learned loses it too
    assert cleaner.clean(articles()[0])[0]["title"] == HEADS[0]


def test_parts_that_do_not_repeat_stay() -> None:
    learner = SiteNameLearner(min_pages=3)
    titles = [f"{HEADS[0]} | বিশ্ব", f"{HEADS[1]} | খেলা", f"{HEADS[2]} | বিনোদন",
              f"সরাসরি | {HEADS[3]}", f"{HEADS[4]} - {SITE}"]
    for title in titles:
        learner.observe("ns-portal.example", title)
    assert learner.learned("ns-portal.example") == []
    assert [learner.strip("ns-portal.example", t) for t in titles] == titles


def test_names_are_learned_per_host_and_at_the_edge_they_were_seen() -> None:
    learner = SiteNameLearner(min_pages=3)
    for head in HEADS[:3]:
        learner.observe("a.example", f"{SITE} | {head}")
    assert learner.strip("a.example", f"{SITE} | {HEADS[4]}") == HEADS[4]
    # another host, or the same words at the other edge, are not the learned name
    assert learner.strip("b.example", f"{SITE} | {HEADS[4]}") == f"{SITE} | {HEADS[4]}"
    assert learner.strip("a.example", f"{HEADS[4]} | {SITE}") == f"{HEADS[4]} | {SITE}"
    # the headline itself never goes
    assert learner.strip("a.example", SITE) == SITE
    # the same page seen three times is one page
    for _ in range(3):
        learner.observe("c.example", f"{HEADS[0]} | {SITE}")
    assert learner.learned("c.example") == []


def test_memory_stays_bounded() -> None:
    learner = SiteNameLearner(min_pages=2, max_hosts=3, max_parts=4)
    for n in range(50):
        for head in HEADS:
            learner.observe(f"h{n}.example", f"{head} {n} | {SITE}")
    assert len(learner) == 3
    counts = learner._hosts["h49.example"]
    assert len(counts) <= 4 and all(len(pages) <= 2 for pages in counts.values())
    # the shared part survived the unique headline parts pushed through
    assert learner.strip("h49.example", f"{HEADS[0]} | {SITE}") == HEADS[0]
    # the first hosts were forgotten
    assert learner.learned("h0.example") == []


def test_source_fingerprint_keeps_the_title_as_extracted() -> None:
    # so that a page first seen before the name was learned is no revision when seen after
    settings = {"NEWSBOT_TEMPLATES_LEARN": True}
    source, titles = SourceFingerprintPipeline(settings), TitleSiteNamePipeline(settings)
    first = articles()[0]
    before = titles.process_item(source.process_item(copy.deepcopy(first)))
    for article in articles()[1:]:
        titles.process_item(source.process_item(article))
    after = titles.process_item(source.process_item(copy.deepcopy(first)))
    assert before.title != after.title == HEADS[0]
    assert before.source_fingerprint == after.source_fingerprint


def test_nothing_is_learned_outside_a_crawl() -> None:
    # cleaning a page outside a crawl gives the same record every time
    records = [extract_record(page(f"{HEADS[0]} | {SITE}"), f"{HOST}/world/0")
               for _ in range(4)]
    assert {r["title"] for r in records} == {f"{HEADS[0]} | {SITE}"}


def test_the_crawl_runs_it_after_the_source_fingerprint() -> None:
    name = "newsbot.pipelines.titles.TitleSiteNamePipeline"
    assert name in CLEANING_PIPELINES and ITEM_PIPELINES[name] == CLEANING_PIPELINES[name]
    source = ITEM_PIPELINES["newsbot.pipelines.source.SourceFingerprintPipeline"]
    normalise = ITEM_PIPELINES["newsbot.pipelines.normalise.NormalisePipeline"]
    assert source < ITEM_PIPELINES[name] < normalise
