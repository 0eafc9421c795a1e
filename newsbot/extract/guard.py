"""Guards that keep bad pages from breaking a crawl.

Every page goes through :func:`load_page` before any extraction: it caps the size, sniffs binary
bytes served as HTML, decodes the text, and parses it ONCE with lxml. The parser's own depth limit
(256 levels without ``huge_tree``) bounds the tree, so no later traversal can recurse too deep;
markup nested deeper is cut there and the page is marked ``truncated_deep``.

Failures raise :class:`ExtractionError` with a short reason code:

* ``too_large`` -- more than :data:`MAX_PAGE_BYTES`
* ``binary_content`` -- NUL bytes, many control characters, a binary file signature, or bytes the
  declared encoding cannot decode
* ``empty_page`` -- nothing but white space (or markup without any text)
* ``too_deep`` -- nesting deeper than the parser allows and no article text before that point
* ``no_article_text`` -- a page without article text (raised by the extractor)
* ``not_article`` -- a page that says it is not an article (raised by the extractor)
* ``extract_failed`` -- an unexpected error while reading the page (raised by the API)
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer
import lxml.html
from lxml import etree

from newsbot.text import nfc, valid_text

# Setting-like limits.
MAX_PAGE_BYTES = 5 * 1024 * 1024
#: Share of control characters (or undecodable bytes) above which a page is binary.
MAX_CONTROL_SHARE = 0.01
#: How much of a page the binary sniff looks at.
SNIFF_CHARS = 65_536
#: The legacy encoding browsers assume for a page whose label is wrong (WHATWG: windows-1252).
WEB_DEFAULT_ENCODING = "cp1252"

REASONS = (
    "empty_page", "binary_content", "too_large", "too_deep", "no_article_text", "not_article",
    "extract_failed",
)

# Signatures of files that are never HTML (images, archives, PDF, office files, media).
_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
    b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"RIFF", b"OggS", b"ID3", b"fLaC",
    b"\x00\x00\x00\x18ftyp", b"\x00\x00\x00\x1cftyp", b"\x00\x00\x00 ftyp", b"wOFF", b"wOF2",
    b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ",
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENC_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_TEXT_RE = re.compile(r"[^\s<>]")
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template"})


# Every element an HtmlElement, chosen in C: lxml.html's own look-up runs Python code for each
# element proxy made, and extraction walks every element several times.
_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity,
)


class ExtractionError(Exception):
    """A page that yields no article; ``reason`` is a short code (see :data:`REASONS`)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class LoadedPage:
    """A page that passed the guards: its decoded text and the one parsed tree."""

    url: str
    html: str
    root: lxml.html.HtmlElement
    truncated_deep: bool = False
    notes: list[str] = field(default_factory=list)


