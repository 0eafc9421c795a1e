"""Hostile page content: invalid code points and mislabelled encodings never raise, never
lose a page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsbot.cleaning import clean_article
from newsbot.extensions.ledger import DropLedger
from newsbot.extract import extract_article
from newsbot.spiders.bn_world import BnWorldSpider
from tests.crawling import REPO

URL = "https://www.prothomalo.com/world/asia/surrogate-test"
SENTENCE = "কায়রোতে গাজা যুদ্ধবিরতি নিয়ে নতুন দফা আলোচনা শুরু হয়েছে বলে জানিয়েছে রয়টার্স। "
# JSON-LD escapes of lone surrogates (half an emoji, a stray low surrogate).
HEADLINE = "গাজা আলোচনা \\ud83d শেষ \\udc00"


def surrogate_page() -> str:
    paras = "".join(f"<p>{SENTENCE * 3}&#xD800; অনুচ্ছেদ {i}।</p>" for i in range(5))
    jsonld = json.dumps(
        {"@type": "NewsArticle", "headline": "X", "author": {"name": "Y"}}
    ).replace('"X"', f'"{HEADLINE}"').replace('"Y"', '"রিপোর্টার \\udfff"')
    return (
        "<html><head><title>t</title>"
        f'<script type="application/ld+json">{jsonld}</script></head>'
        f"<body><article><h1>গাজা আলোচনা</h1>{paras}</article></body></html>"
    )


def test_lone_surrogates_are_replaced_in_extract_command(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(surrogate_page(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "extract", str(page), "--url", URL],
        cwd=REPO, capture_output=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    record = json.loads(proc.stdout.decode("utf-8"))  # strict UTF-8: no surrogate escaped
    assert "\ufffd" in record["title"]
    assert all("\ud83d" not in a and "\udfff" not in a for a in record["authors"])


def test_lone_surrogates_from_an_item_pass_the_pipelines() -> None:
    response = HtmlResponse(URL, body=surrogate_page().encode("utf-8"), encoding="utf-8")
    article = extract_article(response)
    article.title = "শিরোনাম \ud800 শেষ"
    article.body = [f"{i}. {SENTENCE}\udc01 অনুচ্ছেদ {i} শেষ।" for i in range(6)]
    article.tags = ["ট্যাগ\udbff"]
    record, reason = clean_article(article)
    text = json.dumps(dict(record), ensure_ascii=False)
    text.encode("utf-8")  # raises on a lone surrogate
    assert "\ufffd" in record["title"] and "\ufffd" in record["body"][0]
    assert reason is None


def test_drop_ledger_writes_lines_with_lone_surrogates(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    crawler = get_crawler(BnWorldSpider, {
        "NEWSBOT_REJECTS_URI": str(rejects), "NEWSBOT_SPOOL_DIR": str(tmp_path / "spool"),
    })
    ledger = DropLedger.from_crawler(crawler)
    ledger.spider_opened(None)
    ledger.record(url=URL, reason="too_short", detail="d\ud800", title="t\udfff")
    ledger.spider_closed(None, "finished")
    (line,) = rejects.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["title"] == "t\ufffd"


def test_windows_1252_page_labelled_utf8_is_decoded() -> None:
    paras = "".join(
        f"<p>{i}. The minister said \u201cwe will not\u201d \u2013 and that\u2019s final; "
        f"caf\u00e9 owners in district {i} were na\u00efve about cr\u00e8me br\u00fbl\u00e9e "
        f"prices, which rose by {i * 3} per cent in the year to November, the council "
        "said in a statement on its website.</p>"
        for i in range(1, 9)
    )
    text = (
        "<html><head><meta charset='utf-8'><title>Caf\u00e9 talks</title>"
        '<meta property="og:type" content="article"></head><body><article>'
        f"<h1>Caf\u00e9 talks</h1>{paras}</article></body></html>"
    )
    url = "https://www.prothomalo.com/world/europe/cafe-talks"
    response = HtmlResponse(url, body=text.encode("cp1252"), request=Request(url),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    assert response.encoding == "utf-8"  # the label is wrong: these bytes are not UTF-8
    article = extract_article(response)  # not binary_content
    assert article.title == "Caf\u00e9 talks"
    body = " ".join(article.body)
    assert "\u201cwe will not\u201d \u2013 and that\u2019s final" in body
    assert "na\u00efve about cr\u00e8me br\u00fbl\u00e9e" in body and "\ufffd" not in body
