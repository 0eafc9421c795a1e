"""One injectable clock: in process (clock.use), across processes (NEWSBOT_NOW), and the sample
web's dates follow it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from newsbot import clock
from newsbot.sampleweb import expected, model


def test_use_replaces_now_within_the_block() -> None:
    fixed = datetime(2031, 5, 6, 7, 8, 9, 999, tzinfo=UTC)
    with clock.use(fixed):
        assert clock.now() == fixed.replace(microsecond=0)
        assert clock.today() == fixed.date()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_newsbot_now_starts_the_clock_there_and_it_runs_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(clock.ENV_VAR, "2030-01-02T03:04:05Z")
    first = clock.now()
    assert datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC) <= first < datetime(
        2030, 1, 2, 3, 4, 10, tzinfo=UTC)
    time.sleep(1.1)
    assert clock.now() > first
    monkeypatch.setenv(clock.ENV_VAR, "not a time")
    with pytest.raises(ValueError, match="NEWSBOT_NOW"):
        clock.now()


@pytest.mark.parametrize("days", [0, 400, -30])
def test_sample_web_dates_keep_their_age_on_any_day(days: int) -> None:
    now = model.ANCHOR + timedelta(days=days, hours=3, minutes=17, seconds=42)
    model.load.cache_clear()
    try:
        with clock.use(now):
            web = model.load()
        ages = {a.ref: now - datetime.fromisoformat(a.published) for a in web.articles.values()}
        assert web.shift == timedelta(days=days, hours=3, minutes=17)
        # every article keeps the age it has at the anchor (to the minute)
        model.load.cache_clear()
        with clock.use(model.ANCHOR):
            anchored = model.load()
        for ref, age in ages.items():
            at_anchor = model.ANCHOR - datetime.fromisoformat(anchored.articles[ref].published)
            assert timedelta(0) <= age - at_anchor < timedelta(minutes=1)
        # the dated sitemaps the crawl reads follow the same clock
        day = (model.ANCHOR + web.shift - timedelta(days=1)).date().isoformat()
        assert any(day in url for urls in expected.start_urls(web).values() for url in urls)
    finally:
        model.load.cache_clear()
