"""Generic article-body extraction for pages of outlets without a profile.

Built on trafilatura (fast mode, tree parsed once with lxml), with our own handling around it.
"""

from __future__ import annotations

import copy
import logging
import re
import unicodedata

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.utils import load_html

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 8_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse HTML into an lxml tree, or return None for empty, binary or oversized input."""
    if not html:
        return None
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not isinstance(html, str) or len(html) > MAX_HTML_CHARS:
        return None
    head = html[:4096]
    if len(_CONTROL.findall(head)) > 8 or "\ufffd" * 4 in head:
        return None
    try:
        tree = load_html(html)
    except (etree.ParserError, ValueError, TypeError):
        return None
    if tree is None or not isinstance(tree.tag, str):
        return None
    return tree


_WS = re.compile(r"\s+")
_BLOCKS = {"p", "head", "item", "row", "quote", "list", "table", "code", "lb", "div", "list"}


def _render(body: etree._Element) -> list[str]:
    """Flatten trafilatura's output tree into paragraphs (list items and table rows apart)."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            out.append(text)
        buf.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag
        block = tag in _BLOCKS
        if block:
            flush()
        if tag == "cell":
            buf.append(" ")
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if tag == "cell":
            buf.append(" ")
        if block:
            flush()

    for child in body:
        walk(child)
        if child.tail:
            buf.append(child.tail)
    flush()
    return out


# Elements trafilatura deletes anyway; dropping them first makes its many regex XPath passes
# (evaluated per element) much cheaper.
_DEAD_TAGS = (
    "style", "noscript", "svg", "iframe", "template", "button", "select", "input", "textarea",
    "label", "video", "audio", "canvas", "picture", "object", "embed", "map", "dialog", "menu",
    "link", "meta", "source", "use", "math", "title", "base",
)


def _remove(el) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# page chrome trafilatura deletes too; kept when broken markup put the article inside it
_CHROME_XPATH = etree.XPath(
    "//*[self::nav or self::footer or self::aside or self::menu]"
    "[not(.//p[string-length(normalize-space(.)) > 100])]"
)


def _preclean(tree) -> None:
    etree.strip_elements(tree, *_DEAD_TAGS, with_tail=False)
    # JSON-LD stays: trafilatura's baseline rescue reads articleBody from it
    for script in list(tree.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            _remove(script)
    for el in _CHROME_XPATH(tree):
        el.drop_tree()
    for fig in list(tree.iter("figure")):
        if fig.find(".//table") is None:
            fig.drop_tree()


_LONG_P = "p[string-length(normalize-space(.)) > 100]"
_HIDDEN_XPATH = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(@style, 'display:none')"
    " or contains(@style, 'display: none') or contains(@style, 'visibility:hidden')]"
    f"[not(descendant-or-self::{_LONG_P})]"
)
_HEADER_XPATH = etree.XPath(
    "//header[not(.//h1)][not(.//*[string-length(normalize-space(text()[1])) > 80])]"
)
_EMBED_XPATH = etree.XPath(
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram')"
    " or contains(@class, 'tiktok') or contains(@class, 'embed')]"
)


def _link_share(el) -> tuple[int, float]:
    """(text length, share of it inside links) of an element."""
    total = len(" ".join(el.text_content().split()))
    if not total:
        return 0, 0.0
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return total, min(1.0, linked / total)


def _prune_structure(tree) -> None:
    """Remove related-story lists, hidden blocks, site headers and embedded posts."""
    for xp in (_HIDDEN_XPATH, _HEADER_XPATH, _EMBED_XPATH):
        for el in xp(tree):
            _remove(el)
    for lst in list(tree.iter("ul", "ol")):
        items = [li for li in lst if li.tag == "li"]
        if len(items) < 2 or lst.getparent() is None:
            continue
        total, share = _link_share(lst)
        if total == 0 or share >= 0.6:
            _remove(lst)
        elif len(items) >= 3 and total < 45 * len(items):
            # breadcrumbs and tag rows: short items, most of them links
            linked = sum(1 for li in items if _link_share(li)[1] >= 0.9)
            if linked * 2 >= len(items):
                _remove(lst)


def _run_trafilatura(tree, url: str, fast: bool):
    doc = bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_tables=True,
        output_format="txt",
    )
    if doc is None or doc.body is None:
        return []
    return _render(doc.body)


