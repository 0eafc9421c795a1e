"""The README's layout table lists every folder of the project."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.crawling import REPO


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_layout_lists_every_folder() -> None:
    section = readme().split("## Layout", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"^\| `([^`]+)` \|", section, re.M)
    # a folder is listed by its own row or by a row for a file in it
    listed = {n.rstrip("/") if n.endswith("/") else str(Path(n).parent) for n in names}
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    folders = {str(Path(f).parent) for f in tracked} - {"."}
    # folders with one subfolder per outlet, each listed as one row
    per_outlet = ("newsbot/sampleweb/templates", "tests/pages")
    missing = {f for f in folders
               if f not in listed and not f.startswith(tuple(p + "/" for p in per_outlet))}
    assert missing == set()
    assert set(per_outlet) <= listed
