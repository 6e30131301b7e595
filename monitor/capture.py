"""A captured response, as evidence: the raw page as it was fetched, with when, from where, the
HTTP status, the response headers and the SHA-256 of the bytes, and a safe rendering of it.

Pure: values in, values out (the store reads the rows, `monitor.web` and the CLI show them).

A captured page is hostile input: it may carry scripts, frames, forms, event handlers, and
references to anything on the network. `safe_html` keeps its text, layout and inline styles and
strips everything active; the page is then served with `CAPTURE_CSP` inside a sandboxed iframe,
so even a trick the cleaner missed can neither run nor make a request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

# Served with the rendered page: nothing may load or run (inline styles only; images, fonts,
# scripts, frames, forms, connections, even the page's own origin: none), and the document is
# sandboxed whatever frame it is opened in.
CAPTURE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
    "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox"
)
# Said wherever headers are shown for a capture made before Redline stored them.
NO_HEADERS = "not recorded (captured before Redline stored response headers)"
# Content types rendered as a page; other text is shown as text, anything else only described.
_HTML_TYPE = re.compile(r"html|xml", re.IGNORECASE)
_TEXT_TYPE = re.compile(r"^text/|json|javascript|csv", re.IGNORECASE)
# Attributes that name something to load, fetch or ping, dropped wherever they appear, by their
# local name (`xlink:href` is an `href`); a link's `href` is kept as its tooltip.
_URL_ATTRIBUTES = frozenset(
    "href src srcset imagesrcset action formaction poster background ping data codebase "
    "classid archive cite longdesc lowsrc dynsrc usemap manifest icon profile".split()
)
# A value that makes CSS or SVG load something: `url(`, `image-set(` and their kin in an inline
# style or an SVG attribute (`fill="url(https://…)"`), `@import`, and any CSS escape (`\75rl(`
# spells `url(`). An attribute carrying one is dropped whole.
_LOADS = re.compile(
    r"(?:url|image-set|image|cross-fade|element|src|expression)\s*\(|@import|\\",
    re.IGNORECASE,
)
# SVG animation elements can set any attribute (an `href`) to any value, after the cleaning.
_ANIMATIONS = "//animate|//set|//animatemotion|//animatetransform|//discard"


@dataclass(frozen=True)
class Capture:
    """One stored raw page and the first fetch that kept it."""

    snapshot_id: int
    sha256: str
    size: int
    content_type: str
    first_seen: str
    article_id: int | None = None
    article_url: str = ""
    captured_at: str = ""  # the check that kept the page; empty if none is recorded
    url: str = ""  # the URL the page was fetched from (after redirects)
    http_status: int | None = None
    headers: tuple[tuple[str, str], ...] | None = None  # None: not recorded
    versions: tuple[int, ...] = ()  # the version numbers made from this page
    # The archive's address it was read from (`redline backfill`), when no fetch of Redline's
    # kept it: the page is the archive's replay, not a response of the article's site.
    memento_url: str = ""

    @property
    def is_html(self) -> bool:
        return bool(_HTML_TYPE.search(self.content_type)) or not self.content_type

    @property
    def is_text(self) -> bool:
        return self.is_html or bool(_TEXT_TYPE.search(self.content_type))


def parse_headers(stored: str | None) -> tuple[tuple[str, str], ...] | None:
    """The headers as stored (JSON pairs), or None when they were not recorded."""
    if not stored:
        return None
    try:
        pairs = json.loads(stored)
    except ValueError:
        return None
    return tuple((str(name), str(value)) for name, value in pairs)


def capture_from_rows(
    snapshot: dict[str, Any], check: dict[str, Any] | None, seqs: list[int]
) -> Capture:
    check = check or {}
    return Capture(
        snapshot_id=int(snapshot["id"]),
        sha256=snapshot["sha256"],
        size=int(snapshot["size"] or 0),
        content_type=snapshot["content_type"] or "",
        first_seen=snapshot["first_seen"] or "",
        article_id=check.get("article_id"),
        article_url=check.get("article_url") or "",
        captured_at=check.get("checked_at") or "",
        url=check.get("url") or "",
        http_status=check.get("http_status"),
        headers=parse_headers(check.get("response_headers")),
        versions=tuple(seqs),
    )


def safe_html(raw: bytes, content_type: str = "") -> str:
    """The page with everything active removed: scripts, styles sheets and links to them, frames,
    embeds, objects, forms and their fields, meta refreshes, `<base>`, event handlers and
    `javascript:` URLs, SVG animations; every attribute that can name a URL is dropped
    (`xlink:href`, `ping`..., and any inline style or SVG value with `url(`, `image-set(`,
    `@import` or a CSS escape), a link's target staying readable as its tooltip, so the page loads
    nothing even without `CAPTURE_CSP`. Text, structure and plain inline styles stay. A UTF-8
    document."""
    from lxml import etree
    from lxml.html import document_fromstring, tostring
    from lxml_html_clean import Cleaner

    from monitor.extract.extraction import decode_page

    text = decode_page(raw, content_type).replace("\x00", "")
    if not text.strip():
        return "<!DOCTYPE html><meta charset=utf-8><p>(the page was empty)</p>"
    cleaner = Cleaner(
        scripts=True,
        javascript=True,
        comments=True,
        style=True,  # <style> blocks may import sheets and fonts; inline styles stay
        inline_style=False,
        links=True,
        meta=True,
        page_structure=False,
        processing_instructions=True,
        embedded=True,
        frames=True,
        forms=True,
        annoying_tags=True,
        remove_unknown_tags=False,
        safe_attrs_only=False,
    )
    try:
        tree = document_fromstring(text)
        # Before the cleaner, which strips `@import` out of a style but leaves its URL.
        for element in tree.iter():
            for name, value in list(element.attrib.items()) if isinstance(element.tag, str) else ():
                if _LOADS.search(value):
                    del element.attrib[name]
        tree = cleaner.clean_html(tree)
    except (etree.ParserError, ValueError):
        return "<!DOCTYPE html><meta charset=utf-8><p>(the page could not be parsed)</p>"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            lowered = name.lower().rsplit(":", 1)[-1]
            if lowered.startswith("on") or lowered in _URL_ATTRIBUTES:
                value = element.attrib.pop(name)
                if name.lower() == "href" and element.tag == "a" and value:
                    element.set("title", value)
    for base in tree.xpath(f"//base|//meta|//link|//style|{_ANIMATIONS}"):
        base.drop_tree()
    head = tree.find("head")
    if head is None:
        head = tree.makeelement("head", {})
        tree.insert(0, head)
    head.insert(0, head.makeelement("meta", {"charset": "utf-8"}))
    return "<!DOCTYPE html>\n" + str(tostring(tree, encoding="unicode", method="html"))


def text_page(raw: bytes, content_type: str = "") -> str:
    """A text response (JSON, plain text) as an HTML page showing it as it is."""
    from monitor.extract.extraction import decode_page

    return (
        "<!DOCTYPE html><meta charset=utf-8><pre style='white-space:pre-wrap'>"
        f"{escape(decode_page(raw, content_type))}</pre>"
    )


def header_lines(capture: Capture) -> list[str]:
    """The response as a reader of evidence wants it, one line each: status and headers."""
    if capture.headers is None:
        return [f"headers: {NO_HEADERS}"]
    return [f"{name}: {value}" for name, value in capture.headers]
