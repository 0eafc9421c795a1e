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


#: A path the README names: a project file or folder in backticks, maybe with ``::test_name``
#: (``*`` standing for any letters).
NAMED_PATH = re.compile(
    r"`((?:newsbot|tests|bench|schema|deploy)/[\w./-]*|test_\w+\.py|)(::[\w*]+)?`")
#: Stats keys look like paths (``newsbot/drop/<reason>``); a path has a file suffix or ends in /.
IS_PATH = re.compile(r"(\.\w+|/)$")


def named_paths(text: str) -> list[tuple[str, str]]:
    """(path, test function or "") for each file or folder the text names in backticks; a lone
    ``::test_name`` names a test of the file named before it."""
    found: list[tuple[str, str]] = []
    for m in NAMED_PATH.finditer(text):
        path, test = m.group(1), (m.group(2) or "")[2:]
        if not path and test and found:
            found.append((found[-1][0], test))
        elif path and IS_PATH.search(path):
            found.append((path if "/" in path else f"tests/{path}", test))
    return found


def test_the_path_scan_tells_paths_from_stats_keys() -> None:
    text = ("`newsbot/drop/<reason>` `newsbot/capped/sitemap_urls` `newsbot/state/` "
            "`tests/test_demo.py::test_x`, `::test_y_*` `test_report.py` "
            "`newsbot/vocabulary/labels.toml`")
    assert named_paths(text) == [("newsbot/state/", ""), ("tests/test_demo.py", "test_x"),
                                 ("tests/test_demo.py", "test_y_*"), ("tests/test_report.py", ""),
                                 ("newsbot/vocabulary/labels.toml", "")]


def test_every_path_and_test_the_readme_names_exists() -> None:
    named = named_paths(readme())
    assert len(named) > 50  # the scan sees the README's paths
    missing = [path for path, _ in named if not (REPO / path).exists()]
    assert missing == []
    tests_missing = [
        f"{path}::{name}" for path, name in named
        if name and not re.search("^def " + name.replace("*", r"\w*") + r"\(",
                                  (REPO / path).read_text(encoding="utf-8"), re.M)]
    assert tests_missing == []
