"""A line opening with a pointer's label ("Related:", "Lesen Sie auch:", "Lire aussi :") points to
another article and leaves the body; when the writer goes on after the label in sentences of
their own, two or more and 200 characters or more, the line is the article's note and stays
(`extraction._written_note`, revision 23)."""

from __future__ import annotations

import pytest

from tests.test_blog_furniture import body_lines
from tests.test_roles import PROSE

# (language, the line, whether it stays in the body)
LINES = [
    ("en", "Related: Council sets the budget for the new ferry terminal", False),
    ("en", "RELATED: Drought leaves reservoirs at their lowest level in decades.", False),
    (
        "en",
        "RELATED: The farmers' union backed four candidates in the regional election, and only "
        "one of them won a seat. The others lost by wide margins in the valleys the plan was "
        "meant to help, which says something about how the plan was sold.",
        True,
    ),
    ("de", "Lesen Sie auch: Landtag beschließt neuen Wasserplan", False),
    (
        "de",
        "Lesen Sie auch: Der Bauernverband hatte vier Kandidaten unterstützt, von denen nur "
        "einer in den Landtag einzog. Die anderen verloren deutlich, gerade in den Tälern, "
        "denen der Plan helfen soll, und das sagt einiges darüber, wie der Plan verkauft wurde.",
        True,
    ),
    ("fr", "Lire aussi : Le parlement régional adopte le plan de l'eau", False),
]


@pytest.mark.parametrize(("language", "line", "stays"), LINES)
def test_a_pointer_leaves_the_body_and_a_written_note_stays(
    language: str, line: str, stays: bool
) -> None:
    prose = PROSE.get(language, PROSE["en"])
    # after the article's last paragraph, where the second opinion adds nothing
    lines = body_lines(language, line, where=len(prose))
    assert (line in lines) is stays
    assert [body_line for body_line in lines if body_line != line] == prose
