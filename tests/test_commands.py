"""``python -m newsbot``: every command it names can be run, and asking for help is no error."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from newsbot.__main__ import COMMANDS, main
from tests.crawling import REPO


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_leads_to_a_function(name: str) -> None:
    module, func = COMMANDS[name].split(":")
    assert callable(getattr(importlib.import_module(module), func))


def test_the_usage_and_the_readme_name_every_command() -> None:
    usage = main.__globals__["__doc__"]
    listed = set(re.findall(r"^  (\S+)", usage, re.M))
    assert listed == set(COMMANDS)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    in_readme = set(re.findall(r"python -m newsbot ([a-z][a-z-]*)", readme))
    assert in_readme and in_readme <= set(COMMANDS)


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_prints_the_commands_and_succeeds(flag: str, tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "newsbot", flag], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO)})
    assert done.returncode == 0
    assert "state rebuild" in done.stdout and done.stderr == ""
    assert list(tmp_path.iterdir()) == []  # help writes nothing


def test_no_command_or_an_unknown_one_is_a_bad_command_line(capsys) -> None:
    assert main([]) == 2
    assert main(["crawl-everything"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "extract PAGE.html" in err
