"""Unicode text helpers for Bengali news text.

Text is normalised to NFC once, early (``clean_line``); comparisons use ``compare_key``, which is
stricter: it also ignores zero-width characters, punctuation variants, spacing and case, reads a
visarga typed as a colon ("আপডেটঃ") as the colon and a spelling variant ("আরো") as its canonical
word ("আরও", ``newsbot/vocabulary/spelling_bn.toml``), so that "প্রথমআলো" and "প্রথম আলো।", "এই বিভাগের
আরো খবর" and "এই বিভাগের আরও খবর" compare equal while the stored text keeps ZWJ/ZWNJ (র‍্যাব).
``fold`` is the same key with its spacing and punctuation kept, for matching phrases inside a
line (prefixes, date labels); ``phrase_pattern`` matches a phrase in unfolded text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from newsbot.vocabulary import SPELLING_FILE, load_toml

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Spaces that HTML and word processors leave in Bengali text, folded to one ASCII space.
_SPACE_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
# Sentence ends: Bengali dari (।), double dari (॥), Latin . ! ? and their full-width forms.
SENTENCE_END = "।॥.!?！？"
_SENTENCE_RE = re.compile(rf"(?<=[{SENTENCE_END}])[\"'’”)\]]*\s+")
# Characters that never carry meaning in a comparison key.
_KEY_DROP_RE = re.compile(
    rf"[{ZERO_WIDTH}\s\u00a0{SENTENCE_END},;:：、'\"‘’“”«»()\[\]{{}}<>\-–—_/\\|*•·…]+"
)
_TOKEN_SPLIT_RE = re.compile(rf"[\s{SENTENCE_END},;:'\"‘’“”«»()\[\]{{}}<>\-–—/\\|*•·…]+")

BN_DIGITS = "০১২৩৪৫৬৭৮৯"

# Text made only of these characters, without the pairs below, is already in NFC: Unicode
# composes or reorders nothing in it (checked exhaustively in tests/test_pipelines_normalise.py).
# Most Bengali news text is like that, and the check costs a tenth of NFC itself.
NFC_SAFE_CHARS = (
    r"\x20-\x7e\xa1-\xac\xae-\xff\u0964\u0965\u0980-\u09db\u09de\u09e0-\u09ff"
    r"\u200c\u200d\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
)
NFC_UNSAFE_PAIRS = r"\u09c7[\u09be\u09d7]|[\u09cd\u09fe]\u09bc|\u09fe\u09cd"
# The same check in two faster steps: one character class (a scan the regex engine runs
# without backtracking into an alternation), then the pairs as plain substrings.
_NFC_UNSAFE_CHAR_RE = re.compile(f"[^{NFC_SAFE_CHARS}]")
_NFC_UNSAFE_PAIRS = ("\u09c7\u09be", "\u09c7\u09d7", "\u09cd\u09bc", "\u09fe\u09bc",
                     "\u09fe\u09cd")
# Code points that are not text: lone surrogates (JSON-LD escapes such as \ud83d without their
# pair; writing them as UTF-8 raises) and the noncharacters U+FFFE/U+FFFF.
_INVALID_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def valid_text(text: str) -> str:
    """``text`` with lone surrogates and noncharacters replaced by U+FFFD (so it always
    encodes as UTF-8)."""
    return _INVALID_RE.sub(REPLACEMENT, text)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (য় / ড় / ঢ় become base letter + nukta), invalid code
    points (lone surrogates) replaced by U+FFFD.

    Skips the work when ``text`` certainly is NFC already (see ``NFC_SAFE_CHARS``).
    """
    if text.isascii() or (
        _NFC_UNSAFE_CHAR_RE.search(text) is None
        and not any(pair in text for pair in _NFC_UNSAFE_PAIRS)
    ):
        return text
    return unicodedata.normalize("NFC", valid_text(text))


def clean_line(text: str) -> str:
    """NFC-normalise and collapse every run of white space to one space, trimmed.

    Zero-width joiners stay: Bengali spelling needs them (র‍্যাব), so only the key drops them.
    """
    return _SPACE_RE.sub(" ", nfc(text)).strip()


# Letters and signs of the Bengali block (its digits excluded): a visarga before one of them is
# part of a word ("দুঃখ"); anywhere else ("আপডেটঃ ১০টা", "প্রকাশঃ") it is typed for a colon.
_BN_LETTER = "\u0980-\u09e5\u09f0-\u09ff"
_VISARGA_COLON_RE = re.compile(f"\u0983(?![{_BN_LETTER}])")


def _variant_table() -> dict[str, str]:
    table = load_toml(SPELLING_FILE)["variants"]
    return {nfc(v): nfc(canonical) for canonical, variants in table.items() for v in variants}


