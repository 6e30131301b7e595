"""Embedded social posts a template renders or not, and subheadings added or removed: recorded,
never significant; the story's own sentences around them still count."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.embeds import embed_paragraphs
from monitor.compare.sentences import count_words, split_paragraph
from monitor.extract.article import Article

STORY = [
    "The probe will make one final maneuver toward the comet on Friday morning.",
    "Engineers said the descent would take about fourteen hours to complete.",
]


@pytest.mark.parametrize(
    ("what", "post"),
    [
        (
            "a tweet (English)",
            [
                "Ready when you are. Give me a nudge? #CometLanding",
                "Philae Lander (@Philae2014) November 12, 2014",
            ],
        ),
        (
            "a tweet (French date)",
            [
                "Merci à toute l'équipe du centre de contrôle ce soir.",
                "— CNES (@CNES) 12 novembre 2014",
            ],
        ),
        (
            "a tweet (Spanish date)",
            ["Gracias a todos por seguir el aterrizaje.", "ESA (@esa_es) 12 de noviembre de 2014"],
        ),
        (
            "an Instagram post (English)",
            ["View this post on Instagram", "A post shared by Jane Doe (@janedoe) on Mar 3, 2020"],
        ),
        ("an Instagram post (German)", ["Ein Beitrag geteilt von Max Muster (@maxmuster)"]),
    ],
)
def test_an_embedded_post_the_template_stops_rendering_is_not_significant(
    what: str, post: list[str]
) -> None:
    old = Article(
        body="\n".join([STORY[0], *post, STORY[1]]),
        roles=("prose",) + ("blockquote",) * len(post) + ("prose",),
    )
    new = Article(body="\n".join(STORY), roles=("prose", "prose"))
    edits = compare(old, new)
    assert edits, what
    assert not any(e.significant for e in edits), what
    assert any("embedded social post" in r for e in edits for r in e.reasons), what


def test_without_roles_the_line_before_a_signature_belongs_to_it_when_it_names_a_handle() -> None:
    paragraphs = [
        STORY[0],
        "Ready when you are, @ESA_Rosetta.",
        "Philae Lander (@Philae2014) November 12, 2014",
        STORY[1],
    ]
    assert embed_paragraphs(paragraphs, []) == {1, 2}
    assert embed_paragraphs([STORY[0], *paragraphs[2:]], []) == {1}


def test_a_sentence_of_the_story_next_to_an_embed_still_counts() -> None:
    post = ["Ready when you are. #CometLanding", "Philae Lander (@Philae2014) November 12, 2014"]
    added = "The agency later said the lander had bounced twice before settling in a shadow."
    old = Article(body="\n".join([STORY[0], *post, STORY[1]]))
    new = Article(body="\n".join([STORY[0], *post, added, STORY[1]]))
    edits = [e for e in compare(old, new) if e.significant]
    assert [e.kind for e in edits] == ["sentence_added"]


def test_a_subheading_added_or_removed_is_layout() -> None:
    old = Article(
        body="\n".join([STORY[0], "A History of Firsts", STORY[1]]),
        roles=("prose", "heading", "prose"),
    )
    new = Article(body="\n".join(STORY), roles=("prose", "prose"))
    for before, after in ((old, new), (new, old)):
        edits = compare(before, after)
        assert len(edits) == 1 and not edits[0].significant
        assert "subheading" in edits[0].reasons[-1]


def test_a_long_heading_line_is_a_sentence_of_the_story() -> None:
    heading = "Police now say the fire at the depot was set on purpose by two men"
    old = Article(
        body="\n".join([STORY[0], heading, STORY[1]]), roles=("prose", "heading", "prose")
    )
    new = Article(body="\n".join(STORY), roles=("prose", "prose"))
    assert [e.significant for e in compare(old, new)] == [True]


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("東京で火災が発生した。消防が出動した。", ("東京で火災が発生した。", "消防が出動した。")),
        (
            "「火事だ！」と彼は言った。それから逃げた。",
            ("「火事だ！」と彼は言った。", "それから逃げた。"),
        ),
        ("北京下雨了。航班延误。", ("北京下雨了。", "航班延误。")),
        ("He left. She stayed.", ("He left.", "She stayed.")),
    ],
)
def test_a_chinese_or_japanese_full_stop_ends_a_sentence(
    paragraph: str, sentences: tuple[str, ...]
) -> None:
    assert split_paragraph(paragraph) == sentences


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("このように1Uに高密度で搭載することで1ペタバイトの実装が可能。", 14),
        ("≫次の記事", 2),
        ("Read more.", 2),
        ("한국 정부는 오늘 발표했다.", 5),
    ],
)
def test_words_are_counted_in_scripts_without_spaces(sentence: str, words: int) -> None:
    assert count_words(sentence) == words


def test_a_japanese_sentence_added_is_a_sentence_added() -> None:
    old = Article(body="インテルは新しいSSDを発売した。容量は1ペタバイトである。")
    new = Article(
        body="インテルは新しいSSDを発売した。高密度で搭載することで大容量の実装が可能。容量は1ペタバイトである。"
    )
    edits = compare(old, new)
    assert [(e.kind, e.significant) for e in edits] == [("sentence_added", True)]
