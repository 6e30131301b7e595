"""Known edits made to real article pages, for measuring `compare` end to end (see `bench.edits`).

Every mutation works on the raw HTML of a page and on the `Article` extracted from it: it picks a
target in the extracted body (a word, a sentence, a quotation), finds that text in the HTML source
(entities, no-break spaces and, for words, inline tags allowed), and changes it only where it
occurs exactly once and in a text node (not in a tag, a script, a style, a comment or <title>).
It returns a `Mutation` (the new HTML and what changed) or a `Skip` (why no target fitted).

Pure functions: no I/O, no clock. Choices are made with the `random.Random` passed in, so a run
seeded per page is repeatable.
"""

from __future__ import annotations

import html as html_lib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from html.entities import codepoint2name
from typing import TypeVar

from monitor.compare.classify import figures
from monitor.compare.normalize import comparison_key, is_noise_paragraph, normalize_text
from monitor.compare.quotes import ends_open
from monitor.compare.sentences import split_paragraph
from monitor.extract.extraction import Article
from monitor.lexicon import LIST_MARKER

T = TypeVar("T")

# How many candidate targets a mutation tries before giving up on a page.
MAX_TRIES = 60


@dataclass(frozen=True)
class Mutation:
    """One known edit applied to a page."""

    kind: str  # the kind `compare` should report ("churn" / "cosmetic": no significant edit)
    html: str  # the edited page
    old: str = ""  # text replaced or removed (article text, as extracted)
    new: str = ""  # text put in its place or inserted
    detail: str = ""  # what was done, for the report
    # Fragments that must (resp. must not) be in the new extraction for the edit to have survived
    # extraction; compared on `comparison_key`.
    expect_present: tuple[str, ...] = ()
    expect_absent: tuple[str, ...] = ()
    applied: tuple[str, ...] = field(default=())  # sub-operations done (churn, cosmetic)
    # The page text the edit is in, as the mutation read it (the words around a changed word,
    # the sentence removed or followed by the added one): whether extraction showed it.
    target: str = ""


@dataclass(frozen=True)
class Skip:
    """No suitable target on this page."""

    reason: str


Result = Mutation | Skip


# --- the page and its article ----------------------------------------------------------------
class Page:
    """Raw HTML with the lookups the mutations need (lower-cased copy, text-node test)."""

    def __init__(self, html: str) -> None:
        self.html = html

    @cached_property
    def lower(self) -> str:
        return self.html.lower()

    @cached_property
    def body_start(self) -> int:
        position = self.lower.find("<body")
        return max(position, 0)

    def in_text_node(self, start: int, end: int) -> bool:
        """True when html[start:end] is character data of the document body: not inside a tag,
        an attribute, a comment, or a script/style/title/textarea/noscript element."""
        lower = self.lower
        if start < self.body_start:
            return False
        if lower.rfind(">", 0, start + 1) < lower.rfind("<", 0, start + 1):
            return False  # inside a tag (its attributes)
        if lower.rfind("<!--", 0, start) > lower.rfind("-->", 0, start):
            return False
        for tag in ("script", "style", "title", "textarea", "noscript", "template"):
            if lower.rfind(f"<{tag}", 0, start) > lower.rfind(f"</{tag}", 0, start):
                return False
        # No tag boundary inside a strict match; with inline tags allowed, only inline ones.
        return "<script" not in lower[start:end] and "<!--" not in lower[start:end]


@dataclass(frozen=True)
class BodySentence:
    paragraph: int  # index among the body's non-empty paragraphs
    position: int  # index of the sentence in its paragraph
    count: int  # sentences in that paragraph
    text: str  # as extracted (curly quotes, accents and all)
    paragraph_text: str
    in_quote: bool = False  # starts inside a quotation opened by an earlier sentence
    leaves_quote_open: bool = False  # a quotation is still open after it


def body_paragraphs(article: Article) -> list[str]:
    """Non-empty, non-furniture paragraphs of the extracted body, as extracted."""
    return [p.strip() for p in article.body.split("\n") if p.strip() and not is_noise_paragraph(p)]


def body_sentences(article: Article) -> list[BodySentence]:
    result = []
    for number, paragraph in enumerate(body_paragraphs(article)):
        sentences = split_paragraph(paragraph)
        quoted = False
        for position, text in enumerate(sentences):
            after = ends_open(normalize_text(text), quoted)
            result.append(
                BodySentence(number, position, len(sentences), text, paragraph, quoted, after)
            )
            quoted = after
    return result


# --- what a reader sees of the article ------------------------------------------------------
# The mutations that may pick their target in a visible paragraph extraction leaves out.
VISIBLE_KINDS = frozenset({"quote", "name", "number", "sentence_added", "sentence_removed"})
# A visible paragraph is a <p> of at least this many words (shorter ones are captions, credits,
# buttons: not the prose an editor changes).
MIN_VISIBLE_WORDS = 8
# Prose ends a sentence; a paragraph with more than this share of its text in links is a teaser.
_SENTENCE_ENDS = (".", "!", "?", ":", '"', "”", "“", "»", "«", "…", ")")
MAX_LINKED_SHARE = 0.5
# The elements that hold the article as the page shows it.
_ARTICLE_PARAGRAPHS = (
    "//article//p | //main//p | //*[@itemprop='articleBody']//p"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]//p"
)

