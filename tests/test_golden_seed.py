"""Golden test: the seed page cleaned by `python -m newsbot clean`, in-process and as a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsbot.cleaning.command import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_6a9de8de847cfd9f.txt"
GOLDEN = ROOT / "tests" / "golden" / "seed.json"
# Not stable: the fetch time, and the file:// URL that depends on where the checkout lives.
UNSTABLE = ("fetched_at", "url", "canonical_url")
SEED_LINES = SEED.read_text("utf-8").splitlines()
REPEATED = "পুতিনের সাথে একান্ত বৈঠক করতে পারেন কিম।"
RELATED = [
    ("সৌদি আরবে ফ্যাশন শো, ইসলামী পণ্ডিতদের ক্ষোভ তুঙ্গে", "ittefaq"),
    ("ঢাকায় আসছে মার্কিন প্রতিনিধি দল", "bonikbarta"),
    ("ভেনেজুয়েলার বিরোধী নেতা গোনসালেসকে নির্বাচিত প্রেসিডেন্ট হিসেবে স্বীকৃতি দিল যুক্তরাষ্ট্র",
     "prothomalo"),
    ("২৪ নভেম্বর সর্বাত্মক বিক্ষোভের ডাক ইমরানের, ২ মাসের জন্য ইসলামাবাদে জারি ১৪৪ ধারা",
     "manabzamin"),
    ("মণিপুর সঙ্কটের জন্য অমিত শাহের পদত্যাগের দাবি কংগ্রেসের", "nayadiganta"),
    ("সংবিধান পাল্টে তৃতীয়বার প্রেসিডেন্ট হতে চান ট্রাম্প!", "bhorerkagoj"),
]
HEADINGS = ("এই বিভাগের আরও খবর", "ট্রেন্ডিং")


def expected_body() -> list[str]:
    """The 12 article paragraphs of the seed file (lines 3, 5, …, 25), the repeated sentence
    once."""
    body = [SEED_LINES[i] for i in range(2, 25, 2)]
    return [REPEATED if p == f"{REPEATED} {REPEATED}" else p for p in body]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def check(record: dict[str, Any]) -> None:
    golden = json.loads(GOLDEN.read_text("utf-8"))
    assert {k: v for k, v in record.items() if k not in UNSTABLE} == golden
    assert record["url"].startswith("file://") and record["url"].endswith(SEED.name)
    assert record["fetched_at"]

    assert record["title"] == "পুতিনের আমন্ত্রণে রাশিয়ায় কিম জং উন"
    body = record["body"]
    assert len(body) == 12
    assert body[0].startswith("মঙ্গলবার রাশিয়া পৌঁছেছেন")
    assert body[-1].startswith("বিনিময়ে কিম কৃত্রিম উপগ্রহ")
    assert body == expected_body()
    assert REPEATED in body
    assert [(link["title"], link["outlet_id"]) for link in record["related_links"]] == RELATED
    assert all(link["url"] is None for link in record["related_links"])
    assert record["language"] == "bn"
    assert record["dropped"] is None

    everything = strings(record)
    trending = [line.strip().lstrip("•").strip() for line in SEED_LINES if "•" in line]
    assert len(trending) == 10
    for text in everything:
        assert text not in HEADINGS
        assert not any(item in text for item in trending)
        assert not any(heading in text for heading in HEADINGS)


def test_golden_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)  # no learned templates from an earlier crawl
    assert main([str(SEED)]) == 0
    check(json.loads(capsys.readouterr().out))


def test_golden_command(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "clean", str(SEED)],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert "পুতিনের আমন্ত্রণে" in out  # UTF-8 text, not \u escapes, whatever the locale says
    check(json.loads(out))
