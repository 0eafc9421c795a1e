"""Requests in the shared queue as JSON (``SCHEDULER_SERIALIZER``), not pickle: whoever can
write to Redis can still disturb the crawl, but cannot run code in the workers.

scrapy-redis stores ``Request.to_dict()``; its bytes (headers, body) are written as
``{"$b64": "..."}`` objects. Anything else that JSON cannot hold is refused with a TypeError.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES = "$b64"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, bytes) else k.decode("latin-1"): _encode(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} into the shared queue: {value!r}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    """A request dict as JSON bytes."""
    return json.dumps(_encode(obj), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """The request dict back from :func:`dumps`."""
    return _decode(json.loads(data))
