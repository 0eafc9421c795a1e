"""``python -m newsbot report``: one self-contained HTML page from the state store and the run
summaries, rendered for real in headless Chromium.

The history is made by real crawls in one folder: a normal run, a run in which an outlet's
redesign trips the canary, and a run whose S3 delivery fails (a local S3 server without the
bucket)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsbot.exitcodes import ExitCode
from newsbot.report.cli import main as report_main
from newsbot.report.data import ReportData, Run, gather
from newsbot.report.page import render
from newsbot.sampleweb.server import serve
from newsbot.state import SQLiteStateStore
from tests.s3server import MotoServer, env_for, moto, run, why  # noqa: F401  (fixture)
from tests.test_canary import redesign_outlet

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BUCKET = "newsbot-report-no-bucket"


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a fresh profile, no network services, console to stderr."""
    assert Path(CHROMIUM).exists(), "Chromium is needed (Debian package chromium)"
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        *args,
    ]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_lines(stderr: str) -> list[str]:
    """The page's console messages (errors, CSP refusals, uncaught exceptions) in the log."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, moto: MotoServer) -> dict[str, Any]:  # noqa: F811
    workdir = tmp_path_factory.mktemp("report")
    victim = redesign_outlet()
    outlets = ",".join(sorted({victim, "kalerkantho", "songkolon"}))
    args = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
            "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")
    codes = []
    for redesigned, s3 in (((), False), ((victim,), False), ((), True)):
        server = serve(port=0, redesigned=redesigned)
        try:
            extra = moto.env(NEWSBOT_S3_BUCKET=BUCKET) if s3 else {}
            proc = run(workdir, env_for(server.base_url, **extra), outlets, *args)
        finally:
            server.close()
        codes.append(proc.returncode)
        assert proc.returncode in (ExitCode.OK, ExitCode.CANARY_TRIPPED,
                                   ExitCode.DELIVERY_FAILED), why(proc)
    assert codes == [ExitCode.OK, ExitCode.CANARY_TRIPPED, ExitCode.DELIVERY_FAILED]
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "report", "-o", "out/report.html"],
        cwd=workdir, env=env_for("http://127.0.0.1:9"), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "out/report.html"
    html = (workdir / "out" / "report.html").read_text(encoding="utf-8")
    return {"workdir": workdir, "victim": victim, "outlets": outlets.split(","), "html": html}


class _Page(HTMLParser):
    """Tags, attributes and the text of each table, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.order: list[str] = []  # "svg" / "table" per section, in order
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("svg", "table"):
            self.order.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def table(page: _Page, first_header: str, index: int = 0) -> list[list[str]]:
    found = [t for t in page.tables if t and t[0][0] == first_header]
    return found[index]


def test_the_page_is_self_contained(history: dict[str, Any]) -> None:
    page = parse(history["html"])
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    for _, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value
    assert "default-src 'none'" in history["html"]  # the browser refuses to load anything
    # five sections, each a chart with its table under it
    assert page.order == ["svg", "table"] * 5


def test_articles_per_outlet_per_day_match_the_state_store(history: dict[str, Any]) -> None:
    store = SQLiteStateStore(history["workdir"] / ".newsbot" / "state.sqlite3")
    try:
        counts = store.articles_by_day()
    finally:
        store.close()
    rows = table(parse(history["html"]), "outlet")
    head, body = rows[0], rows[1:]
    days = head[2:-1]
    shown = {(r[0], day): int(n) for r in body for day, n in zip(days, r[2:-1], strict=True)}
    assert {k: v for k, v in shown.items() if v} == {k: v for k, v in counts.items() if v}
    assert {r[0] for r in body} == set(history["outlets"])


def test_drops_and_delivery_failures_across_runs(history: dict[str, Any]) -> None:
    page = parse(history["html"])
    drops = table(page, "reason")
    assert len(drops[0]) == 2 + 3  # reason, three runs, total
    written = next(r for r in drops if r[0] == "articles written")
    assert int(written[1]) > 0
    delivery = table(page, "run", index=1)  # the canary's alert table comes first
    assert delivery[0] == ["run", "feed", "status", "items", "error"]
    (failure,) = delivery[1:]
    assert failure[1].startswith(f"s3://{BUCKET}/") and failure[2] == "spooled"
    assert f"S3 bucket '{BUCKET}' does not exist" in failure[4]
    assert "1 of 3 runs could not store every feed" in history["html"]


def test_canary_history_and_coverage(history: dict[str, Any]) -> None:
    page = parse(history["html"])
    victim = history["victim"]
    alerts = table(page, "run", index=0)
    assert alerts[0][:3] == ["run", "outlet", "kind"]
    assert {r[1] for r in alerts[1:]} == {victim}
    assert "1 of 3 runs tripped the outlet canary" in history["html"]
    assert re.search(rf"<title>{victim} · [^<]+: tripped</title>", history["html"])
    coverage = table(page, "outlet", index=1)
    assert coverage[0] == ["outlet", "name", "title", "body", "published", "authors"]
    by_outlet = {r[0]: r for r in coverage[1:]}
    assert set(by_outlet) == set(history["outlets"])
    assert by_outlet["kalerkantho"][2] == "100%"