# Not the article's text, even inside its container: hidden elements, forms (a comment form's
# help), navigation, and boxes named for comments, sharing, newsletters, donations, related
# stories or author bios.
_HIDDEN_ANCESTOR = (
    "ancestor::*[self::script or self::style or self::noscript or self::template or self::form"
    " or self::nav or self::aside or self::footer or self::button]"
)
_NOT_ARTICLE_BOX = re.compile(
    r"comment|respond|reply|disqus|newsletter|subscri|donat|share|social|related|promo|teaser"
    r"|sidebar|widget|author|bio\b|footer|cookie|consent|paywall|advert|\bads?\b|banner"
    r"|include|article-item|\bcard\b|\btags?\b",
    re.IGNORECASE,
)


def visible_paragraphs(html: str) -> list[str]:
    """The <p> paragraphs of the page's article container (<article>, <main>, itemprop
    articleBody, WordPress's entry-content) of MIN_VISIBLE_WORDS+ words, in page order, their
    text with spaces normalised."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    paragraphs = []
    for node in tree.xpath(_ARTICLE_PARAGRAPHS):
        if node.xpath(_HIDDEN_ANCESTOR) or any(
            _NOT_ARTICLE_BOX.search(f"{a.get('class', '')} {a.get('id', '')}")
            for a in node.iterancestors()
        ):
            continue
        text = " ".join(node.text_content().split())
        if len(text.split()) < MIN_VISIBLE_WORDS or not text.endswith(_SENTENCE_ENDS):
            continue  # a caption, a credit, a list of tags
        linked = sum(len(" ".join(a.text_content().split())) for a in node.iter("a"))
        if node.xpath("ancestor::a") or linked > MAX_LINKED_SHARE * len(text):
            continue  # a teaser of another story
        paragraphs.append(text)
    return paragraphs


def with_visible(page: Page, article: Article) -> Article:
    """The article with the visible paragraphs its extraction left out appended to its body: the
    text a newsroom may edit on the page, whether or not extraction shows it."""
    body_key = comparison_key(article.body)
    extra = []
    for paragraph in visible_paragraphs(page.html):
        key = comparison_key(paragraph)
        if key and key not in body_key and paragraph not in extra:
            extra.append(paragraph)
    if not extra:
        return article
    return replace(article, body="\n".join([article.body, *extra]), roles=())


# --- finding article text in HTML source ------------------------------------------------------
_WS = r"(?:\s|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)+"
_WS_TAGS = r"(?:\s|&nbsp;|&#0*160;|&#[xX]0*[aA]0;|<[^<>]*>)+"
_TAGS = r"(?:<[^<>]*>)*"


def _char_pattern(char: str) -> str:
    if char.isascii() and char.isalnum():
        return char
    code = ord(char)
    alternatives = [re.escape(char), f"&#0*{code};", f"&#[xX]0*{code:x};", f"&#[xX]0*{code:X};"]
    name = codepoint2name.get(code)
    if name:
        alternatives.append(f"&{name};")
    if char == "'":
        alternatives.append("&apos;")
    return "(?:" + "|".join(alternatives) + ")"


def html_pattern(text: str, *, tags: bool = False) -> str:
    """Regex source matching `text` as it may be written in HTML: any run of whitespace or
    no-break spaces for a space, any character possibly as an entity, and with `tags` inline tags
    between words and at word/punctuation boundaries."""
    parts: list[str] = []
    previous = ""
    for char in text:
        if char.isspace():
            if parts and parts[-1] in (_WS, _WS_TAGS):
                continue
            parts.append(_WS_TAGS if tags else _WS)
            previous = " "
            continue
        if tags and previous and previous != " " and previous.isalnum() != char.isalnum():
            parts.append(_TAGS)
        parts.append(_char_pattern(char))
        previous = char
    return "".join(parts)


def find_once(page: Page, pattern: str, *, flags: int = 0) -> re.Match[str] | None:
    """The one match of `pattern` in the page, if there is exactly one and it is body text."""
    matches = list(re.finditer(pattern, page.html, flags))
    if len(matches) != 1:
        return None
    match = matches[0]
    return match if page.in_text_node(match.start(), match.end()) else None


def splice(html: str, start: int, end: int, replacement: str) -> str:
    return html[:start] + replacement + html[end:]


def _escape(text: str) -> str:
    return html_lib.escape(text, quote=False)


# --- choosing targets -------------------------------------------------------------------------
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’-][^\W\d_]+)*(?!\w)")
_DOUBLE_QUOTES = '"“”„«»‟″'
# A quotation: curly, guillemets, German „…“. A straight one opens at a word's start and closes at
# a word's end: `"a" or "b"` holds no quotation ` or `, `href="x" title="y"` none at all.
_QUOTATION = re.compile(
    r"“([^“”]{12,})”"
    r"|(?:^|(?<=[\s(\[—–-]))\"(?=\w)([^\"]{12,})(?<=[\w.,!?…])\"(?=$|[\s.,;:!?)\]—–-])"
    r"|„([^„“”]{12,})[“”]"
)
# Guillemets face either way: «…» (French, Swiss, Italian), »…« (German books and magazines).
# A paragraph's first one tells which.
_GUILLEMETS = {"«": re.compile(r"«([^«»]{12,})»"), "»": re.compile(r"»([^«»]{12,})«")}


def quotations(paragraph: str) -> list[tuple[int, int]]:
    """The spans of the quotations' words in a paragraph, in order."""
    spans = [
        match.span(group)
        for match in _QUOTATION.finditer(paragraph)
        for group in range(1, 4)
        if match.group(group) is not None
    ]
    first = re.search("[«»]", paragraph)
    if first:
        spans += [match.span(1) for match in _GUILLEMETS[first.group()].finditer(paragraph)]
    return sorted(spans)


