"""Where an edit sits on the page: an edit confined to page furniture (captions, promotion lines,
lines that are mostly links; `monitor.extract.article.FURNITURE_ROLES`) is recorded with its
reason, never significant.

Extraction gives each body line a role (`Article.roles`, see `monitor.extract.roles`); the
comparison reads paragraphs after normalising and taking datelines and credit lines out, so the
roles are carried along those steps here. Pure functions over plain values.

Edits in prose, headings, quotations, lists and tables count as before, and so does a correction
note wherever it stands (the newsroom says the story changed). Unknown roles (a version stored
before roles, a text typed in) read as prose: nothing is weighed down.
"""

from __future__ import annotations

from dataclasses import replace

from monitor.compare.edit import Edit, weigh_down
from monitor.compare.normalize import is_noise_paragraph, normalize_body
from monitor.compare.redesign import AT_EDGE
from monitor.extract.article import FURNITURE_ROLES, SECOND_OPINION_ROLES
from monitor.lexicon import AUTHOR_BIO

# Takes every body edit but a correction note (0.9) below significance (`SIGNIFICANT_AT` 0.5):
# a quotation changed in a caption (0.85) scores 0.35, a sentence added to a promo line 0.0.
FURNITURE_PENALTY = 0.5
# Kept at their score wherever they stand.
_ALWAYS_COUNTS = frozenset({"correction_note"})


def paragraphs_with_roles(body: str, roles: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The body's paragraphs exactly as `normalize.body_paragraphs` gives them (normalised, noise
    lines dropped), and their roles: [] when the roles are unknown or do not fit the lines. One
    pass: the roles cost no second normalisation."""
    lines = normalize_body(body).split("\n")
    kept = [index for index, line in enumerate(lines) if not is_noise_paragraph(line)]
    paragraphs = [lines[index] for index in kept]
    if not roles or len(roles) != len(lines) or len(lines) != body.count("\n") + 1:
        return paragraphs, []
    return paragraphs, [roles[index] for index in kept]


def follow_paragraphs(before: list[str], after: list[str], roles: list[str]) -> list[str]:
    """The roles of `after`, which is `before` with datelines and credit lines taken out: each
    paragraph of `after` is part of its paragraph in `before`, in order; a paragraph that was
    only a credit line is gone. [] when unknown."""
    if not roles:
        return []
    followed: list[str] = []
    for index, (paragraph, role) in enumerate(zip(before, roles, strict=False)):
        if len(followed) == len(after):
            break
        wanted = after[len(followed)]
        # a paragraph holding the next one as a part of itself is that one unless the paragraph
        # after it is the very same text (a credit line naming it, then the line itself)
        following = before[index + 1] if index + 1 < len(before) else None
        if wanted == paragraph or (wanted in paragraph and following != wanted):
            followed.append(role)
    return followed if len(followed) == len(after) else []


def _role(roles: list[str], index: int) -> str:
    return roles[index] if 0 <= index < len(roles) else "prose"


# The reason an edit found only in lines the second extraction opinion added carries.
_OPINION_SOURCE = {
    "json_ld": "the page's JSON-LD articleBody",
    "second_extractor": "the second extractor",
}


def second_opinion_reason(sides: list[str]) -> str:
    """Why an edit found only in second-opinion lines is reported: trafilatura's extraction
    left that paragraph out, the page's own full text or the second extractor has it."""
    sources = " and ".join(_OPINION_SOURCE[side] for side in sorted(set(sides)))
    return f"second opinion: a paragraph trafilatura left out, found by {sources}"


def weigh_placement(edits: list[Edit], old_roles: list[str], new_roles: list[str]) -> list[Edit]:
    """Body edits whose paragraphs, on each side they touch, are all furniture: no longer
        significant, with the roles as the reason; those only in lines the second extraction opinion
    added keep their score and say so. Other edits unchanged."""
    if not old_roles and not new_roles:
        return edits
    weighed = []
    for edit in edits:
        sides = []
        if edit.old_paragraph >= 0:
            sides.append(_role(old_roles, edit.old_paragraph))
        if edit.new_paragraph >= 0:
            sides.append(_role(new_roles, edit.new_paragraph))
        if (
            edit.significant
            and edit.field == "body"
            and edit.kind not in _ALWAYS_COUNTS
            and sides
            and all(role in FURNITURE_ROLES for role in sides)
        ):
            where = " and ".join(sorted(set(sides))).replace("_", " ")
            edit = weigh_down(edit, FURNITURE_PENALTY, f"page furniture: in a {where} line")
        elif edit.field == "body" and sides and all(role in SECOND_OPINION_ROLES for role in sides):
            edit = replace(edit, reasons=(*edit.reasons, second_opinion_reason(sides)))
        weighed.append(edit)
    return weighed


# Kinds an author's biography at the article's edge makes (a template adding or dropping one).
_BIO_KINDS = frozenset({"sentence_added", "sentence_removed"})


def weigh_bios(edits: list[Edit]) -> list[Edit]:
    """A sentence added or removed at the article's edge that introduces its author by a newsroom
    role ("Emma Grey Ellis is a staff writer at WIRED.", `lexicon.AUTHOR_BIO`): a template's
    author box, not the story; recorded, not significant. In the middle of the story such a
    sentence stays what it is (a story about a reporter). The other sentences added or removed
    at the edge with it in its paragraph are the box's too ("Nate Davis is a reporter, blogger
    and editor who's been at USA TODAY since 2000. He has covered the NFL since 2005.")."""
    boxes = {_bio_paragraph(edit) for edit in edits if _edge_sentence(edit)}
    boxes.discard(None)
    weighed = []
    for edit in edits:
        if _edge_sentence(edit) and (
            AUTHOR_BIO.match(edit.new or edit.old) or _bio_paragraph(edit, bio=False) in boxes
        ):
            edit = weigh_down(edit, FURNITURE_PENALTY, "an author's biography")
        weighed.append(edit)
    return weighed


def _edge_sentence(edit: Edit) -> bool:
    """A significant sentence added or removed at the article's edge."""
    return edit.significant and edit.kind in _BIO_KINDS and AT_EDGE in edit.reasons


def _bio_paragraph(edit: Edit, bio: bool = True) -> tuple[str, int] | None:
    """The side and paragraph of a sentence added or removed (when `bio`, only of an author's
    biography), None when not known."""
    if bio and not AUTHOR_BIO.match(edit.new or edit.old):
        return None
    side, paragraph = ("new", edit.new_paragraph) if edit.new else ("old", edit.old_paragraph)
    return (side, paragraph) if paragraph >= 0 else None
