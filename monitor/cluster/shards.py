"""Which shard a URL lives in: its registered domain, hashed onto a fixed number of shards.

A domain always lands in the same shard, so every article of a site is in one SQLite file and
crawled by one process at a time: Scrapy's per-domain politeness holds across the cluster. The
registered domain comes from tldextract's bundled Public Suffix List snapshot, never a download.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import tldextract

# 64 shards: enough for ~64 nodes, few enough that a round per shard costs little; the count is
# fixed at `redline cluster init` because changing it would move domains between files.
DEFAULT_SHARDS = 64
MAX_SHARDS = 4096  # one file per shard; past this a directory listing becomes the bottleneck
ROLLUP_FILE = "rollup.db"
_SHARD_FILE = re.compile(r"shard-\d+\.db")


@cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract  # here: `redline serve --cluster` names shard files without it

    # suffix_list_urls=(): the bundled snapshot only, never a network fetch; cache_dir=None: no
    # cache file written next to a shard directory or in $HOME.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str) -> str:
    """The domain a site registered ("bbc.co.uk" for www.bbc.co.uk); an IP address or a bare host
    name such as localhost is its own domain."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return ""
    return _extractor()(host).top_domain_under_public_suffix or host


def shard_of_domain(domain: str, shards: int) -> int:
    """A stable shard number for a domain (sha256, not Python's per-process `hash`)."""
    digest = hashlib.sha256(domain.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def shard_of(url: str, shards: int) -> int:
    return shard_of_domain(registered_domain(url), shards)


def shard_name(shard: int, shards: int) -> str:
    """`shard-07` for 64 shards: zero-padded so that files sort in shard order."""
    return f"shard-{shard:0{len(str(max(shards - 1, 0)))}d}"


def shard_path(directory: Path, shard: int, shards: int) -> Path:
    return Path(directory) / f"{shard_name(shard, shards)}.db"


def shard_files(directory: Path) -> list[Path]:
    """The shard files present in a cluster directory, in shard order."""
    return sorted(Path(directory).glob("shard-*.db"))


def other_shard_files(path: Path) -> list[Path]:
    """The other shard files of the cluster directory that `path` is a shard file of; none for a
    file that is not a shard (a single machine's database, the rollup)."""
    path = Path(path)
    if not _SHARD_FILE.fullmatch(path.name):
        return []
    return [other for other in shard_files(path.parent) if other.name != path.name]
