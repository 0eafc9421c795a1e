"""URL helpers: canonical form for de-duplication, and host matching."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "ref", "ref_src", "ref_url", "referrer", "src", "cmpid", "ocid", "_ga", "_gl",
        "outputType", "share",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "__twitter", "at_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Canonical form of an article URL.

    Lower-cased scheme and host, default port dropped, fragment dropped, tracking parameters
    (utm_*, fbclid, …) removed, remaining query parameters kept in their order. The path is kept
    as published: whether ``/x`` and ``/x/`` are one page is for ``rel=canonical`` to say.
    A URL that does not parse (a bad port, a broken IPv6 host) comes back only stripped.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_of(url: str) -> str:
    """Lower-case host name of ``url`` without port or trailing dot ('' when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def absolute_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` when it is an http(s) URL that parses, else None."""
    try:
        url = urljoin(base, href.strip())
        urlsplit(url).port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def host_matches(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


class SeenSet:
    """URLs seen in one run, kept as 64-bit digests (about 60 bytes a URL instead of the URL
    string's 150 or more): memory that grows by little over a run of any size. Two URLs share a
    digest with a probability of about n²/2⁶⁵ (1 in 10¹⁰ for 50,000 URLs)."""

    def __init__(self) -> None:
        self._digests: set[int] = set()

    @staticmethod
    def _digest(url: str) -> int:
        return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest())

    def add(self, url: str) -> None:
        """Remember ``url``."""
        self._digests.add(self._digest(url))

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._digest(url) in self._digests

    def __len__(self) -> int:
        return len(self._digests)
