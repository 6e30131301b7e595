"""A redesigned page is said so once, and its edges need stronger evidence than its middle."""

from __future__ import annotations

from monitor.compare.comparison import compare, discount_known_text
from monitor.compare.redesign import is_redesign
from monitor.extract.article import Article

STORY = [f"Paragraph {n} of the story tells what the council decided on day {n}." for n in range(8)]
OLD_TEMPLATE = [f"Old site menu entry {n}" for n in range(12)]
NEW_TEMPLATE = [f"New site promo line {n}" for n in range(12)]
# (not a newsletter sign-up: that is a furniture line, dropped from the body whatever the page)
PROMO = "Download the Ledger app and never miss a story from the council again."


def page(template: list[str], body: list[str]) -> str:
    return "\n".join([*template, *body])


def test_the_same_template_is_not_a_redesign() -> None:
    assert not is_redesign(page(OLD_TEMPLATE, STORY), page(OLD_TEMPLATE, STORY[:-1]))


def test_a_new_template_is_a_redesign() -> None:
    assert is_redesign(page(OLD_TEMPLATE, STORY), page(NEW_TEMPLATE, STORY))


def test_short_pages_are_never_called_redesigned() -> None:
    assert not is_redesign("Home\nStory", "Start\nStory")


def test_furniture_at_the_edge_of_a_redesigned_page_is_not_significant() -> None:
    old_body, new_body = STORY, [*STORY, PROMO]
    edits = compare(Article(body="\n".join(old_body)), Article(body="\n".join(new_body)))
    weighed = discount_known_text(edits, page(OLD_TEMPLATE, old_body), page(NEW_TEMPLATE, new_body))
    assert [e.kind for e in weighed] == ["page_redesigned", "sentence_added"]
    assert not any(e.significant for e in weighed)


def test_a_real_edit_in_the_middle_of_a_redesigned_page_is_still_reported() -> None:
    new_story = [*STORY[:4], "The mayor resigned on Friday after the vote.", *STORY[4:]]
    edits = compare(Article(body="\n".join(STORY)), Article(body="\n".join(new_story)))
    weighed = discount_known_text(edits, page(OLD_TEMPLATE, STORY), page(NEW_TEMPLATE, new_story))
    assert [(e.kind, e.significant) for e in weighed] == [
        ("page_redesigned", False),
        ("sentence_added", True),
    ]


def test_the_same_edge_edit_without_a_redesign_stays_significant() -> None:
    edits = compare(Article(body="\n".join(STORY)), Article(body="\n".join([*STORY, PROMO])))
    [edit] = discount_known_text(
        edits, page(OLD_TEMPLATE, STORY), page(OLD_TEMPLATE, [*STORY, PROMO])
    )
    assert edit.kind == "sentence_added" and edit.significant
