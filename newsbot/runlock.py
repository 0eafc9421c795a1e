"""One run at a time: an advisory ``fcntl`` lock on a lock file (setting ``NEWSBOT_LOCK_PATH``).

The kernel drops the lock when the process ends, however it ends (even SIGKILL), so a stale
lock file never blocks the next run. The file holds the holder's pid and start time, for the
message a second run prints: with the age of the lock, and, when the holder has held it longer
than ``NEWSBOT_LOCK_STALE_AFTER`` seconds (a frozen or hung run), as an error with its own exit
code (:func:`refusal`).
"""

from __future__ import annotations

import fcntl
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from newsbot import clock, default_settings
from newsbot.exitcodes import ExitCode

_SINCE_RE = re.compile(r"since (\S+)")

_HELD: set[Path] = set()


def held_here(path: str | os.PathLike[str] | None) -> bool:
    """Whether this process holds the run lock at ``path`` (default path when None)."""
    return Path(path or default_settings.NEWSBOT_LOCK_PATH).resolve() in _HELD


class LockHeld(RuntimeError):
    """Another process holds the run lock."""

    def __init__(self, path: Path, holder: str):
        self.path = path
        self.holder = holder
        self.age = _age(holder)
        detail = holder
        if self.age is not None:
            detail += f", for {format_age(self.age)}"
        detail = f" ({detail})" if detail else ""
        super().__init__(f"another newsbot run holds the lock {path}{detail}")


def _age(holder: str) -> timedelta | None:
    match = _SINCE_RE.search(holder)
    if match is None:
        return None
    try:
        since = datetime.fromisoformat(match.group(1))
    except ValueError:
        return None
    return max(timedelta(0), clock.now() - since) if since.tzinfo else None


def format_age(age: timedelta) -> str:
    """``2 h 05 min`` / ``12 min 30 s`` / ``8 s``."""
    seconds = int(age.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def refusal(exc: LockHeld, stale_after: float, doing: str) -> tuple[ExitCode, str]:
    """The exit code and the one-line message for a run refused by ``exc``: ``LOCK_HELD``,
    or ``LOCK_STALE`` when the holder has held the lock longer than ``stale_after`` seconds."""
    if exc.age is not None and stale_after > 0 and exc.age.total_seconds() > stale_after:
        return ExitCode.LOCK_STALE, (
            f"newsbot: {exc}: longer than any run may take (NEWSBOT_LOCK_STALE_AFTER="
            f"{stale_after:g} s), so that run is frozen or hung; {doing}. Check the process "
            "named in the lock file and stop it; the next run then starts normally"
        )
    return ExitCode.LOCK_HELD, f"newsbot: {exc}; {doing}"


class RunLock:
    """An exclusive, non-blocking lock on ``path``; use as a context manager or acquire/release."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock at once or raise :class:`LockHeld`."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        started = clock.now().isoformat()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {started}\n".encode(), 0)
        self._fd = fd
        _HELD.add(self.path.resolve())

    def release(self) -> None:
        """Give the lock up (the file stays; it is harmless)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(self.path.resolve())
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
