"""The roles of a version's body lines are stored with it (`versions.roles`, migration m022) and
read back wherever a stored version becomes an Article; versions stored before have none (every
line prose) until they are re-extracted."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from monitor import store
from monitor.extract.article import EXTRACTION_REVISION, Article, extractor_version
from monitor.record.page import FetchedPage, record_page
from monitor.record.reextract import reextract_all
from monitor.store.schema import MIGRATIONS

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
URL = "https://news.example/water-plan"
ARTICLE = Article(
    title="Water plan approved",
    body="What the plan contains\nThe plan was approved on Thursday.\nSign up for our newsletter",
    roles=("heading", "prose", "promo"),
)
STORY = [
    "The regional parliament approved the new water plan on Thursday after a debate that lasted "
    "well into the night and divided the governing coalition.",
    "Farmers in the southern valleys had asked for the plan for years, saying that the drought "
    "of the past three summers had ruined much of their harvest.",
    "The plan sets aside money for new reservoirs, for repairs to old canals and for a system "
    "that measures how much water each farm takes from the river.",
]
CAPTION = "The dry riverbed near Alcora last August, seen from above."
LINKED = "Drought leaves reservoirs at their lowest level in decades"
PAGE = (
    "<html lang='en'><head><title>Water plan approved</title></head><body><article>"
    "<h1>Water plan approved</h1><div class='article-body'>"
    f"<p>{STORY[0]}</p><h2>What the plan contains</h2><p>{STORY[1]}</p>"
    f"<div class='image-credit'><p>{CAPTION}</p></div>"
    f"<p><a href='/drought'>{LINKED}</a></p><p>{STORY[2]}</p></div></article></body></html>"
).encode()


def add_version(db: Database, article: Article) -> int:
    tracked, _ = store.track_article(db, URL, NOW)
    with store.write_transaction(db):
        version = store.add_version(
            db,
            tracked["id"],
            article,
            content_hash="hash",
            snapshot_id=None,
            url=URL,
            extractor=extractor_version(),
            now=NOW,
        )
    return int(version["id"])


def test_roles_are_stored_and_read_back_through_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "redline.db"
    version_id = add_version(store.open_db(path), ARTICLE)
    reopened = store.open_db(path)
    row = store.get_version_by_id(reopened, version_id)
    assert row["roles"] == "hpa"
    assert store.article_from_row(row).roles == ARTICLE.roles


def test_a_version_without_roles_stores_none_and_reads_as_unknown(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "redline.db")
    version_id = add_version(db, Article(title="Typed in", body="One line.\nAnother line."))
    assert store.article_from_row(store.get_version_by_id(db, version_id)).roles == ()


def test_m022_adds_roles_and_keeps_older_versions_readable(tmp_path: Path) -> None:
    path = tmp_path / "redline.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="m022_line_roles")
    assert "roles" not in db["versions"].columns_dict
    db["articles"].insert(
        {
            "id": 1,
            "url": URL,
            "site": "news.example",
            "first_seen": "2026-11-01",
            "version_count": 1,
        }
    )
    db["versions"].insert(
        {
            "id": 1,
            "article_id": 1,
            "seq": 1,
            "captured_at": "2026-11-01",
            "body": "A line stored before roles.\nAnd another.",
            "content_hash": "old",
        }
    )
    db.close()
    migrated = store.open_db(path)
    assert "roles" in migrated["versions"].columns_dict
    old = store.get_version_by_id(migrated, 1)
    assert old["roles"] is None
    assert store.article_from_row(old).roles == ()


def test_recording_a_page_stores_its_roles(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "redline.db")
    record_page(db, FetchedPage(URL, 200, PAGE), NOW)
    [row] = db.query("select body, roles from versions")
    roles = dict(zip(row["body"].split("\n"), row["roles"], strict=True))
    assert roles["What the plan contains"] == "h"
    assert roles[STORY[0]] == "p"
    assert roles[LINKED] == "k"
    assert CAPTION not in roles  # a caption is left out of the body (extraction revision 9)


def test_versions_of_an_older_revision_get_their_roles_when_re_extracted(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "redline.db")
    record_page(db, FetchedPage(URL, 200, PAGE), NOW)
    # what a row written by revision 4 looks like: another version, no roles
    db.execute("update versions set roles = null, extractor_version = '2.3.0+redline.4'")
    db.conn.commit()
    stats = reextract_all(db)
    assert (stats.checked, stats.reextracted) == (1, 1)
    [row] = db.query("select roles, extractor_version from versions")
    assert row["roles"] and "k" in row["roles"]
    assert row["extractor_version"].endswith(f"+redline.{EXTRACTION_REVISION}")
