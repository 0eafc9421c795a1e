"""ValidatePipeline: required fields and a minimum body length."""

from __future__ import annotations

import pytest

from newsbot.cleaning import CleaningStats
from newsbot.drops import Drop
from newsbot.items import Article
from newsbot.pipelines.validate import ValidatePipeline

PARA = "জাতিসংঘের মহাসচিব এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে অবিলম্বে যুদ্ধ থামাতে হবে।"
URL = "https://www.prothomalo.com/world/middle-east/a1"


def item(**kw) -> Article:
    fields = {"url": URL, "canonical_url": URL, "title": "গাজায় যুদ্ধবিরতি", "body": [PARA] * 3}
    fields.update(kw)
    return Article(**fields)


def test_valid_item_passes_and_is_counted() -> None:
    stats = CleaningStats()
    article = item()
    assert ValidatePipeline({}, stats).process_item(article) is article
    assert stats.get_value("newsbot/validate/ok") == 1


@pytest.mark.parametrize("field, value", [
    ("url", ""), ("canonical_url", ""), ("title", "  "), ("body", []),
])
def test_missing_field_reason(field: str, value: object) -> None:
    stats = CleaningStats()
    with pytest.raises(Drop) as info:
        ValidatePipeline({}, stats).process_item(item(**{field: value}))
    assert info.value.reason == f"missing:{field}"
    assert stats.get_value(f"newsbot/validate/missing/{field}") == 1


def test_too_short_uses_setting() -> None:
    short = item(body=[PARA])  # about 90 characters
    with pytest.raises(Drop) as info:
        ValidatePipeline({}, None).process_item(short)
    assert info.value.reason == "too_short"
    assert ValidatePipeline({"NEWSBOT_MIN_BODY_CHARS": 50}, None).process_item(short) is short