# A figure standing alone ("12", "2,000", "4.5", and the German/French "1.000" and "3,5"), not
# glued to letters ("COVID-19", "4K").
_NUMBER = re.compile(
    r"(?<![\w.,:/-])(?:\d{1,3}(?:,\d{3})+|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?)(?![\w-]|[.,:/]\d)"
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DAYS_MONTHS = _word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december "
    # German (most of evaldata's pages): a month misspelt is not a name corrected.
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar jänner "
    "februar märz mai juni juli oktober dezember"
)
_STOP = _word_set(
    "the a an and or but of to in on at for with by from as is was are were be been that this "
    "these those it its he she they his her their we our you your not no has have had will "
    "would can could after before over into than then there here what when where who why how "
    "about more most some new says said"
)
_QUOTE_SWAPS = {
    "very": "really",
    "really": "very",
    "will": "would",
    "would": "will",
    "can": "could",
    "could": "can",
    "always": "never",
    "never": "always",
    "people": "residents",
    "everything": "anything",
    "think": "believe",
    "believe": "think",
    "know": "feel",
    "good": "great",
    "great": "good",
    "important": "essential",
    "going": "trying",
    "want": "need",
    "need": "want",
    "should": "must",
    "must": "should",
    "just": "only",
    "only": "just",
    "lot": "great deal",
}
_QUOTE_FALLBACK = ("certainly", "entirely", "simply", "clearly", "frankly")
_HEADLINE_WORDS = ("Sweeping", "Surprise", "Fresh", "Major", "Sudden", "Quiet")
ADDED_SENTENCES = (
    "Officials declined to say when a final decision on the matter would be announced.",
    "The details of the arrangement were not made public at the time of the announcement.",
    "Several people familiar with the discussions described them as long and difficult.",
    "It was not immediately clear how the change would affect people living in the area.",
    "A spokesperson did not respond to several requests for comment on the proposal.",
)
CORRECTION_NOTES = (
    "Correction: An earlier version of this article misstated the name of the agency that "
    "published the report.",
    "Correction: An earlier version of this article misstated the date on which the meeting took "
    "place.",
    "Correction: An earlier version of this article misstated the title of the official quoted "
    "in the seventh paragraph.",
)


def _shuffled(items: list[T], rng: random.Random) -> list[T]:
    items = list(items)
    rng.shuffle(items)
    return items[:MAX_TRIES]


def _has_double_quote(text: str) -> bool:
    return any(c in _DOUBLE_QUOTES for c in text)


def _window(text: str, start: int, end: int, words: int = 2) -> tuple[int, int]:
    """Extend [start, end) of `text` to take in `words` neighbouring words on each side."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    before = [s for s, e in spans if e <= start]
    after = [e for s, e in spans if s >= end]
    low = before[-words] if len(before) >= words else (before[0] if before else start)
    high = after[words - 1] if len(after) >= words else (after[-1] if after else end)
    return low, high


def _replace_in_window(
    page: Page, text: str, start: int, end: int, replacement: str
) -> tuple[str, str, str] | None:
    """Replace text[start:end] (article text) by `replacement` in the HTML, using the words around
    it to find the one place it is written. Returns (new html, window as extracted, the window
    as it should now be extracted) or None."""
    for words in (2, 3, 5):
        low, high = _window(text, start, end, words)
        pattern = (
            "("
            + html_pattern(text[low:start], tags=True)
            + ")("
            + html_pattern(text[start:end], tags=True)
            + ")("
            + html_pattern(text[end:high], tags=True)
            + ")"
        )
        matches = list(re.finditer(pattern, page.html))
        if len(matches) > 1:
            continue  # a wider window may be unique
        if not matches:
            return None
        match = matches[0]
        if not page.in_text_node(match.start(), match.end()):
            return None
        if "<" in match.group(2):
            return None  # the target itself is split by a tag
        new_html = splice(page.html, match.start(2), match.end(2), _escape(replacement))
        return new_html, text[low:high], text[low:start] + replacement + text[end:high]
    return None


# --- (a) a word inside a quotation ----------------------------------------------------------
def mutate_quote(page: Page, article: Article, rng: random.Random) -> Result:
    """Change one word in the middle of a quotation ("We did everything" → "We did anything")."""
    candidates = []
    for paragraph in body_paragraphs(article):
        for low, high in quotations(paragraph):
            words = list(_WORD.finditer(paragraph, low, high))
            for word in words[1:-1]:  # not the first or last word of the quotation
                token = word.group()
                if len(token) >= 4 and token.islower() and token.isalpha():
                    candidates.append((paragraph, word.start(), word.end(), token))
    if not candidates:
        return Skip("no quotation of 3+ words in the body")
    for paragraph, start, end, token in _shuffled(candidates, rng):
        replacement = _QUOTE_SWAPS.get(token) or rng.choice(
            [w for w in _QUOTE_FALLBACK if w != token]
        )
        done = _replace_in_window(page, paragraph, start, end, replacement)
        if done:
            new_html, window, new_window = done
            return Mutation(
                "quote",
                new_html,
                token,
                replacement,
                detail=f"{window!r} → {new_window!r}",
                expect_present=(new_window,),
                target=window,
            )
    return Skip("no quoted word written exactly once in the HTML")


# --- (b) a name's spelling ------------------------------------------------------------------
def misspell(name: str, rng: random.Random) -> str:
    """A plausible misspelling of a name: a vowel changed or two inner letters swapped."""
    vowels = {"a": "e", "e": "a", "i": "e", "o": "a", "u": "o", "y": "i"}
    inner_vowels = [i for i in range(1, len(name)) if name[i] in vowels]
    if inner_vowels and rng.random() < 0.5:
        i = inner_vowels[-1]
        return name[:i] + vowels[name[i]] + name[i + 1 :]
    swaps = [i for i in range(1, len(name) - 2) if name[i] != name[i + 1]]
    if not swaps:
        i = inner_vowels[-1] if inner_vowels else len(name) - 1
        return name[:i] + vowels.get(name[i], "e") + name[i + 1 :]
    i = rng.choice(swaps)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def mutate_name(page: Page, article: Article, rng: random.Random) -> Result:
    """Misspell a capitalised word that does not start its sentence, outside any quotation."""
    candidates = []
    for sentence in body_sentences(article):
        if _has_double_quote(sentence.paragraph_text):
            continue
        for number, word in enumerate(_WORD.finditer(sentence.text)):
            token = word.group()
            if number == 0 or len(token) < 4 or not token.isalpha():
                continue
            if not (token[0].isupper() and token[1:].islower()):
                continue
            if token.casefold() in _DAYS_MONTHS or token.casefold() in _STOP:
                continue
            before = sentence.text[: word.start()].rstrip()
            if before.endswith((".", ":", "!", "?", "(", "—", "–", "-", "'", "‘")):
                continue
            candidates.append((sentence.text, word.start(), word.end(), token))
    if not candidates:
        return Skip("no capitalised word inside a sentence outside quotations")
    for text, start, end, token in _shuffled(candidates, rng):
        replacement = misspell(token, rng)
        if replacement == token:
            continue
        done = _replace_in_window(page, text, start, end, replacement)
        if done:
            new_html, window, new_window = done
            return Mutation(
                "name",
                new_html,
                token,
                replacement,
                detail=f"{window!r}: {token} → {replacement}",
                expect_present=(new_window,),
                target=window,
            )
    return Skip("no such name written exactly once in the HTML")


# --- (c) a figure -----------------------------------------------------------------------------
def change_figure(number: str) -> str:
    """Another figure of the same shape: a year's last digit, otherwise the leading digit."""
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    i = digits[-1] if re.fullmatch(r"(?:19|20)\d\d", number) else digits[0]
    d = int(number[i])
    new = (d + 1) % 10 if d < 9 else 8
    if i == digits[0] and new == 0 and len(digits) > 1:
        new = 2
    return number[:i] + str(new) + number[i + 1 :]


