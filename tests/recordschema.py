"""The published record schema (``schema/article.schema.json``), checked on every crawl's feed
lines: the crawl helpers validate each record they read or that a crawl wrote."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "article.schema.json"


@cache
def validator() -> Draft202012Validator:
    """A 2020-12 validator of the schema that also checks formats (``uri``, ``date-time``)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(record: dict[str, Any]) -> list[str]:
    """Why ``record`` does not match the schema (empty when it does)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
        for e in validator().iter_errors(record)
    ]


def assert_valid(records: Iterable[dict[str, Any]], where: str = "") -> None:
    """Fail with the first few problems when any record does not match the schema."""
    problems = []
    for n, record in enumerate(records, 1):
        problems += [
            f"record {n} ({record.get('canonical_url')}): {p}" for p in schema_errors(record)
        ]
    assert not problems, f"{len(problems)} schema error(s) {where}:\n" + "\n".join(problems[:10])
