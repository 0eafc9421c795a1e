"""Make targets that touch an operator's data."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.s3server import REPO


def _clean_state(workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "clean-state"],
                          cwd=workdir, capture_output=True, text=True, timeout=60)


def test_clean_state_keeps_a_feed_not_yet_delivered(tmp_path: Path) -> None:
    spool = tmp_path / ".newsbot" / "spool"
    spool.mkdir(parents=True)
    (spool / "entry.json").write_text("{}", encoding="utf-8")
    (spool / "entry.data").write_text("{}\n", encoding="utf-8")
    proc = _clean_state(tmp_path)
    assert proc.returncode != 0
    assert "make deliver" in proc.stderr
    assert (spool / "entry.data").exists()


def test_clean_state_forgets_state_when_nothing_waits(tmp_path: Path) -> None:
    (tmp_path / ".newsbot" / "spool").mkdir(parents=True)
    (tmp_path / ".newsbot" / "state.sqlite3").write_bytes(b"")
    proc = _clean_state(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / ".newsbot").exists()