#: Spelling variant -> canonical spelling (whole words).
SPELLING_VARIANTS: dict[str, str] = _variant_table()
_WORD_EDGE = rf"[{_BN_LETTER}\w]"
# a text holding none of these letters holds no spelling variant (a set test is cheaper than
# the variants' regular expression)
_VARIANT_FIRSTS = frozenset(v[0] for v in SPELLING_VARIANTS)
_VARIANT_RE = re.compile(
    rf"(?<!{_WORD_EDGE})(?:"
    + "|".join(map(re.escape, sorted(SPELLING_VARIANTS, key=len, reverse=True)))
    + rf")(?!{_WORD_EDGE})"
) if SPELLING_VARIANTS else None


def fold(text: str) -> str:
    """The comparison form of ``text`` with its spacing and punctuation kept: NFC, case-folded,
    no zero-width characters, a visarga typed as a colon written ":", spelling variants
    written in their canonical spelling. ``compare_key`` is this minus spacing and punctuation."""
    s = nfc(text).casefold()
    if not s.isascii():  # else no zero-width character or visarga in it
        s = _ZERO_WIDTH_RE.sub("", s)
        if "\u0983" in s:
            s = _VISARGA_COLON_RE.sub(":", s)
    if _VARIANT_RE is not None and not _VARIANT_FIRSTS.isdisjoint(s):
        s = _VARIANT_RE.sub(lambda m: SPELLING_VARIANTS[m.group(0)], s)
    return s


def spellings(word: str) -> set[str]:
    """``word`` (NFC) and every spelling variant of its canonical form."""
    canonical = SPELLING_VARIANTS.get(nfc(word), nfc(word))
    return {canonical} | {v for v, c in SPELLING_VARIANTS.items() if c == canonical}


def phrase_pattern(phrase: str) -> str:
    """A regular expression that finds ``phrase`` in NFC text as ``fold`` would: any of its
    words' spellings, any spacing between words, zero-width characters anywhere (use it with
    ``re.IGNORECASE``)."""
    optional_zw = f"[{ZERO_WIDTH}]*"
    words = []
    for word in clean_line(phrase).split():
        forms = sorted(spellings(word) | {nfc(word)}, key=len, reverse=True)
        words.append("(?:" + "|".join(
            optional_zw.join(re.escape(ch) for ch in form) for form in forms) + ")")
    return r"\s*".join(words)


def compare_key(text: str) -> str:
    """Key under which two lines, labels or phrases count as the same: ``fold`` (NFC, case,
    zero-width characters, visarga-colon, spelling variants) without punctuation variants
    (। . ! ? … : ঃ) and spacing. The project's one comparison key."""
    return _KEY_DROP_RE.sub("", fold(text))


def keys_of(texts: Iterable[str]) -> frozenset[str]:
    """The non-empty comparison keys of ``texts``."""
    return frozenset(k for k in map(compare_key, texts) if k)


@functools.lru_cache(maxsize=1 << 11)
def line_key(text: str) -> str:
    """``compare_key(text)``, remembered: the pipelines ask for the key of the same paragraph
    several times (boilerplate, templates, duplicates). The cache holds an article's lines and
    the recurring template lines; a larger one only grows with the run (about 1.3 KB a line)."""
    return compare_key(text)


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after sentence-ending punctuation (। ॥ . ! ?), keeping the punctuation."""
    return [s for s in _SENTENCE_RE.split(paragraph.strip()) if s]


def tokens(text: str) -> list[str]:
    """Word tokens split on white space and punctuation (Python's ``\\w`` splits Bengali words)."""
    return [t for t in _TOKEN_SPLIT_RE.split(nfc(text)) if t]


def _ranges(codes: list[int]) -> str:
    """A regex character class body for ``codes``, consecutive code points as ranges."""
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            parts.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
            start = code
        prev = code
    return "".join(parts)


# Letters and vowel signs of the Bengali block (not its digits, currency signs or punctuation).
_BENGALI_RE = re.compile("[" + _ranges(
    [c for c in range(0x0980, 0x0A00) if unicodedata.category(chr(c))[0] in "LM"]) + "]+")
# Letters of other scripts, as far as Python's \w knows them (their vowel signs are not counted).
_OTHER_LETTER_RE = re.compile(r"[^\W\d_\u0980-\u09ff]+")


def script_share(text: str) -> tuple[int, float]:
    """How many letters ``text`` has, and the share of them in Bengali script (vowel signs
    count as letters). Regular expressions only: cheap on a whole article."""
    bengali = sum(map(len, _BENGALI_RE.findall(text)))
    letters = bengali + sum(map(len, _OTHER_LETTER_RE.findall(text)))
    return letters, (bengali / letters if letters else 0.0)
