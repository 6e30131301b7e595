"""The article as Redline compares it, and the identity of the extractor that produced it.

Kept apart from `extract.py` so that code which only reads stored versions (the store, a check
round of unchanged pages) does not import trafilatura: it costs about 0.2 s at every crawl start.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

EXTRACTOR = "trafilatura"

# Redline's own post-processing around trafilatura in `monitor/extract/extraction.py` (two passes,
# trimming, chunk joining, title line, list markers). Bump it whenever that logic changes: stored
# versions made by another revision are then re-extracted from their raw pages before comparing,
# so the change never shows up as edits. 3: pages decoded by the HTTP header's charset first;
# 4: list markers dropped; 5: each body line carries its role on the page (`Article.roles`, see
# `monitor/extract/roles.py`), so stored versions get roles and their edits are weighed anew;
# 6: a short balanced run (four paragraphs or fewer) is not trimmed; one or two paragraphs try the
# recall run; lines linking to another article ("Read more: ...") are dropped; a number before a
# month's name ("21. November") is a date, not a list marker; 7: the title is the headline as the
# page shows it (`monitor/extract/headline.py`: the visible <h1> checked against the declared
# titles, site names taken off), and a line inside a link (a teaser) is link-dense; a second
# opinion (JSON-LD articleBody, a second extractor) adds the prose paragraphs trafilatura
# dropped; the precision run only runs on bodies long enough for its edges to count; 8: the
# modified date and the byline the page declares (`monitor/extract/metadata.py`), and the
# standfirst shown before the body's first paragraph is a body line of its own (role
# "standfirst", `monitor/extract/standfirst.py`); 9: captions and promotion lines are left out of
# the body, and the site's words to its reader (calls to follow or subscribe, paywall prompts,
# photo credits, copyright lines: `lexicon.SITE_LINES`) are promotion lines; 10: the headline is
# dropped from the body's first three lines also when a kicker or site suffix is added to it or
# taken from it, and the lead the second extractor has just before the body's first paragraph is
# a body line (`monitor/extract/consensus.py`); 11: a line is the headline with a kicker or
# suffix only when a mark sets those words off from it (a first paragraph quoting the headline,
# »Headline«, sagte sie, or giving a time after it was dropped as the headline); 12: a declared
# title cut at a quote the page left unescaped in an attribute is read whole from the title it
# begins (`headline._uncut`); a time range after an ISO date ("2024-03-05 09:00-10:00") is its
# start without an offset (was offset −10:00), and a first-publication stamp is the same moment
# as another stamp written with "Z" (`metadata.restamped`); the site's tagline beside its logo is
# no standfirst (`standfirst._beside_site_logo`); the site's words to its reader among the
# body's last three lines are left out at any length (a line longer than a promotion line when
# its first sentence holds them), and neither the lead nor a paragraph the second opinion adds
# comes from a bio, hatnote, slideshow, testimonial, placeholder or call-to-action box (a post's
# tag and category classes and an animation's are no box), nor from a bare wrapper above a
# furniture box; a lead that opens a block the page's markup left open is found, a line that is
# only a date is left out unless it is a heading (`monitor/extract/consensus.py`), a note opening
# with its label ("Update: ...") stays whatever follows it on its line (`lexicon.is_notice`),
# and a line opening with a numbered figure label ("Abbildung 4: ...") is a caption.
# 13: a list's numbers and letters written in the page ("5. Kristi Dosh", "c) ...") stay in the
# body (only bullets and trafilatura's "- " are dropped; the comparison still ignores them all);
# a promotional phrase set off by a mark ("À lire aussi » ...") is a link's label, left out
# whatever follows it (`lexicon.PROMO_LABEL`); the body and the title are in Unicode's composed
# form (NFC) whichever form the page writes its letters in (`characters.composed`); the site's
# box after the article, from a heading "Pressekontakt", "Über diese Reihe", "About the author"
# (`lexicon.BOX_HEADINGS`) among the last lines, is left out (`consensus.box_at_end`); the site
# asking for its readers' support or pointing to its own tools ("Unterstützen Sie unabhängigen
# Journalismus!", "Kennt ihr schon unseren ...?") is the site's words to its reader. Also in 13:
# a dash opening a line is dialogue, kept ("— Hemos hecho todo — dijo"; 12 dropped it as a
# bullet), and the site's box ends at the next heading that names no box; the standfirst that
# is the page's declared summary is found up to 8 levels from the body's first paragraph when
# they share a part of the page, not its <body> (a grid's header row: 12 stopped at 6).
# 14: a line that is only the page's dates with their labels ("Veröffentlicht am 06.12.2022",
# "News date : 04/21/2022 Category : Press Releases", `lexicon.STAMP_LINE`) is the page's
# stamp, left out like a date alone; an update note ("Updated: May 3, 2022") stays.
# 15: a short line opening with "Updated"/"Published"/"Actualizado"... and holding a figure is
# furniture only when the rest is the time it names ("Updated 3 hours ago"); "Updated: death
# toll rises to 40" is the newsroom's note, kept (14 dropped it, and the comparison ignored it).
# 16: the same in German, French, Italian and Portuguese ("Aktualisiert vor 3 Stunden", "Mis à
# jour il y a 3 heures"), and with compact and ISO times ("Updated 3h ago", "Published:
# 2024-03-05T10:32:00Z", "10:32 h", "10:32 Uhr"), which 15 read as notes that changed at every
# round; the expression no longer backtracks exponentially on a long line of date words.
# Also in 16: soft hyphens ("&shy;") are dropped from the page before it is parsed (the title kept
# them, so its <h1> stayed in the body, and the second extractor's lead repeated a paragraph holding
# one). A box about the organisation behind the page ("About Acme Ltd") left out was tried in 16 and
# dropped: 2 held-out mutations of article text were lost to it.
# 17: the site's note on how it writes or checks its articles ("Our Standards: The Thomson Reuters
# Trust Principles.", "Medically reviewed by ...", "Dieser Text entspricht den Vorgaben der
# ärztlichen Fachliteratur ...") is the site's words to its reader (`lexicon.SITE_LINES`), and so
# are its pointers to its print issue ("Die aktuelle Ausgabe ... jetzt an jedem Bahnhofskiosk")
# and to its search box ("Search for articles and topics on ..."). The body's first paragraph
# with a share counter the template set before it ("2,995 shares Hong Kong is burning. ...") is
# that paragraph, never the lead. Furniture lines (`lexicon.is_furniture_line`, shared with the
# comparison): a label line with a figure that is not a date or time ("Updated 21:45 - 2-1") is
# kept in the body; relative times in words ("vor einer Stunde") are left out; a line opening
# with an update participle ("Aktualisiert: ...") is kept, as "Updated: ..." was.
# 18: the body's first paragraph written as loose text before the first <p> or between <br>s
# (`<span></span>WASHINGTON -- ...<p>`), which trafilatura left out, goes first in the body
# (`monitor/extract/lead.py`; 2008 news pages of L3S-GN1: 11 leads found, 10 of them the article's).
# 19: the site's note on its affiliate links ("Dieser Artikel kann Links zu Anbietern enthalten,
# von denen ... eine Provision erhält", `roles.is_affiliate_note`) and a picture's credit with its
# label ("Beitragsbild via Unsplash.", "Fotocredit: ...", `lexicon.FURNITURE`) are left out.
# 20: a paragraph or list item that is a short label and one link to another article of the site
# ("<b>FUNDA OLUNYE UDABA LAPHA |</b> <a>headline</a>", "Zum Artikel: <a>headline</a>") is a
# teaser left out, in any language (`roles._labelled_teaser`); a list item whose text opens in a
# child (<li><strong>Label:</strong> <a>...</a></li>) is now matched to its line.
# 21: a page laid out in a table (menus and sidebars in cells beside the article) is re-run with
# its layout tables read as blocks (the body was the table's rows); a closing run of teasers
# ending in a link to read on ("... Read more... 2012-11-09") and a blog's "« previous | Main |
# next »" line leave the body; "connect with us" and "find us on" open a promotion line.
# 22: the headline of a blog whose <title> sets its name (the text of its logo <h1>) before the
# post's headline ("The Brain Dump: Gavin King unveils ...") is the part after the name, not the
# name; declared titles lose the inline tags they carry escaped, as text ("Java
# &lt;strike&gt;killer&lt;/strike&gt; successor", `headline.without_markup`).
# also in 22: a line held in its own teaser's link (`roles._in_teaser_link`: a card of at most 500
# characters) keeps its furniture role when the page's furniture would be most of the body (a
# video page whose rails trafilatura reads); a line furniture in every place it stands is
# furniture when the places name different kinds (a promotion box and a rail's link); a
# paragraph in a card of the same size opening with a heading wholly linked to another page of
# the site is the card's deck, furniture (`roles._teaser_card`: a video page's "latest" rail). A
# broadcast's air date with its label ("Air Date: Apr 19, 2016 11:57 PM ET", "Ausgestrahlt am
# ...") is the page's stamp (`lexicon.DATED_LABELS`, `STAMP_LABELS`).
# 23: a card-like box among the article's paragraphs (two of prose among its nearest siblings,
# `roles._among_paragraphs`) is the article's, no teaser card: an election guide's candidate (a
# linked name and a short bio), a short section under a heading linking to a topic page.
# 24: a blog's comment form and post footer leave the body as the site's words to its reader
# (`lexicon.SITE_LINES`: "Your email address will not be published", "Required fields are
# marked", trackback and feed lines, "View all posts by ...", "... | Tags: ..." after the stamp,
# "About the Author: ..."; WordPress's words in six languages), and so are calls to visit the
# site on a network or follow its account, "Write to ... at <address>", "enter your email
# below", a copyright line and a disclaimer on the writers' views; the lead taken from the second
# extractor is never a row of links with bars ("« Previous | Main | Next »") nor a block in a
# sidebar or a blog's sidebar widget (`consensus._NOT_LEAD_NAME`). A run of three or more
# link-dense lines among those the body keeps (a list of links to other pages) leaves the body
# (`extraction.LINK_RUN_LINES`); a wholly linked sentence is not counted in a run. A line opening
# with a pointer's label ("Related:") stays when the writer goes on in two sentences or more of
# their own, 200 characters or more (`extraction._written_note`).
# 25: a syndication note opening its line ("This article originally appeared on The
# Conversation", "Dieser Artikel erschien zuerst auf ...") is the site's words to its reader
# (`lexicon.SITE_OPENERS`), left out of the body.
EXTRACTION_REVISION = 25

# Where a body line sits on the page, and the letter that stores it (`versions.roles` holds one
# letter per body line). Edits confined to FURNITURE lines are recorded, never significant
# (`monitor.compare.placement`).
ROLE_CODES = {
    "prose": "p",
    "heading": "h",
    "list_item": "l",
    "blockquote": "q",
    "table": "t",
    "dateline_credit": "d",
    "caption": "c",
    "link_dense": "k",
    "promo": "a",
    # lines only the second extraction opinion has (`monitor/extract/opinion.py`): from the
    # page's JSON-LD articleBody, or from the second extractor
    "json_ld": "j",
    "second_extractor": "s",
    # the standfirst (dek) shown between the headline and the body, which trafilatura left
    # out (`monitor/extract/standfirst.py`)
    "standfirst": "f",
}
ROLES = tuple(ROLE_CODES)
FURNITURE_ROLES = frozenset({"caption", "link_dense", "promo"})
SECOND_OPINION_ROLES = frozenset({"json_ld", "second_extractor"})
_ROLE_OF_CODE = {code: role for role, code in ROLE_CODES.items()}


@dataclass(frozen=True)
class Article:
    """What Redline compares between two versions of a page. Only `body` is required in practice."""

    title: str = ""
    byline: str = ""
    published: str = ""
    modified: str = ""
    body: str = ""
    canonical_url: str = ""
    language: str = ""
    # One role (see ROLES) per line of `body`; empty when unknown (a version stored before
    # roles, a text typed in): every line is then read as prose.
    roles: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when the page yielded no article text at all."""
        return not self.body.strip()


