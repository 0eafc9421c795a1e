"""Benchmark of the cleaning pipelines: ``python -m bench.bench_pipelines``.

Times the whole cleaning chain (language detection included) and each pipeline, per article, over
the bundled sample web's articles (``newsbot.sampleweb.expected``) dressed the way pages arrive
from extraction: a desk line, the image caption, the outlet's promo line, an "also read" box, a
repeated sentence and a repeated paragraph, a share prompt and a source line in the body, the
related block and trending list after a section marker, and related links with outlet labels
(one of them twice). Without sample-web content the seed page is used, in varied copies.

In the same run, langdetect alone on the same texts (title + body, uncapped) gives a figure for
scale; the report prints chain/langdetect as a ratio. Target: whole chain at most 5 ms per article
(median). Learning of template lines is on (as in a crawl), persistence off.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from newsbot.cleaning import CleaningStats, cleaning_settings, pipeline_order
from newsbot.items import Article, related_link
from newsbot.registry import load_registry
from newsbot.text import line_key

TARGET_MS = 5.0
LANGUAGE_TARGET_MS = 2.0  # the language check alone, per article
SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed"
AGENCIES = ("রয়টার্স", "এএফপি", "আল-জাজিরা", "বিবিসি")
TRENDING = [
    "ভিসা পদ্ধতি পুরোপুরি তুলে নিলো যে দেশ",
    "তানজানিয়ায় প্লেন দুর্ঘটনায় নিহত ১৯",
    "কাতার বিশ্বকাপে ফিরছে জিদানের সেই ভাস্কর্য",
]
EN_TEXT = (
    "Ceasefire talks on Gaza resumed in Cairo on Tuesday, with Egyptian and Qatari mediators "
    "shuttling between the delegations. The United Nations warned that aid deliveries had almost "
    "stopped, and aid agencies said that fuel for hospitals would run out within days."
)


def _label(outlet_id: str) -> str:
    outlet = load_registry().by_id(outlet_id)
    return outlet.name_bn if outlet else outlet_id


def dress(
    n: int, outlet_id: str | None, url: str, title: str, body: list[str], *,
    desk: str | None = None, caption: str | None = None, promo: str = "",
    related: list[tuple[str, str | None, str | None]] | None = None,
    authors: list[str] | None = None, tags: list[str] | None = None,
) -> Article:
    """An article whose body carries the boilerplate, repeats and related lines of a real page."""
    related = related or []
    lines = list(body)
    if len(lines) > 2:
        first = lines[1].split("। ")[0].rstrip("।") + "।"
        lines[1] = f"{lines[1]} {first}"  # a sentence repeated inside its paragraph
        lines.insert(len(lines) - 1, lines[0])  # a paragraph repeated
    if related:
        at = min(2, len(lines))
        lines[at:at] = ["আরও পড়ুন", related[0][0]]
    if promo:
        lines.insert(min(4, len(lines)), promo)
    if caption:
        lines.insert(1, caption)
    lines.insert(0, desk or "আন্তর্জাতিক ডেস্ক")
    lines += ["শেয়ার করুন", f"সূত্র: {AGENCIES[n % len(AGENCIES)]}", "এই বিভাগের আরও খবর"]
    for rtitle, _url, rlabel in related:
        lines += [rtitle, rtitle, rlabel or ""]
    lines += ["ট্রেন্ডিং", *TRENDING]
    links = [related_link(t, u, lab) for t, u, lab in related]
    if related:
        links.append(related_link(related[0][0] + "।", related[0][1], related[0][2]))
    return Article(
        url=url, canonical_url=url, outlet_id=outlet_id, outlet_name=None, title=title,
        body=lines, authors=list(authors or []), desk=None, tags=list(tags or []),
        image={"url": url + ".jpg", "caption": caption} if caption else None,
        related_links=links, fetched_at="2026-11-29T12:00:00+00:00",
    )


def sampleweb_articles() -> list[Article]:
    """The sample web's articles, dressed (empty when the sample web has no content)."""
    try:
        from newsbot.sampleweb.expected import expected_articles
        from newsbot.sampleweb.model import load
    except ImportError:
        return []
    web = load()
    out = []
    for n, exp in enumerate(expected_articles()):
        site = web.sites.get(exp.outlet_id)
        related = [(t, u, (web.sites[o].aggregator_label if o in web.sites else _label(o)))
                   for t, u, o in exp.related]
        out.append(dress(
            n, exp.outlet_id, exp.canonical_url, exp.title, list(exp.body), desk=exp.desk,
            caption=exp.image_caption, promo=(site.promo if site and exp.lang == "bn" else ""),
            related=related, authors=exp.authors, tags=exp.tags,
        ))
    return out


