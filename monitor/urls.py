"""URLs Redline will track: http(s) only, canonical so that one article is one row."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from monitor.errors import InvalidURLError

# Query parameters that identify a campaign or a click, never an article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
        "ocid", "cmpid", "smid", "smtyp", "ito", "at_medium", "at_campaign", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "ref", "ref_src", "cid", "share",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "mkt_", "pk_", "hsa_")


def check_url(url: str) -> str:
    """The canonical form of a URL a user asked to track, or InvalidURLError saying why not."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURLError(f"only http and https URLs can be tracked: {url!r}")
    if not parts.hostname:
        raise InvalidURLError(f"URL has no host: {url!r}")
    return canonicalize_url(url)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, the
    remaining query parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else (
        f"{host}:{port}"
    )
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))
