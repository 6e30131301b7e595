"""The Wayback Machine's CDX index and memento URLs, as pure functions over strings.

The CDX server (https://github.com/internetarchive/wayback/tree/master/wayback-cdx-server)
answers `GET /cdx/search/cdx?url=...&output=json&fl=...` with a JSON array whose first row
names the fields and whose other rows are captures, every value a string:

    [["timestamp", "original", "statuscode", "mimetype", "digest", "length"],
     ["20260301120000", "https://news.example/story", "200", "text/html", "AB2...", "3120"]]

`from=` takes a timestamp prefix (`20260301`), `limit=` bounds the rows; an empty index is `[]`.
A capture is replayed byte for byte (`id_`, "original mode": no rewritten links, no banner) at
`/web/<timestamp>id_/<original>`; that URL is also the capture's memento URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from monitor.errors import ArchiveError

__all__ = [
    "CDX_FIELDS",
    "DEFAULT_ARCHIVE",
    "Capture",
    "cdx_query_url",
    "memento_url",
    "parse_cdx",
]

DEFAULT_ARCHIVE = "https://web.archive.org"
CDX_FIELDS = ("timestamp", "original", "statuscode", "mimetype", "digest")
# At most this many rows are read from one CDX answer whatever `limit` the server honoured: a
# busy front page has tens of thousands of captures; an article seldom more than a few hundred.
MAX_CDX_ROWS = 5000
_TIMESTAMP = "%Y%m%d%H%M%S"


@dataclass(frozen=True)
class Capture:
    """One row of the CDX index."""

    timestamp: str  # 14 digits, UTC
    original: str  # the URL as archived
    status: str  # "200", "301", "-" (revisit records and some redirects have none)
    mimetype: str
    digest: str  # of the archived payload: equal digests, equal bytes

    @property
    def captured_at(self) -> datetime:
        return capture_time(self.timestamp)

    def memento(self, base: str) -> str:
        return memento_url(base, self.timestamp, self.original)

    def index_problem(self) -> str:
        """Why the index alone shows this capture cannot be a version, or ""."""
        if self.status.startswith("3"):
            return f"archived as a redirect (HTTP {self.status})"
        if self.status[:1] in ("4", "5"):
            return f"archived as an error (HTTP {self.status})"
        if (
            self.mimetype
            and "html" not in self.mimetype.lower()
            and self.mimetype != "warc/revisit"
        ):
            return f"archived as {self.mimetype}, not a page"
        return ""


def capture_time(timestamp: str) -> datetime:
    """A 14-digit Wayback timestamp as an aware UTC moment (shorter prefixes pad with zeros)."""
    if not timestamp.isdigit() or not 4 <= len(timestamp) <= 14:
        raise ArchiveError(f"not a Wayback timestamp: {timestamp!r}")
    padded = timestamp + "0101000000"[len(timestamp) - 4 :] if len(timestamp) < 14 else timestamp
    try:
        return datetime.strptime(padded, _TIMESTAMP).replace(tzinfo=UTC)
    except ValueError as error:
        raise ArchiveError(f"not a Wayback timestamp: {timestamp!r}") from error


def wayback_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_TIMESTAMP)


def cdx_query_url(base: str, url: str, since: datetime | None = None, limit: int = 0) -> str:
    """The CDX query listing `url`'s captures, oldest first, from `since` on."""
    params: list[tuple[str, str]] = [
        ("url", url),
        ("output", "json"),
        ("fl", ",".join(CDX_FIELDS)),
    ]
    if since is not None:
        params.append(("from", wayback_timestamp(since)))
    if limit:
        params.append(("limit", str(limit)))
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def memento_url(base: str, timestamp: str, original: str) -> str:
    """The capture replayed as archived (`id_`: original mode)."""
    return f"{base.rstrip('/')}/web/{timestamp}id_/{original}"


def parse_cdx(text: str) -> list[Capture]:
    """The captures of a CDX JSON answer, in the server's order (oldest first)."""
    if not text.strip():
        return []
    try:
        rows = json.loads(text)
    except ValueError as error:
        raise ArchiveError(f"the archive's index is not JSON: {error}") from error
    if not isinstance(rows, list) or not rows:
        return []
    header, *body = rows
    if not isinstance(header, list) or not all(name in header for name in CDX_FIELDS):
        raise ArchiveError(f"the archive's index lacks the fields {', '.join(CDX_FIELDS)}")
    where = {name: header.index(name) for name in CDX_FIELDS}
    captures = []
    for row in body[:MAX_CDX_ROWS]:
        if not isinstance(row, list) or len(row) < len(header):
            raise ArchiveError(f"the archive's index has a malformed row: {row!r:.200}")
        values = {name: str(row[i]) for name, i in where.items()}
        capture_time(values["timestamp"])  # a bad timestamp is a bad index, said now
        captures.append(
            Capture(
                values["timestamp"],
                values["original"],
                values["statuscode"],
                values["mimetype"],
                values["digest"],
            )
        )
    return captures
