"""The project's data files: outlet registry, extraction profiles, the generic discovery rules,
the date grammar and the language evidence. Read them through these helpers so each is loaded
once. Label and phrase lists are vocabulary (``newsbot/vocabulary/``, its own loader)."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """The text of the bundled data file ``name`` (a path relative to this folder)."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@functools.cache
def load_toml(name: str) -> dict[str, Any]:
    """The bundled TOML data file ``name``, parsed once."""
    return tomllib.loads(read_text(name))
