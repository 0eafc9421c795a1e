"""The project's vocabulary: every Bengali/English label and phrase list, in this folder, read
through this one loader.

Files (each documents its own format in its header):

* ``labels.toml`` — page-furniture labels: related-link headings, navigation headings, teaser
  link texts, desk and staff bylines, CMS account names, byline prefixes. Extraction reads them
  (:mod:`newsbot.vocabulary.labels`); the phrase rules below refer to some of its lists, so a
  label is written once.
* ``boilerplate_bn.tsv`` — the phrase rules of Bengali body lines (prompts, captions, markers …),
  matched by the line classifier (:mod:`newsbot.vocabulary.lines`).
* ``generic_phrases.toml`` — page-furniture phrases in many languages, for the generic body
  extractor's furniture check (:func:`newsbot.vocabulary.lines.is_boilerplate_line`).
* ``spelling_bn.toml`` — spelling variants equated by the comparison key
  (:func:`newsbot.text.compare_key`).

Every label and phrase comparison is made on :func:`newsbot.text.compare_key` (or its
spacing-keeping form :func:`newsbot.text.fold`); every body line is classified by
:func:`newsbot.vocabulary.lines.classify_line`.

Not here, on purpose: the date grammar (month names, weekday and time-of-day words, date labels:
``newsbot/data/dates_bn.toml``) is the date parser's own data, read into patterns, not a list
of labels compared with text; the language evidence (``newsbot/data/language.toml``) is marker
words counted by the language check; ``newsbot/extract/hygiene.toml`` lists class and id words
of markup, never text a reader sees.

This module reads files only; it imports nothing of the project, so that ``newsbot.text`` can
read the spelling variants through it.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

LABELS_FILE = "labels.toml"
PHRASES_FILE = "boilerplate_bn.tsv"
GENERIC_PHRASES_FILE = "generic_phrases.toml"
SPELLING_FILE = "spelling_bn.toml"


def read_text(name: str) -> str:
    """The text of the vocabulary file ``name`` (a file of this folder)."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@functools.cache
def load_toml(name: str) -> dict[str, Any]:
    """The vocabulary TOML file ``name``, parsed once."""
    return tomllib.loads(read_text(name))


def label_list(ref: str) -> list[str]:
    """A list of ``labels.toml`` by its dotted name (``"byline.desk_lines"``)."""
    table: Any = load_toml(LABELS_FILE)
    for part in ref.split("."):
        if not isinstance(table, dict) or part not in table:
            raise KeyError(f"{LABELS_FILE} has no list {ref!r}")
        table = table[part]
    if not isinstance(table, list):
        raise KeyError(f"{LABELS_FILE}: {ref!r} is not a list")
    return [str(v) for v in table]
