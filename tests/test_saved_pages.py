"""Saved pages, the fundus way: for every profiled outlet, pages in the real site's current markup
shape (written from public knowledge of that site, not from the sample web the profiles were
first written against), each with the record it must give beside it as JSON.

``tests/pages/<outlet>/<name>.html`` + ``<name>.json``: ``{"url": …, "expected": {field: value}}``;
only the fields named under ``expected`` are compared (related links by the keys the expected
links name: title and URL, and label and outlet where given)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbot.api import extract_record
from newsbot.extract.profiles import load_profiles

PAGES = Path(__file__).parent / "pages"


def saved_pages() -> list[Path]:
    return sorted(PAGES.glob("*/*.html"))


def test_every_profiled_outlet_has_a_saved_page() -> None:
    outlets_with_pages = {page.parent.name for page in saved_pages()}
    assert set(load_profiles()) <= outlets_with_pages
    for page in saved_pages():
        assert page.with_suffix(".json").is_file(), page


def _comparable(name: str, value: Any, want: Any) -> Any:
    if name == "related_links" and isinstance(want, list):
        keys = {key for link in want for key in link}
        return [{key: link[key] for key in link if key in keys} for link in value]
    return value


@pytest.mark.parametrize("page", saved_pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_saved_page_gives_its_record(page: Path) -> None:
    spec = json.loads(page.with_suffix(".json").read_text("utf-8"))
    record = extract_record(page.read_bytes(), spec["url"])
    assert "dropped" not in record, record.get("dropped")
    for name, want in spec["expected"].items():
        assert _comparable(name, record[name], want) == want, name
