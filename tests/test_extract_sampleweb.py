"""Quality bar on the Bengali sample web (deterministic, not timed): every article page rendered
in-process, extracted, cleaned by one shared pipeline chain (template learning as in a crawl),
compared with ``newsbot.sampleweb.expected``."""

from __future__ import annotations

import pytest

from newsbot.sampleweb.quality import after_learning, by_outlet, evaluate, figures

BODY_F1 = 0.98
RELATED = 0.98


@pytest.fixture(scope="module")
def results() -> list:
    found = evaluate()
    assert found, "the sample web has no article pages"
    return found


@pytest.fixture(scope="module")
def outlets(results: list) -> dict:
    return by_outlet(results)


def test_every_page_extracts(results: list) -> None:
    assert [r.url for r in results if r.error] == []


def test_title_exact_on_every_article(results: list) -> None:
    wrong = [(r.url, r.got_title) for r in results if not r.title_ok]
    assert wrong == []


def test_body_f1_per_outlet_after_learning(outlets: dict) -> None:
    for outlet, items in outlets.items():
        fig = figures(after_learning(items))
        assert fig.body_f1_mean >= BODY_F1, (outlet, fig)


def test_body_f1_per_page(results: list) -> None:
    low = [(r.url, round(r.body_f1, 4), r.extra_body[:2], r.missing_body[:2])
           for r in after_learning(results) if r.body_f1 < BODY_F1]
    assert low == []


def test_related_links_per_outlet(outlets: dict) -> None:
    for outlet, items in outlets.items():
        fig = figures(items)
        assert fig.related_precision >= RELATED, (outlet, fig)
        assert fig.related_recall >= RELATED, (outlet, fig)


def test_related_links_in_page_order(results: list) -> None:
    assert [r.url for r in results if not r.related_order_ok] == []


def test_related_titles_never_in_body(results: list) -> None:
    assert [(r.url, r.related_in_body) for r in results if r.related_in_body] == []


@pytest.mark.parametrize("outlet", ["prothomalo", "kalerkantho", "ittefaq", "bbcbangla"])
def test_generic_path_on_a_redesigned_layout(outlet: str) -> None:
    """A layout no profile version detects goes to the generic extractor; the bar still holds."""
    items = [r for r in evaluate(redesigned=(outlet,)) if r.outlet_id == outlet]
    assert items
    fig = figures(after_learning(items))
    assert fig.title_exact == 1.0, fig
    assert fig.body_f1_mean >= BODY_F1, fig
    assert figures(items).related_recall >= RELATED, fig
    assert figures(items).related_precision >= RELATED, fig