def _declared_encoding(head: bytes) -> str | None:
    for regex in (_XML_ENC_RE, _CHARSET_RE):
        match = regex.search(head)
        if match:
            name = match.group(1).decode("ascii", "ignore")
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _detect_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely for ``data`` (None for binary).
    Among equally likely single-byte encodings windows-1252 wins: it is what browsers assume
    for mislabelled pages."""
    if b"\x00" in data[:SNIFF_CHARS]:
        return None
    matches = charset_normalizer.from_bytes(data[:SNIFF_CHARS])
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        tied = match.chaos == best.chaos and match.coherence == best.coherence
        if tied and WEB_DEFAULT_ENCODING in match.could_be_from_charset:
            return WEB_DEFAULT_ENCODING
    return best.encoding


def decode_bytes(data: bytes, encoding: str | None = None) -> str:
    """Decode page bytes: a BOM wins; bytes that are valid UTF-8 (with non-ASCII in them) are
    UTF-8 whatever is declared (a wrong "iso-8859-1" is common, and other encodings almost never
    form valid UTF-8); else the given encoding or the page's own declaration when the bytes
    decode under it; else the encoding charset detection finds (a windows-1252 page labelled
    UTF-8); else UTF-8. Undecodable bytes become U+FFFD (the binary sniff counts them)."""
    if any(data.startswith(sig) for sig in _MAGIC):
        raise ExtractionError("binary_content", "file signature of a non-HTML format")
    bom = _bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace")
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    declared = []
    for name in (encoding, _declared_encoding(data[:4096])):
        try:
            codec = codecs.lookup(name).name if name else None
        except LookupError:
            continue
        if codec and codec not in declared:
            declared.append(codec)
    for codec in declared:
        if codec == "utf-8":
            continue  # the bytes are not UTF-8 (tried above): the label is wrong
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    detected = _detect_encoding(data)
    for codec in [*filter(None, [detected]), *declared]:
        try:
            return data.decode(codec, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


def sniff_binary(text: str) -> None:
    """Raise ``binary_content`` when the text is mostly not text: control characters, NUL bytes
    or replacement characters above :data:`MAX_CONTROL_SHARE` of the first characters."""
    sample = text[:SNIFF_CHARS]
    if not sample:
        return
    bad = len(_CONTROL_RE.findall(sample))
    if bad and bad / len(sample) > MAX_CONTROL_SHARE:
        raise ExtractionError(
            "binary_content", f"{bad} control/undecodable characters in {len(sample)}"
        )


def check_size(html: str | bytes) -> None:
    """Raise ``too_large`` when the page exceeds :data:`MAX_PAGE_BYTES` (UTF-8 bytes for text)."""
    size = len(html)
    if isinstance(html, str) and size * 3 > MAX_PAGE_BYTES and size <= MAX_PAGE_BYTES:
        size = len(html.encode("utf-8", "replace"))
    if size > MAX_PAGE_BYTES:
        raise ExtractionError("too_large", f"{size} bytes > {MAX_PAGE_BYTES}")


def parse_tree(text: str) -> tuple[lxml.html.HtmlElement, bool]:
    """Parse decoded HTML once; returns the root and whether the parser cut deep nesting."""
    text = _XML_DECL_RE.sub("", text, count=1).replace("\x00", "")
    # libxml2 reads UTF-8 bytes faster than a str (which it would convert itself); the
    # parser's encoding overrides whatever charset the page declares
    parser = lxml.html.HTMLParser(recover=True, huge_tree=False, remove_comments=True,
                                  encoding="utf-8")
    parser.set_element_class_lookup(_LOOKUP)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError("empty_page", f"unparsable: {exc}") from None
    deep = any("depth" in str(err.message).lower() for err in parser.error_log)
    if root is None or not isinstance(root.tag, str):
        raise ExtractionError("empty_page", "no document element")
    return root, deep


def _page_nfc(text: str) -> str:
    """A whole page as :func:`newsbot.text.nfc` makes it, without normalising a page that is
    NFC already (most are; the check runs in C, normalising a large page does not)."""
    if text.isascii():
        return text
    if _has_invalid(text):
        text = valid_text(text)
    return text if unicodedata.is_normalized("NFC", text) else nfc(text)


def _has_invalid(text: str) -> bool:
    """Whether ``text`` holds what :func:`newsbot.text.valid_text` replaces (lone surrogates,
    U+FFFE/U+FFFF); the encoder finds a surrogate faster than a regular expression does."""
    if "\ufffe" in text or "\uffff" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def load_page(html: str | bytes, url: str, encoding: str | None = None) -> LoadedPage:
    """Run every guard and parse the page once. Raises :class:`ExtractionError`."""
    if html is None or len(html) == 0:
        raise ExtractionError("empty_page", "no bytes")
    check_size(html)
    text = decode_bytes(html, encoding) if isinstance(html, (bytes, bytearray)) else html
    text = _page_nfc(text)  # once, early: everything read from the page is NFC
    if not text.strip():
        raise ExtractionError("empty_page", "only white space")
    sniff_binary(text)
    root, deep = parse_tree(text)
    return LoadedPage(url=url, html=text, root=root, truncated_deep=deep)


def has_visible_text(root: lxml.html.HtmlElement) -> bool:
    """Whether the document's body holds any text at all (scripts and styles aside)."""
    body = next(root.iter("body"), None)
    if body is None:
        return False
    for node in body.iter():
        if node is not body and node.tail and _TEXT_RE.search(node.tail):
            return True
        if not isinstance(node.tag, str) or node.tag in _NO_TEXT_TAGS:
            continue
        if (
            node.text
            and _TEXT_RE.search(node.text)
            and not any(a.tag in _NO_TEXT_TAGS for a in node.iterancestors())
        ):
            return True
    return False


def no_text_reason(page: LoadedPage) -> str:
    """The reason code for a page the extractors found no article in."""
    if not has_visible_text(page.root):
        return "too_deep" if page.truncated_deep else "empty_page"
    return "too_deep" if page.truncated_deep else "no_article_text"
