"""A run of three or more link-dense lines, one after the other, is a list of links to other pages
(a blog's recent posts, a "more stories" rail, a blogroll) and leaves the body, whatever its lines
read like; one or two such lines stay (an article's links to its sources), as before, and so do
linked sentences, which are not counted in a run (`extraction.LINK_RUN_LINES`, revision 23)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import LINK_RUN_LINES, _in_link_runs, extract_article
from tests.test_roles import PROSE, page

HEADLINES = [
    "Council sets the budget for the new ferry terminal at last",
    "Lorries to use the ring road while the old bridge is closed",
    "Westbrook votes on the harbour plan after a long debate",
    "Port strike ends after talks between the union and owners",
]


def _links(count: int) -> str:
    return "".join(
        f"<p><a href='/news/{i}'>{headline}</a> 12.05.2012</p>"
        for i, headline in enumerate(HEADLINES[:count])
    )


@pytest.mark.parametrize("language", ["en", "de", "es"])
@pytest.mark.parametrize("count", [3, 4])
def test_a_run_of_links_to_other_pages_leaves_the_body(language: str, count: int) -> None:
    article = extract_article(page(language, _links(count)))
    assert article.body.split("\n") == PROSE[language]
    assert "link_dense" not in article.roles


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_linked_lines_stay(count: int) -> None:
    article = extract_article(page("en", _links(count)))
    lines = article.body.split("\n")
    assert [f"{headline} 12.05.2012" for headline in HEADLINES[:count]] == lines[2 : 2 + count]
    assert article.roles[2 : 2 + count] == ("link_dense",) * count


def test_a_run_of_linked_sentences_stays() -> None:
    sentences = [f"{headline}, the council said on Monday." for headline in HEADLINES]
    linked = "".join(f"<p><a href='/news/{i}'>{s}</a></p>" for i, s in enumerate(sentences))
    article = extract_article(page("en", linked))
    assert article.body.split("\n")[2:6] == sentences


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((), set()),
        (("prose", "link_dense", "link_dense", "prose"), set()),
        (("link_dense",) * LINK_RUN_LINES, set(range(LINK_RUN_LINES))),
        (("prose", "link_dense", "link_dense", "link_dense", "heading"), {1, 2, 3}),
        (("link_dense", "link_dense", "prose", "link_dense", "link_dense"), set()),
        (("prose", "link_dense", "link_dense", "link_dense", "link_dense"), {1, 2, 3, 4}),
    ],
)
def test_the_lines_in_runs(roles: tuple[str, ...], expected: set[int]) -> None:
    assert _in_link_runs(roles) == expected
