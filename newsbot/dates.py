"""Bengali/English date parsing for news pages.

Public API:

* :func:`parse_date` -- one timezone-aware datetime from ISO 8601, RFC 822 (RSS ``pubDate``),
  ``YYYY-MM-DD HH:MM[:SS]`` or a visible Bengali/English date line (Bengali digits, Bengali and
  English month names, time-of-day words, AM/PM, day-first numeric dates, relative dates).
* :func:`find_dates` -- separates the published and the updated date of a visible date block.
* :func:`to_iso` -- ISO 8601 string with offset, seconds precision.

All vocabulary lives in the data file ``newsbot/data/dates_bn.toml``, read once at import into
the module-level tables below (entries NFC-normalised). Input is NFC-normalised, zero-width
characters are dropped and Bengali digits are mapped to ASCII before matching. Bangla-calendar
and Hijri dates (common on masthead lines) are removed before the Gregorian date is looked for.
Garbage input gives ``None``; only an invalid ``default_tz`` raises (``ValueError``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsbot.data import load_toml
from newsbot.text import BN_DIGITS as text_BN_DIGITS
from newsbot.text import ZERO_WIDTH as text_ZERO_WIDTH
from newsbot.text import fold

__all__ = [
    "BANGLA_MONTHS",
    "DEFAULT_TZ",
    "HIJRI_MONTHS",
    "LABELS",
    "MONTHS",
    "PERIODS",
    "WEEKDAYS",
    "Stamp",
    "find_dates",
    "find_stamps",
    "from_epoch",
    "parse_date",
    "parse_stamp",
    "to_iso",
]

# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

DEFAULT_TZ = "+06:00"

#: Only this many characters of an input are looked at (date blocks are short).
MAX_INPUT_CHARS = 5000

#: Bengali digits -> ASCII digits.
BN_DIGITS: dict[str, str] = dict(zip(text_BN_DIGITS, "0123456789", strict=True))

#: Zero-width and invisible characters removed before matching.
ZERO_WIDTH: tuple[str, ...] = tuple(text_ZERO_WIDTH)

_DATA_FILE = "dates_bn.toml"


def _nfc_entry(value: Any) -> Any:
    """A data-file entry NFC-normalised: strings, and the keys and items of tables and arrays."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc_entry(k): _nfc_entry(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_entry(v) for v in value]
    return value


_VOCABULARY: dict[str, Any] = _nfc_entry(load_toml(_DATA_FILE))


def _words(name: str) -> tuple[str, ...]:
    """A word list of the data file: the entries of all its table's arrays, in file order."""
    return tuple(w for group in _VOCABULARY[name].values() for w in group)


def _grouped(name: str) -> dict[str, str]:
    """A table of arrays read as word -> name of the array it is in."""
    return {w: group for group, words in _VOCABULARY[name].items() for w in words}


#: Other characters rewritten before matching (visarga is often typed as a colon: "প্রকাশঃ",
#: "১০ঃ৩০"); dashes become ASCII hyphens.
CHAR_MAP: dict[str, str] = dict(_VOCABULARY["char_map"])

#: Gregorian month names (Bengali spellings and variants, English names and abbreviations).
MONTHS: dict[str, int] = {
    name: int(number)
    for script in _VOCABULARY["months"].values()
    for number, names in script.items()
    for name in names
}

#: Bangla-calendar month names: dates in these months are ignored.
BANGLA_MONTHS: tuple[str, ...] = _words("bangla_months")

#: Hijri month names: dates in these months are ignored.
HIJRI_MONTHS: tuple[str, ...] = _words("hijri_months")

#: Era words that may follow a Bangla or Hijri year ("১৪৩৩ বঙ্গাব্দ").
ERA_WORDS: tuple[str, ...] = _words("era_words")

#: Weekday names (ignored).
WEEKDAYS: tuple[str, ...] = _words("weekdays")

#: Ordinal endings after a day number ("২৮শে", "১লা", "২রা", "৪ঠা", "৫ই", "1st").
DAY_SUFFIXES: tuple[str, ...] = _words("day_suffixes")

