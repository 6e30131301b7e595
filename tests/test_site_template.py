"""The site-template benchmark's page builder (`bench.site_template`): a real page in the site's
new template, whatever the page declares."""

from __future__ import annotations

import random

import pytest

from bench.site_template import _templated

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