def mutate_number(page: Page, article: Article, rng: random.Random) -> Result:
    """Change a figure in the text ("killed 12 people" → "killed 22 people"), outside quotations."""
    candidates = []
    for sentence in body_sentences(article):
        if _has_double_quote(sentence.paragraph_text):
            continue
        for match in _NUMBER.finditer(sentence.text):
            if match.start() == 0 and sentence.text[match.end() : match.end() + 1] in (".", ")"):
                continue  # a list's "1." or "4)": its place, not a figure
            candidates.append((sentence.text, match.start(), match.end(), match.group()))
    if not candidates:
        return Skip("no figure outside quotations in the body")
    for text, start, end, token in _shuffled(candidates, rng):
        replacement = change_figure(token)
        done = _replace_in_window(page, text, start, end, replacement)
        if done:
            new_html, window, new_window = done
            return Mutation(
                "number",
                new_html,
                token,
                replacement,
                detail=f"{window!r}: {token} → {replacement}",
                expect_present=(new_window,),
                target=window,
            )
    return Skip("no figure written exactly once in the HTML")


# --- (d) the headline -------------------------------------------------------------------------
def _json_escape(text: str) -> str:
    """`text` as json.dumps writes it inside a string with ensure_ascii (é → \\u00e9)."""
    return json.dumps(text)[1:-1]


def _plain_word(token: str) -> bool:
    """A word a headline edit may change: letters, not a stop word, not a figure ("millones",
    "thousands": changing it is a `number` edit)."""
    return token.isalpha() and token.casefold() not in _STOP and not figures([token])


def mutate_headline(page: Page, article: Article, rng: random.Random) -> Result:
    """Change one content word of the headline wherever the headline is written (<title>,
    og:title, twitter:title, <h1>, JSON-LD), choosing a word whose context is not in the body."""
    title = article.title.strip()
    if not title:
        return Skip("no title extracted")
    body_key = comparison_key(article.body)
    words = [w for w in _WORD.finditer(title) if len(w.group()) >= 4 and _plain_word(w.group())]
    if not words:
        return Skip("no content word in the title")
    for word in _shuffled(words, rng):
        token = word.group()
        replacement = rng.choice([w for w in _HEADLINE_WORDS if w.casefold() != token.casefold()])
        if token.islower():
            replacement = replacement.lower()
        # The word with its neighbour(s): the context that matches the most headline copies
        # (<title> often has a " - Site" suffix that <h1> lacks) and is not in the body.
        best: list[re.Match[str]] = []
        full_low, full_high = _window(title, word.start(), word.end(), 1)
        for low, high in (
            (full_low, word.end()),
            (word.start(), full_high),
            (full_low, full_high),
        ):
            if (low, high) == (word.start(), word.end()):
                continue
            if comparison_key(title[low:high]) in body_key:
                continue
            parts = (title[low : word.start()], token, title[word.end() : high])
            matches = list(re.finditer("".join(f"({html_pattern(p)})" for p in parts), page.html))
            # JSON-LD and other scripts may write the headline with \\u escapes ("headline").
            escaped = "".join(f"({re.escape(_json_escape(p))})" for p in parts)
            matches += [
                m
                for m in re.finditer(escaped, page.html)
                if not any(m.start() < o.end() and o.start() < m.end() for o in matches)
            ]
            if len(matches) > len(best):
                best = matches
        if not best:
            continue
        new_html = page.html
        for match in sorted(best, key=lambda m: m.start(), reverse=True):
            new_html = splice(new_html, match.start(2), match.end(2), replacement)
        new_title = title[: word.start()] + replacement + title[word.end() :]
        return Mutation(
            "headline",
            new_html,
            token,
            replacement,
            detail=f"{title!r} → {new_title!r} ({len(best)} places)",
            expect_present=(new_title,),
        )
    return Skip("no headline word found in the HTML outside the body text")


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)