@cache
def extractor_version() -> str:
    """The installed trafilatura version plus Redline's extraction revision, stored with every
    version row (a change of either re-extracts)."""
    return f"{EXTRACTOR} {installed_version(EXTRACTOR)}+redline.{EXTRACTION_REVISION}"


def installed_version(package: str) -> str:
    """The installed version of `package`, without importing it: from the one
    `package-VERSION.dist-info` folder beside it (a directory listing, where
    `importlib.metadata.version` reads every folder of the path, ~30 ms at every crawl's first
    page); from importlib.metadata when that folder is not there or not alone."""
    spec = find_spec(package)
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent.parent
        found = list(folder.glob(f"{package}-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removeprefix(f"{package}-").removesuffix(".dist-info")
    return version(package)


def encode_roles(roles: tuple[str, ...]) -> str:
    """The stored form of a body's roles: one letter per line ("" for unknown)."""
    return "".join(ROLE_CODES[role] for role in roles)


def decode_roles(codes: str | None, body: str) -> tuple[str, ...]:
    """Roles read back from their stored letters; unknown (empty) when there are none, or when
    they do not fit the body line for line (a row written by hand, a letter not known here)."""
    if not codes or not body or len(codes) != body.count("\n") + 1:
        return ()
    if any(code not in _ROLE_OF_CODE for code in codes):
        return ()
    return tuple(_ROLE_OF_CODE[code] for code in codes)