#: Time-of-day words -> (first hour moved to PM, last hour moved to PM, value for hour 12).
#: "দুপুর ১:১৫" -> 13:15, "রাত ১১:০৫" -> 23:05, "রাত ১২:৩০" -> 00:30, "রাত ২:০০" -> 02:00.
PERIODS: dict[str, tuple[int, int, int]] = {
    word: (first, last, twelve) for word, (first, last, twelve) in _VOCABULARY["periods"].items()
}

#: AM/PM markers in both scripts -> True for PM.
AMPM: dict[str, bool] = {word: half == "pm" for word, half in _grouped("ampm").items()}

#: Time-zone abbreviations -> offset in minutes (RFC 822 zones plus IST for Indian outlets).
ZONE_ABBREVIATIONS: dict[str, int] = dict(_VOCABULARY["zone_abbreviations"])

#: Labels in front of a visible date -> which date they announce.
LABELS: dict[str, str] = _grouped("labels")

#: Relative units -> ("seconds" | "months", amount per unit).
RELATIVE_UNITS: dict[str, tuple[str, int]] = {
    word: (kind, amount)
    for kind, units in _VOCABULARY["relative_units"].items()
    for word, amount in units.items()
}

#: Words meaning "ago".
AGO_WORDS: tuple[str, ...] = _words("ago_words")

#: Number words used in relative dates.
NUMBER_WORDS: dict[str, int] = dict(_VOCABULARY["number_words"])

#: Day words -> offset in days from ``now`` ("গতকাল রাত ১১:০৫").
DAY_WORDS: dict[str, int] = dict(_VOCABULARY["day_words"])

#: Words meaning "just now".
JUST_NOW_WORDS: tuple[str, ...] = _words("just_now_words")

#: IANA names usable even without a time-zone database.
KNOWN_ZONES: dict[str, str] = dict(_VOCABULARY["known_zones"])

#: Accepted calendar years (rejects Bangla/Hijri years such as 1433 and 1448).
YEAR_RANGE: tuple[int, int] = (1900, 2100)

# --------------------------------------------------------------------------------------------
# Compiled patterns
# --------------------------------------------------------------------------------------------

_TRANSLATE = str.maketrans({**BN_DIGITS, **CHAR_MAP, **{ch: None for ch in ZERO_WIDTH}})
_WS_RE = re.compile(r"\s+")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _key(s: str) -> str:
    """Lookup key for table entries and matched text: the project's ``fold`` (so a label is
    compared the way every label is), with Bengali digits and dashes mapped."""
    s = _nfc(fold(s).translate(_TRANSLATE))
    return _WS_RE.sub(" ", s).strip()


def _index(table: dict[str, object] | tuple[str, ...]) -> dict[str, object]:
    if isinstance(table, dict):
        return {_key(k): v for k, v in table.items()}
    return {_key(k): True for k in table}


def _alt(keys) -> str:
    """Regex alternation, longest first; spaces in entries match any run of whitespace."""
    parts = sorted(set(keys), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)


_MONTH_INDEX = _index(MONTHS)
_PERIOD_INDEX = _index(PERIODS)
_AMPM_INDEX = _index(AMPM)
_LABEL_INDEX = _index(LABELS)
_UNIT_INDEX = _index(RELATIVE_UNITS)
_NUMBER_INDEX = _index(NUMBER_WORDS)
_DAY_WORD_INDEX = _index(DAY_WORDS)

_LETTER = r"A-Za-z\u0980-\u09E5\u09F0-\u09FF"
_NOT_BEFORE = rf"(?<![{_LETTER}])"
_NOT_AFTER = rf"(?![{_LETTER}])"
_DAY_SUFFIX = rf"(?:{_alt(_key(s) for s in DAY_SUFFIXES)})?"
_MONTH_ALT = _alt(_MONTH_INDEX)
_ERA_ALT = _alt(_key(w) for w in ERA_WORDS)
_I = re.IGNORECASE


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(_nfc(pattern), flags)


