"""The site-template benchmark's page builder (`bench.site_template`): a real page in the site's
new template, whatever the page declares."""

from __future__ import annotations

import random

import pytest

from bench import template_family as family
from bench.site_template import _in_template, _templated

PARAGRAPHS = "".join(
    f"<p>The council voted on day {n} to approve the budget for the coming year, "
    f"after a <a href='/story-{n}'>long debate</a> that ran late into the evening.</p>"
    for n in range(8)
)
PAGE = (
    "<html><head><title>Council approves budget</title></head><body><article>"
    f"<h1>Council approves budget</h1><p>The café owners were pleased with the vote.</p>"
    f"{PARAGRAPHS}</article></body></html>"
)


@pytest.mark.parametrize(
    "declaration",
    [
        "",
        '<?xml version="1.0" encoding="utf-8"?>\n',
        "<?xml version='1.0' encoding='iso-8859-1'?>\n",  # the text is decoded already
    ],
)
def test_a_page_is_built_in_the_new_template_whatever_it_declares(declaration: str) -> None:
    built = _templated(declaration + PAGE, ["Most read one"], random.Random(1))
    assert built is not None
    assert built.count("(opens in a new tab)") == 8
    assert "Sign up to The Daily Example newsletter" in built
    assert "The café owners" in built  # read as the text it is, not as Latin-1 bytes


@pytest.mark.parametrize("kind", sorted(family.KINDS))
def test_each_kind_of_the_second_family_changes_the_page_and_keeps_the_story(kind) -> None:
    ctx = family.Context(1, ("Council approves budget", "Storm hits the coast of the bay"), 7)
    apply = family.transform((kind,))
    page = PAGE.replace("</h1>", "</h1><div class='byline'>By Jane Doe</div>")
    old, new = (_in_template(page, apply, side, ctx) for side in ("old", "new"))
    assert old is not None and new is not None
    assert old != new
    assert "The café owners were pleased" in new
    assert family.BODY_MARK not in new


def test_the_second_familys_split_is_the_one_fixed_before_any_run() -> None:
    assert family.kinds_of("held-out") == [
        "updated_line", "reading_time", "author_bio", "ad_slot_en", "photo_credit",
        "title_site_first", "read_more_en", "cookie_nag_fr", "dateline", "topics_tags",
        "pull_quote",
    ]  # fmt: skip
    assert family.shapes_of("held-out") == ["half_rollout", "small_site", "with_name_fix"]