def mutate_headline_on_page(page: Page, article: Article, rng: random.Random) -> Result:
    """Change one content word of the visible <h1> only, as a newsroom rewriting the headline on
    the page while the page's metadata (<title>, og:title, JSON-LD) keeps the old one."""
    title_key = comparison_key(article.title)
    if not title_key:
        return Skip("no title extracted")
    shown = [
        h1
        for h1 in _H1.finditer(page.html)
        if page.in_text_node(h1.start(1), h1.start(1))
        and (key := comparison_key(_strip_tags(h1.group(1))))
        and (key in title_key or title_key in key)
    ]
    if len(shown) != 1:
        return Skip("no one <h1> showing the headline")
    h1 = shown[0]
    text = _strip_tags(h1.group(1))
    words = [w for w in _WORD.finditer(text) if len(w.group()) >= 4 and _plain_word(w.group())]
    for word in _shuffled(words, rng):
        token = word.group()
        replacement = rng.choice([w for w in _HEADLINE_WORDS if w.casefold() != token.casefold()])
        if token.islower():
            replacement = replacement.lower()
        inner = [
            m
            for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", h1.group(1))
            if page.in_text_node(h1.start(1) + m.start(), h1.start(1) + m.end())
        ]
        if len(inner) != 1:
            continue
        position = h1.start(1) + inner[0].start()
        new_html = splice(page.html, position, position + len(token), replacement)
        low, high = _window(text, word.start(), word.end(), 1)
        new_window = text[low : word.start()] + replacement + text[word.end() : high]
        return Mutation(
            "headline",
            new_html,
            token,
            replacement,
            detail=f"<h1> {text!r}: {token} → {replacement} (metadata unchanged)",
            expect_present=(new_window,),
        )
    return Skip("no headline word written once in the <h1>")


# --- (e) a sentence added ---------------------------------------------------------------------
def _sentence_end(page: Page, sentence: str) -> re.Match[str] | None:
    """The one place in the HTML where `sentence` ends (its last words and full stop)."""
    for words in (4, 6, 9):
        spans = [m.start() for m in re.finditer(r"\S+", sentence)]
        if len(spans) < 2:
            return None
        tail = sentence[spans[max(0, len(spans) - words)] :]
        matches = list(re.finditer(html_pattern(tail, tags=True) + r"(?=\s|<)", page.html))
        if len(matches) == 1:
            match = matches[0]
            return match if page.in_text_node(match.start(), match.end()) else None
        if not matches:
            return None
    return None


def mutate_add_sentence(page: Page, article: Article, rng: random.Random) -> Result:
    """Insert a new sentence after a sentence of a body paragraph."""
    added = rng.choice(ADDED_SENTENCES)
    if comparison_key(added) in comparison_key(article.body):
        return Skip("the sentence to add is already there")
    candidates = [
        s
        for s in body_sentences(article)
        if s.text.endswith((".", "!", "?"))
        and not _has_double_quote(s.text)
        and not s.leaves_quote_open  # a sentence added there would be inside a quotation
        and len(s.text.split()) >= 5
    ]
    if not candidates:
        return Skip("no sentence ending with a full stop")
    # Inside a paragraph first (the harder case), then at the end of one.
    inner = [s for s in candidates if s.position < s.count - 1]
    ordered = _shuffled(inner, rng) + _shuffled([s for s in candidates if s not in inner], rng)
    for sentence in ordered:
        match = _sentence_end(page, sentence.text)
        if match is None:
            continue
        new_html = splice(page.html, match.end(), match.end(), " " + added)
        return Mutation(
            "sentence_added",
            new_html,
            "",
            added,
            detail=f"after {sentence.text[-60:]!r}"
            + (" (mid-paragraph)" if sentence.position < sentence.count - 1 else " (end)"),
            expect_present=(added,),
            target=sentence.text,
        )
    return Skip("no sentence end written exactly once in the HTML")


