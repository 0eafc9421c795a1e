"""Crawl benchmark: ``python -m bench.bench_crawl`` (``make bench-crawl``).

Serves :class:`bench.crawlsite.BenchSite` (``--pages`` distinct ≈60 KB Bengali article pages
for a profiled outlet and for an outlet without a profile) on 127.0.0.1 and, per outlet,
interleaving the runs, ``--reps`` times: a bare Scrapy spider fetching the sitemap's articles,
the same spider calling ``trafilatura.extract``, and ``scrapy crawl bn_world`` (all pipelines,
state store, feed; fresh working directory). All three run with 32 concurrent requests and
politeness switched off (robots.txt, AutoThrottle, delay), each in its own process.

Prints per outlet the median pages/s (article pages answered with a body, per second from
spider open to engine stop), the ratios bn_world/bare and bn_world/trafilatura against the
targets (≥ 0.5× bare on the profiled outlet, ≥ 2× trafilatura on the unprofiled one), peak RSS,
and bn_world's time shares by stage (fetch and engine = what is left).

Then a re-run: ``bn_world`` over both outlets, and again over the same unchanged site with the
state kept, 30 minutes later (``NEWSBOT_NOW``), with one article edited in between: articles
fetched with a body, answered 304, skipped by the refetch schedule, time ratio, and whether the
edit reached the feed. Targets: ≤ 25 % of the article pages fetched, ≤ 0.3× the first run's time.

``--memory`` instead compares bn_world's peak RSS on 5,000 and 50,000 pages of the profiled
outlet (target ≤ 1.2×; takes several minutes; ``--memory-sizes 2000,10000`` compares others).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.crawlsite import OUTLETS, PROFILED, SITEMAP_PATH, UNPROFILED, BenchServer, BenchSite
from newsbot import clock

REPO = Path(__file__).resolve().parent.parent
HOSTS = {PROFILED: "www.prothomalo.com", UNPROFILED: "www.samakal.com"}
FAST = [
    "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "-s", "ROBOTSTXT_OBEY=False", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
    "-s", "LOG_LEVEL=WARNING",
]
STAGES = ("extract", "pipelines", "state", "feed")


def _env(base_url: str, out: Path, now: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NEWSBOT_SAMPLE_WEB=base_url,
        NEWSBOT_BENCH_OUT=str(out),
        NEWSBOT_NOW=now,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env.update(extra)
    return env


class Runner:
    """Runs crawls against one served site and collects what the probe wrote."""

    def __init__(self, site: BenchSite, server: BenchServer, tmp: Path):
        self.site, self.server, self.tmp = site, server, tmp
        self.now = site.now.isoformat()
        self.count = 0

    def _run(self, cmd: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
        out = Path(env["NEWSBOT_BENCH_OUT"])
        before = dict(self.site.hits)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)
        wall = time.perf_counter() - t0
        if not out.exists():
            raise RuntimeError(f"crawl wrote no figures (exit {proc.returncode}):\n"
                               f"{proc.stderr[-3000:]}")
        data = json.loads(out.read_text(encoding="utf-8"))
        data["exit"] = proc.returncode
        data["wall"] = wall
        data["hits"] = {k: v - before.get(k, 0) for k, v in self.site.hits.items()}
        pages = data["hits"].get("article", 0)
        data["pages_s"] = pages / data["duration"]
        # CPU of the crawl process (from spider open on) and of its extraction workers
        worker_cpu = data["stats"].get("newsbot/time/extract_worker", 0.0)
        data["cpu_ms"] = 1000 * (data["cpu"] + worker_cpu) / max(1, pages)
        data["log"] = proc.stderr
        return data

    def _fresh(self, name: str) -> tuple[Path, Path]:
        self.count += 1
        work = self.tmp / f"{self.count:03d}-{name}"
        work.mkdir()
        return work, work / "bench.json"

    def reference(self, kind: str, outlet: str) -> dict[str, Any]:
        """A run of the bare (or trafilatura) spider over ``outlet``'s sitemap."""
        work, out = self._fresh(kind)
        cmd = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "bench/crawl_spiders.py"),
               "-a", f"kind={kind}", "-a", f"sitemap=https://{HOSTS[outlet]}{SITEMAP_PATH}",
               *FAST]
        return self._run(cmd, work, _env(self.server.base_url, out, self.now))

    def bn_world(self, outlets: tuple[str, ...], work: Path | None = None, now: str = "",
                 extra: tuple[str, ...] = ()) -> dict[str, Any]:
        """A ``scrapy crawl bn_world`` run (fresh working directory unless ``work``)."""
        if work is None:
            work, out = self._fresh("bn_world")
        else:
            out = work / f"bench-{self.count}.json"
            self.count += 1
            out.unlink(missing_ok=True)
        starts = [f"https://{HOSTS[o]}{p}" for o in outlets for p in ("/world", SITEMAP_PATH)]
        cmd = [sys.executable, "-m", "scrapy", "crawl", "bn_world",
               "-a", f"outlets={','.join(outlets)}", "-a", f"start_urls={','.join(starts)}",
               *FAST, "-s", "NEWSBOT_FOLLOW_RELATED=False",
               # the run bounds of production would cut the generated site short
               "-s", "NEWSBOT_MAX_ARTICLES_PER_OUTLET=1000000", "-s", "CLOSESPIDER_TIMEOUT=0",
               *extra]
        env = _env(self.server.base_url, out, now or self.now,
                   SCRAPY_SETTINGS_MODULE="bench.crawl_settings")
        data = self._run(cmd, work, env)
        data["workdir"] = str(work)
        return data


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _shares(run: dict[str, Any]) -> dict[str, float]:
    stats = run["stats"]
    total = run["duration"]
    shares = {s: stats.get(f"bench/time/{s}", stats.get(f"newsbot/time/{s}", 0.0)) / total
              for s in STAGES}
    shares["fetch+engine"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


def machine() -> str:
    """One line about the machine the figures come from."""
    load = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
            f" load average {load[0]:.1f} at start (machine shared with other work)")


