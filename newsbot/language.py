"""Which language a text is in, with the evidence: ``identify(text) -> Verdict``.

langdetect (seeded) is the detector; it knows Bengali but no other language written in Bengali
script, so it would call Assamese, Sylheti or Bishnupriya Manipuri "Bengali". For text mostly in
Bengali script the answer therefore comes from evidence it cannot see, in this order:

1. ``letters``: the letters ৰ and ৱ, which standard Bengali does not use (Assamese);
2. ``markers``: words of Sylheti or Bishnupriya Manipuri that standard Bengali does not use;
3. ``cld2``: pycld2, an offline model that tells Bengali from Assamese, best guess among the
   Bengali-script languages.

Such text is ``bn`` only when that evidence says Bengali, not because of its script. Other text
goes to langdetect, except romanised Bengali (``bn-Latn``, by marker words) and languages
langdetect has no profile for (Odia, ...), where pycld2 answers. The letters, marker words and
thresholds are in ``newsbot/data/language.toml``. Nothing here raises on odd text: text without
letters, or that no detector can read, is ``unknown`` (method ``none``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsbot import default_settings
from newsbot.data import load_toml
from newsbot.text import nfc, script_share

UNKNOWN = "unknown"
METHODS = ("letters", "markers", "cld2", "langdetect", "none")

_BENGALI_WORD_RE = re.compile(r"[\u0980-\u09e3\u09f0-\u09ff\u200c\u200d]+")
_LATIN_WORD_RE = re.compile(r"[a-z]+")
# pycld2 refuses control characters other than white space (and invalid UTF-8).
_CLD2_BAD_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Verdict:
    """The language of a text: ``code`` (``bn``, ``as``, ``en``, ``bn-Latn``, ``unknown``, ...),
    ``confidence`` (0–1), the ``method`` that decided (one of ``METHODS``) and ``evidence``, a
    short human-readable account of what was seen.

    Confidence is langdetect's probability (``langdetect``), the share of the text pycld2 gives
    the language (``cld2``), or for ``letters`` and ``markers`` the number of telling words over
    three, capped at 1 (one such word may be a quoted name; three are a pattern).
    """

    code: str
    confidence: float
    method: str
    evidence: str

    def describe(self) -> str:
        """``"<method> <confidence>: <evidence>"``, as the rejects feed gives it."""
        return f"{self.method} {self.confidence}: {self.evidence}"


@dataclass(frozen=True)
class _Rule:
    code: str
    name: str
    script: str
    chars: frozenset[str]  # letters rules
    words: frozenset[str]  # marker rules
    min_hits: int
    min_share: float


@functools.cache
def _rules() -> tuple[tuple[_Rule, ...], tuple[_Rule, ...], frozenset[str], frozenset[str], int]:
    """Letter rules, marker rules, the Bengali-script languages, langdetect's blind spots and
    the evidence window."""
    data = load_toml("language.toml")
    letters = tuple(
        _Rule(r["code"], r["name"], "bengali", frozenset(nfc("".join(r["letters"]))),
              frozenset(), int(r["min_words"]), float(r["min_word_share"]))
        for r in data.get("letters", []))
    markers = tuple(
        _Rule(r["code"], r["name"], r["script"], frozenset(),
              frozenset(nfc(w).lower() for w in r["words"]), int(r["min_hits"]),
              float(r["min_share"]))
        for r in data.get("markers", []))
    return (letters, markers, frozenset(data["bengali_script_languages"]),
            frozenset(data["langdetect_blind"]), int(data["evidence_chars"]))


@functools.cache
def _detector() -> Callable[[str], list[Any]]:
    """langdetect's ``detect_langs``, seeded so the same text always gets the same answer."""
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    return detect_langs


def _cld2(text: str) -> tuple[bool, list[tuple[str, int]]]:
    """Whether pycld2 calls its answer reliable, and its best-effort guesses ``(code, percent of
    the text)``, best first ([] when it has none)."""
    import pycld2

    clean = _CLD2_BAD_RE.sub(" ", text).encode("utf-8", "ignore").decode("utf-8")
    try:
        reliable, _, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:
        return False, []
    return bool(reliable), [(code, percent) for _, code, percent, _ in details if code != "un"]