def seed_articles(count: int = 40) -> list[Article]:
    """Varied copies of the seed page (and a few English pages) when there is no sample web."""
    from newsbot.extract.plaintext import read_plain_page

    pages = sorted(SEED.glob("*.txt"))
    base = [read_plain_page(p.read_text("utf-8")) for p in pages]
    outlets = ["prothomalo", "kalerkantho", "ittefaq", "jugantor", "bbcbangla", "anandabazar"]
    promos = {o: f"{_label(o)} অ্যাপ নামিয়ে নিন, দিনের গুরুত্বপূর্ণ খবর পৌঁছে যাবে হাতে।"
              for o in outlets}
    out = []
    for n in range(count):
        page = base[n % len(base)]
        outlet = outlets[n % len(outlets)]
        shift = n % len(page.body)
        body = page.body[shift:] + page.body[:shift]
        related = [(link["title"], None, link["label"]) for link in page.related_links]
        if n % 10 == 9:
            body, related = [EN_TEXT] * 2, []
        out.append(dress(n, outlet, f"https://example.invalid/{outlet}/{n}", page.title, body,
                         promo=promos[outlet], related=related))
    return out


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90


def time_chain(articles: list[Article], rounds: int) -> tuple[dict[str, list[float]], list[float],
                                                              dict[str, int]]:
    """Per-pipeline and whole-chain milliseconds per article, and drop reasons, over ``rounds``
    fresh runs (each with a new template learner, as a new crawl would have)."""
    settings = cleaning_settings({"NEWSBOT_TEMPLATES_PATH": "", "NEWSBOT_TEMPLATES_LEARN": True})
    names = pipeline_order(settings)
    per_stage: dict[str, list[float]] = {name.rsplit(".", 1)[-1]: [] for name in names}
    whole: list[float] = []
    drops: dict[str, int] = {}
    clock = time.perf_counter
    for _ in range(rounds):
        line_key.cache_clear()  # every round sees the texts for the first time, as a crawl does
        stats = CleaningStats()
        pipes = [(n.rsplit(".", 1)[-1], load_object(n)(settings, stats)) for n in names]
        for article in articles:
            item = copy.deepcopy(article)
            total = 0.0
            for stage, pipe in pipes:
                start = clock()
                try:
                    item = pipe.process_item(item)
                except DropItem as exc:
                    total += clock() - start
                    per_stage[stage].append((clock() - start) * 1000)
                    reason = getattr(exc, "reason", "other")
                    drops[reason] = drops.get(reason, 0) + 1
                    break
                spent = clock() - start
                total += spent
                per_stage[stage].append(spent * 1000)
            whole.append(total * 1000)
    return per_stage, whole, drops


def time_langdetect(articles: list[Article], rounds: int) -> list[float]:
    """Milliseconds of seeded langdetect alone on each article's title and body, uncapped."""
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    texts = ["\n".join([a.title, *a.body]) for a in articles]
    detect_langs(texts[0])  # profiles load once, outside the timing
    out = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            detect_langs(text)
            out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str] | None = None, out: Callable[[str], Any] = print) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pipelines")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the article set")
    parser.add_argument("--source", choices=["auto", "sampleweb", "seed"], default="auto")
    args = parser.parse_args(argv)
    articles = [] if args.source == "seed" else sampleweb_articles()
    source = "sample web (newsbot.sampleweb.expected)"
    if not articles:
        if args.source == "sampleweb":
            out("no sample-web content found")
            return 1
        articles, source = seed_articles(), "seed page copies (no sample-web content)"
    from newsbot.language import _detector

    _detector()("warm up")  # langdetect's profiles load once per process, as in a crawl
    per_stage, whole, drops = time_chain(articles, args.rounds)
    baseline = time_langdetect(articles, args.rounds)
    chars = statistics.median(len("\n".join([a.title, *a.body])) for a in articles)
    out(f"articles: {len(articles)} from {source}; {args.rounds} rounds; "
        f"median {chars:.0f} characters of title and body before cleaning")
    out(f"{'stage':<34}{'median ms':>10}{'p90 ms':>10}")
    for stage, values in per_stage.items():
        if values:
            med, p90 = _ms(values)
            out(f"{stage:<34}{med:>10.3f}{p90:>10.3f}")
    chain_med, chain_p90 = _ms(whole)
    base_med, base_p90 = _ms(baseline)
    out(f"{'whole chain':<34}{chain_med:>10.3f}{chain_p90:>10.3f}")
    out(f"{'langdetect alone, uncapped':<34}{base_med:>10.3f}{base_p90:>10.3f}")
    out(f"chain / langdetect alone (median): {chain_med / base_med:.2f}")
    out(f"drops per round: {({k: v // args.rounds for k, v in sorted(drops.items())})}")
    verdict = "within" if chain_med <= TARGET_MS else "OVER"
    out(f"target whole chain <= {TARGET_MS:.0f} ms median: {verdict}")
    if per_stage.get("LanguagePipeline"):
        lang_med, _ = _ms(per_stage["LanguagePipeline"])
        verdict = "within" if lang_med <= LANGUAGE_TARGET_MS else "OVER"
        out(f"target language stage <= {LANGUAGE_TARGET_MS:.0f} ms median: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
