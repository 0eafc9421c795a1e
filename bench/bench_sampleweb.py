"""Extraction quality on the Bengali sample web: ``python -m bench.bench_sampleweb``.

Renders every article page of the bundled sample web in-process, extracts it, cleans it through
ONE shared chain of the cleaning pipelines (template learning on, as in a crawl), and compares
the record with ``newsbot.sampleweb.expected``: title exact, body token F1, related links
(title + URL + outlet) precision/recall and order. Prints figures for all pages, for pages after
the boilerplate pipeline has learned each outlet's template lines, and per outlet; ``--verbose``
lists every difference. Quality bar: title exact 1.0, body F1 >= 0.98, related P and R >= 0.98.
``bench/bench_extract.py`` calls :func:`bench_sampleweb`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsbot.sampleweb.quality import (
    HEADER,
    after_learning,
    by_outlet,
    evaluate,
    figures,
)

BAR = {"title_exact": 1.0, "body_f1_mean": 0.98, "related_precision": 0.98,
       "related_recall": 0.98}


def _print_details(results: list[Any]) -> None:
    for r in results:
        problems = []
        if r.error:
            problems.append(f"  error: {r.error}")
        if not r.title_ok and not r.error:
            problems.append(f"  title: got {r.got_title!r}")
        problems += [f"  body missing: {p[:70]}" for p in r.missing_body]
        problems += [f"  body extra:   {p[:70]}" for p in r.extra_body]
        problems += [f"  related missing: {t}" for t in r.missing_related]
        problems += [f"  related extra:   {t}" for t in r.extra_related]
        if not r.related_order_ok and not r.error:
            problems.append("  related order differs")
        if problems:
            print(f"{r.outlet_id} #{r.index} {r.url} (F1 {r.body_f1:.3f})")
            print("\n".join(problems))


def bench_sampleweb(verbose: bool = False, redesigned: tuple[str, ...] = (),
                    out: Any = None) -> dict[str, Any]:
    """Run the sample-web quality benchmark, print the report, return the figures as a dict:
    ``{"all": Figures, "after_learning": Figures, "outlets": {id: Figures}, "ok": bool}``."""
    out = out or sys.stdout
    results = evaluate(redesigned=redesigned)
    overall, learned = figures(results), figures(after_learning(results))
    outlets = {k: figures(v) for k, v in by_outlet(results).items()}
    print("Bengali sample web: extraction + cleaning vs newsbot.sampleweb.expected", file=out)
    if redesigned:
        print(f"(redesigned outlets: {', '.join(redesigned)})", file=out)
    print(HEADER, file=out)
    print(overall.row("all pages"), file=out)
    print(learned.row("after learning"), file=out)
    for outlet, fig in outlets.items():
        print(fig.row(f"  {outlet}"), file=out)
    ok = all(getattr(learned, k) >= v for k, v in BAR.items()) and learned.errors == 0
    print(f"quality bar (after learning): {'met' if ok else 'NOT met'}", file=out)
    if verbose:
        _print_details(results)
    return {"all": overall, "after_learning": learned, "outlets": outlets, "ok": ok}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--verbose`` lists differences; ``--redesigned ID`` renders an outlet in
    its redesigned layout."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_sampleweb")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--redesigned", action="append", default=[])
    args = parser.parse_args(argv)
    result = bench_sampleweb(verbose=args.verbose, redesigned=tuple(args.redesigned))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
