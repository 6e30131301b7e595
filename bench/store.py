"""Benchmark the version store at newsroom scale, and what each check and version costs on disk.

    python -m bench.store --corpus ../shared/corpus [--articles 100000] [--versions 1000000]
                          [--checks-per-version 3] [--runs 7] [--skip-build]

1. Build: a synthetic database with the project's schema (`monitor.store.queries.open_db`, so every
   migration and view), then 100,000 articles, 1,000,000 versions (time-ordered, 1 to ~100 per
   article, bodies of 3-5 KB cut from the corpus' real article texts, each version differing),
   a change per later version with 1-3 edits of realistic kinds, and checks (one per version
   plus unchanged ones), inserted with executemany in ONE transaction with
   `journal_mode=OFF, synchronous=OFF` FOR THE BUILD ONLY; the database is then switched back to
   WAL and reopened with `store.open_db` (WAL, synchronous=NORMAL) for every measurement.
   Raw-page snapshots are not synthesised (1M compressed pages would be ~30 GB): part 3 measures
   them, and the table extrapolates. Build time, file size and size at 1/4, 1/2, 3/4 and all of
   the versions are printed.
2. Queries, median of `--runs` runs (and the first, colder run): `store.due_articles(limit=500)`,
   `store.list_edits(limit=100)` plain and with kind, site, url, since and significant filters,
   `store.versions_of`, `store.changes_of`, `store.find_article`; every view in the schema with
   LIMIT 100; canned queries of a Datasette metadata file if one exists under monitor/; and the
   queries a Datasette table page runs (count(*), newest rows). Each with its EXPLAIN QUERY PLAN
   (full scans and temp B-trees flagged) and a second median after `ANALYZE` (sqlite_stat1).
   Target: under 50 ms each.
3. Bytes on disk, through the real `monitor.record.page.record_page` on a small database: per new
   article (first sight), per new version (version row + compressed snapshot of a real page +
   change + edits + check) and per unchanged check (check row + article update), with the size
   at 1/4, 1/2, 3/4 and all of each phase to show growth is linear. Then the cost of one
   unchanged check (identical bytes) and one 304 check through `record_page`, on the small and
   on the 1M-version database, side by side.

Everything is written under a temporary directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import queue
import random
import re
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.corpus import REPO_ROOT, corpus_dir_or_exit
from bench.crawl import exit_on_sigterm, table
from monitor import store
from monitor.extract.extraction import Article, extract_article, extractor_version
from monitor.record.page import FetchedPage, record_page
from monitor.store.schema import RECOUNT_ARTICLE_EDITS

AEB = "article-extraction-benchmark"
TARGET_MS = 50.0
QUERY_BUDGET_S = 2.0  # per query: a slow one runs once, a fast one `--runs` times
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SEED = 7
CHUNK = 20_000  # versions per executemany batch
MAX_AGE = timedelta(days=30)  # REDLINE_MAX_AGE: older articles are no longer checked
HISTORY = timedelta(days=90)  # first sightings are spread over this long before NOW
# Edit kinds and their share of edits, with whether they are significant (README's table).
EDIT_KINDS: tuple[tuple[str, float, bool], ...] = (
    ("sentence_changed", 0.24, True),
    ("sentence_added", 0.15, True),
    ("sentence_removed", 0.08, True),
    ("typo", 0.10, False),
    ("cosmetic", 0.10, False),
    ("number", 0.08, True),
    ("sentence_moved", 0.06, False),
    ("quote", 0.05, True),
    ("headline", 0.05, True),
    ("name", 0.04, True),
    ("published_date", 0.02, False),
    ("correction_note", 0.02, True),
    ("byline", 0.01, True),
)
SITES = 200


def ms(seconds: float) -> float:
    return seconds * 1000


def db_bytes(conn: sqlite3.Connection) -> int:
    """Logical size of the database (pages in use, WAL included, free pages excluded)."""
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    return int((pages - free) * page_size)


def mib(size: float) -> str:
    return f"{size / 2**20:,.1f} MiB"


# ------------------------------------------------------------------ 1. build
@dataclass
class Built:
    path: Path
    seconds: float
    rows: dict[str, int]
    rows_seconds: float  # the rows alone, before the full-text indexes are filled
    fts_tables: list[str]
    fts_share: float  # share of the rows in the full-text indexes
    quarter_sizes: list[tuple[int, int]]  # (versions inserted, bytes), full-text indexes aside
    popular_site: str
    rare_site: str
    typical_article: int  # median number of versions
    longest_article: int  # most versions
    sample_url: str


def _bodies(corpus: Path) -> tuple[list[str], list[str]]:
    """Real article texts cut or repeated to 3-5 KB, and real titles."""
    truth = json.loads((corpus / AEB / "ground-truth.json").read_text())
    rng = random.Random(SEED)
    bodies, titles = [], []
    for entry in truth.values():
        text = entry["articleBody"].strip()
        target = rng.randint(3000, 5000)
        while len(text) < target:
            text += "\n" + text
        bodies.append(text[:target])
        titles.append(text.split("\n", 1)[0][:90])
    return bodies, titles


def _version_counts(articles: int, versions: int, rng: random.Random) -> list[int]:
    """Versions per article: most articles have a few, some many (mean versions/articles)."""
    mean = versions / articles
    counts = [1 + int(rng.expovariate(1 / max(mean - 1, 0.01))) for _ in range(articles)]
    # adjust to the exact total, one version at a time on random articles
    total = sum(counts)
    while total != versions:
        index = rng.randrange(articles)
        if total < versions:
            counts[index] += 1
            total += 1
        elif counts[index] > 1:
            counts[index] -= 1
            total -= 1
    return counts


@dataclass(frozen=True)
class Plan:
    """Everything random about the synthetic database, decided before any row is written."""

    counts: list[int]  # versions per article
    sites: list[str]  # per article
    first_seen: list[datetime]
    urls: list[str]
    versions: list[tuple[datetime, int, int]]  # (captured_at, article index, seq), time order


def make_plan(articles: int, versions: int, rng: random.Random) -> Plan:
    weights = [1 / (rank + 1) for rank in range(SITES)]  # Zipf: a few big sites, a long tail
    names = [f"news{n}.example.com" for n in range(SITES)]
    counts = _version_counts(articles, versions, rng)
    sites = [names[n] for n in rng.choices(range(SITES), weights=weights, k=articles)]
    first_seen = [NOW - HISTORY * rng.random() for _ in range(articles)]
    timeline: list[tuple[datetime, int, int]] = []
    for index, count in enumerate(counts):
        moment = first_seen[index]
        for seq in range(1, count + 1):
            timeline.append((min(moment, NOW), index, seq))
            moment += timedelta(hours=rng.expovariate(1 / 4))  # versions ~4 h apart
    timeline.sort()
    urls = [
        f"https://{sites[i]}/news/{first_seen[i]:%Y/%m/%d}/story-{i + 1}.html"
        for i in range(articles)
    ]
    return Plan(counts, sites, first_seen, urls, timeline)


Chunk = tuple[
    list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]
]


def generate_rows(plan: Plan, corpus: Path, checks_per_version: int, chunk: int) -> Iterator[Chunk]:
    """(versions, changes, edits, checks) rows, `chunk` versions at a time, in time order."""
    rng = random.Random(SEED + 1)
    bodies, titles = _bodies(corpus)
    extractor, _, extractor_ver = extractor_version().partition(" ")
    kinds = [k for k, _, _ in EDIT_KINDS]
    kind_weights = [w for _, w, _ in EDIT_KINDS]
    significant = {k: s for k, _, s in EDIT_KINDS}
    reasons = {k: json.dumps([k]) for k in kinds}
    last_version: dict[int, int] = {}
    change_id = edit_id = check_id = 0
    for start in range(0, len(plan.versions), chunk):
        versions: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        edits: list[tuple[Any, ...]] = []
        checks: list[tuple[Any, ...]] = []
        for offset, (captured, index, seq) in enumerate(plan.versions[start : start + chunk]):
            version_id, article_id = start + offset + 1, index + 1
            when, url = store.stamp(captured), plan.urls[index]
            base = bodies[index % len(bodies)]
            cut = (seq * 997) % max(len(base) - 200, 1)
            body = f"{base[:cut]} Updated figure {seq} of story {article_id}. {base[cut:]}"
            title = titles[index % len(titles)] + (f" ({seq})" if seq % 5 == 0 else "")
            content_hash = f"{article_id:032x}{seq:032x}"  # unique, sha256-sized
            versions.append((version_id, article_id, seq, when, url, title, "By A. Reporter",
                             store.stamp(plan.first_seen[index]), when, body, content_hash,
                             extractor, extractor_ver, None))  # fmt: skip
            check_id += 1
            outcome = "new_article" if seq == 1 else "new_version"
            checks.append((check_id, article_id, when, url, 200, outcome, "", version_id, None))
            for n in range(1, checks_per_version):
                check_id += 1
                checked = store.stamp(captured + timedelta(minutes=10 * n))
                checks.append((check_id, article_id, checked, url, 200, "unchanged",
                               "identical page", None, None))  # fmt: skip
            previous = last_version.get(article_id)
            last_version[article_id] = version_id
            if previous is None:
                continue
            change_id += 1
            picked = list(
                dict.fromkeys(rng.choices(kinds, kind_weights, k=rng.choice((1, 1, 2, 3))))
            )
            flagged = sum(significant[k] for k in picked)
            stealth = int(flagged > 0 and "correction_note" not in picked)
            changes.append((change_id, article_id, previous, version_id, when,
                            "; ".join(k.replace("_", " ") for k in picked), ",".join(picked),
                            flagged, stealth))  # fmt: skip
            sentence = base[cut : cut + 160]
            for position, kind in enumerate(picked):
                edit_id += 1
                edits.append((edit_id, change_id, article_id, position, kind,
                              "title" if kind == "headline" else "body", f"figure {seq - 1}",
                              f"figure {seq}", sentence, f"{sentence} ({seq})",
                              int(significant[kind]), 0.8 if significant[kind] else 0.2,
                              reasons[kind], 3, 3, plan.sites[article_id - 1]))  # fmt: skip
        yield versions, changes, edits, checks


def _article_rows(plan: Plan, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    titles_seen: dict[int, datetime] = {}
    for captured, index, _ in plan.versions:
        titles_seen[index] = captured  # the last version's time: last_changed
    for index, count in enumerate(plan.counts):
        status = rng.choices(["active", "removed", "duplicate"], [0.97, 0.02, 0.01])[0]
        next_check = None
        if status != "duplicate" and NOW - plan.first_seen[index] < MAX_AGE:
            # most not yet due; a few percent overdue by up to two hours
            next_check = store.stamp(NOW + timedelta(minutes=rng.uniform(-120, 24 * 60)))
        yield (index + 1, plan.urls[index], plan.sites[index], status, f"Story {index + 1}",
               store.stamp(plan.first_seen[index]),
               store.stamp(NOW - timedelta(minutes=rng.uniform(0, 600))),
               store.stamp(titles_seen[index]), next_check, f'"{index:08x}"', None,
               f"{index:064x}", count, None)  # fmt: skip


# Columns the synthetic rows fill, per table (named: later migrations may add columns).
COLUMNS = {
    "articles": "id url site status title first_seen last_checked last_changed next_check etag "
    "last_modified last_page_hash version_count redirected_to",
    "versions": "id article_id seq captured_at url title byline published modified body "
    "content_hash extractor extractor_version snapshot_id",
    "changes": "id article_id old_version_id new_version_id detected_at summary kinds significant "
    "stealth",
    "edits": "id change_id article_id position kind field old new old_sentence new_sentence "
    "significant score reasons old_paragraph new_paragraph site",
    "checks": "id article_id checked_at url http_status outcome reason version_id snapshot_id",
}


def _insert_sql(table_name: str) -> str:
    columns = COLUMNS[table_name].split()
    marks = ", ".join("?" for _ in columns)
    return f"insert into {table_name} ({', '.join(columns)}) values ({marks})"


def build(
    path: Path,
    corpus: Path,
    articles: int,
    versions: int,
    checks_per_version: int,
    fts_share: float,
) -> Built:
    started = time.perf_counter()
    store.open_db(path).close()  # the schema: every migration, index, view and trigger
    rng = random.Random(SEED)
    plan = make_plan(articles, versions, rng)
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = OFF")  # build only; switched back to WAL below
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: keep the random index pages in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    # Triggers (they keep the full-text indexes in sync) are off during the bulk insert; the
    # full-text indexes are filled at the end in one pass, as the triggers would have.
    triggers = conn.execute("select name, sql from sqlite_master where type = 'trigger'").fetchall()
    fts = _fts_tables(conn)
    conn.execute("BEGIN")
    for name, _ in triggers:
        conn.execute(f"drop trigger [{name}]")
    conn.executemany(_insert_sql("articles"), _article_rows(plan, rng))
    quarter_sizes: list[tuple[int, int]] = [(0, db_bytes(conn))]  # schema and articles
    quarters = sorted({versions * q // 4 for q in (1, 2, 3, 4)})
    rows = {"articles": articles, "versions": 0, "changes": 0, "edits": 0, "checks": 0}
    # Python makes the rows in a thread while SQLite (which releases the GIL) writes them.
    chunks: queue.Queue[Chunk | None] = queue.Queue(maxsize=3)
    chunk = max(1, min(CHUNK, versions // 8))

    def produce() -> None:
        for item in generate_rows(plan, corpus, checks_per_version, chunk):
            chunks.put(item)
        chunks.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    while (item := chunks.get()) is not None:
        for table_name, batch in zip(("versions", "changes", "edits", "checks"), item, strict=True):
            conn.executemany(_insert_sql(table_name), batch)
            rows[table_name] += len(batch)
        for mark in quarters:
            if rows["versions"] >= mark and all(q[0] != mark for q in quarter_sizes):
                quarter_sizes.append((mark, db_bytes(conn)))
    producer.join()
    rows_s = time.perf_counter() - started
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute(RECOUNT_ARTICLE_EDITS)  # what the triggers on changes would have kept
    for name, content, columns in fts:
        _fill_fts(conn, name, content, columns, fts_share)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")  # back to what Redline runs with
    conn.close()
    order = sorted(range(articles), key=plan.counts.__getitem__)
    return Built(
        path=path,
        seconds=time.perf_counter() - started,
        rows_seconds=rows_s,
        fts_tables=[name for name, _, _ in fts],
        fts_share=fts_share,
        rows=rows,
        quarter_sizes=quarter_sizes,
        popular_site="news0.example.com",
        rare_site=f"news{SITES - 1}.example.com",
        typical_article=order[len(order) // 2] + 1,
        longest_article=order[-1] + 1,
        sample_url=plan.urls[order[len(order) // 2]],
    )


def _fts_tables(conn: sqlite3.Connection) -> list[tuple[str, str, list[str]]]:
    """(name, content table, columns) of every external-content FTS5 index."""
    found = []
    for name, sql in conn.execute("select name, sql from sqlite_master where type = 'table'"):
        match = re.search(r"using\s+fts5\s*\((.*)\)\s*$", sql or "", re.IGNORECASE | re.DOTALL)
        if not match:
            continue
        args = [a.strip() for a in match.group(1).split(",")]
        content = next((a.split("=", 1)[1].strip(" '\"") for a in args if a.startswith("content")
                        and not a.startswith("content_rowid")), "")  # fmt: skip
        if content:
            found.append((name, content, [a for a in args if "=" not in a]))
    return found


def _fill_fts(
    conn: sqlite3.Connection, name: str, content: str, columns: list[str], share: float
) -> None:
    """Index all (share 1) or the newest `share` of the content rows."""
    if share >= 1:
        conn.execute(f"insert into [{name}] ([{name}]) values ('rebuild')")
        return
    total = conn.execute(f"select max(id) from [{content}]").fetchone()[0] or 0
    cols = ", ".join(columns)
    conn.execute(
        f"insert into [{name}] (rowid, {cols}) select id, {cols} from [{content}] where id > ?",
        [int(total * (1 - share))],
    )


# ------------------------------------------------------------------ 2. queries
@dataclass
class Timing:
    name: str
    first_ms: float
    median_ms: float
    rows: int
    plan: str
    runs: int
    analyzed_ms: float | None = None

    @property
    def flags(self) -> str:
        marks = []
        if re.search(r"\bSCAN (?!CONSTANT)\w+(?! USING (COVERING )?INDEX)", self.plan):
            marks.append("full scan")
        if "TEMP B-TREE" in self.plan:
            marks.append("temp b-tree")
        return ", ".join(marks)


def _plan(conn: sqlite3.Connection, statements: list[tuple[str, Sequence[Any]]]) -> str:
    """EXPLAIN QUERY PLAN of the slowest-looking statement a call ran (the last select)."""
    selects = [
        (sql, params)
        for sql, params in statements
        if sql.lstrip().lower().startswith(("select", "with"))
    ]
    if not selects:
        return ""
    sql, params = selects[-1]
    details = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    return "; ".join(details)


Query = tuple[str, Callable[[], list[Any]], "tuple[str, Any] | None"]


def time_call(db: Any, query: Query, runs: int) -> Timing:
    """First run of a query (traced, for its plan) then up to `runs` more within QUERY_BUDGET_S;
    the plan is that of the SQL it ran (or of the SQL given)."""
    name, call, sql = query
    statements: list[tuple[str, Sequence[Any]]] = [sql] if sql else []
    with db.tracer(lambda text, params: statements.append((text, params or ()))):
        started = time.perf_counter()
        result_rows = len(call())
        first = time.perf_counter() - started
    more = max(0, min(runs, int(QUERY_BUDGET_S / max(first, 1e-6)) - 1))
    times = [_timed(call) for _ in range(more)] or [first]
    plan = _plan(db.conn, statements)
    return Timing(name, ms(first), ms(statistics.median(times)), result_rows, plan, len(times))


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _canned_queries() -> list[tuple[str, str]]:
    """(name, sql) of canned queries in any Datasette metadata/config file under monitor/."""
    found: list[tuple[str, str]] = []
    for path in sorted((REPO_ROOT / "monitor").rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        try:
            if path.suffix == ".json":
                data = json.loads(path.read_text())
            else:
                import yaml

                data = yaml.safe_load(path.read_text())
        except Exception:  # a file that is not Datasette metadata: skip it
            continue
        databases = data.get("databases") if isinstance(data, dict) else None
        if not isinstance(databases, dict):
            continue
        for database in databases.values():
            for name, query in ((database or {}).get("queries") or {}).items():
                sql = query.get("sql") if isinstance(query, dict) else query
                if isinstance(sql, str):
                    found.append((f"{path.name}: {name}", sql))
    return found


def _params_for(sql: str, built: Built) -> dict[str, Any]:
    """The canned query's form as first opened: every parameter empty ("any"), except a URL,
    which a query about one article needs."""
    return {
        name: built.sample_url if "url" in name.lower() else ""
        for name in re.findall(r"(?<!:):(\w+)", sql)
    }


def run_queries(built: Built, runs: int) -> tuple[list[Timing], float]:
    """Every query; then ANALYZE and again the queries over target. Returns the timings and
    ANALYZE's seconds."""
    db = store.open_db(built.path)
    try:
        _register_functions(db)
        queries = _queries(db, built)
        timings = [time_call(db, query, runs) for query in queries]
        started = time.perf_counter()
        db.execute("PRAGMA analysis_limit = 1000")
        db.execute("ANALYZE")
        analyze_s = time.perf_counter() - started
        for timing, query in zip(timings, queries, strict=True):
            if timing.median_ms >= TARGET_MS:
                timing.analyzed_ms = time_call(db, query, runs).median_ms
    finally:
        db.close()
    return timings, analyze_s