def test_no_secret_reaches_the_page(history: dict[str, Any]) -> None:
    env = MotoServer().env()
    assert env["AWS_SECRET_ACCESS_KEY"] not in history["html"]
    assert env["AWS_ACCESS_KEY_ID"] not in history["html"]


def test_chromium_renders_it_without_console_errors(
    history: dict[str, Any], tmp_path: Path
) -> None:
    url = (history["workdir"] / "out" / "report.html").as_uri()
    proc = chromium(tmp_path, "--dump-dom", url)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert console_lines(proc.stderr) == []
    dom = proc.stdout
    assert "newsbot run report: bn_world" in dom
    latest = re.search(r'<ul class="outlets">(.*?)</ul>', dom, re.S).group(1)
    for outlet in history["outlets"]:
        assert f"<b>{outlet}</b>" in latest
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, "--window-size=1280,2400", f"--screenshot={shot}", url)
    assert proc.returncode == 0 and console_lines(proc.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """The check above would notice a page that logs an error or is refused a resource."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src '
        "'none'\"><img src=\"http://127.0.0.1:9/x.png\"><p>x</p>",
        encoding="utf-8",
    )
    proc = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert any("Content Security Policy" in line for line in console_lines(proc.stderr))


def test_an_empty_history_still_makes_a_page(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "r" / "report.html"
    code = report_main(["-o", str(out), "--state", str(tmp_path / "state.sqlite3"),
                        "--summaries", str(tmp_path / "none")])
    assert code == 0 and capsys.readouterr().out.strip() == str(out)
    html = out.read_text(encoding="utf-8")
    assert "No runs recorded yet." in html and "0 run(s)" in html
    assert parse(html).order == ["svg", "table"] * 5


def test_an_unwritable_output_fails(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code = report_main(["-o", str(tmp_path / "file" / "report.html"),
                        "--state", str(tmp_path / "state.sqlite3")])
    assert code == 1


def test_summaries_key_runs_like_the_store(history: dict[str, Any]) -> None:
    last = json.loads((history["workdir"] / ".newsbot" / "last-run.json").read_text())
    store = SQLiteStateStore(history["workdir"] / ".newsbot" / "state.sqlite3")
    try:
        (newest,) = store.recent_runs("bn_world", 1)
    finally:
        store.close()
    assert last["run_id"] == newest.run_id


def test_text_from_summaries_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    run_ = Run("20261129T194120Z", exit_code=3, exit_status="delivery_failed", scraped=1,
               drops={evil: 2}, outlets=["prothomalo"], has_summary=True,
               failed_feeds=[{"uri": "s3://b/k.jsonl", "status": "spooled", "error": evil}],
               alerts=[{"outlet_id": "prothomalo", "kind": "zero_articles", "message": evil}])
    html = render(ReportData("bn_world", "2026-11-29T20:00:00+00:00", [run_],
                             {"prothomalo": {"2026-11-29": 1}}, "state store", {}, {}))
    assert "<script" not in html and "&lt;script&gt;" in html


class _NoDays(SQLiteStateStore):
    """A backend that keeps no first-seen days."""

    def articles_by_day(self) -> None:
        return None


def test_gather_reads_the_newest_summaries_and_falls_back_to_them(tmp_path: Path) -> None:
    for day, new in ((1, 3), (2, 4), (3, 5), (4, 6)):
        stamp = f"202611{day:02d}T100000Z"
        path = tmp_path / "feeds" / "bn_world" / f"2026-11-{day:02d}" / f"{stamp}.summary.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({
            "spider": "bn_world", "run_id": f"bn_world-{stamp}", "exit_code": 0,
            "exit_status": "ok", "items": {"scraped": new}, "drops": {"http_404": day},
            "outlets": {"ittefaq": {"scraped": new, "new": new}},
            "canary": {"tripped": False, "alerts": []}, "delivery": {"feeds": []},
        }))  # fmt: skip
    store = _NoDays(tmp_path / "state.sqlite3")
    try:
        data = gather(store, [tmp_path / "feeds"], max_runs=2)
    finally:
        store.close()
    assert [r.stamp for r in data.runs] == ["20261103T100000Z", "20261104T100000Z"]
    assert [r.drops for r in data.runs] == [{"http_404": 3}, {"http_404": 4}]
    assert data.daily_source == "run summaries"
    assert data.daily == {"ittefaq": {"2026-11-03": 5, "2026-11-04": 6}}
    assert data.latest_outlets == ["ittefaq"]
    assert data.names["ittefaq"][0] == "The Daily Ittefaq"
