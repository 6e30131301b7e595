"""A list's numbers and letters are the page's words: extraction keeps them as the page shows
them ("5. Kristi Dosh"), bullets are dropped, and the comparison ignores both (a list renumbered
is not an edit, a word changed in an item still is)."""

from __future__ import annotations

import re

import pytest

from monitor.compare.comparison import compare_bodies
from monitor.compare.normalize import normalize_body
from monitor.extract.extraction import extract_article
from monitor.lexicon import BULLET_MARKER

# (line as extracted by trafilatura, line kept in the body)
BULLETS = [
    ("- The first point", "The first point"),
    ("• The first point", "The first point"),
    ("•The first point", "The first point"),
    ("► Der erste Punkt", "Der erste Punkt"),
    ("・第一のポイント", "第一のポイント"),
    ("- 1. Choose the right pot", "1. Choose the right pot"),
    ("5. Kristi Dosh", "5. Kristi Dosh"),
    ("1) Primo punto", "1) Primo punto"),
    ("(3) Troisième point", "(3) Troisième point"),
    ("c) [Militär] Strategie für den Abzug", "c) [Militär] Strategie für den Abzug"),
    ("①第一のポイント", "①第一のポイント"),
    ("-5 degrees at night", "-5 degrees at night"),
    # a dash opening a line opens a line of dialogue: the quotation's mark, kept
    (
        "— Hemos hecho todo lo posible — dijo el alcalde.",
        "— Hemos hecho todo lo posible — dijo el alcalde.",
    ),
    (
        "– Fizemos tudo o que podíamos, afirmou o prefeito.",
        "– Fizemos tudo o que podíamos, afirmou o prefeito.",
    ),
]


@pytest.mark.parametrize(("line", "kept"), BULLETS)
def test_extraction_drops_bullets_and_keeps_numbers(line: str, kept: str) -> None:
    assert BULLET_MARKER.sub("", line) == kept


# (old body, new body): the same list, renumbered or with its markers written another way
RENUMBERED = [
    ("1. Choose the right pot\n2. Water it daily", "2. Choose the right pot\n3. Water it daily"),
    ("Choose the right pot\nWater it daily", "1. Choose the right pot\n2. Water it daily"),
    ("a) Erster Punkt der Liste\nb) Zweiter Punkt", "b) Erster Punkt der Liste\nc) Zweiter Punkt"),
    (
        "(1) Premier point de la liste\n(2) Second point",
        "(2) Premier point de la liste\n(3) Second point",
    ),
    ("①第一のポイント\n②第二のポイント", "②第一のポイント\n③第二のポイント"),
    ("3. Third\n2. Second\n1. First", "4. Third\n3. Second\n2. First"),
    (
        "1. Eins\n2. Zwei\nText dazwischen.\n1. Noch eins",
        "2. Eins\n3. Zwei\nText dazwischen.\n1. Noch eins",
    ),
]


@pytest.mark.parametrize(("old", "new"), RENUMBERED)
def test_a_list_renumbered_is_not_an_edit(old: str, new: str) -> None:
    assert normalize_body(old) == normalize_body(new)
    assert [edit for edit in compare_bodies(old, new) if edit.significant] == []


def test_a_word_changed_in_a_numbered_item_is_an_edit() -> None:
    old = "1. The mayor met the council on Monday.\n2. The vote was seven to three."
    new = "1. The mayor met the council on Tuesday.\n2. The vote was seven to three."
    assert [edit for edit in compare_bodies(old, new) if edit.significant]


# (old body, new body): a number opening a line that is no list item is the sentence's word ("3.
# Liga", "20. Jahrhundert", "5. Platz"), and numbers that no longer count through a list in order
# are a ranking changed: both are edits
NUMBERS_THAT_ARE_WORDS = [
    (
        "Dynamo steigt auf.\n3. Liga: Dynamo Dresden steigt auf.",
        "Dynamo steigt auf.\n2. Liga: Dynamo Dresden steigt auf.",
    ),
    (
        "Das Haus.\n20. Jahrhundert: Das Haus war ein Museum.",
        "Das Haus.\n19. Jahrhundert: Das Haus war ein Museum.",
    ),
    (
        "Slalom.\n5. Platz für Müller im Slalom von Kitzbühel.",
        "Slalom.\n4. Platz für Müller im Slalom von Kitzbühel.",
    ),
    (
        "1. Alice Smith\n2. Bob Jones\n3. Carol White",
        "1. Alice Smith\n3. Bob Jones\n2. Carol White",
    ),
]


