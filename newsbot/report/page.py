"""The report page: one HTML file with inline CSS and SVG, a chart and a table per section; no
script and no external resource (a Content-Security-Policy forbids loading any)."""

from __future__ import annotations

from collections.abc import Container, Iterable
from html import escape
from typing import Any

from newsbot import __version__
from newsbot.report import svg
from newsbot.report.data import ReportData, Run
from newsbot.state import COVERAGE_FIELDS

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1180px;
       padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 36px;
     border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; } .chart { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #f4f4f4; } .scroll { overflow-x: auto; }
.bad { color: #b00020; font-weight: 600; } .ok { color: #2e7d32; }
ul.outlets { columns: 3; padding-left: 18px; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _table(head: list[str], rows: Iterable[list[Any]], numeric: Container[int]) -> str:
    """An HTML table; the columns in ``numeric`` are right-aligned numbers."""

    def cell(tag: str, i: int, value: Any) -> str:
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{escape('' if value is None else str(value))}</{tag}>"

    out = ['<div class="scroll"><table><thead><tr>']
    out += [cell("th", i, h) for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _section(anchor: str, title: str, note: str, chart: str, table: str) -> str:
    return (
        f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="meta">{escape(note)}</p>'
        f'<div class="chart">{chart}</div>{table}</section>'
    )


def _outlet(data: ReportData, outlet_id: str) -> str:
    return data.names.get(outlet_id, (outlet_id, ""))[0]


def articles_section(data: ReportData) -> str:
    """Articles first seen per outlet and UTC day."""
    days = sorted({d for per_day in data.daily.values() for d in per_day})[-31:]
    outlets = sorted(data.daily, key=lambda o: -sum(data.daily[o].values()))
    series = {o: [data.daily[o].get(d, 0) for d in days] for o in outlets}
    rows = [[o, _outlet(data, o), *series[o], sum(series[o])] for o in outlets]
    return _section(
        "articles",
        "Articles per outlet per day",
        f"New articles by the UTC day they were first seen (from the {data.daily_source}).",
        svg.stacked_bars(days, series, title="Articles per outlet per day", unit="articles"),
        _table(["outlet", "name", *days, "total"], rows, numeric=range(2, len(days) + 3)),
    )


def drops_section(data: ReportData) -> str:
    """Drops by reason, run by run."""
    runs = [r for r in data.runs if r.has_summary]
    totals = {k: sum(r.drops.get(k, 0) for r in runs) for r in runs for k in r.drops}
    reasons = sorted(totals, key=lambda k: -totals[k])
    labels = [r.label for r in runs]
    series = {reason: [r.drops.get(reason, 0) for r in runs] for reason in reasons}
    rows = [[reason, *series[reason], sum(series[reason])] for reason in reasons]
    rows.append(["articles written", *[r.scraped or 0 for r in runs],
                 sum(r.scraped or 0 for r in runs)])
    return _section(
        "drops",
        "Drops by reason across runs",
        "Pages and items that did not become feed lines, per run (from the run summaries).",
        svg.stacked_bars(labels, series, title="Drops by reason", unit="drops"),
        _table(["reason", *labels, "total"], rows, numeric=range(1, len(labels) + 2)),
    )


def coverage_section(data: ReportData) -> str:
    """Field coverage per outlet, from each outlet's latest run that parsed articles."""
    outlets = list(data.coverage)
    values = [[data.coverage[o].get(f) for f in COVERAGE_FIELDS] for o in outlets]
    rows = [
        [o, _outlet(data, o), *["–" if v is None else f"{v:.0%}" for v in vals]]
        for o, vals in zip(outlets, values, strict=True)
    ]
    return _section(
        "coverage",
        "Field coverage per outlet",
        "Share of parsed articles with each field, in the outlet's latest run (state store).",
        svg.heatmap(outlets, list(COVERAGE_FIELDS), values, title="Field coverage per outlet"),
        _table(["outlet", "name", *COVERAGE_FIELDS], rows, numeric=range(2, 9)),
    )


def _state(run: Run, outlet: str) -> str:
    if outlet in run.tripped:
        return "tripped"
    return "ok" if outlet in run.outlets else "absent"


def canary_section(data: ReportData) -> str:
    """Which outlet tripped the canary in which run, and the alerts."""
    outlets = sorted({o for r in data.runs for o in (*r.outlets, *r.tripped)})
    labels = [r.label for r in data.runs]
    states = [[_state(r, o) for r in data.runs] for o in outlets]
    alerts = [
        [r.label, a.get("outlet_id"), a.get("kind"), a.get("field") or "", a.get("baseline"),
         a.get("current"), a.get("message")]
        for r in data.runs for a in r.alerts
    ]  # fmt: skip
    tripped_runs = sum(1 for r in data.runs if r.tripped)
    return _section(
        "canary",
        "Canary history",
        f"{tripped_runs} of {len(data.runs)} runs tripped the outlet canary.",
        svg.status_grid(outlets, labels, states, title="Canary history"),
        _table(["run", "outlet", "kind", "field", "baseline", "current", "message"],
               alerts or [["—", "no alert", "", "", "", "", ""]], numeric={4, 5}),
    )


def delivery_section(data: ReportData) -> str:
    """Feeds that were not stored, run by run."""
    runs = [r for r in data.runs if r.has_summary]
    labels = [r.label for r in runs]
    statuses = sorted({f.get("status", "failed") for r in runs for f in r.failed_feeds})
    statuses = statuses or ["spooled"]
    series = {
        status: [sum(1 for f in r.failed_feeds if f.get("status") == status) for r in runs]
        for status in statuses
    }
    rows = [
        [r.label, f.get("uri"), f.get("status"), f.get("items"), f.get("error")]
        for r in runs for f in r.failed_feeds
    ]  # fmt: skip
    failing = sum(1 for r in runs if r.failed_feeds)
    return _section(
        "delivery",
        "Delivery failures",
        f"{failing} of {len(runs)} runs could not store every feed (kept in the spool until "
        "the next run or `python -m newsbot deliver` stores them).",
        svg.stacked_bars(labels, series, title="Feeds not stored", unit="feeds"),
        _table(["run", "feed", "status", "items", "error"],
               rows or [["—", "none", "", "", ""]], numeric={3}),
    )


def render(data: ReportData) -> str:
    """The whole page."""
    latest = data.runs[-1] if data.runs else None
    outlets = "".join(
        f"<li><b>{escape(o)}</b> — {escape(data.names.get(o, (o, ''))[0])}"
        f" <span lang=\"bn\">{escape(data.names.get(o, ('', ''))[1])}</span></li>"
        for o in data.latest_outlets
    )
    if latest is None:
        status = "<p>No runs recorded yet.</p>"
    else:
        cls = "ok" if latest.exit_code == 0 else "bad"
        status = (
            f'<p>Latest run {escape(latest.label)} UTC: <span class="{cls}">exit code '
            f"{escape(str(latest.exit_code))} {escape(latest.exit_status)}</span>, "
            f"{escape(str(latest.scraped if latest.scraped is not None else '?'))} articles "
            f"written. Its outlets:</p><ul class=\"outlets\">{outlets}</ul>"
        )
    span = f"{data.runs[0].label} – {data.runs[-1].label} UTC" if data.runs else "no runs"
    body = "".join(
        f(data)
        for f in (articles_section, drops_section, coverage_section, canary_section,
                  delivery_section)
    )  # fmt: skip
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsbot report: {escape(data.spider)}</title><style>{CSS}</style></head><body>"
        f"<h1>newsbot run report: {escape(data.spider)}</h1>"
        f'<p class="meta">{len(data.runs)} run(s) ({escape(span)}); generated '
        f"{escape(data.generated_at)} by newsbot {__version__}.</p>{status}"
        '<nav><a href="#articles">articles</a> · <a href="#drops">drops</a> · '
        '<a href="#coverage">coverage</a> · <a href="#canary">canary</a> · '
        '<a href="#delivery">delivery</a></nav>'
        f"{body}</body></html>\n"
    )