def speed(runner: Runner, reps: int, extra: tuple[str, ...] = ()) -> bool:
    """The interleaved throughput runs; prints the table, returns whether targets were met."""
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rep in range(reps):
        for outlet in OUTLETS:
            for kind in ("bare", "trafilatura", "bn_world"):
                run = (runner.bn_world((outlet,), extra=extra) if kind == "bn_world"
                       else runner.reference(kind, outlet))
                if kind == "bn_world" and run["exit"] not in (0, 5):
                    print(run["log"][-3000:], file=sys.stderr)
                    raise RuntimeError(f"bn_world exited {run['exit']}")
                runs.setdefault((outlet, kind), []).append(run)
                print(f"  rep {rep + 1} {outlet:<10} {kind:<12} {run['pages_s']:7.1f} pages/s"
                      f"  {run['cpu_ms']:6.1f} CPU ms/page"
                      f"  ({run['hits'].get('article', 0)} pages, {run['duration']:.1f} s,"
                      f" peak RSS {run['rss_mb']:.0f} MB)", flush=True)
    ok = True
    print()
    print("pages/s (median of the interleaved runs) and their ratios; CPU ms per page (crawl")
    print("process from spider open + extraction workers, median): a figure less sensitive to")
    print("a busy machine than pages/s")
    print(f"{'outlet':<12}{'bare':>9}{'+trafil.':>10}{'bn_world':>10}{'bn/bare':>9}"
          f"{'bn/traf':>9}   CPU ms/page (bare/traf/bn_world)   peak RSS MB")
    for outlet in OUTLETS:
        med = {k: _median(runs[(outlet, k)], "pages_s") for k in ("bare", "trafilatura",
                                                                  "bn_world")}
        rss = {k: _median(runs[(outlet, k)], "rss_mb") for k in med}
        pooled = any(r["stats"].get("newsbot/time/extract_worker")
                     for r in runs[(outlet, "bn_world")])
        child = _median(runs[(outlet, "bn_world")], "children_rss_mb") if pooled else 0
        cpu = {k: _median(runs[(outlet, k)], "cpu_ms") for k in med}
        r_bare, r_traf = med["bn_world"] / med["bare"], med["bn_world"] / med["trafilatura"]
        print(f"{outlet:<12}{med['bare']:9.1f}{med['trafilatura']:10.1f}{med['bn_world']:10.1f}"
              f"{r_bare:8.2f}x{r_traf:8.2f}x   {cpu['bare']:5.1f}/{cpu['trafilatura']:5.1f}/"
              f"{cpu['bn_world']:5.1f}{'':>15}{rss['bare']:.0f}/{rss['trafilatura']:.0f}/"
              f"{rss['bn_world']:.0f}" + (f" + workers {child:.0f}" if child else ""))
        if outlet == PROFILED:
            met = r_bare >= 0.5
            print(f"  target bn_world >= 0.5x bare on the profiled outlet: "
                  f"{'met' if met else 'NOT met'}")
        else:
            met = r_traf >= 2.0
            print(f"  target bn_world >= 2x trafilatura on the unprofiled outlet: "
                  f"{'met' if met else 'NOT met'}")
        ok = ok and met
    print()
    print("bn_world time shares (median run, share of the crawl's duration):")
    for outlet in OUTLETS:
        bn = sorted(runs[(outlet, "bn_world")], key=lambda r: r["pages_s"])[len(
            runs[(outlet, "bn_world")]) // 2]
        shares = _shares(bn)
        text = ", ".join(f"{k} {v * 100:.0f} %" for k, v in shares.items())
        worker = bn["stats"].get("newsbot/time/extract_worker", 0.0) / bn["duration"]
        note = f"; extraction in worker processes {worker * 100:.0f} % of one core" if worker \
            else ""
        print(f"  {outlet:<12}{text}{note}")
    return ok


def rerun(runner: Runner) -> bool:
    """First run and a second run 30 minutes later over the unchanged site (one edit)."""
    work, _ = runner._fresh("rerun")
    first = runner.bn_world(OUTLETS, work=work)
    if first["exit"] not in (0, 5):
        raise RuntimeError(f"first run exited {first['exit']}:\n{first['log'][-3000:]}")
    # Edit a profiled article whose 1-hour refetch point falls between the two runs.
    site = runner.site
    index = next(i for i in range(site.n)
                 if site.now - site.published(i) >= timedelta(minutes=35))
    site.edit(PROFILED, index)
    later = (runner.site.now + timedelta(minutes=30)).isoformat()
    second = runner.bn_world(OUTLETS, work=work, now=later)
    if second["exit"] not in (0, 5):
        raise RuntimeError(f"second run exited {second['exit']}:\n{second['log'][-3000:]}")
    articles = 2 * runner.site.n
    fetched = second["hits"].get("article", 0)
    answered_304 = second["hits"].get("article_304", 0)
    skipped = second["stats"].get("newsbot/refetch/skipped", 0)
    share, ratio = fetched / articles, second["duration"] / first["duration"]
    edited = site.url(PROFILED, index)
    feeds = sorted(Path(work).rglob("*.jsonl"))
    caught = any(
        json.loads(line).get("canonical_url") == edited and json.loads(line).get("revision") == 1
        for path in feeds if not path.name.endswith(".rejects.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    print()
    print(f"re-run over the unchanged site ({articles} article pages, all inside the refetch "
          "window, second run 30 min later, one article edited):")
    print(f"  first run : {first['hits'].get('article', 0)} pages fetched, "
          f"{first['duration']:.1f} s")
    print(f"  second run: {fetched} fetched with a body ({share * 100:.1f} %), "
          f"{answered_304} answered 304, {skipped} skipped by the schedule, "
          f"{second['duration']:.1f} s = {ratio:.2f}x the first run")
    print(f"  edited article delivered as revision 1: {'yes' if caught else 'NO'}")
    ok = share <= 0.25 and ratio <= 0.3 and caught
    print(f"  targets (<= 25 % fetched, <= 0.3x time, edit caught): {'met' if ok else 'NOT met'}")
    return ok


def memory(tmp: Path, sizes: tuple[int, int] = (5_000, 50_000)) -> bool:
    """bn_world's peak RSS on the profiled outlet at two site sizes."""
    rss = {}
    for n in sizes:
        site = BenchSite(n, cache=False)
        server = BenchServer(site)
        try:
            runner = Runner(site, server, tmp / f"mem-{n}")
            runner.tmp.mkdir()
            run = runner.bn_world((PROFILED,))
        finally:
            server.close()
        rss[n] = run["rss_mb"]
        print(f"  {n:>6} pages: {run['hits'].get('article', 0)} fetched, "
              f"{run['pages_s']:.1f} pages/s, peak RSS {run['rss_mb']:.0f} MB "
              f"(+ workers {run['children_rss_mb']:.0f} MB)", flush=True)
    ratio = rss[sizes[1]] / rss[sizes[0]]
    ok = ratio <= 1.2
    print(f"peak RSS {sizes[1]:,} / {sizes[0]:,} pages: {ratio:.2f}x (target <= 1.2x): "
          f"{'met' if ok else 'NOT met'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Command line; exit 1 when a target is not met."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_crawl")
    parser.add_argument("--pages", type=int, default=2000, help="article pages per outlet")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--memory", action="store_true",
                        help="only the peak-RSS comparison at 5,000 and 50,000 pages")
    parser.add_argument("--memory-sizes", default="5000,50000",
                        help="the two site sizes --memory compares (default 5000,50000)")
    parser.add_argument("--no-rerun", action="store_true")
    parser.add_argument("--workers", type=int, default=None,
                        help="run bn_world with NEWSBOT_EXTRACT_WORKERS=N (default: settings)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-crawl-"))
    try:
        if args.memory:
            small, large = (int(n) for n in args.memory_sizes.split(","))
            return 0 if memory(tmp, (small, large)) else 1
        with clock.use(clock.now()):
            site = BenchSite(args.pages)
        print(f"site: {args.pages} article pages per outlet ({', '.join(OUTLETS)}), "
              f"≈{len(site.render(PROFILED, 0)) // 1000} KB / "
              f"{len(site.render(UNPROFILED, 0)) // 1000} KB a page; warming the server ...",
              flush=True)
        site.warm()
        server = BenchServer(site)
        try:
            runner = Runner(site, server, tmp)
            extra = () if args.workers is None else (
                "-s", f"NEWSBOT_EXTRACT_WORKERS={args.workers}")
            if extra:
                print(f"bn_world with {args.workers} extraction worker process(es)")
            ok = speed(runner, args.reps, extra)
            if not args.no_rerun:
                ok = rerun(runner) and ok
        finally:
            server.close()
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