def _words(text: str, script: str) -> list[str]:
    if script == "latin":
        return _LATIN_WORD_RE.findall(text.lower())
    return _BENGALI_WORD_RE.findall(text)


def _letters(text: str, words: list[str]) -> Verdict | None:
    """Assamese (or another rule's language) by letters standard Bengali does not use."""
    letters, _, _, _, _ = _rules()
    for rule in letters:
        if not any(c in text for c in rule.chars):  # the usual case, and cheap
            continue
        hits = sum(1 for w in words if not rule.chars.isdisjoint(w))
        if hits >= rule.min_hits and words and hits / len(words) >= rule.min_share:
            shown = "/".join(sorted(rule.chars))
            return Verdict(rule.code, round(min(1.0, hits / 3), 4), "letters",
                           f"{shown} in {hits} of {len(words)} Bengali-script words")
    return None


def _markers(text: str, script: str) -> Verdict | None:
    """The language whose marker words ``text`` uses most, if enough of its words are markers."""
    _, markers, _, _, _ = _rules()
    words = _words(text, script)
    if not words:
        return None
    best: tuple[int, _Rule, list[str]] | None = None
    for rule in markers:
        if rule.script != script:
            continue
        found = [w for w in words if w in rule.words]
        if (len(found) >= rule.min_hits and len(found) / len(words) >= rule.min_share
                and (best is None or len(found) > best[0])):
            best = (len(found), rule, found)
    if best is None:
        return None
    hits, rule, found = best
    shown = ", ".join(list(dict.fromkeys(found))[:5])
    return Verdict(rule.code, round(min(1.0, hits / 3), 4), "markers",
                   f"{hits} of {len(words)} words are markers of {rule.name} ({shown})")


def _bengali_script(text: str) -> Verdict:
    """Which Bengali-script language: letters, then marker words, then pycld2."""
    _, _, languages, _, _ = _rules()
    words = _words(text, "bengali")
    verdict = _letters(text, words) or _markers(text, "bengali")
    if verdict is not None:
        return verdict
    _, guesses = _cld2(text)
    for code, percent in guesses:
        if code in languages:
            return Verdict(code, round(percent / 100, 4), "cld2",
                           f"pycld2 {code} {percent}% of the text")
    return Verdict(UNKNOWN, 0.0, "none", "Bengali script; pycld2 has no guess")


def _other_script(text: str, max_chars: int) -> Verdict:
    """Romanised Bengali by marker words, else langdetect, else pycld2 where langdetect is
    blind."""
    verdict = _markers(text, "latin")
    if verdict is not None:
        return verdict
    from langdetect.lang_detect_exception import LangDetectException

    sample = text[:max_chars] if max_chars > 0 else text
    try:
        best = _detector()(sample)[0]
        found: tuple[str, float] | None = (str(best.lang), round(float(best.prob), 4))
    except (LangDetectException, IndexError):
        found = None
    _, _, _, blind, _ = _rules()
    reliable, guesses = _cld2(text)
    if reliable and guesses and guesses[0][0] in blind:
        code, percent = guesses[0]
        seen = f"langdetect {found[0]} {found[1]}" if found else "langdetect no answer"
        return Verdict(code, round(percent / 100, 4), "cld2",
                       f"pycld2 {code} {percent}% of the text; {seen} (no {code} profile)")
    if found is None:
        return Verdict(UNKNOWN, 0.0, "none", "langdetect and pycld2 have no answer")
    return Verdict(found[0], found[1], "langdetect", f"langdetect {found[0]} {found[1]}")


def identify(text: str, max_chars: int = default_settings.NEWSBOT_LANGDETECT_MAX_CHARS,
             min_share: float = default_settings.NEWSBOT_LANGUAGE_SCRIPT_SHARE) -> Verdict:
    """The language of ``text`` with the method that decided and its evidence.

    Text whose letters are at least ``min_share`` Bengali script is told apart by letters,
    marker words and pycld2 (see the module); other text by langdetect, seeded, reading at most
    ``max_chars`` characters (0: all). Never raises.
    """
    _, _, _, _, window = _rules()
    text = nfc(text[:window])
    letters, share = script_share(text)
    if letters == 0:
        return Verdict(UNKNOWN, 0.0, "none", "no letters")
    if share >= min_share:
        return _bengali_script(text)
    return _other_script(text, max_chars)
