"""Evidence as WARC (ISO 28500), the format archivists' tools read (replayweb.page, pywb): each
captured response as a `response` record (status line, headers, the body as fetched), each
extracted version and the article's edits as `metadata` records (JSON) that refer to the
response they came from, each screenshot of a rendered page as a `resource` record (image/png)
concurrent with its response (`WARC-Concurrent-To`: the same page load), after a `warcinfo`
record saying what wrote the file. warcio computes every record's block and payload digests.

Bodies are stored as Scrapy handed them over, after decompression: the recorded
`Content-Encoding` and `Transfer-Encoding` headers no longer describe them, so they are kept
under `X-Redline-Original-` names and `Content-Length` is the stored body's. A capture made
before Redline kept response headers gets only `Content-Type` and `Content-Length`, and says so
in a `Redline-Note` field of its WARC header (an extension field, which WARC readers ignore).
A page read from a web archive (`redline backfill`) is the archive's replay, not a response of
the article's site: its record's target is the memento it was read from, with the article's URL
in `Redline-Original-URI`, and its `Redline-Note` says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from typing import Any, BinaryIO

from monitor.capture import NO_HEADERS, Capture

# What a page read from a web archive says in its `Redline-Note`, before the memento's address.
MEMENTO_NOTE = "not fetched by Redline: read from the web archive's memento"
# Headers that describe a transfer encoding the stored body no longer has.
_ENCODING_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class Screenshot:
    """A PNG of the rendered page, taken with the captured response `snapshot_id`."""

    snapshot_id: int
    url: str
    taken_at: str
    png: bytes


@dataclass(frozen=True)
class Evidence:
    """What one export holds: the captures with their bytes, and the metadata to attach."""

    article_url: str
    captures: Sequence[tuple[Capture, bytes]]
    versions: Sequence[dict[str, Any]]  # each with `snapshot_id` (to refer to its response)
    edits: Sequence[dict[str, Any]]
    software: str = "Redline"
    screenshots: Sequence[Screenshot] = ()


def _warc_date(stamp: str) -> str:
    """ISO 8601 as WARC wants it: UTC with a Z."""
    return stamp.replace("+00:00", "Z") if stamp else ""


def _http_headers(capture: Capture, body: bytes) -> tuple[list[tuple[str, str]], str]:
    if capture.headers is None:
        pairs = [("Content-Type", capture.content_type)] if capture.content_type else []
        return [*pairs, ("Content-Length", str(len(body)))], NO_HEADERS
    pairs = []
    for name, value in capture.headers:
        if name.lower() in _ENCODING_HEADERS:
            if name.lower() != "content-length":
                pairs.append((f"X-Redline-Original-{name}", value))
            continue
        pairs.append((name, value))
    return [*pairs, ("Content-Length", str(len(body)))], ""


def write_warc(out: BinaryIO, evidence: Evidence, *, gzip: bool = True) -> int:
    """Write the evidence to `out`; returns the number of records."""
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=gzip, warc_version="WARC/1.1")
    info = writer.create_warcinfo_record(
        "",
        {
            "software": evidence.software,
            "format": "WARC File Format 1.1",
            "description": f"Captured pages, versions and edits of {evidence.article_url}",
        },
    )
    writer.write_record(info)
    records = 1
    response_ids: dict[int, str] = {}
    for capture, body in evidence.captures:
        record = _response_record(writer, capture, body, evidence.article_url)
        writer.write_record(record)
        response_ids[capture.snapshot_id] = record.rec_headers.get_header("WARC-Record-ID")
        records += 1
    for shot in evidence.screenshots:
        writer.write_record(_screenshot_record(writer, shot, response_ids))
        records += 1
    for version in evidence.versions:
        writer.write_record(_version_record(writer, version, evidence.article_url, response_ids))
        records += 1
    writer.write_record(_edits_record(writer, evidence))
    return records + 1


def _status_line(status: int) -> str:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"{status} {reason}"


def _response_record(writer: Any, capture: Capture, body: bytes, article_url: str) -> Any:
    """A captured response: its status line, its headers (see `_http_headers`), its body."""
    from warcio.statusandheaders import StatusAndHeaders

    headers, note = _http_headers(capture, body)
    http = StatusAndHeaders(_status_line(capture.http_status or 200), headers, protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": _warc_date(capture.captured_at or capture.first_seen)}
    warc_headers["Redline-SHA256"] = capture.sha256  # of the body, as `redline show` gives it
    notes = ["response headers " + note] if note else []
    target = capture.url or article_url
    if capture.memento_url:
        target = capture.memento_url
        warc_headers["Redline-Original-URI"] = article_url
        notes.append(f"{MEMENTO_NOTE} {capture.memento_url}")
    if notes:
        warc_headers["Redline-Note"] = "; ".join(notes)
    return writer.create_warc_record(
        target,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )


def _screenshot_record(writer: Any, shot: Screenshot, response_ids: dict[int, str]) -> Any:
    """A screenshot as a `resource` record (image/png), concurrent with its response: both
    come from the same page load."""
    warc_headers = {"WARC-Date": _warc_date(shot.taken_at)}
    concurrent = response_ids.get(shot.snapshot_id)
    if concurrent:
        warc_headers["WARC-Concurrent-To"] = concurrent
    return writer.create_warc_record(
        shot.url,
        "resource",
        payload=BytesIO(shot.png),
        length=len(shot.png),
        warc_content_type="image/png",
        warc_headers_dict=warc_headers,
    )


def _version_record(
    writer: Any, version: dict[str, Any], article_url: str, response_ids: dict[int, str]
) -> Any:
    """An extracted version as JSON metadata, referring to the response it came from."""
    payload = json.dumps(version, ensure_ascii=False, indent=2).encode("utf-8")
    warc_headers = {"WARC-Date": _warc_date(str(version.get("captured_at") or ""))}
    refers = response_ids.get(int(version.get("snapshot_id") or 0))
    if refers:
        warc_headers["WARC-Refers-To"] = refers
    return writer.create_warc_record(
        f"urn:redline:version:{article_url}#{version.get('seq')}",
        "metadata",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/json",
        warc_headers_dict=warc_headers,
    )


def _edits_record(writer: Any, evidence: Evidence) -> Any:
    """The article's edits as one JSON metadata record."""
    payload = json.dumps(list(evidence.edits), ensure_ascii=False, indent=2).encode("utf-8")
    return writer.create_warc_record(
        f"urn:redline:edits:{evidence.article_url}",
        "metadata",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/json",
    )
