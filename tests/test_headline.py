"""The headline as the page shows it (issue 21): the visible <h1> checked against the declared
titles, the site's name taken off; a headline edit is a change of the words a reader sees."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.extract.extraction import extract_article
from monitor.extract.headline import choose_headline, site_affix_change, strip_site_affixes


@pytest.mark.parametrize(
    ("title", "affixes", "expected"),
    [
        ("Night trains return | Engadget", ["Engadget"], "Night trains return"),
        ("Engadget | Night trains return", ["engadget"], "Night trains return"),
        ("Night trains return – webpack – Medium", ["Medium", "webpack"], "Night trains return"),
        ("Night trains return - The Loopback Times", ["The Loopback Times"], "Night trains return"),
        ("Night trains return — Le Monde", ["Le Monde"], "Night trains return"),
        ("Night trains return · Die Zeit", ["DIE ZEIT"], "Night trains return"),
        ("Loopback Times: Night trains return", ["Loopback Times"], "Night trains return"),
        ("Nikki Haley to Resign (Published 2018)", [], "Nikki Haley to Resign"),
        ("Storm hits coast: 3 dead", ["Engadget"], "Storm hits coast: 3 dead"),
        ("Storm hits coast - Police", [], "Storm hits coast - Police"),
        # a new name set after the site's known one takes it along
        ("Hof & Geschichte - Schlosswirt | The Example", ["Schlosswirt"], "Hof & Geschichte"),
        # ... but no unknown name alone, nor words of the headline before it
        (
            "Storm hits coast - Police | The Example",
            ["Engadget"],
            "Storm hits coast - Police | The Example",
        ),
        # never the whole title
        ("Engadget", ["Engadget"], "Engadget"),
        # a "site name" that is a sentence (a description in og:site_name) is not stripped
        (
            "Title | the best news about trains and more every day",
            ["the best news about trains and more every day"],
            "Title | the best news about trains and more every day",
        ),
    ],
)
def test_site_affixes_are_stripped(title: str, affixes: list[str], expected: str) -> None:
    assert strip_site_affixes(title, affixes) == expected


@pytest.mark.parametrize(
    ("h1s", "declared", "expected"),
    [
        # the visible headline agrees with og:title: the page's own wording
        (["Night trains return"], ["Night trains return | Times"], "Night trains return"),
        # og:title rewritten for social networks: the visible headline stays
        (["Night trains return"], ["You won't believe these trains"], "Night trains return"),
        # a logo <h1> next to the headline one: the one that agrees
        (
            ["The Loopback Times", "Night trains return"],
            ["Night trains return"],
            "Night trains return",
        ),
        # no plausible <h1>: the declared title, site name stripped
        ([], ["Night trains return | Times"], "Night trains return"),
        # two <h1> that agree with nothing: the declared title
        (["Most read today", "Weather"], ["Night trains return"], "Night trains return"),
        # a site name added to the declared title makes no other <h1> agree with it
        (
            ["The Disappearance of John M. Ford", "We Need to Talk About Your Ad Blocker"],
            ["The Resurrection of a Writer", "John M. Ford's books are back | The Daily Example"],
            "The Resurrection of a Writer",
        ),
    ],
)
def test_the_headline_is_the_visible_one(
    h1s: list[str], declared: list[str], expected: str
) -> None:
    assert choose_headline(h1s, declared, ["Times"]) == expected


@pytest.mark.parametrize(
    ("old", "new", "same"),
    [
        ("Night trains return", "Night trains return | Engadget", True),
        ("Night trains return · webpack | Medium", "Night trains return", True),
        # a dash sets off the headline's own words (an attribution): an edit
        ("Four killed in mass shooting - police", "Four killed in mass shooting", False),
        (
            "Kim to visit Putin for weapons talks",
            "Kim to visit Putin for weapons talks - US",
            False,
        ),
        ("Nikki Haley to Resign", "Nikki Haley to Resign (Published 2018)", True),
        ("Night trains return", "Night trains return: 3 dead", False),
        ("Night trains return", "Night trains return - 3 dead", False),
        ("Night trains return", "Night buses return | Engadget", False),
    ],
)
def test_a_site_name_around_the_headline_is_not_a_headline_edit(
    old: str, new: str, same: bool
) -> None:
    assert bool(site_affix_change(old, new)) is same
    kinds = [e.kind for e in compare_titles(old, new)]
    assert kinds == (["cosmetic"] if same else ["headline"])


def compare_titles(old: str, new: str) -> list:
    from monitor.extract.article import Article

    return compare(Article(title=old, body="x"), Article(title=new, body="x"))


PARAGRAPHS = "".join(
    f"<p>{text}</p>"
    for text in (
        "The regional transport authority confirmed on Monday that the night trains between the "
        "two cities will run again from March, after a two-year pause blamed on staff shortages.",
        "The board voted seven to three in favour of the plan, which still needs the approval of "
        "the finance committee before the first tickets go on sale in the new year.",
        "Passenger groups welcomed the decision but warned that the timetable leaves the smaller "
        "stations along the northern line without any late service on weekdays.",
    )
)


def page(h1: str, og_title: str, site: str = "") -> str:
    site_meta = f"<meta property='og:site_name' content='{site}'>" if site else ""
    return (
        f"<html lang='en'><head><title>{og_title}</title>"
        f"<meta property='og:title' content='{og_title}'>{site_meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{h1}</h1>{PARAGRAPHS}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("declared", "affixes", "expected"),
    [
        # og:title and twitter:title cut at a quote the page left unescaped; <title> whole
        (
            ["Biden de", "Biden de", 'Biden de "incapacitado" | El Universal'],
            ["El Universal"],
            'Biden de "incapacitado"',
        ),
        (["It", "It's raining again"], ["El Universal"], "It's raining again"),
        # ... without the name <title> adds, when the page does not say it is the site's
        (["Biden de", 'Biden de "incapacitado" | El Universal'], [], 'Biden de "incapacitado"'),
        # a longer title that does not go on with a quote mark is another title
        (["Night trains", "Night trains return"], ["El Universal"], "Night trains"),
    ],
)
def test_a_title_cut_at_an_unescaped_quote_is_read_whole(
    declared: list[str], affixes: list[str], expected: str
) -> None:
    assert choose_headline([], declared, affixes) == expected


def test_a_page_with_its_headline_quotes_unescaped_in_its_metadata_keeps_the_whole_headline() -> (
    None
):
    headline = 'Senador republicano califica a Biden de "incapacitado"'
    html = (
        f"<html lang='es'><head><title>{headline}</title>"
        f'<meta property="og:title" content="{headline}">'
        f'<meta name="twitter:title" content="{headline}"></head><body>'
        f"<h1><a href='/'><img alt='EL UNIVERSAL'></a></h1><article>{PARAGRAPHS}</article>"
        "</body></html>"
    )
    assert extract_article(html).title == headline


def test_the_extracted_title_is_the_visible_headline_without_the_site_name() -> None:
    article = extract_article(
        page("Night trains return", "Night trains return | Loopback Times", "Loopback Times")
    )
    assert article.title == "Night trains return"


def test_og_title_rewritten_while_the_visible_headline_stays_is_no_edit() -> None:
    old = extract_article(page("Night trains return", "Night trains return"))
    new = extract_article(page("Night trains return", "Why everyone is talking about night trains"))
    assert [e for e in compare(old, new) if e.field == "title"] == []


def test_a_visible_headline_rewritten_under_the_same_og_title_is_a_headline_edit() -> None:
    old = extract_article(page("Night trains return", "Night trains return"))
    new = extract_article(page("Night trains return to the northern line", "Night trains return"))
    edits = [e for e in compare(old, new) if e.field == "title"]
    assert [(e.kind, e.significant) for e in edits] == [("headline", True)]
    assert edits[0].new == "Night trains return to the northern line"


@pytest.mark.parametrize(
    ("short_h1s", "declared", "expected"),
    [
        # a short <h1> rewritten on the page, one word of two, the metadata unchanged
        (["Ein Alptraum"], ["Ein Albtraum - DER SPIEGEL"], "Ein Alptraum"),
        (["WILL SMITH"], ["Will Smyth"], "WILL SMITH"),
        # a short <h1> that is something else: a section name, a logo, one word
        (["Politik Inland"], ["Ein Albtraum"], "Ein Albtraum"),
        (["Loopback Times"], ["Night trains return"], "Night trains return"),
        (["Startseite"], ["Unbefriedigt"], "Unbefriedigt"),
        # a short <h1> the same as the title: the declared wording, as before
        (["WILL SMITH"], ["Will Smith"], "Will Smith"),
    ],
)
def test_a_short_h1_is_the_headline_when_one_of_its_words_was_rewritten(
    short_h1s: list[str], declared: list[str], expected: str
) -> None:
    assert choose_headline([], declared, ["DER SPIEGEL"], short_h1s) == expected


H1 = "<h1>Night trains return to the north</h1>"


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        # a menu the page leaves open (an unclosed <li>) wraps the article in the menu's <nav>
        (f"<nav><ul><li><a href='/news'>News</a><div><article>{H1}</article></ul></nav>", True),
        # an <h1> in a link or a nav inside the article is still no headline
        (f"<article><a href='/'>{H1}</a></article>", False),
        (f"<article><nav>{H1}</nav></article>", False),
    ],
)
def test_an_h1_inside_the_article_is_read_whatever_wraps_the_article(
    body: str, shown: bool
) -> None:
    from monitor.extract.extraction import _parse
    from monitor.extract.headline import visible_h1s

    tree = _parse(f"<html><body>{body}<p>Text.</p></body></html>")
    assert tree is not None
    assert visible_h1s(tree) == (["Night trains return to the north"] if shown else [])


@pytest.mark.parametrize(
    "body",
    [
        # related articles, each an <article> with its <h1>, in an aside or the page's footer:
        # the article element is the teaser's, not the page's
        f"<aside><article>{H1}</article></aside>",
        f"<footer><article>{H1}</article></footer>",
        f"<article><h2>Council approves the budget</h2><aside><article>{H1}</article></aside>"
        "</article>",
        # teaser cards after the page's article, each a link or a menu of its own
        f"<article><h2>Council approves the budget</h2></article><a href='/b'><article>{H1}"
        "</article></a>",
        f"<main><h2>Council approves the budget</h2></main><nav><article>{H1}</article></nav>",
    ],
)
def test_a_teaser_h1_in_an_aside_or_footer_is_no_headline_even_inside_its_own_article(
    body: str,
) -> None:
    from monitor.extract.extraction import _parse
    from monitor.extract.headline import visible_h1s

    tree = _parse(f"<html><body>{body}<p>Text.</p></body></html>")
    assert tree is not None
    assert visible_h1s(tree) == []


@pytest.mark.parametrize(
    ("short_h1s", "declared"),
    [
        # the site's name in an <h1> (a logo) is one word away from a two-word title
        (["DER SPIEGEL"], ["Der Absturz - DER SPIEGEL"]),
        (["Der Spiegel", "Der Absturz"], ["Der Absturz"]),
        # the page shows the title as declared: another short <h1> one word away is not it
        (["Die Zeit", "Die Wende"], ["Die Wende"]),
    ],
)
def test_a_site_name_h1_one_word_away_from_a_short_title_is_not_the_headline(
    short_h1s: list[str], declared: list[str]
) -> None:
    assert choose_headline([], declared, ["DER SPIEGEL"], short_h1s) == declared[0].split(" - ")[0]


@pytest.mark.parametrize(
    "home", ["/", "https://www.zeit.de/", "https://www.zeit.de", "//www.zeit.de/"]
)
def test_a_logo_h1_linking_home_is_no_headline_whatever_the_link_spells(home: str) -> None:
    from monitor.extract.extraction import _parse
    from monitor.extract.headline import page_headline

    tree = _parse(
        '<html><head><meta property="og:title" content="Die Wende"></head><body><header>'
        f'<h1><a href="{home}">Die Zeit</a></h1></header><article><h2>Die Wende</h2><p>Text.</p>'
        "</article></body></html>"
    )
    assert tree is not None
    assert page_headline(tree) == "Die Wende"


def test_an_h1_link_no_url_parser_reads_is_kept() -> None:
    from monitor.extract.extraction import _parse
    from monitor.extract.headline import visible_h1s

    tree = _parse(
        '<html><body><h1><a href="http://[::1">Night trains return</a></h1></body></html>'
    )
    assert tree is not None
    assert visible_h1s(tree) == ["Night trains return"]


def test_past_the_h1_bound_the_declared_title_stands() -> None:
    from monitor.extract.headline import MAX_H1

    logos = "".join(f"<h1>Section number {i} here</h1>" for i in range(MAX_H1 + 5))
    html = page("Night trains return", "Night trains return").replace(
        "<article>", logos + "<article>"
    )
    assert extract_article(html).title == "Night trains return"


# A blog's post: the blog's name is the page's only <h1>, in a link to the blog's index; the
# post's headline is a smaller heading, and the <title> sets the blog's name and the site's after
# it. The blog's name is no headline, whatever the extractor's title reads; a re-capture that
# declares the headline alone (og:title) has the same one.
BLOG_POSTS = [
    (
        "The Huddle: The latest word on NFL news, notes and buzz",
        "Favre says he could not give up on one more chance to win",
        "The Huddle: Football News from the NFL - USATODAY.com",
    ),
    (
        "Das Hauptstadt-Blog: Neues aus dem Regierungsviertel",
        "Koalition einigt sich nach langer Nacht auf den Haushalt",
        "Hauptstadt-Blog - Beispiel.de",
    ),
    (
        "El blog de economía: lo último de los mercados",
        "El Gobierno aprueba el plan del agua tras un largo debate",
        "Blog de economía | Ejemplo.es",
    ),
    (
        "Le blog politique : les coulisses du pouvoir",
        "Le gouvernement adopte le plan de l'eau après un long débat",
        "Blog politique · Exemple.fr",
    ),
]


def blog_post(name: str, headline: str, title: str, og_title: str = "") -> str:
    og = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    return (
        f"<html><head><title>{title}</title>{og}</head><body>"
        f'<div id="masthead"><a href="/blog/index"><h1>{name}</h1></a></div>'
        f'<div class="post"><h3>{headline}</h3>{PARAGRAPHS}</div></body></html>'
    )


@pytest.mark.parametrize(("name", "headline", "suffix"), BLOG_POSTS)
def test_a_blogs_name_in_a_linked_h1_is_no_headline(name: str, headline: str, suffix: str) -> None:
    old = extract_article(blog_post(name, headline, f"{headline} - {suffix}"))
    new = extract_article(blog_post(name, headline, headline, og_title=headline))
    assert old.title == headline
    assert [e for e in compare(old, new) if e.field == "title"] == []


def test_a_headline_in_a_link_to_its_own_page_stays_the_headline() -> None:
    headline = "Night trains return to the northern line"
    html = (
        f"<html><head><title>{headline} | Loopback Times</title></head><body><article>"
        f'<a href="/2024/night-trains"><h1>{headline}</h1></a>{PARAGRAPHS}</article></body></html>'
    )
    assert extract_article(html).title == headline


# A blog whose <title> sets its name before the post's headline ("The Brain Dump: Gavin King
# unveils …"), its name in an <h1> linking home, the headline in a smaller heading; a later
# capture declares the headline alone (og:title). The name opening the title is the logo's
# text: no word of the headline (pairs18, a blog post re-captured nine years apart).
NAME_FIRST_BLOG_POSTS = [
    ("The Loopback Diary", "Night trains return: the northern line reopens after two years"),
    ("Das Bahnblog", "Nachtzüge fahren nach zwei Jahren wieder in den Norden"),
    ("El cuaderno del tren", "Los trenes nocturnos vuelven al norte tras dos años"),
    ("Le carnet du rail", "Les trains de nuit reviennent vers le nord après deux ans"),
]


def name_first_blog_post(name: str, shown: str, title: str, og_title: str = "") -> str:
    og = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    return (
        f"<html><head><title>{title}</title>{og}</head><body>"
        f'<div id="header"><h1 class="title"><a href="https://blog.example/">{name}</a></h1></div>'
        f'<div class="post"><h3 class="post-title">{shown}</h3>{PARAGRAPHS}</div></body></html>'
    )


@pytest.mark.parametrize(("name", "headline"), NAME_FIRST_BLOG_POSTS)
def test_a_blogs_name_opening_the_title_is_no_part_of_the_headline(
    name: str, headline: str
) -> None:
    old = extract_article(name_first_blog_post(name, headline, f"{name}: {headline}"))
    new = extract_article(name_first_blog_post(name, headline, "", og_title=headline))
    assert old.title == headline
    assert [e for e in compare(old, new) if e.field == "title"] == []


@pytest.mark.parametrize(("name", "headline"), NAME_FIRST_BLOG_POSTS)
def test_a_declared_title_carrying_the_headlines_markup_escaped_is_read_as_its_words(
    name: str, headline: str
) -> None:
    # the headline strikes a word through; the page's og:title carries the <strike> escaped, as
    # text, which a reader never sees
    first, rest = headline.split(" ", 1)
    shown = f"{first} <strike>nouveau</strike> {rest}"
    words = f"{first} nouveau {rest}"
    escaped = shown.replace("<", "&lt;").replace(">", "&gt;")
    old = extract_article(name_first_blog_post(name, shown, f"{name}: {words}"))
    new = extract_article(name_first_blog_post(name, shown, "", og_title=escaped))
    assert new.title == words
    assert [e for e in compare(old, new) if e.field == "title"] == []


def test_an_h1_in_the_breadcrumbs_opening_the_title_stays_the_pages_name() -> None:
    # a journal's page: its <h1> is the breadcrumbs' last item (left out for its place, linking
    # nowhere), its <title> "Submissions | The Journal": the page's name is no site name
    html = (
        "<html><head><title>Submissions | Vienna Digital Review</title></head><body>"
        "<nav class='breadcrumbs'><ol><li><a href='/'>Home</a></li>"
        "<li class='current'><h1>Submissions</h1></li></ol></nav>"
        f"<div class='page'><h2>Submission checklist</h2>{PARAGRAPHS}</div></body></html>"
    )
    assert extract_article(html).title == "Submissions"
