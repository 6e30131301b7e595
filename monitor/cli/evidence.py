"""The commands that show and export what was captured: `redline show` and `redline export`.

An edge of the program: it reads captures (`monitor.store.captures`), shows them in the terminal
or writes them as evidence files (`monitor.warc`), and turns errors into one line and exit 1.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from monitor import store
from monitor.capture import Capture, header_lines
from monitor.cli import render
from monitor.errors import DatabaseError, RedlineError, VersionNotFoundError
from monitor.ids import MAX_ID
from monitor.store import captures, rendering
from monitor.store.lookup import REF_HELP, Target, find_target


def _db(ctx: click.Context) -> Any:
    path = Path(ctx.find_root().obj["db"])
    if not path.is_file():
        raise DatabaseError(f"no database at {path} (create one with `redline init`)")
    return store.open_db(path)


def pick_version(db: Any, target: Target, seq: int | None) -> dict[str, Any]:
    """The version asked for: `--version N`, else the version a change made (the last one
    before a removal), else the latest."""
    article_id = int(target.article["id"])
    if seq is None and target.change is not None:
        seq = target.change["new_seq"] or target.change["old_seq"]
    if seq is None:
        latest = store.latest_version(db, article_id)
        if latest is None:
            raise VersionNotFoundError(f"no version of {target.article['url']} stored yet")
        return dict(latest)
    return dict(store.get_version(db, article_id, int(seq)))


def fact_lines(capture: Capture) -> list[str]:
    """What a capture is, one fact a line: time, place, status, type, size, digest, headers."""
    return [
        f"captured     {capture.captured_at or capture.first_seen} (UTC)",
        f"fetched from {capture.url or '(not recorded)'}",
        f"HTTP status  {capture.http_status or '(not recorded)'}",
        f"content type {capture.content_type or '(none given)'}",
        f"size         {capture.size:,} bytes",
        f"SHA-256      {capture.sha256}",
        f"versions     {', '.join(map(str, capture.versions)) or '-'}",
        "",
        *header_lines(capture),
    ]


@click.command(
    name="show",
    help="Show the page a version was extracted from, as captured: time, URL, HTTP status, "
    f"headers, SHA-256 and its text. URL|ID: {REF_HELP}.",
)
@click.argument("ref", metavar="URL|ID")
@click.option(
    "--version", "seq", type=click.IntRange(1, MAX_ID), help="Version number (default: the latest)."
)
@click.option("--raw", is_flag=True, help="Write the raw page exactly as fetched to stdout.")
@click.pass_context
def show_command(ctx: click.Context, ref: str, seq: int | None, raw: bool) -> None:
    try:
        db = _db(ctx)
        try:
            target = find_target(db, ref)
            version = pick_version(db, target, seq)
            capture = captures.capture_of_version(db, version)
            content = captures.capture_content(db, capture.snapshot_id)
        finally:
            db.close()
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
    if raw:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    from monitor.extract.extraction import page_text

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    console.print(
        render.plain(
            f"{target.article['url']}  version {version['seq']} (article a{target.article['id']})",
            "bold",
        )
    )
    for line in fact_lines(capture):
        console.print(render.plain(line))
    console.print()
    text = page_text(content, capture.content_type) if capture.is_text else ""
    console.print(render.plain(text or f"({capture.content_type}: no text to show; see --raw)"))


def version_record(version: dict[str, Any]) -> dict[str, Any]:
    """A version as exported: its text and where it came from, no raw bytes."""
    keys = ("seq", "captured_at", "url", "title", "byline", "published", "modified", "body")
    return {key: version.get(key) for key in keys} | {
        "content_hash": version.get("content_hash"),
        "extractor": version.get("extractor"),
        "extractor_version": version.get("extractor_version"),
    }


def edits_record(db: Any, article_id: int) -> list[dict[str, Any]]:
    """Every change of the article with its edits, oldest first."""
    changes = store.changes_of(db, article_id)
    out = []
    for change in changes:
        edits = captures.edits_of_change(db, int(change["id"]))
        for edit in edits:
            edit["reasons"] = json.loads(edit["reasons"] or "[]")
        out.append(
            {
                "change_id": change["id"],
                "detected_at": change["detected_at"],
                "from_version": change["old_seq"],
                "to_version": change["new_seq"],
                "summary": change["summary"],
                "stealth": bool(change["stealth"]),
                "edits": edits,
            }
        )
    return out


@click.command(
    name="export",
    help="Export the evidence of an article: its captured responses as standard WARC records "
    "with the extracted versions and the edits as metadata records (--warc FILE), or the "
    f"versions and edits alone as JSON (--json). URL|ID: {REF_HELP}.",
)
@click.argument("ref", metavar="URL|ID")
@click.option(
    "--version",
    "seq",
    type=click.IntRange(1, MAX_ID),
    help="Only this version (default: the latest).",
)
@click.option("--all", "every", is_flag=True, help="Every version and every captured page.")
@click.option(
    "--warc",
    "warc_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a WARC file (gzip-compressed per record when it ends in .gz).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the versions and edits as JSON.")
@click.option("--force", is_flag=True, help="Overwrite the --warc file if it exists.")
@click.pass_context
def export_command(
    ctx: click.Context,
    ref: str,
    seq: int | None,
    every: bool,
    warc_file: Path | None,
    as_json: bool,
    force: bool,
) -> None:
    if (warc_file is None) == (not as_json):
        raise click.UsageError("give one of --warc FILE or --json")
    if warc_file is not None and warc_file.exists() and not force:
        raise click.ClickException(
            f"{warc_file} exists; an evidence file is not overwritten without --force"
        )
    if every and seq is not None:
        raise click.UsageError("--version and --all exclude each other")
    try:
        db = _db(ctx)
        try:
            export = _gather_export(db, ref, seq, every)
            if as_json:
                click.echo(json.dumps(export.as_json(), ensure_ascii=False, indent=2))
                return
            assert warc_file is not None
            pages = _export_pages(db, export, every)
            shots = rendering.screenshots_of_snapshots(db, [c.snapshot_id for c, _ in pages])
        finally:
            db.close()
        records = _write_evidence(warc_file, export, pages, shots)
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"wrote {warc_file}: {len(pages)} captured response(s), {len(export.payload)} "
        f"version(s), {len(export.edits)} change(s); {records} WARC records"
    )


@dataclass(frozen=True)
class _Export:
    """What `redline export` writes of an article: its versions and their changes."""

    article_id: int
    url: str
    versions: list[dict[str, Any]]  # the version rows
    payload: list[dict[str, Any]]  # the versions as exported (`version_record`)
    edits: list[dict[str, Any]]  # the changes as exported (`edits_record`)

    def as_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "url": self.url,
            "versions": self.payload,
            "changes": self.edits,
        }


def _gather_export(db: Any, ref: str, seq: int | None, every: bool) -> _Export:
    """The versions asked for (`--all`: every one) and the changes that led to them."""
    target = find_target(db, ref)
    article_id = int(target.article["id"])
    if every:
        versions = [dict(v) for v in store.versions_of(db, article_id)]
    else:
        versions = [pick_version(db, target, seq)]
    edits = edits_record(db, article_id)
    if not every:
        shown = {int(v["seq"]) for v in versions}
        edits = [e for e in edits if e["to_version"] in shown]
    payload = [version_record(v) | {"snapshot_id": v.get("snapshot_id")} for v in versions]
    return _Export(article_id, target.article["url"], versions, payload, edits)


def _export_pages(db: Any, export: _Export, every: bool) -> list[tuple[Capture, bytes]]:
    """The captured responses to write: every one kept (`--all`), else those of the versions."""
    if every:
        kept = captures.captures_of_article(db, export.article_id)
    else:
        kept = [captures.capture_of_version(db, v) for v in export.versions if v.get("snapshot_id")]
    return [(c, captures.capture_content(db, c.snapshot_id)) for c in kept]


def _evidence(
    export: _Export, pages: list[tuple[Capture, bytes]], shots: list[dict[str, Any]]
) -> Any:
    from monitor.warc import Evidence, Screenshot

    return Evidence(
        article_url=export.url,
        captures=pages,
        screenshots=[
            Screenshot(int(s["snapshot_id"]), s["url"] or export.url, s["taken_at"], s["png"])
            for s in shots
        ],
        versions=export.payload,
        edits=export.edits,
        software=f"Redline {_version()}",
    )


def evidence_warc(db: Any, ref: str, seq: int | None, every: bool) -> bytes:
    """The evidence of an article as a gzipped WARC file in memory (the watch desk's download):
    the same records as `redline export --warc FILE.warc.gz`."""
    from monitor.warc import write_warc

    export = _gather_export(db, ref, seq, every)
    pages = _export_pages(db, export, every)
    shots = rendering.screenshots_of_snapshots(db, [c.snapshot_id for c, _ in pages])
    out = io.BytesIO()
    write_warc(out, _evidence(export, pages, shots), gzip=True)
    return out.getvalue()


def _write_evidence(
    warc_file: Path,
    export: _Export,
    pages: list[tuple[Capture, bytes]],
    shots: list[dict[str, Any]],
) -> int:
    """Write the WARC file; the number of records written, or one line naming the file."""
    from monitor.warc import write_warc

    try:
        with warc_file.open("wb") as out:
            return write_warc(out, _evidence(export, pages, shots), gzip=warc_file.suffix == ".gz")
    except OSError as error:
        raise click.ClickException(
            f"cannot write {warc_file}: {error.strerror or error}"
        ) from error


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("redline")
    except PackageNotFoundError:
        return "(development)"
