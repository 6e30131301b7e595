"""The standfirst (summary) a page gives for itself: what newsrooms A/B test beside the headline.

Read from the page's own metadata, in this order: `og:description`, `<meta name="description">`.
Not part of the article's text (it is not hashed and no edit is reported on it); it only feeds the
headline-variant detector (`monitor.compare.variants`), which reports a standfirst *test*.
"""

from __future__ import annotations

import html
import re

# Metadata sits in the head: only this much of a page is searched.
SEARCH_BYTES = 64 * 1024
# A standfirst is a sentence or two; anything longer is cut (and still compared as a wording).
MAX_CHARS = 1_000

_META = re.compile(rb"<meta\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ORDER = (b"og:description", b"description")


def read_standfirst(page: bytes) -> str:
    """The page's standfirst, or "" when it declares none."""
    found: dict[bytes, str] = {}
    for tag in _META.finditer(page[:SEARCH_BYTES]):
        attrs = {
            match[1].lower(): match[2] if match[2] is not None else match[3]
            for match in _ATTR.finditer(tag[0])
        }
        name = (attrs.get(b"property") or attrs.get(b"name") or b"").lower()
        content = attrs.get(b"content")
        if name in _ORDER and content and name not in found:
            text = html.unescape(content.decode("utf-8", "replace"))
            found[name] = " ".join(text.split())[:MAX_CHARS]
    return next((found[name] for name in _ORDER if found.get(name)), "")
