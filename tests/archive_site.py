"""A Wayback Machine on 127.0.0.1 for backfill tests, written from the documented formats:

- CDX search (https://github.com/internetarchive/wayback/tree/master/wayback-cdx-server):
  `GET /cdx/search/cdx?url=U&output=json&fl=f1,f2&from=YYYYMMDD...&limit=N` answers a JSON array
  whose first row names the fields asked for and whose other rows are the captures, oldest
  first, every value a string; no capture is `[]`.
- Playback in original mode: `GET /web/<14 digits>id_/<url>` answers the archived bytes with the
  archived Content-Type and a `Memento-Datetime` header; a capture of a redirect is replayed as
  that redirect; a timestamp with no capture redirects (302) to the nearest one.

- Save Page Now: `GET /save/<url>` answers a redirect to the new capture
  (`/web/<timestamp>/<url>`).

`ArchiveSite.captures[url]` is a list of `Archived`; `busy` answers that many requests with 429
and `Retry-After: retry_after` first; `requests` lists the paths asked.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

from tests.loopback import LoopbackHTTPServer, LoopbackServers, QuietHandler


@dataclass(frozen=True)
class Archived:
    timestamp: str
    body: bytes = b""
    status: int = 200
    mimetype: str = "text/html"
    location: str = ""  # for a redirect capture
    indexed_status: str = ""  # what the index says, when it differs (e.g. "-")

    @property
    def digest(self) -> str:
        return base64.b32encode(hashlib.sha1(self.body).digest()).decode()


class ArchiveSite(LoopbackServers):
    def __init__(self) -> None:
        self.captures: dict[str, list[Archived]] = {}
        self.requests: list[str] = []
        self.busy = 0
        self.saved: list[str] = []  # URLs asked to Save Page Now
        self.save_status = 302  # its answer: a redirect to the new capture, or this status
        self.retry_after = "0"
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if site.busy > 0:
                    site.busy -= 1
                    self.answer(
                        429, b"slow down", "text/plain", [("Retry-After", site.retry_after)]
                    )
                elif self.path.startswith("/cdx/search/cdx"):
                    self.answer(200, site.cdx(self.path), "application/json")
                elif self.path.startswith("/save/"):
                    site.saved.append(self.path[len("/save/") :])
                    if site.save_status != 302:
                        self.answer(site.save_status, b"job failed", "text/plain")
                        return
                    where = f"/web/20261206120000/{self.path[len('/save/') :]}"
                    self.answer(302, b"", "text/plain", [("Location", where)])
                elif self.path.startswith("/web/"):
                    self._replay(self.path[len("/web/") :])
                else:
                    self.answer(404, b"not found", "text/plain")

            def _replay(self, rest: str) -> None:
                stamp, _, original = rest.partition("/")
                stamp = stamp.removesuffix("id_")
                known = sorted(site.captures.get(original, []), key=lambda a: a.timestamp)
                if not known:
                    self.answer(404, b"<html><body>Hrm. Not archived.</body></html>", "text/html")
                    return
                exact = [a for a in known if a.timestamp == stamp]
                if not exact:
                    near = min(
                        known, key=lambda a: abs(int(a.timestamp) - int(stamp.ljust(14, "0")))
                    )
                    self.answer(
                        302,
                        b"",
                        "text/plain",
                        [("Location", f"/web/{near.timestamp}id_/{original}")],
                    )
                    return
                capture = exact[0]
                moment = datetime.strptime(capture.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                headers = [("Memento-Datetime", format_datetime(moment, usegmt=True))]
                if capture.location:
                    headers.append(("Location", capture.location))
                self.answer(capture.status, capture.body, capture.mimetype, headers)

        self.server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self.servers = (self.server,)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def cdx(self, path: str) -> bytes:
        query = parse_qs(urlsplit(path).query)
        url = query["url"][0]
        fields = query.get("fl", ["urlkey,timestamp,original,mimetype,statuscode,digest,length"])[0]
        names = fields.split(",")
        since = query.get("from", [""])[0]
        rows = []
        for capture in sorted(self.captures.get(url, []), key=lambda a: a.timestamp):
            if since and capture.timestamp < since.ljust(14, "0"):
                continue
            values = {
                "urlkey": url,
                "timestamp": capture.timestamp,
                "original": url,
                "mimetype": capture.mimetype,
                "statuscode": capture.indexed_status or str(capture.status),
                "digest": capture.digest,
                "length": str(len(capture.body)),
            }
            rows.append([values[name] for name in names])
        limit = int(query.get("limit", ["0"])[0])
        if limit:
            rows = rows[:limit]
        return json.dumps([names, *rows] if rows else []).encode()