@pytest.mark.parametrize(("old", "new"), NUMBERS_THAT_ARE_WORDS)
def test_a_number_that_counts_no_list_is_compared(old: str, new: str) -> None:
    assert normalize_body(old) != normalize_body(new)
    assert [edit for edit in compare_bodies(old, new) if edit.significant]


def test_a_figure_changed_in_a_numbered_item_is_a_number_edit() -> None:
    old = "1. 200 dead in the floods of the southern valleys.\n2. 40 villages cut off by the water."
    new = "1. 300 dead in the floods of the southern valleys.\n2. 40 villages cut off by the water."
    assert [(e.kind, e.old, e.new) for e in compare_bodies(old, new) if e.significant] == [
        ("number", "200", "300")
    ]


def test_a_day_before_a_month_stays_in_the_comparison() -> None:
    assert normalize_body("21. November 2022 in Berlin") == "21. November 2022 in Berlin"


PAGE = """<html><head><title>Top five sports writers</title></head><body><article>
<h1>Top five sports writers</h1>
<p>These writers changed how we read about sport, and each of them still inspires me today.</p>
<p><strong>5. Kristi Dosh</strong></p>
<p>She covered the business of college sports for years before anyone else took it seriously,
and her reporting on stadium finance is still quoted in every debate about public money.</p>
<p><strong>4. Jane McManus</strong></p>
<p>Her columns on the league and its players were read in every newsroom across the country,
and she taught a generation of reporters how to ask the questions nobody else dared to ask.</p>
<ul><li>A bullet point the writer added at the end of her list of favourite columns.</li></ul>
</article></body></html>"""


def test_a_dialogue_dash_stays_in_the_comparison() -> None:
    line = "— Hemos hecho todo lo posible — dijo el alcalde."
    assert normalize_body(line) == line


def test_the_body_keeps_the_numbers_the_page_shows() -> None:
    lines = extract_article(PAGE.encode(), url="https://example.org/top-five").body.split("\n")
    assert "5. Kristi Dosh" in lines
    assert "4. Jane McManus" in lines
    assert not any(line.startswith(("-", "•")) for line in lines)


# A page recorded by revision 12 (its list numbers dropped at extraction), checked again after
# the upgrade: no version, no change, whether or not the stored version's raw page is kept (the
# crawl re-extracts a stale latest version from its raw page when it has one).
UPGRADE_ITEMS = (
    "1. Repair the bridge over the river before the winter floods reach the northern districts.",
    "2. Keep the property taxes flat for a third year in a row, as the mayor promised.",
)


@pytest.mark.parametrize("snapshot", [True, False])
def test_an_unchanged_list_is_no_edit_after_the_upgrade(tmp_path, snapshot: bool) -> None:
    from datetime import timedelta

    from monitor import store
    from monitor.compare.normalize import body_paragraphs, content_hash
    from monitor.record.page import record_page
    from tests.test_record import PARAGRAPHS, T0, html, ok

    db = store.open_db(tmp_path / "redline.db")
    page = html((*PARAGRAPHS, *UPGRADE_ITEMS))
    record_page(db, ok(page), T0)
    version = next(db.query("select * from versions"))
    assert "\n1. Repair the bridge" in version["body"]
    old_body = re.sub(r"(?m)^\d\. ", "", version["body"])
    old_hash = content_hash(version["title"], version["byline"], body_paragraphs(old_body))
    db.execute(
        "update versions set body = ?, content_hash = ?, extractor_version = '0.0.1'"
        + ("" if snapshot else ", snapshot_id = null"),
        [old_body, old_hash],
    )
    db.conn.commit()
    result = record_page(db, ok(page + b"<!-- new bytes -->"), T0 + timedelta(hours=1))
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from versions"))["n"] == 1
    assert next(db.query("select count(*) as n from changes"))["n"] == 0