# ---------------------------------------------------------------------------------------------
# Line-level boilerplate: short lines that are page furniture in any language.

_I = re.IGNORECASE
# a whole line that is only a label
_LABEL_LINE = re.compile(
    r"^(?:advertisement|advertising|anzeige|werbung|publicidad|publicité|annonse|reklame?|"
    r"article content|recommended(?: videos| for you| articles| stories)?|"
    r"read more|read next|more|see also|also read|related(?: articles| stories| news| content)?|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|mehr dazu|ähnliche(?: artikel| themen)?|"
    r"noticias? relacionadas?|te puede interesar|à lire aussi|lire aussi|les også|läs också|"
    r"czytaj (?:więcej|także|też)|leia também|leggi anche|"
    r"share(?: this(?: article| story)?)?|teilen|compartir|partager|del artikkelen|"
    r"comments?|kommentar(?:e|er)?(?: abgeben)?|comentarios?|commentaires?|"
    r"follow us|folgen sie uns|copy link|link kopieren|print|drucken|skip to (?:main )?content|"
    r"zum inhalt springen|hauptinhalt|headline|embed|listen|listen to (?:this )?article|"
    r"artikel anhören|hören|vorlesen|"
    r"আরও পড়ুন|আরো পড়ুন|আরও খবর|আরো খবর|সম্পর্কিত খবর|সংশ্লিষ্ট খবর|এই বিভাগের আরও খবর|"
    r"শেয়ার করুন|বিজ্ঞাপন|মন্তব্য|লিংক কপি করুন|ফলো করুন)\s*[:：.!»>›→-]*$",
    _I,
)
# a "read more" prompt followed by a headline
_READ_MORE_PREFIX = re.compile(
    r"^(?:>+\s*)?(?:(?:(?:read|see) (?:more|also|next)|also read|more|related|watch|"
    r"lesen sie|mehr zum thema|mehr dazu|weiterlesen|auch interessant|"
    r"lire aussi|à lire aussi|à voir aussi|les også|läs också|læs også|czytaj (?:więcej|także|też)|"
    r"leia também|leggi anche|lee también|ver también|noticia relacionada|"
    r"আরও পড়ুন|আরো পড়ুন|আরও দেখুন|আরও খবর|সম্পর্কিত খবর)\s*[:：|>»›→–—]|"
    r"(?:read more|also read|lesen sie (?:auch|mehr)|à lire aussi|lire aussi|les også|läs också|"
    r"læs også|czytaj (?:więcej|także|też)|leia também|leggi anche|lee también|"
    r"te puede interesar|funda olunye udaba lapha|আরও পড়ুন|আরো পড়ুন)\s)",
    _I,
)
_CREDIT_PREFIX = re.compile(
    r"^\(?(?:photo|photos|foto|fotos|image|images|picture|pictures|bild|bilder|credit|credits|"
    r"crédit|crédits|fotó|фото|ছবি|ছবিঃ|video|source|quelle|fuente|kilde|källa|kaynak|sumber|"
    r"fonte|সূত্র)\s*(?::|：|ঃ)",
    _I,
)
_AGENCY_CREDIT = re.compile(
    r"getty ?images|shutterstock|imago|picture[ -]alliance|/afp\b|/reuters\b|/ap\b|/dpa\b|"
    r"/epa\b|\bafp via\b|associated press\b",
    _I,
)
_COPYRIGHT = re.compile(
    r"^(?:<?\s*copyright|©|ⓒ|\(c\)\s)|all rights reserved|alle rechte vorbehalten|"
    r"todos los derechos reservados|tous droits réservés|সর্বস্বত্ব সংরক্ষিত",
    _I,
)
_READING_TIME = re.compile(
    r"^(?:lesedauer|lesezeit|reading time|temps de lecture|tiempo de lectura)?\s*:?\s*"
    r"(?:\d+|ca\.? \d+)\s*(?:min\.?|minutes?|minuten|minutos)\s*"
    r"(?:read|lesezeit|lesedauer|de lecture|de lectura)?$|"
    r"^(?:lesedauer|lesezeit|reading time)\s*:",
    _I,
)
_PROMO_WORDS = re.compile(
    r"newsletter|sign up|signup|sign-up|subscribe|subscription|abonnier|abonniere|abonnez|"
    r"suscr[ií]b|suscripci|whatsapp[- ]kanal|whatsapp channel|google news|in your inbox|"
    r"follow us|folgen sie uns|folge uns|follow .{1,40} on (?:twitter|facebook|instagram)\b|"
    r"jetzt melden|fehler gefunden|support (?:our|independent) journalism|"
    r"unterstützen sie (?:uns|unabhängigen)|donate|einloggen|log in|sign in|comment policy|"
    r"before commenting|bookmark|affiliate|earn (?:us )?a commission|push-nachrichten|e-paper|"
    r"our standards|trust principles|সাবস্ক্রাইব|ফলো করুন|গুগল নিউজ|ইউটিউব চ্যানেল",
    _I,
)
_BYLINE = re.compile(
    r"^(?:by|von|from|por|par|di|af|av|door|przez|written by|reported by|text|"
    r"autor(?:in)?|author)\s*:?\s+(?=\w)",
    _I,
)
_TWEET_SIGNATURE = re.compile(r"^[—–-]\s*.{0,80}\(@\w+\)|pic\.twitter\.com/", _I)
_HAS_WORDCHAR = re.compile(r"[^\W_]")
_MONTHS = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
    "august september october november december januar februar märz mai juni juli oktober "
    "dezember janvier février mars avril juin juillet août septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo uhr am pm gmt utc cet cest est edt "
    "jst ist bst updated published posted stand aktualisiert veröffentlicht publicado "
    "actualizado publié modifié mis à jour le de del den der um at on of | • · , - – — "
    "জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর "
    "শনিবার রবিবার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার শুক্রবার প্রকাশ প্রকাশিত আপডেট সময় "
    "güncelleme uppdaterad publicerad oppdatert publisert"
)
_DATE_WORDS = frozenset(unicodedata.normalize("NFC", _MONTHS).split())
_DIGIT = re.compile(r"\d")


