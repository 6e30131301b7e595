"""The dates, authors and address a page declares: its modified date and its byline, read the
way a reader and the page's own metadata state them, where trafilatura's guess misses them, and
its canonical link.

- **Modified date**: JSON-LD `dateModified`, then the `<meta>` fields sites use for it
  (`article:modified_time`, `og:updated_time`, `dateModified`, Dublin Core), then `<time
  itemprop="dateModified">`, then a short visible line that says so ("Updated", "Last updated
  on", "mis à jour le", "Actualizado", "Aktualisiert am", "Aggiornato", "Atualizado", "更新").
  An update line without a date ("mis à jour à 15h25") is on the day the page was published.
  The value is ISO 8601: `YYYY-MM-DD`, with `THH:MM` when the page gives the time, and the
  time's UTC offset (`+02:00`; `Z` is written `+00:00`) when the page writes one into an ISO
  value (`2019-05-08T09:03:00+02:00`). No zone is ever guessed: a time without an offset, or
  with a zone's name only ("3:42 PM ET"), is stored without one.
- **Declared authors**: JSON-LD `author` names, then `<meta>` author fields. They replace the
  extracted byline when it is empty, when it names none of them (a section name such as "Food
  Science" read as a byline), or when it spells the same letters apart ("Elli s").

A `<meta>` field's value is read from `content`, else from `value` (pages saved by some
archiving tools write it there). Pure functions over a parsed tree; bounded by the limits below.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from monitor.compare.normalize import compact_key
from monitor.extract.headline import _json_ld_objects, _text, site_names

# Visible update lines are looked for in elements with at most this much text (a sentence of the
# article that starts with "Updated" is longer than a date line) ...
UPDATE_LINE_MAX_CHARS = 160
# ... among the first this many such elements in document order (a page header sits early; a
# 30,000-element page would otherwise be walked whole).
MAX_UPDATE_CANDIDATES = 3_000
# The date follows the words saying the page was updated within this many characters
# ("Updated 3:42 PM ET, Tue November 29, 2016" is 41).
UPDATE_DATE_WITHIN = 60
# "First published", "Originally published", "Première publication", "Erstmals veröffentlicht",
# "Publicado originalmente", "Pubblicato originariamente".
FIRST_PUBLISHED = re.compile(
    r"\b(?:first|originally)\s+published\b(?:\s+(?:on|at))?|\bpremière\s+publication\b(?:\s+le)?"
    r"|\berstmals\s+veröffentlicht\b(?:\s+am)?|\bpublicado\s+originalmente\b(?:\s+el)?"
    r"|\bpubblicato\s+originariamente\b(?:\s+il)?",
    re.IGNORECASE,
)
# A date stamp is a short line of its own (a weekday, a date and a time, a zone).
STAMP_MAX_CHARS = 60
_STAMP = re.compile(r"[\w\s.,:/|-]+")
# A declared author is a person's name: at most this many words.
AUTHOR_MAX_WORDS = 5

_MODIFIED_META = (
    "article:modified_time",
    "article:modified",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "og:article:author",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
)

# "Updated", "Last updated on", "Mis à jour le", "Actualizado el", "Aktualisiert am",
# "Aggiornato il", "Atualizado em", "Bijgewerkt op", "更新", "Modifié le".
UPDATE_WORDS = re.compile(
    r"(?:\blast\s+)?\b(?:updated|modified|revised)\b(?:\s+(?:on|at))?"
    r"|\bmis\s+à\s+jour\b(?:\s+(?:le|à))?|\bmodifié\b(?:\s+le)?"
    r"|\bactualizad[oa]\b(?:\s+(?:el|a\s+las))?|\baktualisiert\b(?:\s+am)?"
    r"|\baggiornat[oa]\b(?:\s+(?:il|alle))?|\batualizad[oa]\b(?:\s+em)?"
    r"|\bbijgewerkt\b(?:\s+op)?|更新(?:日|日時)?",
    re.IGNORECASE,
)
# Whether a text has UPDATE_WORDS somewhere: the same words without their optional parts, which
# finds a match exactly where UPDATE_WORDS does, about three times faster (it is tried on every
# element's own text of a page that declares no modified date).
_HAS_UPDATE_WORD = re.compile(
    r"\b(?:updated|modified|revised|mis\s+à\s+jour|modifié|actualizad[oa]|aktualisiert"
    r"|aggiornat[oa]|atualizad[oa]|bijgewerkt)\b|更新",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv enero ene januar jän gennaio gen janeiro januari",
            "february feb février févr fevrier febrero februar febbraio fevereiro februari",
            "march mar mars marzo märz marz março maart",
            "april apr avril abril aprile",
            "may mai mayo maggio maio mei",
            "june jun juin junio juni giugno junho",
            "july jul juillet julio juli luglio julho",
            "august aug août aout agosto augustus",
            "september sep sept septembre septiembre settembre setembro",
            "october oct octobre octubre oktober ottobre outubro okt",
            "november nov novembre noviembre novembro",
            "december dec décembre decembre diciembre dic dezember dicembre dezembro dez",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
# An ISO date, its time (seconds and fractions read, not kept) and the time's UTC offset.
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?(?!\d))?)?"
)
_YMD = re.compile(r"(\d{4})\s*[年/.]\s*(\d{1,2})\s*[月/.]\s*(\d{1,2})")
_DAY_MONTH = re.compile(
    rf"(\d{{1,2}})(?:er|º|\.)?\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?(\d{{4}})", re.I
)
_MONTH_DAY = re.compile(rf"({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2})\s*(?::|h|H)\s*(\d{2})\s*(a\.?m\.?|p\.?m\.?)?", re.I)


def _attribute(element: HtmlElement) -> str:
    value = element.get("content") or element.get("value") or ""
    # a page that escaped its metadata twice ("Redacci&oacute;n")
    return _text(html.unescape(value) if "&" in value else value)


def meta_values(tree: HtmlElement, names: tuple[str, ...]) -> list[str]:
    """The values of the `<meta>` fields named (by name, property or itemprop, any case), in
    page order."""
    found = []
    for meta in tree.iter("meta"):
        keys = (meta.get(a) for a in ("property", "name", "itemprop"))
        if any((key or "").strip().lower() in names for key in keys):
            value = _attribute(meta)
            if value:
                found.append(value)
    return found


def canonical_addresses(element: HtmlElement) -> Iterator[str]:
    """The addresses of the canonical links inside `element` (`<link rel="canonical" href=…>`,
    `rel` in any case and among other values), in page order: the address a page declares for
    itself."""
    for link in element.iter("link"):
        address = link.get("href")
        if address and "canonical" in (link.get("rel") or "").lower().split():
            yield address.strip()


# ------------------------------------------------------------------ dates


def parse_date(text: str, *, default_day: str = "", machine: bool = False) -> str:
    """The first date in `text` as ISO (`YYYY-MM-DD`, plus `THH:MM` when a time follows or
    precedes it, plus its offset when an ISO value gives one); `default_day` (ISO) when the text
    has a time and no date; "" if none. `machine`: `text` is a value written for programs (JSON-LD,
    a meta tag's content, a `datetime` attribute), where ISO 8601 decides that "01:00-05:00" is
    01:00 at −05:00; in a page's text a person may mean a time range (`_range_end`)."""
    day = _day(text)
    time = _time(text)
    if not day:
        day = default_day[:10] if time else ""
    if not day:
        return ""
    return f"{day}T{time}{_offset(text, machine)}" if time else day


def _offset(text: str, machine: bool) -> str:
    """The UTC offset an ISO value gives its time, as `+HH:MM` ("" when it gives none, or one no
    place uses: past ±14:00)."""
    iso = _ISO.search(text)
    zone = iso.group(6) if iso else None
    if not zone or (iso and not machine and _range_end(iso)):
        return ""
    if zone == "Z":
        return "+00:00"
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        return ""
    return f"{zone[0]}{hours:02d}:{minutes:02d}"


def _range_end(iso: re.Match[str]) -> bool:
    """Whether what the ISO pattern read as a negative offset, in a page's text, is the end of a
    time range a person wrote ("2024-03-05 09:00-10:00"): a space before the time, no seconds, and
    a later clock time after the dash. Text shaped like a machine's value ("…T09:00-10:00",
    "… 09:00:00-05:00") keeps it, and so does any machine value (`parse_date`'s `machine`)."""
    zone = iso.group(6)
    written = iso.group(0)
    return (
        written[10] == " "
        and iso.end(5) == iso.start(6)
        and re.fullmatch(r"-\d{2}:\d{2}", zone) is not None
        and zone[1:] > f"{iso.group(4)}:{iso.group(5)}"
    )


def _day(text: str) -> str:
    for pattern, order in ((_ISO, "ymd"), (_YMD, "ymd"), (_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, match.groups()[:3], strict=True))
            month = parts["m"]
            number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
            return _iso(parts["y"], number, parts["d"])
    match = _NUMERIC.search(text)
    if match:  # day first unless that cannot be ("1/20/2017" is American)
        first, second, year = (int(g) for g in match.groups())
        day, month = (second, first) if second > 12 else (first, second)
        return _iso(str(year), month, str(day))
    return ""


def _iso(year: str, month: int, day: str) -> str:
    if not (1 <= month <= 12 and 1 <= int(day) <= 31):
        return ""
    return f"{int(year):04d}-{month:02d}-{int(day):02d}"


def _time(text: str) -> str:
    iso = _ISO.search(text)
    if iso and iso.group(4):
        return f"{iso.group(4)}:{iso.group(5)}"
    match = _TIME.search(text)
    if not match:
        return ""
    hour, minute = int(match.group(1)), int(match.group(2))
    meridiem = (match.group(3) or "").replace(".", "").lower()
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return ""
    return f"{hour:02d}:{minute:02d}"


def page_modified(tree: HtmlElement, published: str = "") -> str:
    """The page's modified date (module docstring), ISO, or "" when it states none."""
    for obj in _json_ld_objects(tree):
        value = obj.get("dateModified")
        if isinstance(value, str) and parse_date(value, machine=True):
            return parse_date(value, machine=True)
    for value in meta_values(tree, _MODIFIED_META):
        if parse_date(value, machine=True):
            return parse_date(value, machine=True)
    for element in tree.xpath('//time[@itemprop="dateModified"]')[:1]:
        value = parse_date(element.get("datetime") or "", machine=True) or parse_date(
            element.text_content()
        )
        if value:
            return value
    texts = _own_texts(tree)  # both searches below read the same elements: walked once
    return _visible_modified(texts, published) or _restamped(texts)


def _own_texts(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Each element among the first MAX_UPDATE_CANDIDATES of the page (document order) that has
    text of its own, outside scripts, styles and the title, with that text."""
    texts = []
    for seen, element in enumerate(tree.iter()):
        if seen >= MAX_UPDATE_CANDIDATES:
            break
        own = element.text if isinstance(element.tag, str) else None
        if own and element.tag not in ("script", "style", "title"):
            texts.append((element, own))
    return texts


def visible_modified(tree: HtmlElement, published: str = "") -> str:
    """The date of the first short visible line saying the page was updated: an element whose
    own text says so, read with its children ("<p>Updated <time>…</time></p>")."""
    return _visible_modified(_own_texts(tree), published)


def _visible_modified(texts: list[tuple[HtmlElement, str]], published: str) -> str:
    for element, own in texts:
        if not _HAS_UPDATE_WORD.search(own):
            continue
        text = " ".join(element.text_content()[: UPDATE_LINE_MAX_CHARS * 2].split())
        if len(text) <= UPDATE_LINE_MAX_CHARS:
            found = update_line_date(text, published)
            if found:
                return found
    return ""


def restamped(tree: HtmlElement) -> str:
    """A page that says when it was *first* published ("First published November 29, 2016: 3:33
    AM ET") shows its latest time in its other date stamp: the first short line that is only a
    date and time and another moment than the first publication, ISO; "" otherwise."""
    return _restamped(_own_texts(tree))


def _restamped(texts: list[tuple[HtmlElement, str]]) -> str:
    first = ""
    lines: list[str] = []  # short lines shaped like a stamp, read as dates only when needed
    for element, own in texts:
        if len(element):
            continue
        line = " ".join(own.split())
        if len(line) > STAMP_MAX_CHARS:
            continue
        marker = FIRST_PUBLISHED.search(line)
        if marker and not first:
            first = parse_date(line[marker.end() :])
        elif not marker and _STAMP.fullmatch(line):
            lines.append(line)
    if not first:
        return ""  # most pages: no stamp is read at all
    stamps = (parse_date(line) for line in lines)
    return next((stamp for stamp in stamps if "T" in stamp and not same_moment(stamp, first)), "")


def update_line_date(line: str, published: str = "") -> str:
    """The date a line gives right after saying the page was updated, "" if it says nothing of
    the kind: "Last updated on January 20, 2017" → 2017-01-20; "mis à jour à 15h25" on a page
    published 2019-05-07 → 2019-05-07T15:25."""
    for match in UPDATE_WORDS.finditer(line):
        after = line[match.end() : match.end() + UPDATE_DATE_WITHIN]
        found = parse_date(after, default_day=published)
        if found:
            return found
    return ""


def same_moment(a: str, b: str) -> bool:
    """Two ISO dates that may be the same moment: equal; the same day when one has no time; the
    same instant when both give an offset; the same clock time when one gives none (a date
    stored before offsets were kept is the clock time of the same page's value)."""
    if a == b:
        return True
    if "T" not in a or "T" not in b:
        return a[:10] == b[:10]
    try:
        first, second = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return first.replace(tzinfo=None) == second.replace(tzinfo=None)
    return first == second


# ------------------------------------------------------------------ bylines


def declared_authors(tree: HtmlElement) -> list[str]:
    """The people the page names as its authors: JSON-LD `author` names, else `<meta>` author
    fields; URLs, site names and anything longer than a name left out."""
    names: list[str] = []
    objects = _json_ld_objects(tree)
    for obj in objects:
        if _is_article(obj.get("@type")):  # not a photo's or an embedded video's author
            names += _person_names(obj.get("author"))
    if not names:
        for value in meta_values(tree, _AUTHOR_META):
            names += [part.strip() for part in re.split(r"\s*(?:;|,| and | & )\s*", value)]
    sites = {compact_key(s) for s in site_names(tree, objects)}
    kept: list[str] = []
    for name in names:
        if _is_person(name) and compact_key(name) not in sites and name not in kept:
            kept.append(name)
    return kept


# JSON-LD types whose `author` did not write the page: a photographer, a video's maker, a
# commenter. Any other creative work's author (an article, a recipe, a series) did.
_MEDIA_TYPE = re.compile(r"image|video|audio|media|photograph|comment|person|organization", re.I)


def _is_article(kind: Any) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    return not any(isinstance(k, str) and _MEDIA_TYPE.search(k) for k in kinds)


def _person_names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for item in value[: AUTHOR_MAX_WORDS * 4] for n in _person_names(item)]
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str) or not value:
        return []
    return [_text(html.unescape(value) if "&" in value else value)]


# Words that make a declared author an organisation or a desk, not a person (several languages).
ORGANISATION_WORDS = frozenset(
    """e.v. gmbh ag inc inc. ltd ltd. llc s.a. sa srl verlag redaktion redaction rédaction
    redacción redazione staff team desk news newsroom online agency agentur""".split()
)


# A registered association or company written with spaces ("e. V.", "S. A.").
_REGISTERED = re.compile(r"\b(?:e\.\s*v|s\.\s*a|s\.\s*l)\.?$", re.IGNORECASE)


def _is_person(name: str) -> bool:
    """A name as people write theirs: at most AUTHOR_MAX_WORDS words, a capital somewhere, no
    digits or URL, no organisation word, and no word in capitals alone past an initial ("LN",
    "OÖ Volksblatt", "CNN" are outlets)."""
    words = name.split()
    return (
        0 < len(words) <= AUTHOR_MAX_WORDS
        and "://" not in name
        and not any(c.isdigit() for c in name)
        and any(w[:1].isupper() for w in words)
        and not any(w.casefold() in ORGANISATION_WORDS for w in words)
        and not _REGISTERED.search(name)
        and not any(len(w.strip(".")) > 1 and w.isupper() and "." not in w for w in words)
    )


def choose_byline(extracted: str, declared: list[str]) -> str:
    """The byline to keep (module docstring): the extracted one unless it is empty, names none of
    the declared authors, or spells them with other spacing."""
    extracted = _without_repeats(extracted)
    if not declared:
        return extracted
    joined = "; ".join(declared)
    if not extracted.strip() or compact_key(extracted) == compact_key(joined):
        return joined
    extracted_words = {w for w in re.findall(r"\w+", extracted.casefold()) if len(w) > 1}
    declared_words = {w for w in re.findall(r"\w+", joined.casefold()) if len(w) > 1}
    return extracted if extracted_words & declared_words else joined


def _without_repeats(byline: str) -> str:
    """A byline naming each person once ("Jane Doe; JANE DOE" → "Jane Doe")."""
    names = [name.strip() for name in byline.split(";")]
    kept = [n for i, n in enumerate(names) if n.casefold() not in {m.casefold() for m in names[:i]}]
    return "; ".join(kept) if len(kept) < len(names) else byline
