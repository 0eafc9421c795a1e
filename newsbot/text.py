"""Unicode text helpers for Bengali news text.

Text is normalised to NFC once, early (``clean_line``); comparisons use ``compare_key``, which is
stricter: it also ignores zero-width characters, punctuation variants, spacing and case, so that
"প্রথমআলো" and "প্রথম আলো।" compare equal while the stored text keeps ZWJ/ZWNJ (র‍্যাব).
"""

from __future__ import annotations

import functools
import re
import unicodedata

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
_NFC_RISK_RE = re.compile(f"[^{NFC_SAFE_CHARS}]|{NFC_UNSAFE_PAIRS}")
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
    if _NFC_RISK_RE.search(text) is None:
        return text
    return unicodedata.normalize("NFC", valid_text(text))


def clean_line(text: str) -> str:
    """NFC-normalise and collapse every run of white space to one space, trimmed.

    Zero-width joiners stay: Bengali spelling needs them (র‍্যাব), so only the key drops them.
    """
    return _SPACE_RE.sub(" ", nfc(text)).strip()


def compare_key(text: str) -> str:
    """Key under which two lines count as the same: NFC, case-folded, no zero-width characters,
    no punctuation variants (। . ! ? …) and no spacing."""
    return _KEY_DROP_RE.sub("", nfc(text).casefold())


@functools.lru_cache(maxsize=1 << 14)
def line_key(text: str) -> str:
    """``compare_key(text)``, remembered: the pipelines ask for the key of the same paragraph
    several times (boilerplate, templates, duplicates)."""
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