# --- (f) a sentence removed -------------------------------------------------------------------
def mutate_remove_sentence(page: Page, article: Article, rng: random.Random) -> Result:
    """Remove a whole sentence (6+ words, no quotation marks) from a body paragraph."""
    candidates = [
        s
        for s in body_sentences(article)
        if len(s.text.split()) >= 6
        and not _has_double_quote(s.text)
        and not s.in_quote  # the middle of a long quotation: removing it is quote_removed
        and s.text.endswith((".", "!", "?"))
    ]
    if not candidates:
        return Skip("no sentence of 6+ words without quotation marks")
    key_counts: dict[str, int] = {}
    for s in body_sentences(article):
        key = comparison_key(s.text)
        key_counts[key] = key_counts.get(key, 0) + 1
    multi = [s for s in candidates if s.count > 1]
    ordered = _shuffled(multi, rng) + _shuffled([s for s in candidates if s.count == 1], rng)
    for sentence in ordered:
        if key_counts[comparison_key(sentence.text)] > 1:
            continue
        # Strict: no tags inside, so removing the span leaves the markup balanced.
        pattern = html_pattern(sentence.text) + r"(?=\s|<|$)"
        match = find_once(page, pattern)
        if match is None:
            continue
        start, end = match.start(), match.end()
        # Take one side's whitespace with it.
        following = re.match(r"(?:\s|&nbsp;)+", page.html[end:])
        if following:
            end += following.end()
        return Mutation(
            "sentence_removed",
            splice(page.html, start, end, ""),
            sentence.text,
            "",
            detail=f"{sentence.text[:80]!r}" + (" (one of several)" if sentence.count > 1 else ""),
            expect_absent=(sentence.text,),
            target=sentence.text,
        )
    return Skip("no such sentence written exactly once, without inline tags, in the HTML")


# --- (g) a correction note --------------------------------------------------------------------
_NEXT_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>")
_LIST_END = re.compile(r"</(?:ul|ol|dl)\s*>", re.IGNORECASE)
_INLINE = frozenset("a abbr b cite em font i mark q s small span strong sub sup time u".split())


def _after_block(html: str, position: int) -> int:
    """Where a new paragraph can follow the text that ends at `position`: after the closing
    </p>, after the whole list when the text ends a list item, else right after the text
    (paragraphs separated by <br>, or text ending a <div>)."""
    tag = _NEXT_TAG.search(html, position)
    # Step out of inline elements the text ends in (<a>, <em>, <span>...).
    while (
        tag is not None
        and tag.group(1)
        and tag.group(2).lower() in _INLINE
        and not html[position : tag.start()].strip()
    ):
        position = tag.end()
        tag = _NEXT_TAG.search(html, position)
    if tag is None or not tag.group(1) or html[position : tag.start()].strip():
        return position
    name = tag.group(2).lower()
    if name == "p":
        return tag.end()
    if name in ("li", "dd"):
        list_end = _LIST_END.search(html, tag.end())
        return list_end.end() if list_end else tag.end()
    return position


def mutate_correction(page: Page, article: Article, rng: random.Random) -> Result:
    """Append a correction paragraph after the last body paragraph."""
    note = rng.choice(CORRECTION_NOTES)
    sentences = body_sentences(article)
    if not sentences:
        return Skip("empty body")
    last_paragraphs = sorted({s.paragraph for s in sentences}, reverse=True)[:4]
    for paragraph in last_paragraphs:
        last = [s for s in sentences if s.paragraph == paragraph][-1]
        match = _sentence_end(page, last.text)
        if match is None:
            continue
        position = _after_block(page.html, match.end())
        new_html = splice(page.html, position, position, f"<p>{_escape(note)}</p>")
        return Mutation(
            "correction_note",
            new_html,
            "",
            note,
            detail=f"after paragraph {paragraph + 1} of {len(body_paragraphs(article))}",
            expect_present=(note,),
        )
    return Skip("the end of the last paragraphs is not written exactly once in the HTML")


MUTATIONS: dict[str, Callable[[Page, Article, random.Random], Result]] = {
    "quote": mutate_quote,
    "name": mutate_name,
    "number": mutate_number,
    "headline": mutate_headline,
    "headline_on_page": mutate_headline_on_page,
    "sentence_added": mutate_add_sentence,
    "sentence_removed": mutate_remove_sentence,
    "correction_note": mutate_correction,
}


# --- (h) boilerplate churn --------------------------------------------------------------------
def _text_in_body(text: str, body_key: str) -> bool:
    # Extraction drops list markers ("10) ", "• "): a list item's text node is in the body
    # without its marker.
    # The text is raw HTML: its entities ("&rsquo;") are characters in the extracted body.
    key = comparison_key(LIST_MARKER.sub("", html_lib.unescape(text).strip()))
    return bool(key) and key in body_key


