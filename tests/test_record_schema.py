"""The published record schema: it documents every field of the record, rejects records of the
wrong shape, and every crawl's records match it (the crawl helpers validate them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsbot.items import Article, record, record_fields, related_link
from tests.crawling import REPO, run_crawl, written_feeds
from tests.recordschema import SCHEMA_PATH, schema_errors, validator


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_fields() -> dict[str, dict[str, Any]]:
    """Field name -> its definition, from the schema's one-line-per-field entries."""
    out: dict[str, dict[str, Any]] = {}
    for entry in schema()["allOf"]:
        ((name, definition),) = entry["properties"].items()
        assert entry["required"] == [name]
        out[name] = definition
    return out


def good_record() -> dict[str, Any]:
    article = Article(
        url="https://www.prothomalo.com/world/asia/abc123?utm_source=x",
        canonical_url="https://www.prothomalo.com/world/asia/abc123",
        outlet_id="prothomalo",
        outlet_name="প্রথম আলো",
        title="শিরোনাম",
        body=["প্রথম অনুচ্ছেদ।", "দ্বিতীয় অনুচ্ছেদ।"],
        published="2026-11-28T10:30:00+06:00",
        authors=["লেখক"],
        image={"url": "https://images.prothomalo.com/a.jpg", "caption": None},
        related_links=[related_link("অন্য খবর", "https://www.prothomalo.com/world/x", None)],
        language="bn",
        language_confidence=1.0,
        language_method="cld2",
        fetched_at="2026-11-29T21:09:18+00:00",
    )
    return record(article)


def test_the_schema_is_2020_12_and_documents_every_field_of_the_record() -> None:
    data = schema()
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator()  # check_schema passes
    documented = schema_fields()
    assert list(documented) == record_fields()
    assert all(d.get("description") for d in documented.values())
    assert data["unevaluatedProperties"] is False


def test_a_well_formed_record_matches() -> None:
    assert schema_errors(good_record()) == []
    # nullable fields may be null, lists may be empty
    record = {**good_record(), "published": None, "image": None, "related_links": []}
    assert schema_errors(record) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"revision": "0"}, "revision"),
        ({"revision": -1}, "revision"),
        ({"body": "one string"}, "body"),
        ({"body": []}, "body"),
        ({"title": ""}, "title"),
        ({"outlet_id": None}, "outlet_id"),
        ({"published": "গতকাল"}, "published"),
        ({"fetched_at": "2026-11-29"}, "fetched_at"),
        ({"language_confidence": 1.5}, "language_confidence"),
        ({"language_confidence": "high"}, "language_confidence"),
        ({"url": "not a url"}, "url"),
        ({"image": {"url": "https://x.example/a.jpg"}}, "image"),
        ({"related_links": [{"title": "t", "url": None}]}, "related_links/0"),
        ({"authors": [None]}, "authors/0"),
        ({"surprise": 1}, "(record)"),
    ],
)
def test_a_malformed_record_is_rejected(change: dict[str, Any], where: str) -> None:
    errors = schema_errors({**good_record(), **change})
    assert errors and any(e.startswith(f"{where}:") for e in errors), errors


@pytest.mark.parametrize("name", record_fields())
def test_a_record_without_a_field_is_rejected(name: str) -> None:
    record = good_record()
    del record[name]
    assert any(f"'{name}' is a required property" in e for e in schema_errors(record))


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_record_matches() -> None:
    section = readme().split("An example record", 1)[1]
    example = re.search(r"```json\n(.+?)\n```", section, re.S).group(1)
    assert schema_errors(json.loads(example)) == []


def test_the_readme_maps_every_field_to_zyte_common_items() -> None:
    section = readme().split("### Zyte common items", 1)[1].split("\n## ", 1)[0]
    mapped = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)
    assert mapped == record_fields()


def test_the_crawl_helpers_reject_a_feed_that_does_not_match(tmp_path: Path) -> None:
    before: set[Path] = set()
    feed = tmp_path / "feeds" / "bn_world" / "x.jsonl"
    feed.parent.mkdir(parents=True)
    feed.write_text(json.dumps({**good_record(), "revision": "1"}) + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="revision"):
        written_feeds(tmp_path, before)
    feed.write_text(json.dumps(good_record(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert written_feeds(tmp_path, before) == [feed]


def test_a_crawl_writes_records_that_match(tmp_path: Path, web: Any) -> None:
    result = run_crawl(tmp_path, web.base_url, outlets="songkolon,bbcbangla")
    assert result.returncode == 0, result.log[-3000:]
    items = result.items()  # validated against the schema on the way
    assert {i["outlet_id"] for i in items} == {"songkolon", "bbcbangla"}
    assert any(i["related_links"] for i in items)