_DATE_TOKEN = re.compile(r"^[\d০-৯]{1,4}(?:[./:\-–][\d০-৯]{1,4}){0,2}(?:\.|h|am|pm|uhr)?$", _I)


def _is_date_line(text: str, words: list[str]) -> bool:
    if len(words) > 10 or len(text) > 80 or not any(_DIGIT.search(w) for w in words):
        return False
    for w in words:
        w = w.strip(".,:;()[]|•·").lower()
        if not w or w in _DATE_WORDS:
            continue
        if not _DATE_TOKEN.match(w):
            return False
    return True


def _is_byline(text: str, words: list[str]) -> bool:
    if len(words) > 8 or not _BYLINE.match(text) or text.rstrip()[-1:] in ".!?":
        return False
    names = [w for w in words[1:] if w.lower() not in {"und", "and", "y", "et", "&", "e", "og"}]
    return bool(names) and all(w[:1].isupper() or w[:1] in ",:" for w in names)


def is_boilerplate_line(text: str) -> bool:
    """True if a body line is page furniture: a label, read-more prompt, credit, copyright,
    reading time, date, byline, promo or embedded-tweet signature."""
    if not _HAS_WORDCHAR.search(text):
        return True
    if len(text) > 400:
        return False
    words = text.split()
    n = len(words)
    if len(text) > 12 * n + 40:  # unspaced script (CJK): word counts say nothing
        n = len(text) // 4
    if n <= 6 and _LABEL_LINE.match(text):
        return True
    if n <= 25 and _READ_MORE_PREFIX.match(text) and len(text) < 200:
        return True
    if n <= 14 and _CREDIT_PREFIX.match(text):
        return True
    if n <= 10 and _AGENCY_CREDIT.search(text) and text.rstrip()[-1:] not in ".!?\"”“":
        return True
    if n <= 40 and _COPYRIGHT.search(text):
        return True
    if n <= 6 and _READING_TIME.search(text):
        return True
    if _is_date_line(text, words) or _is_byline(text, words):
        return True
    if n <= 45 and _PROMO_WORDS.search(text):
        return True
    if n <= 30 and _TWEET_SIGNATURE.search(text):
        return True
    if n <= 3 and text.startswith("(") and text.endswith(")"):
        return True
    return False


def _coverage(tree, paras: list[str]) -> float | None:
    """Long paragraphs in `paras` per long <p> on the page; None when the page has few."""
    page = int(tree.xpath("count(//p[string-length(normalize-space(.)) > 100])"))
    if page < 3:
        return None
    return min(1.0, sum(1 for p in paras if len(p) > 100) / page)


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum() or unicodedata.category(ch) == "Mn")