def _strip_tags(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and entities read."""
    return normalize_text(html_lib.unescape(re.sub(r"<[^>]*>", " ", fragment)))


def _script_ranges(page: Page) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end()) for m in re.finditer(r"<(script|style)\b.*?</\1\s*>", page.lower, re.S)
    ]


def _outside(ranges: list[tuple[int, int]], position: int) -> bool:
    return not any(s <= position < e for s, e in ranges)


def churn_related_links(page: Page, article: Article, rng: random.Random) -> str | None:
    """Rotate every list of links (3+ items, none of whose text is in the article body)."""
    body_key = comparison_key(article.body)
    scripts = _script_ranges(page)
    html = page.html
    edits: list[tuple[int, int, str]] = []
    for lst in re.finditer(r"<(ul|ol)\b[^>]*>((?:(?!<(?:ul|ol)\b).)*?)</\1\s*>", html, re.S | re.I):
        if not _outside(scripts, lst.start()):
            continue
        inner_start = lst.start(2)
        items = list(re.finditer(r"<li\b[^>]*>.*?</li\s*>", lst.group(2), re.S | re.I))
        if len(items) < 3 or not all("<a " in i.group().lower() for i in items):
            continue
        texts = [_strip_tags(i.group()) for i in items]
        if len(set(texts)) < 2 or any(_text_in_body(t, body_key) for t in texts if t):
            continue
        rotated = [i.group() for i in items[1:]] + [items[0].group()]
        pieces = []
        for number, item in enumerate(items):
            pieces.append(rotated[number])
            if number + 1 < len(items):
                pieces.append(lst.group(2)[item.end() : items[number + 1].start()])
        edits.append(
            (inner_start + items[0].start(), inner_start + items[-1].end(), "".join(pieces))
        )
    if not edits:
        return None
    for start, end, text in reversed(edits):
        html = splice(html, start, end, text)
    return html


_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_AGO = re.compile(r"\b(\d+)(\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?)\s+ago)\b", re.I)
_DATE_WORDS = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b"
)


def churn_timestamps(page: Page, article: Article, rng: random.Random) -> str | None:
    """Change clock times, "N minutes ago" and dates in text outside the article body, and the
    `datetime` of <time> elements that are not the article's own dates."""
    body_key = comparison_key(article.body)
    html = page.html
    edits: list[tuple[int, int, str]] = []
    own_dates = {d[:10] for d in (article.published, article.modified) if d}
    for node in re.finditer(r">([^<>]+)<", html):
        text = node.group(1)
        if not (_CLOCK.search(text) or _AGO.search(text) or _DATE_WORDS.search(text)):
            continue
        start = node.start(1)
        if not page.in_text_node(start, node.end(1)) or _text_in_body(text, body_key):
            continue
        if any(d in _iso_dates(text) for d in own_dates):
            continue
        new = _CLOCK.sub(lambda m: f"{m.group(1)}:{(int(m.group(2)) + 7) % 60:02d}", text)
        new = _AGO.sub(lambda m: f"{int(m.group(1)) + 3}{m.group(2)}", new)
        new = _DATE_WORDS.sub(
            lambda m: m.group().replace(m.group(1), _other_day(m.group(1)), 1), new
        )
        if new != text:
            edits.append((start, node.end(1), new))
    for tag in re.finditer(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", html, re.I):
        value = tag.group(1)
        if value[:10] in own_dates:
            continue
        new_value = re.sub(r"\d(?=\D*$)", lambda m: str((int(m.group()) + 1) % 10), value)
        edits.append((tag.start(1), tag.end(1), new_value))
    if not edits:
        return None
    for start, end, text in sorted(edits, reverse=True):
        html = splice(html, start, end, text)
    return html


def _other_day(day: str) -> str:
    return str(int(day) % 28 + 1)


def _iso_dates(text: str) -> set[str]:
    """ISO forms of the dates written as "Nov 19, 2019" in `text` (to spare the article's own)."""
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    found = set()
    for match in _DATE_WORDS.finditer(text):
        month = months.index(match.group()[:3].lower()) + 1
        found.add(f"{match.group(2)}-{month:02d}-{int(match.group(1)):02d}")
    return found


_AD_TOKEN = re.compile(
    r"^(?:ad|ads|advert\w*|ad[-_]\w+|\w+[-_]ads?|dfp\w*|gpt[-_]?\w*|adsbygoogle|google[-_]ads?\w*|"
    r"adslot\w*|adunit\w*|dfp|doubleclick\w*)$",
    re.I,
)


def churn_ads(page: Page, article: Article, rng: random.Random) -> str | None:
    """Fill every ad slot (element whose class or id names an ad) with a new creative."""
    html = page.html
    scripts = _script_ranges(page)
    positions = []
    for tag in re.finditer(r"<(div|aside|section|ins|span|figure)\b([^>]*)>", html, re.I):
        attrs = re.findall(r"\b(?:class|id)\s*=\s*[\"']([^\"']*)[\"']", tag.group(2), re.I)
        tokens = [t for value in attrs for t in value.split()]
        if any(_AD_TOKEN.match(t) for t in tokens) and _outside(scripts, tag.start()):
            positions.append(tag.end())
    if not positions:
        return None
    number = rng.randrange(10_000, 99_999)
    for position in reversed(positions[:40]):
        creative = (
            f'<div class="ad-creative" data-creative="{number}">'
            f'<a href="https://ads.example.com/click?c={number}">'
            f'<img src="https://ads.example.com/creative/{number}.jpg" alt="Sponsored">'
            "<span>Limited offer: save 40% on premium noise-cancelling headphones this week only. "
            "Free delivery on all orders.</span></a></div>"
        )
        html = splice(html, position, position, creative)
    return html


_COMMENTS = re.compile(
    r"\b(\d[\d,]*)(\s*(?:comments?|Comments?|COMMENTS?|responses|replies|reactions))\b"
    r"|\b((?:Comments?|COMMENTS?)\s*[\(\[]?\s*)(\d[\d,]*)"
)


def churn_comment_counts(page: Page, article: Article, rng: random.Random) -> str | None:
    """Change comment counts: in text, in data attributes and in JSON (commentCount)."""
    body_key = comparison_key(article.body)
    html = page.html
    edits: list[tuple[int, int, str]] = []
    for node in re.finditer(r">([^<>]+)<", html):
        text = node.group(1)
        if not _COMMENTS.search(text) or _text_in_body(text, body_key):
            continue
        if not page.in_text_node(node.start(1), node.end(1)):
            continue

        def bump(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return f"{int(m.group(1).replace(',', '')) + 17}{m.group(2)}"
            return f"{m.group(3)}{int(m.group(4).replace(',', '')) + 17}"

        edits.append((node.start(1), node.end(1), _COMMENTS.sub(bump, text)))
    for match in re.finditer(
        r"(\"commentCount\"\s*:\s*\"?|data-comments?(?:-count)?\s*=\s*[\"'])(\d+)", html, re.I
    ):
        edits.append((match.start(2), match.end(2), str(int(match.group(2)) + 17)))
    if not edits:
        return None
    for start, end, text in sorted(edits, reverse=True):
        html = splice(html, start, end, text)
    return html


def churn_scripts(page: Page, article: Article, rng: random.Random) -> str | None:
    """Change the contents of every inline script (JSON-LD aside): new cache-busters, changed
    long digit runs (timestamps, ids), and one new tracking script."""
    html = page.html
    edits: list[tuple[int, int, str]] = []
    for script in re.finditer(r"<script\b([^>]*)>(.*?)</script\s*>", html, re.S | re.I):
        if "ld+json" in script.group(1).lower() or not script.group(2).strip():
            continue
        content = re.sub(
            r"\d{6,}", lambda m: str(int(m.group()) + 1234567)[: len(m.group())], script.group(2)
        )
        content += f"\n;window.__rl_cb = {rng.randrange(10**9)};\n"
        edits.append((script.start(2), script.end(2), content))
    tracker = (
        f'<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"pv":"{rng.random()}",'
        '"event":"pageview"});</script>'
    )
    closing = page.lower.rfind("</body")
    position = closing if closing >= 0 else len(html)
    edits.append((position, position, tracker))
    for start, end, text in sorted(edits, reverse=True):
        html = splice(html, start, end, text)
    return html


COOKIE_BANNER = (
    '<div id="cookie-banner" class="cookie-consent" role="dialog">'
    "<p>We use cookies and similar technologies to improve your experience on our site, to "
    "analyse traffic and to show you personalised advertising. By continuing to browse, you agree "
    "to our use of cookies.</p>"
    '<button type="button">Accept all cookies</button> <a href="/privacy">Manage preferences</a>'
    "</div>"
)


def churn_cookie_banner(page: Page, article: Article, rng: random.Random) -> str | None:
    """Add a cookie-consent banner just before </body> (outside the article)."""
    closing = page.lower.rfind("</body")
    position = closing if closing >= 0 else len(page.html)
    return splice(page.html, position, position, COOKIE_BANNER)


CHURN: dict[str, Callable[[Page, Article, random.Random], str | None]] = {
    "related links rotated": churn_related_links,
    "timestamps changed": churn_timestamps,
    "ad slots refilled": churn_ads,
    "comment counts changed": churn_comment_counts,
    "script contents changed": churn_scripts,
    "cookie banner added": churn_cookie_banner,
}


def mutate_churn(
    page: Page, article: Article, rng: random.Random, only: tuple[str, ...] = ()
) -> Result:
    """All the boilerplate churn that applies to the page (or only the named operations)."""
    applied = []
    current = page
    for name, operation in CHURN.items():
        if only and name not in only:
            continue
        new_html = operation(current, article, rng)
        if new_html is not None and new_html != current.html:
            applied.append(name)
            current = Page(new_html)
    if not applied:
        return Skip("no churn applies")
    return Mutation("churn", current.html, detail=", ".join(applied), applied=tuple(applied))


# --- (i) cosmetic changes inside the article text --------------------------------------------
_CURLY_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def curl_quotes(text: str) -> str:
    """Straight quotes to typographic ones: opening after a space or at the start."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        if char == '"':
            out.append("“" if before.isspace() or before in "([—–-" else "”")
        elif char == "'":
            out.append("‘" if before.isspace() or before in "([—–-" else "’")
        else:
            out.append(char)
    return "".join(out)


def _rewrite_sentence(page: Page, sentence: str, new_text: str) -> str | None:
    """Replace one body sentence, written once in the HTML without inline tags, by new markup."""
    match = find_once(page, html_pattern(sentence) + r"(?=\s|<|$)")
    if match is None:
        return None
    return splice(page.html, match.start(), match.end(), new_text)


def mutate_cosmetic(page: Page, article: Article, rng: random.Random) -> Result:
    """In the article text: flip straight/curly quotes in one sentence, put a double space in
    another, a no-break space in a third."""
    sentences = [s for s in body_sentences(article) if len(s.text.split()) >= 4]
    if not sentences:
        return Skip("no sentence of 4+ words")
    applied = []
    current = page
    used: set[str] = set()
    quoted = [s for s in sentences if any(c in s.text for c in "\"'“”‘’")]
    for sentence in _shuffled(quoted, rng):
        text = sentence.text
        if any(c in text for c in "“”‘’"):
            new_text = text.translate(_CURLY_TO_STRAIGHT)
            label = "curly → straight quotes"
        else:
            new_text = curl_quotes(text)
            label = "straight → curly quotes"
        new_html = _rewrite_sentence(current, text, _escape(new_text))
        if new_html:
            applied.append(label)
            used.add(text)
            current = Page(new_html)
            break
    for label, joiner in (("double space", "  "), ("no-break space", "&nbsp;")):
        for sentence in _shuffled([s for s in sentences if s.text not in used], rng):
            words = sentence.text.split(" ")
            if len(words) < 4:
                continue
            i = rng.randrange(1, len(words) - 1)
            new_text = _escape(" ".join(words[:i])) + joiner + _escape(" ".join(words[i:]))
            new_html = _rewrite_sentence(current, sentence.text, new_text)
            if new_html:
                applied.append(label)
                used.add(sentence.text)
                current = Page(new_html)
                break
    if not applied:
        return Skip("no sentence written exactly once without inline tags")
    return Mutation("cosmetic", current.html, detail=", ".join(applied), applied=tuple(applied))
