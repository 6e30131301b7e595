"""URLs Redline will track: http(s) only, canonical so that one article is one row."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from monitor.errors import InvalidURLError

# Query parameters that identify a campaign or a click, never an article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ocid",
        "cmpid",
        "smid",
        "smtyp",
        "ito",
        "at_medium",
        "at_campaign",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "mkt_", "pk_", "hsa_")


def check_url(url: str) -> str:
    """The canonical form of a URL a user asked to track, or InvalidURLError saying why not."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise InvalidURLError(f"malformed URL {url!r}: {error}") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURLError(f"only http and https URLs can be tracked: {url!r}")
    if not parts.hostname or any(c.isspace() for c in parts.netloc):
        raise InvalidURLError(f"URL has no valid host: {url!r}")
    if parts.password is not None:
        # Every tracked URL is stored, logged and shown by `redline serve`: a password in it
        # would be published. Refused rather than silently dropped (the page would then be
        # fetched without it, and the user would not know why it fails).
        raise InvalidURLError(
            "URL carries a password (user:password@host); Redline stores and shows every URL "
            "it tracks, so it does not take credentials: remove them"
        )
    return canonicalize_url(url)


# C0 controls, DEL and C1 controls (U+009B is a terminal's one-character CSI).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# A check canonicalises the same URL several times (tracking it, where it was found, where it
# redirected): a round's URLs are remembered, at most this many.
CANONICAL_CACHE = 4096


@lru_cache(maxsize=CANONICAL_CACHE)
def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, the
    remaining query parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as error:
        raise InvalidURLError(f"malformed URL {url!r}: {error}") from error
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else (f"{host}:{port}")
    )
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    # Control characters in the path percent-encoded, as a browser sends them: a URL is printed
    # and logged, and must not carry a terminal's escape sequences.
    path = _CONTROL.sub(lambda match: quote(match[0]), parts.path or "/")
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