_LEAD_BLOCKS = frozenset(
    {"p", "div", "h2", "h3", "h4", "li", "section", "header", "blockquote", "td", "article",
     "summary", "dd", "main", "body"}
)
_LEAD_SKIP = frozenset({"script", "style", "noscript", "template", "a", "title", "figcaption",
                        "button", "label", "option", "textarea"})


def _descriptions(tree) -> list[str]:
    found = tree.xpath(
        "//meta[@property='og:description' or @name='description'"
        " or @name='twitter:description']/@content"
    )
    out = []
    for d in found:
        d = " ".join(d.split())
        if len(d) >= 40 and d not in out:
            out.append(d)
    return out


def _probes(desc: str) -> list[str]:
    """Two word-aligned snippets of a description: its start and a piece from its middle."""
    words = desc.split()
    out = [" ".join(words[:8])]
    if len(words) >= 16:
        out.append(" ".join(words[len(words) // 3:][:7]))
    return [p.rstrip(".…") for p in out if len(p) >= 25]


def _find_lead(tree, descriptions: list[str]) -> str | None:
    """The visible standfirst: the page block that shows the meta description, if any."""
    for desc in descriptions:
        for probe in _probes(desc):
            for node in tree.xpath("//body//text()[contains(., $p)]", p=probe)[:5]:
                el = node.getparent()
                if el is not None and node.is_tail:
                    el = el.getparent()
                while el is not None and el.tag not in _LEAD_BLOCKS and el.tag not in _LEAD_SKIP:
                    el = el.getparent()
                if el is None or el.tag not in _LEAD_BLOCKS:
                    continue
                if any(a.tag in _LEAD_SKIP for a in el.iterancestors()):
                    continue
                text = " ".join(el.text_content().split())
                if len(text) <= max(len(desc) * 1.5, len(desc) + 150):
                    return text
    return None


def _title_keys(tree) -> set[str]:
    """Comparison keys of the page's headline (og:title, <title>, first <h1>)."""
    found = tree.xpath(
        "(//meta[@property='og:title' or @name='twitter:title']/@content)[1]"
        " | (//title)[1]//text() | (//h1)[1]//text()"
    )
    keys = {_key(t) for t in found}
    return {k for k in keys if len(k) >= 8}


def _clean(paras: list[str], title_keys: set[str]) -> list[str]:
    out = []
    for i, text in enumerate(paras):
        if is_boilerplate_line(text):
            continue
        if i < 4 and title_keys and len(text) < 300 and _key(text) in title_keys:
            continue
        out.append(text)
    return out


def generic_body(html: str, url: str, *, tree=None) -> list[str]:
    """Return the article body of an HTML page as paragraphs, in page order.

    `tree` may be a tree already parsed from `html` (it is not modified). Never raises:
    bad input gives [].
    """
    try:
        if tree is None:
            tree = parse_html(html)
        else:
            tree = copy.deepcopy(tree)
        if tree is None:
            return []
        title_keys = _title_keys(tree)
        descriptions = _descriptions(tree)
        _preclean(tree)
        _prune_structure(tree)
        paras = _run_trafilatura(tree, url, fast=True)
        cov = _coverage(tree, paras)
        if cov is not None and cov < 0.35 or sum(map(len, paras)) < 250:
            full = _run_trafilatura(tree, url, fast=False)
            fcov = _coverage(tree, full)
            if (fcov or 0) > (cov or 0) + 0.2 or (
                not cov and len(" ".join(full)) > len(" ".join(paras))
            ):
                paras = full
        paras = _clean(paras, title_keys)
        lead = _find_lead(tree, descriptions) if descriptions else None
        if lead and paras and not is_boilerplate_line(lead):
            head = _key(" ".join(paras[:3]))
            if _key(lead)[:80] not in head:
                paras.insert(0, lead)
        return paras
    except Exception:  # noqa: BLE001 - extraction must never take the crawl down
        log.debug("generic extraction failed for %s", url, exc_info=True)
        return []


def generic_text(html: str, url: str) -> str:
    """The generic body as one string, paragraphs separated by blank lines."""
    return "\n\n".join(generic_body(html, url))
