"""Text the extraction took in from elsewhere on the page (a teaser, an embedded post) was not
written by the newsroom: a sentence "added" that was already on the old page is recorded, not
significant, and so is a sentence too short to prove it alone when it stands there beside the
added sentence next to it."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare, discount_known_text
from monitor.extract.article import Article

STORY = "The council met on Monday. It approved the new budget after a long debate."
TEASER = "Eu sou assim mesmo... Cheia de falhas, erros e limitações, mas também cheia de vida!"
ELSEWHERE = "Menu\nMost read\n" + TEASER + "\nFooter"


@pytest.mark.parametrize(
    ("added", "old_page", "significant"),
    [
        # a teaser taken in whole: its short first sentence stood beside the second on the page
        (TEASER, ELSEWHERE, []),
        # the short sentence alone proves nothing, even when its words are on the page
        ("Eu sou assim mesmo.", ELSEWHERE, ["sentence_added"]),
        # newly written beside a known sentence: the pair is not on the page, still reported
        (
            "Ele saiu do cargo. Cheia de falhas, erros e limitações, mas também cheia de vida!",
            ELSEWHERE,
            ["sentence_added"],
        ),
        # the whole teaser newly written (not on the old page): reported
        (TEASER, "Menu\nFooter", ["sentence_added", "sentence_added"]),
    ],
)
def test_a_short_sentence_beside_known_text(added, old_page, significant) -> None:
    old, new = Article(body=STORY), Article(body=f"{STORY}\n{added}")
    edits = discount_known_text(compare(old, new), f"{old_page}\n{STORY}", f"{STORY}\n{added}")
    assert [edit.kind for edit in edits if edit.significant] == significant
