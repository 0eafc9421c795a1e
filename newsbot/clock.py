"""The one place newsbot asks what time it is.

Every component takes "now" from :func:`now` (aware UTC, whole seconds) or :func:`today` in a
time zone. Two ways to inject another time, both used by the tests and the sample web:

* in process, :func:`use` (a context manager) replaces the clock with any callable;
* across processes, the environment variable ``NEWSBOT_NOW`` (an ISO 8601 instant) makes the
  clock start at that instant and run on from there at the speed of the real clock, so
  durations and ordering stay real while the calendar is fixed.

Without either, :func:`now` is the system clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo

ENV_VAR = "NEWSBOT_NOW"

_override: Callable[[], datetime] | None = None
_pinned: tuple[str, datetime, float] | None = None  # (env value, instant, monotonic at read)


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant as an aware UTC datetime (``Z`` accepted; naive taken as UTC)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _from_env() -> datetime | None:
    global _pinned
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    if _pinned is None or _pinned[0] != value:
        try:
            _pinned = (value, parse_instant(value), time.monotonic())
        except ValueError as exc:
            raise ValueError(f"{ENV_VAR}={value!r} is not an ISO 8601 instant") from exc
    _, start, started = _pinned
    return start + timedelta(seconds=time.monotonic() - started)


def now() -> datetime:
    """The current time: aware UTC, whole seconds."""
    moment = _override() if _override is not None else _from_env() or datetime.now(UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def today(tz: tzinfo = UTC) -> date:
    """Today's date in time zone ``tz``."""
    return now().astimezone(tz).date()


@contextmanager
def use(clock: Callable[[], datetime] | datetime) -> Iterator[None]:
    """Within the block, :func:`now` answers from ``clock`` (a callable, or a fixed instant)."""
    global _override
    previous = _override
    _override = clock if callable(clock) else (lambda: clock)
    try:
        yield
    finally:
        _override = previous
