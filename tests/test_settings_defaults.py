"""Every ``NEWSBOT_*`` default lives in ``newsbot.default_settings``: no component repeats one as
a literal fallback, every setting the package reads has one there and in the README, the project
settings carry them, and settings that may come from the environment still do."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from newsbot import conf, default_settings
from newsbot.services import setting_or_env
from newsbot.spiders.bn_world import BnWorldSpider
from tests.crawling import REPO

PACKAGE = REPO / "newsbot"
SETTING_NAME = re.compile(r"NEWSBOT_[A-Z0-9_]*[A-Z0-9]")
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getwithbase"}
#: Environment variables of the package that are no settings (the clock, the sample web's data).
ENVIRONMENT_ONLY = {"NEWSBOT_NOW", "NEWSBOT_SAMPLEWEB_CONTENT"}


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_literal(node: ast.AST) -> bool:
    """A value written out in the code: a constant, or a list/tuple/set/dict or arithmetic of
    constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k) for k in node.keys) and all(
            is_literal(v) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return is_literal(node.operand)
    if isinstance(node, ast.BinOp):
        return is_literal(node.left) and is_literal(node.right)
    return False


def setting_read(node: ast.AST) -> str | None:
    """The NEWSBOT_* name of ``x.get*("NEWSBOT_…", …)``, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in GETTERS and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            and SETTING_NAME.fullmatch(node.args[0].value)):
        return node.args[0].value
    return None


def literal_fallbacks() -> list[str]:
    found = []
    for path, tree in modules():
        where = path.relative_to(REPO)
        for node in ast.walk(tree):
            name = setting_read(node)
            if name:
                fallbacks = [*node.args[1:2], *(k.value for k in node.keywords
                                                if k.arg == "default")]
                if any(is_literal(f) for f in fallbacks):
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
                first, *rest = node.values
                if setting_read(first) and any(
                        is_literal(v) and not (isinstance(v, ast.Constant) and v.value is None)
                        for v in rest):
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def names_in_package() -> set[str]:
    """Every NEWSBOT_* name the package's code (not the defaults themselves) spells out as a
    string."""
    names = set()
    for path, tree in modules():
        if path.name in ("default_settings.py", "conf.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and SETTING_NAME.fullmatch(node.value):
                names.add(node.value)
    return names


def test_the_scan_recognises_a_literal_fallback() -> None:
    code = ast.parse('s.getint("NEWSBOT_X", 3); s.get("NEWSBOT_Y") or "a"; '
                     's.getint("NEWSBOT_Z", conf.default("NEWSBOT_Z")); s.get("NEWSBOT_W") or None')
    calls = [n for n in ast.walk(code) if setting_read(n)]
    assert sorted(setting_read(c) or "" for c in calls) == [
        "NEWSBOT_W", "NEWSBOT_X", "NEWSBOT_Y", "NEWSBOT_Z"]
    assert [is_literal(c.args[1]) for c in calls if len(c.args) > 1] == [True, False]


def test_no_component_repeats_a_default_as_a_literal_fallback() -> None:
    assert literal_fallbacks() == []


def test_every_setting_read_has_a_default_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = names_in_package() - ENVIRONMENT_ONLY
    assert len(names) > 60  # the scan sees the package's settings
    assert sorted(names - set(conf.DEFAULTS)) == []
    documented = set(SETTING_NAME.findall(readme))
    assert sorted(set(conf.DEFAULTS) - documented) == []


def readme_default(shown: str) -> object:
    """The value a README settings row shows in backticks: JSON, a Python bool, else text."""
    if shown in ("True", "False"):
        return shown == "True"
    try:
        return json.loads(shown)
    except ValueError:
        return shown


def test_the_readme_shows_each_default_as_it_is() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(NEWSBOT_[A-Z0-9_]+)` \| `([^`]*)`", readme, re.M)
    assert len(rows) > 30  # the scan sees the settings tables
    assert readme_default('["unchanged"]') == ["unchanged"] and readme_default("0.6") == 0.6
    wrong = []
    for name, shown in rows:
        value = conf.DEFAULTS[name]
        value = list(value) if isinstance(value, tuple) else value
        if readme_default(shown) != value:
            wrong.append(f"{name}: README `{shown}`, default {value!r}")
    assert wrong == []


def test_every_default_is_read_somewhere() -> None:
    assert sorted(set(conf.DEFAULTS) - names_in_package()) == []


def test_the_project_settings_carry_the_defaults() -> None:
    settings = get_project_settings()
    for name, value in conf.DEFAULTS.items():
        if name in default_settings.NOT_IN_PROJECT_SETTINGS:
            # left to the environment and the add-ons
            assert settings.get(name) is None, name
        elif name not in ("NEWSBOT_CONTACT_URL", "NEWSBOT_SAMPLE_WEB"):  # the environment's
            assert settings.get(name) == value, name
            assert settings.getpriority(name) == 20, name  # "project": -s still wins


def test_components_outside_a_crawl_see_the_defaults() -> None:
    bare = Settings()
    assert conf.getint(bare, "NEWSBOT_MAX_LISTING_PAGES") == 3
    assert conf.getlist(bare, "NEWSBOT_REJECTS_SKIP") == ["unchanged"]
    assert conf.get_or_default(Settings({"NEWSBOT_SPOOL_DIR": ""}), "NEWSBOT_SPOOL_DIR") \
        == ".newsbot/spool"
    assert conf.get(Settings({"NEWSBOT_TEMPLATES_PATH": ""}), "NEWSBOT_TEMPLATES_PATH") == ""
    assert conf.getint(Settings({"NEWSBOT_MAX_LISTING_PAGES": "7"}),
                       "NEWSBOT_MAX_LISTING_PAGES") == 7
    # a list default is handed out as a copy
    conf.getlist(bare, "NEWSBOT_LANGUAGES").append("en")
    assert default_settings.NEWSBOT_LANGUAGES == ["bn"]
    with pytest.raises(KeyError):
        conf.get(bare, "NEWSBOT_NO_SUCH_SETTING")


def test_a_test_crawler_without_project_settings_uses_the_defaults() -> None:
    crawler = get_crawler(BnWorldSpider, {"NEWSBOT_SITEMAP_DAYS": 5})
    spider = BnWorldSpider.from_crawler(crawler)
    assert (spider.sitemap_days, spider.max_listing_pages, spider.frontier_batch) == (5, 3, 256)


def test_environment_overrides_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_project_settings()
    monkeypatch.delenv("NEWSBOT_WARC_MAX_MB", raising=False)
    monkeypatch.delenv("NEWSBOT_S3_BUCKET", raising=False)
    assert float(setting_or_env(settings, "NEWSBOT_WARC_MAX_MB")) == 1000.0
    assert setting_or_env(settings, "NEWSBOT_S3_BUCKET") == ""
    monkeypatch.setenv("NEWSBOT_WARC_MAX_MB", "5")
    monkeypatch.setenv("NEWSBOT_S3_BUCKET", "corpus")
    assert setting_or_env(settings, "NEWSBOT_WARC_MAX_MB") == "5"
    assert setting_or_env(settings, "NEWSBOT_S3_BUCKET") == "corpus"
    # a setting wins over the environment
    settings.set("NEWSBOT_S3_BUCKET", "other", priority="cmdline")
    assert setting_or_env(settings, "NEWSBOT_S3_BUCKET") == "other"