_OTHER_CALENDAR_RE = _compile(
    rf"(?<!\d)\d{{1,2}}{_DAY_SUFFIX}\s*"
    rf"(?:{_alt(_index(BANGLA_MONTHS) | _index(HIJRI_MONTHS))}){_NOT_AFTER}"
    rf"(?:[\s,]*\d{{3,4}}(?!\d))?(?:\s*(?:{_ERA_ALT}){_NOT_AFTER})?"
    rf"|(?<!\d)\d{{3,4}}\s*(?:{_ERA_ALT}){_NOT_AFTER}",
    _I,
)
_WEEKDAY_RE = _compile(rf"{_NOT_BEFORE}(?:{_alt(_index(WEEKDAYS))}){_NOT_AFTER}\.?", _I)
_LABEL_RE = _compile(
    rf"{_NOT_BEFORE}(?P<label>{_alt(_LABEL_INDEX)}){_NOT_AFTER}\s*[:-]?", _I
)

# Gregorian dates: each pattern names its groups d, mon (name) or m (number), y.
_DATE_RES: tuple[re.Pattern[str], ...] = (
    # 28 নভেম্বর 2026 / 28শে নভেম্বর, 2026 / 28 Nov 2026 / 28-Nov-2026
    _compile(
        rf"(?<![\d.:/])(?P<d>\d{{1,2}}){_DAY_SUFFIX}[\s.,-]*"
        rf"(?P<mon>{_MONTH_ALT}){_NOT_AFTER}\.?[\s,-]*(?P<y>\d{{4}})(?![\d:])",
        _I,
    ),
    # নভেম্বর 28, 2026 / November 28 2026 / Nov. 28, 2026
    _compile(
        rf"{_NOT_BEFORE}(?P<mon>{_MONTH_ALT}){_NOT_AFTER}\.?\s*(?P<d>\d{{1,2}}){_DAY_SUFFIX}"
        rf"(?!\d)\s*,?\s*(?P<y>\d{{4}})(?![\d:])",
        _I,
    ),
    # 2026-11-28 / 2026/11/28 / 2026.11.28
    _compile(r"(?<![\d./-])(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    # 28.11.2026 / 28/11/2026 / 28-11-2026 / 28/11/26 (day first)
    _compile(
        r"(?<![\d./-])(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)"
        r"(?P<y>\d{4}|\d{2})(?![\d:]|[./-]\d)"
    ),
)

# A time: an optional time-of-day word or AM/PM word before it ("বিকেল ৪:১০", "অপরাহ্ণ ০৩:১৫"),
# hours and minutes (or "৪টা"), an optional AM/PM word after it ("০৩:১৫ অপরাহ্ণ").
_TIME_RE = _compile(
    rf"(?<![\d:./+])(?:(?:(?P<period>{_alt(_PERIOD_INDEX)})|(?P<ampm_pre>{_alt(_AMPM_INDEX)}))"
    rf"{_NOT_AFTER}\s*)?T?(?P<h>\d{{1,2}})"
    r"(?:(?P<sep>[:.])(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    rf"|\s*টা(?:য়|র)?{_NOT_AFTER}(?:\s*(?P<m2>\d{{1,2}})\s*মিনিট(?:ে)?{_NOT_AFTER})?)"
    rf"(?!\d)(?:\s*(?P<ampm>{_alt(_AMPM_INDEX)})(?![{_LETTER}]))?",
    _I,
)
_ZONE_RE = _compile(
    r"\s*\(?\s*(?:(?:UTC|GMT|UT)?\s*(?P<sign>[+-])(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?(?!\d)"
    rf"|(?P<abbr>{_alt(ZONE_ABBREVIATIONS)})(?![A-Za-z]))",
    _I,
)
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", _I)

_RELATIVE_RE = _compile(
    rf"(?<![\d{_LETTER}])(?P<n>\d{{1,6}}(?!\d)|{_alt(_NUMBER_INDEX)})"
    rf"\s*(?P<unit>{_alt(_UNIT_INDEX)}){_NOT_AFTER}"
    rf"\s*(?:{_alt(_key(w) for w in AGO_WORDS)}){_NOT_AFTER}",
    _I,
)
_DAY_WORD_RE = _compile(rf"{_NOT_BEFORE}(?P<word>{_alt(_DAY_WORD_INDEX)}){_NOT_AFTER}", _I)
_JUST_NOW_RE = _compile(rf"{_NOT_BEFORE}(?:{_alt(_index(JUST_NOW_WORDS))}){_NOT_AFTER}", _I)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class _Found(NamedTuple):
    """What one labelled segment of a date block holds."""

    day: date | None
    clock: time | None
    zone: tzinfo | None
    moment: datetime | None  # already resolved (relative dates)


