"""Section markers cut only blocks: a marker ends the body where headlines or links follow it,
never where prose follows (live-update subheadings, marker words inside sentences)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.cleaning import CleaningStats
from newsbot.extract.plaintext import read_plain_page
from newsbot.items import Article, related_link
from newsbot.pipelines.boilerplate import BoilerplatePipeline
from newsbot.vocabulary.lines import marker_ends_body

REPO = Path(__file__).resolve().parent.parent
P1 = ("ইউক্রেনের রাজধানী কিয়েভে রাতভর ড্রোন হামলা চালিয়েছে রাশিয়া। শহরের বিভিন্ন এলাকায় "
      "বিস্ফোরণের শব্দ শোনা গেছে বলে জানিয়েছেন বাসিন্দারা।")
P2 = ("নগর প্রশাসনের প্রধান জানিয়েছেন, হামলায় অন্তত তিনজন আহত হয়েছেন এবং কয়েকটি আবাসিক "
      "ভবনের ক্ষতি হয়েছে।")
P3 = ("দুপুরের দিকে প্রেসিডেন্ট জেলেনস্কি এক ভিডিও বার্তায় মিত্রদের কাছে আরও আকাশ "
      "প্রতিরক্ষাব্যবস্থা চেয়েছেন। তিনি বলেন, শীতের আগে জ্বালানি অবকাঠামো রক্ষা করা জরুরি।")
P4 = ("সন্ধ্যায় জাতিসংঘের মানবাধিকার দপ্তর এক বিবৃতিতে বেসামরিক স্থাপনায় হামলা বন্ধের "
      "আহ্বান জানিয়েছে।")
H1 = "লেবাননে যুদ্ধবিরতি কার্যকর, ঘরে ফিরছেন মানুষ"
H2 = "সুদানে দুর্ভিক্ষের আশঙ্কা জাতিসংঘের"
H3 = "ব্রাজিলে আমাজন রক্ষায় নতুন আইন"


def clean(body: list[str], links: list[str] = ()) -> Article:
    url = "https://www.prothomalo.com/world/europe/live1"
    item = Article(url=url, canonical_url=url, outlet_id="prothomalo", title="কিয়েভে হামলা",
                   body=body, related_links=[related_link(t, None) for t in links])
    pipe = BoilerplatePipeline({"NEWSBOT_TEMPLATES_PATH": ""}, CleaningStats())
    return pipe.process_item(item)


@pytest.mark.parametrize("marker", ["সর্বশেষ", "সর্বশেষ খবর", "আরও খবর", "ট্রেন্ডিং"])
def test_a_marker_followed_by_prose_is_a_subheading(marker: str) -> None:
    out = clean([P1, P2, marker, P3, P4])
    assert out.body == [P1, P2, P3, P4]


def test_live_update_entries_with_time_stamps_are_kept() -> None:
    out = clean([P1, "সর্বশেষ", "সকাল ১০:৩০", P2, "সর্বশেষ", "দুপুর ১২:১৫", P3, P4])
    assert out.body == [P1, "সকাল ১০:৩০", P2, "দুপুর ১২:১৫", P3, P4]


def test_a_marker_followed_by_headlines_still_ends_the_body() -> None:
    out = clean([P1, P2, "আরও খবর", H1, H2, H3, P4])
    assert out.body == [P1, P2]


def test_a_marker_followed_by_related_link_titles_ends_the_body() -> None:
    teaser = "লেবাননে যুদ্ধবিরতি কার্যকর হওয়ার পর দক্ষিণাঞ্চলের গ্রামগুলোতে ঘরে ফিরতে শুরু করেছেন হাজারো মানুষ।"
    out = clean([P1, P2, "সর্বশেষ", teaser, P4], links=[teaser])
    assert out.body == [P1, P2]


@pytest.mark.parametrize("sentence", [
    "দলটির মুখপাত্র বলেন, আরও খবর পেলে তাঁরা বিস্তারিত জানাবেন এবং প্রয়োজনে সংবাদ সম্মেলন করবেন।",
    "সামাজিক মাধ্যমে বিষয়টি ট্রেন্ডিং হয়ে ওঠার পর সরকার দ্রুত একটি তদন্ত কমিটি গঠনের ঘোষণা দেয়।",
    "সর্বশেষ পাওয়া তথ্য অনুযায়ী, উদ্ধারকাজ এখনো চলছে এবং নিখোঁজদের খোঁজে ডুবুরিরা কাজ করছেন।",
])
def test_marker_words_inside_sentences_are_prose(sentence: str) -> None:
    out = clean([P1, sentence, P2])
    assert out.body == [P1, sentence, P2]


def test_marker_ends_body_looks_past_time_stamps_only() -> None:
    assert marker_ends_body([]) is True
    assert marker_ends_body(["১০:৩০", H1, H2]) is True
    assert marker_ends_body(["১০:৩০", P1]) is False


def test_plain_text_live_update_keeps_every_paragraph() -> None:
    text = f"কিয়েভে হামলা\n\n{P1}\n\n{P2}\n\nসর্বশেষ\n\n{P3}\n\n{P4}\n"
    article = read_plain_page(text)
    assert article.body == [P1, P2, P3, P4]


def test_plain_text_marker_before_headlines_still_cuts() -> None:
    text = f"কিয়েভে হামলা\n\n{P1}\n\n{P2}\n\nআরও খবর\n\n{H1}\n\n{H2}\n\n{H3}\n"
    article = read_plain_page(text)
    assert article.body == [P1, P2]


def test_newsbot_clean_keeps_a_live_update_whole(tmp_path: Path) -> None:
    page = tmp_path / "live.txt"
    page.write_text(f"কিয়েভে হামলা\n\n{P1}\n\nসর্বশেষ\n\n{P2}\n\n{P3}\n\nসর্বশেষ\n\n{P4}\n",
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "newsbot", "clean", str(page)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["body"] == [P1, P2, P3, P4]
    assert record["dropped"] is None