def _register_functions(db: Any) -> None:
    """SQL functions the Datasette plugin registers, so that its canned queries run here."""
    try:
        from monitor.store.views import fts_query
    except ImportError:
        return
    db.conn.create_function("redline_fts_query", 1, fts_query, deterministic=True)


def _queries(db: Any, built: Built) -> list[Query]:
    """(name, call, SQL or None when the call's own SQL is traced) of every query timed."""
    week_ago = store.stamp(NOW - timedelta(days=7))
    calls: list[tuple[str, Callable[[], list[Any]]]] = [
        ("due_articles(now, limit=500)", lambda: store.due_articles(db, NOW, limit=500)),
        ("list_edits(limit=100)", lambda: store.list_edits(db, limit=100)),
        (
            "list_edits(significant_only, limit=100)",
            lambda: store.list_edits(db, significant_only=True, limit=100),
        ),
        (
            "list_edits(kinds=quote, limit=100)",
            lambda: store.list_edits(db, kinds=("quote",), limit=100),
        ),
        (
            "list_edits(kinds=correction_note, limit=100)",
            lambda: store.list_edits(db, kinds=("correction_note",), limit=100),
        ),
        (
            f"list_edits(site=popular {built.popular_site})",
            lambda: store.list_edits(db, site=built.popular_site, limit=100),
        ),
        (
            f"list_edits(site=rare {built.rare_site})",
            lambda: store.list_edits(db, site=built.rare_site, limit=100),
        ),
        (
            "list_edits(since=7 days, limit=100)",
            lambda: store.list_edits(db, since=week_ago, limit=100),
        ),
        ("list_edits(url=one article)", lambda: store.list_edits(db, url=built.sample_url)),
        ("versions_of(typical article)", lambda: store.versions_of(db, built.typical_article)),
        ("versions_of(longest history)", lambda: store.versions_of(db, built.longest_article)),
        ("changes_of(longest history)", lambda: store.changes_of(db, built.longest_article)),
        ("find_article(url)", lambda: [store.find_article(db, built.sample_url)]),
    ]
    queries: list[Query] = [(name, call, None) for name, call in calls]
    views = [row[0] for row in db.execute("select name from sqlite_master where type = 'view'")]
    for view in views:
        sql = f"select * from [{view}] limit 100"
        queries.append((f"view {view} LIMIT 100", partial(_fetch, db, sql, ()), (sql, ())))
    for name, sql in _canned_queries():
        params = _params_for(sql, built)
        call = partial(_fetch, db, sql, params)
        queries.append((f"canned {name}", call, (sql, params)))
    # What a Datasette table page runs on the biggest tables (count, then newest rows).
    for table_name in ("edits", "checks", "versions"):
        for sql in (
            f"select count(*) from {table_name}",
            f"select * from {table_name} order by id desc limit 101",
        ):
            queries.append((f"datasette: {sql}", partial(_fetch, db, sql, ()), (sql, ())))
    return queries