class _Invalid(Exception):
    """A date-shaped token that is not a real date or time."""


# "০৯: ১৫" and "০৯ :১৫": some outlets space the colon of a time.
_SPACED_COLON_RE = re.compile(r"(?<=\d)\s*:\s+(?=\d{2}(?!\d))|(?<=\d)\s+:(?=\d{2}(?!\d))")


def _normalise(text: str) -> str:
    s = fold(text[:MAX_INPUT_CHARS]).translate(_TRANSLATE)
    return _SPACED_COLON_RE.sub(":", _WS_RE.sub(" ", _nfc(s)).strip())


def _offset(sign: str, hours: str, minutes: str | None) -> timezone:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        raise _Invalid("offset out of range")
    delta = timedelta(hours=h, minutes=m)
    return timezone(-delta if sign == "-" else delta)


@lru_cache(maxsize=64)
def tzinfo_for(name: str) -> tzinfo:
    """tzinfo for an offset ("+06:00", "+0530", "UTC+6"), "UTC"/"Z" or an IANA name."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"invalid time zone: {name!r}")
    name = name.strip()
    if name.upper() in ("Z", "UTC", "GMT", "UT"):
        return UTC
    m = _OFFSET_RE.match(name)
    if m:
        try:
            return _offset(m["sign"], m["h"], m["m"])
        except _Invalid:
            raise ValueError(f"invalid time zone: {name!r}") from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        if name in KNOWN_ZONES:
            return tzinfo_for(KNOWN_ZONES[name])
        raise ValueError(f"invalid time zone: {name!r}") from None


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _segments(text: str) -> list[tuple[str | None, str]]:
    """Split a date block at its labels: [(kind or None, text), ...] in reading order."""
    out: list[tuple[str | None, str]] = []
    kind: str | None = None
    pos = 0
    for m in _LABEL_RE.finditer(text):
        out.append((kind, text[pos:m.start()]))
        kind = str(_LABEL_INDEX[_key(m["label"])])
        pos = m.end()
    out.append((kind, text[pos:]))
    return [(k, s) for k, s in out if s.strip()]


def _make_date(m: re.Match[str]) -> date:
    groups = m.groupdict()
    day = int(groups["d"])
    if groups.get("mon"):
        month = int(_MONTH_INDEX[_key(groups["mon"])])
    else:
        month = int(groups["m"])
        if month > 12 and day <= 12 and len(groups["y"]) == 4:  # unambiguous month-first
            day, month = month, day
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        if groups.get("sep") != "/":  # "10.30.45" is not a date
            raise _Invalid("two-digit year")
        year += 2000
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise _Invalid("year out of range")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid("no such day") from None


def _find_day(text: str) -> tuple[date | None, int, str]:
    """First real Gregorian date; returns (date, end offset, text with date tokens blanked)."""
    matches = sorted(
        (m for rx in _DATE_RES for m in rx.finditer(text)),
        key=lambda m: (m.start(), -m.end()),
    )
    found: date | None = None
    end = 0
    for m in matches:
        if found is not None:
            break
        try:
            found, end = _make_date(m), m.end()
        except _Invalid:
            continue
    return found, end, _blank(text, [m.span() for m in matches])


def _make_clock(m: re.Match[str]) -> time:
    hour = int(m["h"])
    minute = int(m["m"] or m["m2"] or 0)
    second = int(m["s"] or 0)
    micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
    ampm = m["ampm"] or m["ampm_pre"]
    if ampm:
        pm = bool(_AMPM_INDEX[_key(ampm)])
        if not 0 <= hour <= 12:
            raise _Invalid("12-hour clock out of range")
        hour = (hour % 12) + (12 if pm else 0)
    elif m["period"] and hour <= 12:
        first_pm, last_pm, twelve = _PERIOD_INDEX[_key(m["period"])]
        if hour == 12:
            hour = twelve
        elif first_pm <= hour <= last_pm:
            hour += 12
    if hour > 23 or minute > 59 or second > 59:
        raise _Invalid("clock out of range")
    return time(hour, minute, second, micro)


def _find_clock(text: str, after: int) -> tuple[time | None, tzinfo | None]:
    """The time nearest after ``after`` (else the last one before it) and its explicit zone."""
    candidates = [
        m for m in _TIME_RE.finditer(text)
        if m["sep"] != "." or m["period"] or m["ampm"] or m["ampm_pre"]  # "10.30": a marker
    ]
    if not candidates:
        return None, None
    following = [m for m in candidates if m.start() >= after]
    chosen = following[0] if following else candidates[-1]
    clock = _make_clock(chosen)
    zone: tzinfo | None = None
    z = _ZONE_RE.match(text, chosen.end())
    if z:
        if z["abbr"]:
            zone = timezone(timedelta(minutes=ZONE_ABBREVIATIONS[z["abbr"].upper()]))
        else:
            zone = _offset(z["sign"], z["zh"], z["zm"])
    return clock, zone


def _shift_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = moment.day
    while day > 28:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
    return moment.replace(year=year, month=month, day=day)


def _relative(text: str, clock: time | None, now: datetime, tz: tzinfo) -> datetime | None:
    if now.tzinfo is None or now.utcoffset() is None:
        now = now.replace(tzinfo=tz)
    local = now.astimezone(tz)
    m = _RELATIVE_RE.search(text)
    if m:
        n = m["n"]
        count = int(n) if n.isdigit() else int(_NUMBER_INDEX[_key(n)])
        kind, size = _UNIT_INDEX[_key(m["unit"])]
        if kind == "months":
            return _shift_months(local, count * int(size))
        return (now.astimezone(UTC) - timedelta(seconds=count * int(size))).astimezone(tz)
    m = _DAY_WORD_RE.search(text)
    if m:
        day = local.date() + timedelta(days=int(_DAY_WORD_INDEX[_key(m["word"])]))
        return datetime.combine(day, clock or time(0, 0), tz)
    if _JUST_NOW_RE.search(text):
        return local
    return None


def _read_segment(text: str, now: datetime | None, tz: tzinfo) -> _Found | None:
    """Date, time and zone of one segment; None when it holds nothing usable."""
    text = _OTHER_CALENDAR_RE.sub(" ", text)
    text = _WEEKDAY_RE.sub(" ", text)
    try:
        day, end, rest = _find_day(text)
        clock, zone = _find_clock(rest, end)
    except _Invalid:
        return None
    if day is None and now is not None:
        moment = _relative(rest, clock, now, tz)
        if moment is not None:
            return _Found(None, None, None, moment)
    if day is None and clock is None:
        return None
    return _Found(day, clock, zone, None)


def _check_now(now: object) -> None:
    if now is not None and not isinstance(now, datetime):
        raise TypeError(f"now must be a datetime, not {type(now).__name__}")


class Stamp(NamedTuple):
    """A date read from text, and whether the text gave its time of day."""

    moment: datetime
    timed: bool


def _scan(text: str, tz: tzinfo, now: datetime | None) -> dict[str, Stamp | None]:
    result: dict[str, Stamp | None] = {"published": None, "updated": None}
    if not isinstance(text, str):
        return result
    text = _normalise(text)
    if not text:
        return result
    unlabelled: Stamp | None = None
    last: datetime | None = None
    for kind, segment in _segments(text):
        found = _read_segment(segment, now, tz)
        if found is None:
            continue
        if found.moment is not None:
            stamp = Stamp(found.moment, True)
        elif found.day is not None:
            stamp = Stamp(datetime.combine(found.day, found.clock or time(0, 0), found.zone or tz),
                          found.clock is not None)
        elif last is not None and found.clock is not None:
            # time only ("আপডেট: ১২:১৫"): same day as the date before it, never earlier
            moment = datetime.combine(last.date(), found.clock, found.zone or last.tzinfo)
            if moment < last:
                moment += timedelta(days=1)
            stamp = Stamp(moment, True)
        else:
            continue
        last = stamp.moment
        if kind is None:
            unlabelled = unlabelled or stamp
        elif result[kind] is None:
            result[kind] = stamp
    if result["published"] is None:
        result["published"] = unlabelled
    return result


def _moments(found: dict[str, Stamp | None]) -> dict[str, datetime | None]:
    return {kind: (stamp.moment if stamp else None) for kind, stamp in found.items()}


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def parse_date(
    text: str, *, default_tz: str = DEFAULT_TZ, now: datetime | None = None
) -> datetime | None:
    """Parse one date/time string into a timezone-aware datetime, or ``None``.

    Accepts ISO 8601 (``Z``, offset or none), RFC 822, ``YYYY-MM-DD HH:MM[:SS]`` and visible
    Bengali/English forms, e.g. "প্রকাশ: শনিবার, ২৮ নভেম্বর ২০২৬, রাত ১১:০৫",
    "November 28, 2026 10:30 PM", "২৮/১১/২০২৬" (day first). A date without a time is midnight.
    Times without an explicit offset are in ``default_tz`` (an offset such as "+06:00" or an
    IANA name such as "Asia/Dhaka"); an explicit offset in the text is kept as it is.
    Bangla-calendar and Hijri dates are ignored. Relative forms ("৩ ঘণ্টা আগে", "5 hours ago",
    "গতকাল রাত ১১:০৫") need ``now`` (a naive ``now`` is taken to be in ``default_tz``).
    When the text holds both a published and an updated date, the published one is returned.

    Raises ``ValueError`` only for an invalid ``default_tz`` (and ``TypeError`` when ``now`` is
    not a datetime); garbage text gives ``None``.
    """
    stamp = parse_stamp(text, default_tz=default_tz, now=now)
    return stamp.moment if stamp else None


def parse_stamp(
    text: str, *, default_tz: str = DEFAULT_TZ, now: datetime | None = None
) -> Stamp | None:
    """:func:`parse_date`, telling also whether the text gave a time of day (``timed``): a
    date-only value ("2024-08-09", "৯ আগস্ট ২০২৪") is midnight with ``timed`` False."""
    tz = tzinfo_for(default_tz)
    _check_now(now)
    try:
        found = _scan(text, tz, now)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    return found["published"] or found["updated"]


def find_dates(
    text: str, *, default_tz: str = DEFAULT_TZ, now: datetime | None = None
) -> dict[str, datetime | None]:
    """Split a visible date block into ``{"published": dt|None, "updated": dt|None}``.

    A date after "আপডেট", "সর্বশেষ আপডেট", "Updated" (see :data:`LABELS`) is the updated date;
    one after "প্রকাশ", "প্রকাশিত", "Published", or with no label, is the published date (a
    labelled one wins over an unlabelled one). A label followed by a time only
    ("আপডেট: ১২:১৫") takes the date given before it. Same time-zone rules as :func:`parse_date`.
    """
    return _moments(find_stamps(text, default_tz=default_tz, now=now))


def find_stamps(
    text: str, *, default_tz: str = DEFAULT_TZ, now: datetime | None = None
) -> dict[str, Stamp | None]:
    """:func:`find_dates` with each date as a :class:`Stamp` (moment, whether it has a time)."""
    tz = tzinfo_for(default_tz)
    _check_now(now)
    try:
        return _scan(text, tz, now)
    except (ValueError, OverflowError, TypeError, KeyError):
        return {"published": None, "updated": None}


_EPOCH_RE = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")


def from_epoch(value: str) -> Stamp | None:
    """A Unix time in seconds (10 digits) or milliseconds (13 digits), as embedded page data
    (JSON) gives it, as a UTC :class:`Stamp`; None for anything else."""
    m = _EPOCH_RE.match(value) if isinstance(value, str) else None
    if m is None:
        return None
    number = int(m.group(1))
    seconds = number / 1000 if len(m.group(1)) == 13 else number
    try:
        return Stamp(datetime.fromtimestamp(seconds, UTC), True)
    except (OverflowError, OSError, ValueError):
        return None


def to_iso(dt: datetime, tz: str | None = None) -> str:
    """ISO 8601 with offset and seconds precision, e.g. "2026-11-28T10:30:00+06:00".

    With ``tz`` the datetime is first converted to that zone. A naive datetime is taken to be
    in ``tz`` (or :data:`DEFAULT_TZ` when ``tz`` is not given).
    """
    zone = tzinfo_for(tz or DEFAULT_TZ)
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=zone)
    elif tz:
        dt = dt.astimezone(zone)
    return dt.isoformat(timespec="seconds")
