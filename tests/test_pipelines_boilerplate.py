"""BoilerplatePipeline: phrase rules, section markers, desk lines and learned template lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbot.cleaning import CleaningStats
from newsbot.cleaning.templates import TemplateStore
from newsbot.items import Article
from newsbot.pipelines.boilerplate import BoilerplatePipeline
from newsbot.vocabulary.lines import load_phrasebook, parse_rules

P1 = ("গাজায় যুদ্ধবিরতির আলোচনা নতুন করে শুরু হয়েছে কায়রোতে। মিসর ও কাতারের মধ্যস্থতায় দুই "
      "পক্ষের প্রতিনিধিরা সেখানে বৈঠক করছেন।")
P2 = ("জাতিসংঘের মহাসচিব আন্তোনিও গুতেরেস এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে অবিলম্বে "
      "যুদ্ধ থামাতে হবে।")
P3 = "ইউক্রেনের পূর্বাঞ্চলে রাশিয়ার হামলায় অন্তত ১২ জন নিহত হয়েছেন বলে জানিয়েছে স্থানীয় প্রশাসন।"
P4 = "বিশ্লেষকেরা মনে করছেন, আসন্ন শীতে জ্বালানি সংকট ইউরোপের রাজনীতিতে বড় প্রভাব ফেলতে পারে।"
PROMO = "প্রথম আলো অ্যাপ নামিয়ে নিন, দিনের গুরুত্বপূর্ণ খবরগুলো পৌঁছে যাবে আপনার হাতে।"
PROSE_OTHER = [
    "ইরানের পরমাণু কর্মসূচি নিয়ে ভিয়েনায় নতুন দফা আলোচনা শুরু হচ্ছে আগামী সপ্তাহে।",
    "ব্রাজিলের আমাজন অঞ্চলে বন উজাড়ের হার গত বছরের তুলনায় উল্লেখযোগ্যভাবে কমেছে।",
    "মিয়ানমারের রাখাইনে সংঘাতের কারণে হাজারো মানুষ ঘরবাড়ি ছেড়ে পালিয়েছেন।",
    "দক্ষিণ আফ্রিকায় নির্বাচনের ফল ঘোষণার পর জোট সরকার গঠনের তৎপরতা চলছে।",
    "জাপানের প্রধানমন্ত্রী অর্থনীতি চাঙা করতে নতুন প্রণোদনা প্যাকেজ ঘোষণা করেছেন।",
]
NO_TEMPLATES = {"NEWSBOT_TEMPLATES_PATH": ""}


def article(body: list[str], n: int = 0, outlet: str | None = "prothomalo", **kw) -> Article:
    url = f"https://www.prothomalo.com/world/asia/a{n}"
    return Article(url=url, canonical_url=url, outlet_id=outlet, title=kw.pop("title", "শিরোনাম"),
                   body=body, **kw)


def clean(body: list[str], settings: dict | None = None, **kw) -> tuple[Article, CleaningStats]:
    stats = CleaningStats()
    pipe = BoilerplatePipeline(settings if settings is not None else NO_TEMPLATES, stats)
    return pipe.process_item(article(body, **kw)), stats


@pytest.mark.parametrize("line, kind", [
    ("আরও পড়ুন: গাজায় ত্রাণবাহী ট্রাক ঢুকতে দিল ইসরায়েল", "prompt"),
    ("বিস্তারিত পড়ুন", "prompt"),
    ("শেয়ার করুন", "share"),
    ("লিংক কপি করুন", "share"),
    ("মন্তব্য করুন", "comment"),
    ("ছবি: রয়টার্স", "caption"),
    ("ছবিঃ এএফপি", "caption"),
    ("কায়রোতে আলোচনার টেবিলে প্রতিনিধিরা। ছবি: রয়টার্স", "caption"),
    ("ফাইল ছবি", "caption"),
    ("সূত্র: রয়টার্স, আল-জাজিরা", "attribution"),
    ("সূত্র : বিবিসি", "attribution"),
    ("প্রিন্ট ভার্সন", "nav"),
    ("ই-পেপার", "nav"),
    ("বিজ্ঞাপন", "ad"),
    ("নিজস্ব প্রতিবেদক", "byline"),
    ("স্টাফ রিপোর্টার, ঢাকা", "byline"),
    ("প্রকাশ : ২৭ নভেম্বর ২০২৬, ০৯:১৫", "dateline"),
    ("২৭ নভেম্বর ২০২৬, ০৯:১৫", "dateline"),
    ("প্রথম আলোর খবর পেতে গুগল নিউজ চ্যানেল ফলো করুন", "promo"),
    (PROMO, "promo"),
    ("কালের কণ্ঠের টাটকা খবর জানতে আমাদের টেলিগ্রাম চ্যানেলে যুক্ত হোন।", "promo"),
])
def test_phrase_lines_are_removed_and_counted_by_kind(line: str, kind: str) -> None:
    out, stats = clean([P1, line, P2])
    assert out.body == [P1, P2]
    assert stats.get_value(f"newsbot/boilerplate/removed/{kind}") == 1


@pytest.mark.parametrize("line", [
    P1, P2, P3, P4,
    "ছবিতে দেখা যাচ্ছে, ধ্বংসস্তূপের মধ্যে শিশুরা খাবারের জন্য অপেক্ষা করছে।",
    "সূত্র জানায়, বৈঠকে দুই দেশের প্রতিরক্ষামন্ত্রীরাও উপস্থিত ছিলেন।",
    "‘আমাদের ফেসবুক পাতায় হুমকি দেওয়া হয়েছে, আপনারা পাশে থাকুন,’ বলেন ওই সাংবাদিক।",
    "সর্বশেষ খবর অনুযায়ী, উদ্ধারকাজ এখনো চলছে এবং নিহতের সংখ্যা বাড়তে পারে।",
    "প্রকাশক সংগঠনগুলো নতুন আইনের বিরোধিতা করেছে।",
])
def test_article_prose_is_never_matched(line: str) -> None:
    out, stats = clean([P1, line, P2])
    assert out.body == [P1, line, P2]
    assert not any(k.startswith("newsbot/boilerplate/removed/") for k in stats.get_stats())


@pytest.mark.parametrize("marker", ["এই বিভাগের আরও খবর", "ট্রেন্ডিং", "সর্বাধিক পঠিত",
                                    "সর্বশেষ", "সম্পর্কিত খবর", "আরও খবর"])
def test_marker_removes_everything_after_it(marker: str) -> None:
    tail = ["সৌদি আরবে ফ্যাশন শো, ইসলামী পণ্ডিতদের ক্ষোভ তুঙ্গে", "দৈনিক ইত্তেফাক", P3]
    out, stats = clean([P1, P2, marker, *tail])
    assert out.body == [P1, P2]
    assert stats.get_value("newsbot/boilerplate/removed/marker") == 1
    assert stats.get_value("newsbot/boilerplate/removed/after_marker") == 3


def test_marker_before_any_prose_only_takes_its_headline_list() -> None:
    """A stray tab label at the top must not empty the article."""
    out, _ = clean(["সর্বশেষ", "ঢাকায় আসছে মার্কিন প্রতিনিধি দল", P1, P2])
    assert out.body == [P1, P2]


def test_read_more_heading_takes_its_links_and_keeps_following_prose() -> None:
    box = ["আরও পড়ুন", "গাজায় ত্রাণবাহী ট্রাক ঢুকতে দিল ইসরায়েল", "লেবাননে যুদ্ধবিরতি কার্যকর"]
    out, stats = clean([P1, *box, P2, P3])
    assert out.body == [P1, P2, P3]
    assert stats.get_value("newsbot/boilerplate/removed/also_read") == 1
    assert stats.get_value("newsbot/boilerplate/removed/also_read_link") == 2
    # At the end of the article the heading takes everything after it.
    out, _ = clean([P1, P2, *box])
    assert out.body == [P1, P2]


def test_desk_line_moves_into_empty_desk() -> None:
    out, stats = clean(["আন্তর্জাতিক ডেস্ক", P1, P2])
    assert out.body == [P1, P2]
    assert out.desk == "আন্তর্জাতিক ডেস্ক"
    assert stats.get_value("newsbot/boilerplate/desk_moved") == 1
    out, _ = clean(["অনলাইন ডেস্ক", P1], desk="বিশ্ব ডেস্ক")
    assert out.body == [P1]
    assert out.desk == "বিশ্ব ডেস্ক"


def test_lines_repeating_the_items_own_fields() -> None:
    caption = "কিয়েভে ক্ষেপণাস্ত্র হামলার পর ধ্বংসস্তূপ সরাচ্ছেন উদ্ধারকর্মীরা"
    out, stats = clean(["কিয়েভে হামলা", P1, caption, "রাহুল দাস", P2], title="কিয়েভে হামলা",
                       image={"url": "https://x/y.jpg", "caption": caption}, authors=["রাহুল দাস"])
    assert out.body == [P1, P2]
    assert stats.get_value("newsbot/boilerplate/removed/title") == 1
    assert stats.get_value("newsbot/boilerplate/removed/caption") == 1
    assert stats.get_value("newsbot/boilerplate/removed/byline") == 1


def test_outlet_placeholder_needs_the_articles_own_outlet() -> None:
    line = "প্রথম আলো অ্যাপ নামিয়ে নিন"
    book = load_phrasebook()
    assert book.classify(line, ["প্রথম আলো"]) is not None
    assert book.classify(line, ["কালের কণ্ঠ"]) is None


def test_rules_file_rejects_unknown_match_mode_and_kind() -> None:
    header = "phrase\tkind\tmatch\tmax_words\tgloss\n"
    with pytest.raises(ValueError, match="unknown match mode"):
        parse_rules(header + "একটি\tprompt\tfuzzy\t0\tx\n")
    with pytest.raises(ValueError, match="line 2: unknown kind"):
        parse_rules(header + "একটি\tmarkr\tline\t0\tx\n")


def test_bundled_phrase_file_keeps_a_gloss_for_every_rule() -> None:
    rules = load_phrasebook().rules
    assert len(rules) > 80
    assert all(rule.gloss.strip() for rule in rules)
    kinds = {rule.kind for rule in rules}
    assert {"marker", "also_read", "desk", "caption", "attribution", "byline", "ad"} <= kinds


# ---------------------------------------------------------------- learned template lines


def learning_settings(tmp_path: Path, **extra) -> dict:
    return {"NEWSBOT_TEMPLATES_PATH": str(tmp_path / "state" / "templates.json"), **extra}


def test_template_line_learned_after_min_pages_and_removed() -> None:
    stats = CleaningStats()
    pipe = BoilerplatePipeline(NO_TEMPLATES, stats)
    bodies = []
    promo = "দিনের সেরা খবর পেতে সাইটে চোখ রাখুন"  # no phrase rule knows this line
    for n, prose in enumerate(PROSE_OTHER):
        extra = [P1] if n == 0 else []
        bodies.append(pipe.process_item(article([prose, promo, *extra], n=n)).body)
    assert promo in bodies[0] and promo in bodies[1]
    assert all(promo not in body for body in bodies[2:])  # third page: 3 of 3 pages
    assert bodies[2][0] == PROSE_OTHER[2]
    assert stats.get_value("newsbot/boilerplate/removed/template") == 3
    assert pipe.store.templates("prothomalo") == [promo]


def test_prose_is_not_learned_when_it_is_long_or_rare() -> None:
    pipe = BoilerplatePipeline(NO_TEMPLATES, CleaningStats())
    long_para = " ".join([P1, P2, P3])  # over NEWSBOT_TEMPLATE_MAX_WORDS words
    for n in range(6):
        body = [long_para, PROSE_OTHER[n % 5]] + ([P4] if n < 2 else [])
        out = pipe.process_item(article(body, n=n))
        assert out.body[0] == long_para
    assert pipe.store.templates("prothomalo") == []


def test_same_url_and_repeats_on_one_page_count_once() -> None:
    pipe = BoilerplatePipeline(NO_TEMPLATES, CleaningStats())
    line = "আমাদের সঙ্গেই থাকুন সারাক্ষণ"
    for _ in range(5):  # the same page crawled five times
        out = pipe.process_item(article([P1, line, line, line], n=7))
    assert line in out.body
    assert pipe.store.templates("prothomalo") == []
    assert pipe.store.outlets["prothomalo"].pages == 1


def test_templates_are_per_outlet() -> None:
    pipe = BoilerplatePipeline(NO_TEMPLATES, CleaningStats())
    line = "দিনের সেরা খবর পেতে সাইটে চোখ রাখুন"
    for n in range(4):
        pipe.process_item(article([PROSE_OTHER[n], line], n=n))
    other = pipe.process_item(article([P1, line], n=99, outlet="kalerkantho"))
    assert other.body == [P1, line]


def test_min_share_and_min_pages_settings() -> None:
    settings = {**NO_TEMPLATES, "NEWSBOT_TEMPLATE_MIN_SHARE": 0.9, "NEWSBOT_TEMPLATE_MIN_PAGES": 2}
    pipe = BoilerplatePipeline(settings, CleaningStats())
    line = "দিনের সেরা খবর পেতে সাইটে চোখ রাখুন"
    pipe.process_item(article([PROSE_OTHER[0], line], n=0))
    second = pipe.process_item(article([PROSE_OTHER[1], line], n=1))
    assert second.body == [PROSE_OTHER[1]]  # 2 of 2 pages
    third = pipe.process_item(article([PROSE_OTHER[2]], n=2))
    fourth = pipe.process_item(article([PROSE_OTHER[3], line], n=3))
    assert third.body == [PROSE_OTHER[2]]
    assert fourth.body == [PROSE_OTHER[3], line]  # 3 of 4 pages < 0.9


def test_templates_persist_between_runs(tmp_path: Path) -> None:
    settings = learning_settings(tmp_path)
    line = "দিনের সেরা খবর পেতে সাইটে চোখ রাখুন"
    first_run = BoilerplatePipeline(settings, CleaningStats())
    for n in range(4):
        first_run.process_item(article([PROSE_OTHER[n], line], n=n))
    first_run.close_spider()
    path = tmp_path / "state" / "templates.json"
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == "newsbot-templates/1"
    assert not list(path.parent.glob("*.tmp"))  # written through a renamed temporary file

    stats = CleaningStats()
    next_run = BoilerplatePipeline(settings, stats)
    out = next_run.process_item(article([P1, line], n=100))  # the first article of the run
    assert out.body == [P1]
    assert stats.get_value("newsbot/boilerplate/templates/loaded") == 1


def test_periodic_save(tmp_path: Path) -> None:
    settings = learning_settings(tmp_path, NEWSBOT_TEMPLATES_SAVE_EVERY=2)
    stats = CleaningStats()
    pipe = BoilerplatePipeline(settings, stats)
    pipe.process_item(article([P1], n=1))
    assert not (tmp_path / "state" / "templates.json").exists()
    pipe.process_item(article([P2], n=2))
    assert (tmp_path / "state" / "templates.json").exists()
    assert stats.get_value("newsbot/boilerplate/templates/saved") == 1


def test_read_only_templates_learn_nothing(tmp_path: Path) -> None:
    settings = learning_settings(tmp_path, NEWSBOT_TEMPLATES_LEARN=False)
    pipe = BoilerplatePipeline(settings, CleaningStats())
    for n in range(4):
        pipe.process_item(article([PROSE_OTHER[n], "দিনের সেরা খবর পেতে চোখ রাখুন"], n=n))
    pipe.close_spider()
    assert pipe.store.outlets == {}
    assert not (tmp_path / "state" / "templates.json").exists()


def test_corrupt_state_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "templates.json"
    path.write_text("{not json", "utf-8")
    pipe = BoilerplatePipeline({"NEWSBOT_TEMPLATES_PATH": str(path)}, CleaningStats())
    assert pipe.process_item(article([P1], n=1)).body == [P1]


def test_decay_forgets_one_off_lines_and_keeps_templates() -> None:
    store = TemplateStore(min_pages=3, window=10)
    for n in range(25):
        store.observe("x", f"https://x/{n}", [f"একবারের লাইন {n}", "প্রতি পাতার লাইন"])
    state = store.outlets["x"]
    assert state.pages < 10
    assert store.templates("x") == ["প্রতি পাতার লাইন"]
    assert len(state.lines) < 10


def test_matching_is_unicode_and_spacing_tolerant() -> None:
    book = load_phrasebook()
    precomposed = "সূত্র: \u09b0\u09df\u099f\u09be\u09b0\u09cd\u09b8"  # রয়টার্স with U+09DF
    assert book.classify(precomposed).kind == "attribution"
    assert book.classify("আন্তর্জাতিক\u00a0 ডেস্ক।").kind == "desk"
    assert book.classify("প্রকাশ: ২৭ নভেম্বর ২০২৬, ০৯:১৫ পিএম").kind == "dateline"
    assert book.classify("২৭ নভেম্বর ২০২৬, ০৯:১৫ পিএম").kind == "dateline"
    assert book.classify("সাবস্ক্রাইব করুন আমাদের চ্যানেলে").kind == "promo"
    # `contains` wants the whole words: "সাবস্ক্রাইব করুনি" is not "সাবস্ক্রাইব করুন".
    assert book.classify("সাবস্ক্রাইব করুনি তিনি") is None


def test_stats_count_every_removal_by_kind() -> None:
    body = ["অনলাইন ডেস্ক", P1, "ছবি: এএফপি", "শেয়ার করুন", P2, "সূত্র: রয়টার্স",
            "সর্বাধিক পঠিত", "ভিসা পদ্ধতি পুরোপুরি তুলে নিলো যে দেশ"]
    out, stats = clean(body)
    assert out.body == [P1, P2]
    removed = {k.rsplit("/", 1)[-1]: v for k, v in stats.get_stats().items()
               if k.startswith("newsbot/boilerplate/removed/")}
    assert removed == {"desk": 1, "caption": 1, "share": 1, "attribution": 1, "marker": 1,
                       "after_marker": 1}


def test_a_damaged_templates_file_does_not_stop_the_pipeline(tmp_path) -> None:
    from newsbot.cleaning.templates import STATE_FORMAT
    from newsbot.pipelines.boilerplate import BoilerplatePipeline

    path = tmp_path / "templates.json"
    path.write_text(
        json.dumps({"format": STATE_FORMAT, "outlets": {"x": {"lines": {"k": ["a", "b"]}}}}),
        encoding="utf-8",
    )
    pipeline = BoilerplatePipeline({"NEWSBOT_TEMPLATES_PATH": str(path)})
    assert pipeline.store.template_count() == 0