def _fetch(db: Any, sql: str, params: Any) -> list[Any]:
    return list(db.execute(sql, params).fetchall())


# ------------------------------------------------------------------ 3. bytes on disk
@dataclass
class Growth:
    phase: str
    items: int
    quarter_bytes: list[int]  # size added after 1/4, 1/2, 3/4, all of the items

    @property
    def per_item(self) -> float:
        return self.quarter_bytes[-1] / self.items


def _phase(
    db: Any, name: str, pages: list[FetchedPage], record: Callable[[FetchedPage, int], None]
) -> Growth:
    base = db_bytes(db.conn)
    marks = {len(pages) * q // 4 for q in (1, 2, 3, 4)}
    sizes = []
    for number, page in enumerate(pages, start=1):
        record(page, number)
        if number in marks:
            sizes.append(db_bytes(db.conn) - base)
    return Growth(name, len(pages), sizes)


def _churned(html: bytes, n: int) -> bytes:
    return (
        html.replace(b"</body>", f"<!-- edition {n} -->".encode() + b"</body>", 1)
        if (b"</body>" in html)
        else html + f"<!-- edition {n} -->".encode()
    )


def measure_growth(
    work: Path, corpus: Path, page_count: int, version_rounds: int, check_rounds: int
) -> tuple[list[Growth], dict[str, float], Any]:
    """Bytes per new article, per new version and per unchanged check via `record_page`."""
    files = sorted((corpus / AEB / "html").glob("*.html.gz"))[:page_count]
    html = [gzip.decompress(path.read_bytes()) for path in files]
    urls = [f"http://127.0.0.1:1/p/0/{path.name.removesuffix('.html.gz')}" for path in files]
    extracted = [extract_article(body, url=url) for body, url in zip(html, urls, strict=True)]
    clock = [NOW - timedelta(days=1)]

    def tick() -> datetime:
        clock[0] += timedelta(seconds=1)
        return clock[0]

    db = store.open_db(work / "growth.db")
    growth = []
    first = [
        FetchedPage(u, 200, b, etag=f'"{i}"', content_type="text/html")
        for i, (u, b) in enumerate(zip(urls, html, strict=True))
    ]
    by_url = dict(zip(urls, extracted, strict=True))
    growth.append(
        _phase(
            db,
            "new article (first sight)",
            first,
            lambda page, n: _check(
                record_page(db, page, tick(), extractor=lambda b, u, t="": by_url[u]), "new_article"
            ),
        )
    )

    def edited(body: bytes, url: str, content_type: str = "") -> Article:
        # the round number is in the churn comment; one sentence of the body changes with it
        number = re.search(rb"<!-- edition (\d+) -->", body)
        article = by_url[url.split("#")[0]]
        tag = number.group(1).decode() if number else "0"
        return Article(
            title=article.title,
            byline=article.byline,
            published=article.published,
            body=article.body + f"\nUpdate {tag}: the council confirmed {tag} more.",
        )

    new_versions = [
        FetchedPage(u, 200, _churned(b, r), etag=f'"{r}-{i}"', content_type="text/html")
        for r in range(1, version_rounds + 1)
        for i, (u, b) in enumerate(zip(urls, html, strict=True))
    ]
    growth.append(
        _phase(
            db,
            "new version (edited page)",
            new_versions,
            lambda page, n: _check(record_page(db, page, tick(), extractor=edited), "new_version"),
        )
    )
    last = {page.url: page for page in new_versions}  # the bytes each article has now
    unchanged = [last[u] for _ in range(check_rounds) for u in urls]
    growth.append(
        _phase(
            db,
            "unchanged check (identical bytes)",
            unchanged,
            lambda page, n: _check(record_page(db, page, tick()), "unchanged"),
        )
    )
    not_modified = [FetchedPage(u, 304) for _ in range(check_rounds) for u in urls]
    growth.append(
        _phase(
            db,
            "304 check",
            not_modified,
            lambda page, n: _check(record_page(db, page, tick()), "unchanged"),
        )
    )
    parts = {
        "snapshot stored bytes (mean)": _mean(db, "select avg(stored_size) from snapshots"),
        "raw page bytes (mean)": _mean(db, "select avg(size) from snapshots"),
        "version body chars (mean)": _mean(db, "select avg(length(body)) from versions"),
        "edits per new version": _mean(
            db, "select 1.0 * count(*) / (select count(*) from changes) from edits"
        ),
    }
    return growth, parts, (db, list(last.values()))


def _mean(db: Any, sql: str) -> float:
    value = db.execute(sql).fetchone()[0]
    return float(value or 0)


def _check(result: Any, expected: str) -> None:
    if result.outcome != expected:
        raise SystemExit(f"error: expected {expected}, got {result.outcome} ({result.reason})")


def check_latency(db: Any, pages: list[FetchedPage], runs: int) -> list[float]:
    """ms of one unchanged (identical bytes) and one 304 check through record_page: median and
    mean of each (the mean includes the WAL checkpoints, the cost of a round)."""
    clock = [NOW + timedelta(days=1)]

    def timed(page: FetchedPage) -> float:
        clock[0] += timedelta(seconds=1)
        return ms(_timed(lambda: record_page(db, page, clock[0])))

    same = [timed(pages[n % len(pages)]) for n in range(runs)]
    not_modified = [timed(FetchedPage(pages[n % len(pages)].url, 304)) for n in range(runs)]
    return [
        statistics.median(same),
        statistics.fmean(same),
        statistics.median(not_modified),
        statistics.fmean(not_modified),
    ]


def prepare_big_for_checks(built: Built, pages: list[FetchedPage], count: int) -> list[FetchedPage]:
    """Point `count` articles of the big database at real page bytes, as if last seen identical."""
    db = store.open_db(built.path)
    moved = []
    try:
        rows = list(
            db.query(
                "select id, url from articles where status = 'active' order by id desc limit ?",
                [count],
            )
        )
        with store.write_transaction(db):
            for row, page in zip(rows, pages * (count // max(len(pages), 1) + 1), strict=False):
                db.execute(
                    "update articles set last_page_hash = ?, redirected_to = null where id = ?",
                    [store.page_hash(page.body), row["id"]],
                )
                moved.append(FetchedPage(row["url"], 200, page.body, content_type="text/html"))
    finally:
        db.close()
    return moved


# ------------------------------------------------------------------ main
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=1_000_000)
    parser.add_argument("--checks-per-version", type=int, default=3)
    parser.add_argument(
        "--fts-share",
        type=float,
        default=0.1,
        help="share of the newest rows put in the full-text indexes (1: all; ~6 min at 1M)",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (median)")
    parser.add_argument("--growth-pages", type=int, default=60, help="real pages for part 3")
    options = parser.parse_args(argv)
    exit_on_sigterm()
    corpus = corpus_dir_or_exit(options.corpus, require=AEB)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="redline-bench-store-") as tmp:
        work = Path(tmp)
        built = build(
            work / "synthetic.db",
            corpus,
            options.articles,
            options.versions,
            options.checks_per_version,
            options.fts_share,
        )
        print(build_report(built), flush=True)
        timings, analyze_s = run_queries(built, options.runs)
        print()
        print(query_report(timings, options.runs, analyze_s), flush=True)
        growth, parts, (small, pages) = measure_growth(work, corpus, options.growth_pages, 4, 10)
        small_latency = check_latency(small, pages, 200)
        small.close()
        big_pages = prepare_big_for_checks(built, pages, 200)
        big = store.open_db(built.path)
        big_latency = check_latency(big, big_pages, 200)
        big.close()
        print()
        print(growth_report(growth, parts, built, small_latency, big_latency), flush=True)
    print(f"\n(bench.store took {time.perf_counter() - started:.0f} s; temporary files deleted)")


def build_report(built: Built) -> str:
    size = built.path.stat().st_size
    rows: list[list[object]] = []
    base = built.quarter_sizes[0][1]
    previous = built.quarter_sizes[0]
    rows.append(["schema + articles", mib(base), "", ""])
    for versions, size_at in built.quarter_sizes[1:]:
        per_version = (size_at - previous[1]) / max(versions - previous[0], 1)
        so_far = (size_at - base) / versions
        rows.append(
            [f"after {versions:,} versions", mib(size_at), f"{per_version:,.0f}", f"{so_far:,.0f}"]
        )
        previous = (versions, size_at)
    fts = ", ".join(built.fts_tables) or "none"
    share = f"newest {built.fts_share:.0%} of rows" if built.fts_share < 1 else "all rows"
    rows.append([f"+ full-text indexes ({fts}): {share}", "", "", ""])
    rows.append(
        ["file on disk (WAL, after build)", mib(size), "", f"{size / built.rows['versions']:,.0f}"]
    )
    counts = ", ".join(f"{name} {count:,}" for name, count in built.rows.items())
    return (
        f"Store at scale: synthetic database ({counts}) built in {built.seconds:.1f} s "
        f"(rows {built.rows_seconds:.1f} s, full-text indexes "
        f"{built.seconds - built.rows_seconds:.1f} s); journal_mode=OFF, synchronous=OFF for the "
        f"build only, then WAL + synchronous=NORMAL via store.open_db for everything below; "
        f"no snapshots synthesised (see the last table)\n"
        + table(
            ["size", "bytes", "bytes/version this quarter", "bytes/version so far"],
            rows,
            left=(0,),
        )
    )


def query_report(timings: list[Timing], runs: int, analyze_s: float) -> str:
    rows = []
    over = []
    for t in timings:
        met = "yes" if t.median_ms < TARGET_MS else "NO"
        if met == "NO":
            over.append(t.name)
        rows.append(
            [
                t.name,
                t.rows,
                t.first_ms,
                t.runs,
                t.median_ms,
                t.analyzed_ms if t.analyzed_ms is not None else "",
                met,
                t.flags,
                _short(t.plan, 110),
            ]
        )
    headers = [
        "query",
        "rows",
        "first ms",
        "n",
        "median ms",
        "after ANALYZE ms (slow ones)",
        f"< {TARGET_MS:.0f} ms",
        "plan flags",
        "query plan (of its main select)",
    ]
    tail = (
        f"\n  over {TARGET_MS:.0f} ms: {', '.join(over) if over else 'none'}"
        f"\n  (ANALYZE with analysis_limit=1000 took {ms(analyze_s):.0f} ms; Redline never runs it)"
    )
    return (
        f"Queries on the synthetic database (first run, then the median of n <= {runs} more "
        f"within {QUERY_BUDGET_S:.0f} s per query)\n" + table(headers, rows, left=(0, 7, 8)) + tail
    )


def growth_report(
    growth: list[Growth],
    parts: dict[str, float],
    built: Built,
    small_latency: list[float],
    big_latency: list[float],
) -> str:
    rows: list[list[object]] = []
    for g in growth:
        q = g.quarter_bytes
        quarter_items = g.items / 4
        per_quarter = [(q[0]), q[1] - q[0], q[2] - q[1], q[3] - q[2]]
        rows.append(
            [
                g.phase,
                g.items,
                *(f"{b:,}" for b in q),
                f"{g.per_item:,.0f}",
                " / ".join(f"{b / quarter_items:,.0f}" for b in per_quarter),
            ]
        )
    headers = [
        "record_page phase",
        "items",
        "bytes @1/4",
        "@1/2",
        "@3/4",
        "@all",
        "bytes/item",
        "bytes/item per quarter",
    ]
    per_version = next(g.per_item for g in growth if g.phase.startswith("new version"))
    per_check = next(g.per_item for g in growth if g.phase.startswith("unchanged"))
    synthetic = built.path.stat().st_size
    versions = built.rows["versions"]
    real_size = synthetic + versions * parts["snapshot stored bytes (mean)"]
    checks_30_days = 100_000 * 120 * per_check
    lines = [
        "  " + "; ".join(f"{k} {v:,.1f}" for k, v in parts.items()),
        f"  => a real {versions:,}-version database: ~{mib(real_size)} (synthetic "
        f"{mib(synthetic)} + one snapshot per version); at {per_check:,.0f} B/check, "
        f"100,000 articles x ~120 checks in 30 days (age tiers) add ~{mib(checks_30_days)}; "
        f"per new version {per_version:,.0f} B",
    ]
    small, big = small_latency, big_latency
    latency = table(
        ["record_page, one check", "small db ms", f"{versions:,}-version db ms", "ratio"],
        [
            ["unchanged (identical bytes), median", small[0], big[0], f"{big[0] / small[0]:.2f}x"],
            ["unchanged (identical bytes), mean", small[1], big[1], f"{big[1] / small[1]:.2f}x"],
            ["304 not modified, median", small[2], big[2], f"{big[2] / small[2]:.2f}x"],
            ["304 not modified, mean", small[3], big[3], f"{big[3] / small[3]:.2f}x"],
        ],
        left=(0,),
    )
    return (
        "Bytes on disk through monitor.record.page.record_page (logical size: pages in use, WAL "
        "included)\n" + table(headers, rows, left=(0,)) + "\n" + "\n".join(lines) + "\n\n" + latency
    )


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    main()
