"""The words of the page, per language: correction notes, wire credits, consent banners, furniture
lines and interstitials. One table for extraction (which lines to keep at the article's edges),
normalisation (which lines are furniture), classification (which sentences are correction notes)
and recording (which pages are not the article).

Pure data and the regular expressions compiled from it. To support another language, add its
words to each table; the tests in tests/test_lexicon.py are table-driven over these languages.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    """A regular expression compiled on its first use. Compiling this module's expressions costs
    about 100 ms of CPU at import, in every crawl and every extraction worker, and a round uses
    few of them (a first sight never classifies an edit; an unchanged round extracts nothing).
    Once compiled, its methods are the compiled expression's own; `pattern` needs no compiling
    (other modules build expressions from it at import)."""

    _METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and the like ask for these: not the pattern's
            raise AttributeError(name)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self._flags)
            for method in self._METHODS:  # later calls find them here, without __getattr__
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


LANGUAGES = ("en", "es", "de", "fr", "pt", "it")

# --- correction notes -------------------------------------------------------------------------
# Words that mark a correction notice wherever they stand in a short edge line (extraction keeps
# such lines although trafilatura's precision pass drops them).
CORRECTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        r"corrections?",
        r"corrected",
        r"clarifications?",
        r"editor[’']?s[’']? note",
        r"an earlier version",
    ),
    "es": (r"fe de errat", r"rectificaci[oó]n", r"correcci[oó]n"),
    "de": (r"berichtigung", r"korrektur", r"richtigstellung", r"anmerkung der redaktion"),
    "fr": (r"rectificatif", r"erratum", r"note de la r[ée]daction"),
    "pt": (r"errata", r"corre[çc][ãa]o", r"nota da reda[çc][ãa]o"),
    "it": (r"rettifica", r"errata corrige", r"correzione", r"nota della redazione"),
}
# Labels that open a correction or update line when followed by a colon, stop or dash
# ("Correction:", "Update (14:02) -", "Korrektur:"): weaker words such as "Update" count only there.
# The participle opens a note as the noun does, in every language ("Updated: 3 dead",
# "Aktualisiert: 3 Tote", "Mis à jour : 3 morts"): before session 13 only English had it, so a
# short note in the other five was a short sentence added, not significant.
CORRECTION_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        r"corrections?",
        r"clarifications?",
        r"editor'?s note",
        r"editors' note",
        r"update[ds]?",
    ),
    "es": (
        r"correcci[oó]n(?:es)?",
        r"aclaraci[oó]n",
        r"nota del? (?:editor|redacci[oó]n)",
        r"actualizaci[oó]n",
        r"actualizad[oa]",
        r"fe de erratas",
        r"rectificaci[oó]n",
    ),
    "de": (
        r"korrektur",
        r"berichtigung",
        r"richtigstellung",
        r"anmerkung der redaktion",
        r"aktualisierung",
        r"aktualisiert",
        r"nachtrag",
        r"klarstellung",
        r"transparenzhinweis",
    ),
    "fr": (
        r"rectificatif",
        r"erratum",
        r"correction",
        r"pr[ée]cision",
        r"note de la r[ée]daction",
        r"mise? [àa] jour",
    ),
    "pt": (
        r"corre[çc][ãa]o",
        r"errata",
        r"esclarecimento",
        r"nota da reda[çc][ãa]o",
        r"atualiza[çc][ãa]o",
        r"atualizad[oa]",
    ),
    "it": (
        r"correzione",
        r"rettifica",
        r"errata corrige",
        r"precisazione",
        r"nota della redazione",
        r"aggiornamento",
        r"aggiornat[oa]",
    ),
}
# Whole phrases that say a story was changed, wherever they stand in a sentence.
CORRECTION_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        r"(?:an|the) (?:earlier|previous|prior|original) version of this",
        r"this (?:article|story|report|post|headline) (?:has been|was|is being) "
        r"(?:updated|corrected|amended|changed|revised)",
        r"we regret the error",
    ),
    "es": (
        r"(?:una|la) versi[oó]n (?:anterior|previa|original) de (?:este|esta)",
        r"(?:este|esta) (?:art[ií]culo|nota|noticia|informaci[oó]n) (?:ha sido|fue) "
        r"(?:actualizad|corregid|modificad)[ao]",
        r"lamentamos el error",
    ),
    "de": (
        r"in einer (?:früheren|vorherigen|älteren) (?:version|fassung)",
        r"(?:dieser|der) (?:artikel|text|beitrag) wurde "
        r"(?:aktualisiert|korrigiert|geändert|ergänzt)",
        r"wir bedauern (?:den|diesen) fehler",
    ),
    "fr": (
        r"une (?:précédente|ancienne|première) version de cet",
        r"cet article a été (?:modifié|corrigé|mis à jour|actualisé)",
        r"nous (?:regrettons|nous excusons pour) cette erreur",
    ),
    "pt": (
        r"uma vers[ãa]o anterior dest[ea]",
        r"(?:este|esta) (?:texto|artigo|reportagem|not[íi]cia) foi "
        r"(?:corrigid|atualizad|alterad)[ao]",
        r"lamentamos o erro",
    ),
    "it": (
        r"una (?:precedente|prima) versione di questo",
        r"questo articolo è stato (?:corretto|aggiornato|modificato)",
        r"ci scusiamo per l'errore",
    ),
    # "(追記 2019/4/14: ...)", "【訂正】": an addendum or a correction set apart from the text
    # (inside running Japanese text the words touch others, and \b does not match there)
    "ja": (r"追記", r"訂正", r"お詫びと訂正"),
}
# Wire-copy credit lines ("Reporting by ...; Editing by ..."): kept at the edges like notices.
CREDIT_LINE = r"^\W*(?:additional )?(?:reporting|writing|editing) by\b"

# --- consent banners ----------------------------------------------------------------------------
CONSENT: dict[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners) (?:and our partners )?uses? "
        r"cookies\b",
        r"\b(?:use of|accept(?:ing)?|consent to|agree to) (?:our |all |the )?cookies\b",
    ),
    "es": (
        r"\butilizamos cookies\b",
        r"\busamos cookies\b",
        r"\baceptas? (?:el uso de )?(?:las )?cookies\b",
    ),
    "de": (r"\bwir verwenden cookies\b", r"\bdiese (?:web)?seite verwendet cookies\b"),
    "fr": (r"\bnous utilisons des cookies\b", r"\bce site utilise des cookies\b"),
    "pt": (r"\bo site utiliza cookies\b", r"\besse site usa cookies\b"),
    "it": (r"\butilizziamo (?:i )?cookie\b", r"\bquesto sito utilizza (?:i )?cookie\b"),
}

# Every consent pattern above names cookies: a paragraph without the word is tested no further
# (the regex alternation costs more than the substring test, and most paragraphs are prose).
CONSENT_WORD = "cookie"

# --- furniture lines ----------------------------------------------------------------------------
# A newsletter sign-up box's line: furniture however long its pitch (up to
# `normalize.NEWSLETTER_MAX_CHARS`), since it opens with the sign-up and names the newsletter.
NEWSLETTER = r"""
    (?:sign\ up|subscribe)\ (?:for|to)\ (?:our|the)\ [\w\ ]{0,30}newsletters?.*|
    (?:abonnez-vous|inscrivez-vous)\ [àa]\ (?:notre|la)\ newsletter.*|
    (?:suscr[ií]bete|reg[ií]strate)\ (?:a|en)\ (?:nuestro|nuestra|el|la)
    \ (?:bolet[ií]n|newsletter).*|
    (?:abonnieren\ sie|bestellen\ sie)\ (?:unseren|den)\ newsletter.*|
    (?:assine|inscreva-se\ na)\ (?:a\ )?nossa\ newsletter.*|
    iscriviti\ alla\ (?:nostra\ )?newsletter.*"""
# Short lines page furniture leaves in extracted text (matched whole; see
# normalize.NOISE_MAX_CHARS).
FURNITURE = (
    r"""^(?:
    advertisement|advertising|sponsored(?:\ content)?|publicidad|anuncio|
    skip\ (?:to\ )?(?:main\ )?content|
    share(?:\ this(?:\ article|\ story)?)?|tweet|print|e-?mail|
    read\ more.*|more\ on\ this\ story|related(?:\ articles|\ stories|\ coverage)?|recommended|
    \d[\d,.]*\ ?[km]?\+?\ (?:comments?|comentarios|shares?|kommentare?|commentaires?|commenti|
    coment[aá]rios?|partages?|condivisioni|compartilhamentos|veces\ compartido|mal\ geteilt)|
    (?:leave\ a\ (?:comment|reply)|no\ comments|kommentar\ schreiben|
    laisser\ un\ commentaire|deja\ un\ comentario|lascia\ un\ commento|
    deixe\ (?:um|seu)\ coment[aá]rio)|
    (?:posted\ )?(?:by|von|par|por|di)\ [^/|•·\n]{1,60}(?:\ [/|•·]\ [^/|•·\n]{1,60}){1,4}|
    \d{1,4}[./-]\d{1,2}[./-]\d{2,4}\ [/|•·]?\ ?(?:by|von|par|por|di)\ [^\n]{1,60}|
    related\ (?:story|stories|articles?|content|links?|news|reading)|more\ stories|
    (?:top|popular|trending|latest)\ (?:stories|news|articles)|you\ may\ also\ like|
    (?:\(\s*)?(?:reuters|ap|afp|cnn|dpa|efe|ansa|lusa)(?:\s*\))|
    \d+\ (?:seconds?|minutes?|mins?|hours?|hrs?|days?)\ ago|
    (?:photo|image|picture|foto|imagen)s?\ \d+\ (?:of|de)\ \d+|
    (?:photo|photograph|image|picture|foto|fotograf[ií]a|imagen)(?:\ credit)?\s*:\ .*|
    (?:(?:featured|header|cover|title|hero)\ (?:image|photo|picture)|
    (?:photo|image|picture|foto|bild)\ ?(?:credits?|nachweise?)|
    beitragsbild|titelbild|headerbild|aufmacherbild|vorschaubild|
    (?:foto|imagen|imagem|photo|image)\ d[ie]\ (?:portada|capa|couverture|copertina)|
    cr[ée]dits?\ (?:photos?|d['’]image)|credito\ fotografico|
    cr[ée]dito\ (?:fotogr[aá]fico|de\ (?:la\ )?(?:foto|imagen)|da\ (?:foto|imagem)))
    (?:\ [^:\n]{1,30})?\s*(?::|\ via|\ von)\ [^\n]{1,60}|
    hace\ \d+\ (?:segundos?|minutos?|horas?|d[ií]as?)|
    werbung|anzeige|publicit[ée]|pubblicit[àa]|publicidade|
    teilen|partager|compartir|compartilhe|compartilhar|condividi|
    most\ (?:read|popular|viewed)|lo\ m[aá]s\ le[ií]do|meistgelesen|les\ plus\ lus|mais\ lidas|
    (?:i\ )?pi[uù]\ letti|
    (?:lesen\ sie\ auch|mehr\ zum\ thema|(?:[àa]\ )?lire\ aussi|sur\ le\ m[êe]me\ sujet|
    leia\ tamb[ée]m|saiba\ mais|leggi\ anche|lee\ tambi[ée]n|noticias\ relacionadas)
    (?:\s*[:\-–—»>|].*)?|
    (?:"""
    + NEWSLETTER
    + r"""
    )
)\.?$"""
)

# --- promotions ---------------------------------------------------------------------------------
# Phrases that open a promotional line inside an article body: newsletter and subscription boxes,
# "read also" links, app and social prompts. Matched at the start of a short line (see
# `monitor.extract.roles.PROMO_MAX_CHARS`); such a line is page furniture, its edits are recorded
# and never significant.
PROMO: dict[str, tuple[str, ...]] = {
    "en": (
        "sign up",
        "subscribe",
        "newsletter",
        "read more",
        "read also",
        "also read",
        "see also",
        "more on this",
        "follow us",
        "connect with us",
        "find us on",
        "click here",
        "download our app",
        "get the latest",
    ),
    "es": (
        "suscríbete",
        "suscribete",
        "lee también",
        "lea también",
        "leer más",
        "te puede interesar",
        "te recomendamos",
        "síguenos",
    ),
    "de": (
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "auch interessant",
        "abonnieren sie",
        "jetzt abonnieren",
        "folgen sie uns",
        "weiterlesen",
    ),
    "fr": (
        "lire aussi",
        "à lire aussi",
        "voir aussi",
        "lire la suite",
        "abonnez-vous",
        "inscrivez-vous",
        "suivez-nous",
    ),
    "pt": ("leia também", "leia mais", "veja também", "saiba mais", "assine", "inscreva-se"),
    "it": ("leggi anche", "leggi tutto", "potrebbe interessarti", "iscriviti", "abbonati a"),
}

# --- interstitials ------------------------------------------------------------------------------
# Short pages that carry one of these are a paywall, consent wall, bot check or error page.
INTERSTITIAL: dict[str, tuple[str, ...]] = {
    "en": (
        r"subscribe (?:now )?to (?:continue|keep) reading",
        r"you have reached your (?:free )?(?:article )?limit",
        r"already a subscriber",
        r"please enable javascript",
        r"enable cookies",
        r"accept (?:all )?cookies",
        r"we value your privacy",
        r"are you a robot",
        r"captcha",
        r"access denied",
        r"403 forbidden",
        r"page not found",
    ),
    "es": (r"suscr[ií]bete para seguir leyendo", r"p[aá]gina no encontrada"),
}


# --- bot walls ----------------------------------------------------------------------------------
# Pages a site serves instead of the article to a client it does not trust: bot checks and access
# refusals. Matched on the raw page's text (not the extraction, which often finds nothing there),
# so only phrases no article body would carry near the top of a page.
BOT_WALL: dict[str, tuple[str, ...]] = {
    "en": (
        r"just a moment\.\.\.|just a moment…",
        r"checking (?:if the site connection is secure|your browser before accessing)",
        r"checking your browser",
        r"attention required!? \| cloudflare",
        r"enable javascript and cookies to continue",
        r"verify(?:ing)? you are (?:a )?human",
        r"are you a robot\?",
        r"please complete the security check",
        r"access (?:to this page has been )?denied",
        r"request unsuccessful\. incapsula",
        r"pardon our interruption",
    ),
    "de": (r"einen moment bitte", r"zugriff verweigert"),
    "fr": (r"un instant\.\.\.", r"acc[eè]s refus[ée]"),
    "es": (r"un momento\.\.\.", r"acceso denegado"),
}


def _alternation(table: dict[str, tuple[str, ...]]) -> str:
    return "|".join(pattern for language in table.values() for pattern in language)


CORRECTION_NOTE = _lazy(
    r"^\W*(?:" + _alternation(CORRECTION_LABELS) + r")\b\s*(?:\([^)]{0,40}\)\s*)?[:.\-—–]"
    # "Updates: https://t.co/…" is an embedded post's text, not a note
    r"(?!\s*(?:https?://|www\.|pic\.twitter))"
    r"|\b(?:" + _alternation(CORRECTION_PHRASES) + r")\b",
    re.IGNORECASE,
)
EDGE_NOTICE = _lazy(
    r"\b(?:" + _alternation(CORRECTION_WORDS) + r")\b"
    r"|\b(?:" + _alternation(CORRECTION_PHRASES) + r")"
    r"|" + CREDIT_LINE,
    re.IGNORECASE,
)


def is_notice(line: str) -> bool:
    """Whether a line is a correction or update notice or a wire credit (`EDGE_NOTICE`), or opens
    with a note's label ("Update:", "Aktualisierung:", "Mise à jour :", `CORRECTION_NOTE`): the
    article's words wherever they stand, also when the site's call to follow or subscribe comes
    after them on the same line."""
    return bool(EDGE_NOTICE.search(line) or CORRECTION_NOTE.search(line))


CONSENT_NOTICE = _lazy(_alternation(CONSENT), re.IGNORECASE)
FURNITURE_LINE = _lazy(FURNITURE, re.IGNORECASE | re.VERBOSE)
NEWSLETTER_LINE = _lazy(r"^(?:" + NEWSLETTER + r")$", re.IGNORECASE | re.VERBOSE)
INTERSTITIAL_TEXT = _lazy(_alternation(INTERSTITIAL), re.IGNORECASE)
BOT_WALL_TEXT = _lazy(_alternation(BOT_WALL), re.IGNORECASE)

# --- bylines ------------------------------------------------------------------------------------
# Words that open a byline ("By Jane Roe", "Von Max Muster") and join its people
# ("A and B", "A und B"): dropped or split on when a byline is read as a set of people.
BYLINE_OPENERS: dict[str, tuple[str, ...]] = {
    "en": ("by", "written by", "words by", "reporting by", "story by"),
    "es": ("por", "escrito por"),
    "de": ("von", "text von"),
    "fr": ("par",),
    "pt": ("por",),
    "it": ("di", "a cura di"),
}
BYLINE_JOINERS: dict[str, tuple[str, ...]] = {
    "en": ("and", "with"),
    "es": ("y", "con"),
    "de": ("und", "mit"),
    "fr": ("et", "avec"),
    "pt": ("e", "com"),
    "it": ("e", "con"),
}
# Words that make a byline part a role, a title or an outlet rather than a person ("Staff
# Reporter", "Mashable News Fellow", "Deutsche Presse-Agentur"): a part holding one of them is
# not a person, and a person's name written before one ("Jane Roe, Senior Writer") is kept.
BYLINE_ROLES: dict[str, tuple[str, ...]] = {
    "en": tuple(
        """staff reporter reporters writer writers correspondent editor editors contributor
        contributors columnist fellow news newsroom desk agency agencies wire wires press
        associated reuters afp ap bloomberg team staffer special senior chief political bureau
        view author archive rss feed email follow twitter """
        # a beat or a rank before the role ("City Hall Reporter", "Deputy Politics Editor"):
        # words that are seldom a surname (not "Hall", "White", "House")
        """city politics business health science sports technology tech culture investigative
        deputy managing associate assistant digital breaking national foreign metro courts
        crime education climate environment entertainment features opinion photographer
        producer analyst intern contributing""".split()
    ),
    "es": tuple(
        """redacción redaccion corresponsal agencia agencias periodista efe reportero reportera
        redactor redactora jefe jefa""".split()
    ),
    "de": tuple(
        """redaktion redakteur redakteurin korrespondent korrespondentin agentur
        presse-agentur dpa nachrichten autor autorin reporter reporterin ressortleiter
        ressortleiterin""".split()
    ),
    "fr": tuple(
        """rédaction correspondant correspondante journaliste envoyé envoyée rédacteur
        rédactrice reporter""".split()
    ),
    "pt": tuple(
        "redação redacao correspondente agência jornalista repórter redator redatora".split()
    ),
    "it": tuple(
        "redazione corrispondente inviato inviata giornalista ansa redattore redattrice".split()
    ),
}


def _words(table: dict[str, tuple[str, ...]]) -> str:
    phrases = sorted({p for language in table.values() for p in language}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)


BYLINE_OPENER = _lazy(r"^\W*(?:" + _words(BYLINE_OPENERS) + r")\b\s*:?\s*", re.IGNORECASE)
BYLINE_SEPARATOR = _lazy(
    r"\s*(?:[,;|/&+•·]|\n|\s(?:" + _words(BYLINE_JOINERS) + r")\s)\s*", re.IGNORECASE
)
PROMO_LINE = _lazy(r"^\W*(?:" + _words(PROMO) + r")\b", re.IGNORECASE)
# A line opening with a quotation mark quotes someone: a site line's words there are the
# article's ("“All rights reserved,” read the sign"). » and › are left out: sites use them as
# bullets ("» Suivez-nous").
_QUOTE_OPENERS = '"“„«‘‚‹「『'
# A promotional phrase set off by a mark from the words after it is a link's label, not the
# opening of a sentence: "À lire aussi » Ballonnements... Quel est votre profil ?", "Read more:
# How the council voted", "Lesen Sie auch | ..." (while "Read more about the inspection in the
# report ..." is the article's).
PROMO_LABEL_MARKS = ":»>|›→–—"
# ... unless a quotation mark opens the line: the speaker's words ('"Read more: that is all I
# ask," she said').
PROMO_LABEL = _lazy(
    r"^[^\w"
    + re.escape(_QUOTE_OPENERS)
    + r"]*(?:"
    + _words(PROMO)
    + r")\s*["
    + re.escape(PROMO_LABEL_MARKS)
    + "]",
    re.IGNORECASE,
)

# --- the site speaking to its reader ------------------------------------------------------------
# Lines a site's template writes into the article container wherever they stand in a short line
# (`monitor.extract.roles.PROMO_MAX_CHARS`): calls to follow, join, subscribe or log in, paywall
# prompts, pointers to more topics, photo credits and copyright lines, a table of contents's title,
# advertisement labels and the category and tag lines of a post. Not the article's words:
# such a line is a promotion (role "promo") and is left out of the body.
SITE_LINES: dict[str, tuple[str, ...]] = {
    "en": (
        # "follow us on", or a call opening a sentence ("Follow Jane Roe on X"): "critics who
        # follow Musk on X said" is the article's
        r"(?:\bfollow us|(?:^|[.?!]\s)\W*follow [\w.@'’ ]{1,40}?) on (?:twitter|facebook|instagram"
        r"|linkedin|tiktok|youtube|telegram|whatsapp|threads|bluesky|x)\b",
        r"^follow us(?: on)?\W*$",  # alone on its line, the links to the networks after it
        r"\b(?:already a subscriber|subscribe now|please subscribe)\b",
        # the paywall's call opens its line or follows its verb ("unable to read the full story
        # before it ran" is the article's)
        r"(?:^\W*|\b(?:subscribe|log in|sign in|register) )to (?:view|read|continue reading) the"
        r" full (?:story|article)\b",
        # "download the app" opens the call or names the stores; within a sentence it is the
        # article's ("users download the app every month")
        r"\bdownload our [\w ]{0,30}apps?\b",
        r"^download the [\w ]{0,30}apps?\b",
        r"\bdownload the [\w ]{0,30}apps? (?:for|on|from) (?:ios|android|iphone|the app store)\b",
        # "our": the site's voice ("readers who subscribe to the newsletter" is the article's; a
        # line opening "Sign up"/"Subscribe" is a PROMO line already)
        r"\b(?:sign(?:ing)? up|subscrib(?:e|ing)) (?:to|for) our [\w ]{0,30}newsletters?\b",
        r"(?:^|[.?!]\s)\W*(?:sign up|subscribe) (?:to|for) the [\w ]{0,30}newsletters?\b",
        r"\bsubmit a letter to the editor\b",
        # a disclosure box ("This article contains affiliate links"), not a story about them
        r"\b(?:contains?|includes?|uses?|are|enth[äa]lt|enthalten|es sich um|sind)"
        r" affiliate[- ]?links?\b",
        r"^affiliate[- ]?links?\b",
        r"\ball rights reserved\b",
        r"^(?:photo credits?|copyright)\s*:",
        r"^(?:table of )?contents\W*$",
        r"^(?:advertisement|sponsored)\s*[-–—:|]\s",
        r"^(?:tags?|categor(?:y|ies)|filed under|posted in|release date|last modified)\s*:",
        # the site asking for its readers' support, or pointing to its own tools (revision 13);
        # a comma after the appeal makes it reported speech ("Support us, the director said")
        r"^\W*support (?:us|our (?:work|journalism|newsroom)|independent journalism)\b(?!\s*,)",
        r"^\W*(?:have you (?:seen|tried)|did you know about) our\b",
        # a blog's comment form and post footer (WordPress, Movable Type, Disqus; revision 24):
        # the form's note on the reader's address ("Mail (will not be published) (required)"),
        # the trackback and feed lines, the author's archive link, the tags after the post's
        # stamp ("Published: May 5, 2012 | Tags: ...", "Posted in News | Post a Comment")
        r"\b(?:e-?mail|mail)(?: address)?\W{0,3}(?:is never|will (?:not|never) be|won['’]t be)"
        r" (?:published|shared|displayed)\b",
        r"\brequired fields are marked\b",
        r"^trackback url\b",
        r"\bleave a (?:response|reply|comment),? or trackback\b",
        r"\bfollow any responses to this (?:entry|post)\b",
        r"\bcomments powered by disqus\b",
        r"^\W*view all (?:posts|articles) (?:by|from|in|filed under)\b",
        r"^[^|•·\n]{1,80}[|•·]\s*(?:tags?|tagged|filed under|categor(?:y|ies))\s*:",
        r"^posted in [^|.!?\n]{1,80}\|",
        # the author's box after the post, opening its line ("About the Author: Jane Roe is ...")
        r"^about the authors?\s*[:–—]",
        # more of the site's calls and notes opening their line (revision 24): to visit it on a
        # network, to follow its account, to write to its reporters, to leave an address for its
        # mailing list; its copyright and its disclaimer on the views of its writers
        r"^\W*visit (?:us|[\w.@'’ ]{1,40}?) on (?:facebook|twitter|instagram|linkedin|youtube"
        r"|flickr|tiktok)\b",
        r"^\W*follow @\w",
        r"^\W*write to (?:[\w.'’-]+ ){1,4}at [\w.+-]+@",
        r"\benter your e-?mail(?: address)? (?:below|here|above)\b",
        r"^(?:\(c\)|copyright)\s*(?:\(c\)\s*|©\s*)?\d{4}\b",
        r"^(?:the )?(?:views|opinions) expressed (?:here|in this (?:article|post|blog|column))\b",
        r"^this (?:blog|post|article|column) (?:reflects|represents) the (?:personal )?"
        r"(?:views|opinions)\b",
    ),
    "es": (
        r"\bs[ií]gue(?:nos)? en (?:twitter|facebook|instagram|telegram|youtube|whatsapp|tiktok)\b",
        r"^s[ií]guenos(?: en)?\W*$",
        # "su canal de Telegram" is news
        r"\b(?:nuestro|tenemos(?: un)?) canal de (?:telegram|youtube|whatsapp)\b",
        r"\bhazte (?:miembro|socio|suscriptor)\b",
        r"^suscr[ií]bete\b",
        # a call opens its line or sentence; a shout reported in a sentence is prose
        r"(?:^|[.?!]\s)\W*[úu]nete (?:a|al|desde|en)\b",
        r"\btodos los derechos reservados\b",
        r"^(?:cr[ée]ditos? (?:de )?(?:la )?fotos?|fotos?)\s*:",
        r"^[íi]ndice\W*$",
        r"^publicidad\s*[-–—:|]\s",
        r"^(?:etiquetas|categor[ií]as?)\s*:",
        r"^\W*ap[óo]ya(?:nos| nuestro periodismo| el periodismo independiente)\b(?!\s*,)",
        # the blog's comment form and author link (WordPress's words, revision 24)
        r"\bdirecci[óo]n de correo(?: electr[óo]nico)? no ser[áa] publicada\b",
        r"\blos campos obligatorios est[áa]n marcados\b",
        r"^\W*ver todas las entradas (?:de|por)\b",
    ),
    "de": (
        # a call naming a network, or opening its line ("die Polizei folgt uns" is a sentence)
        r"\bfolg(?:en sie|e|t) uns(?: (?:auch|jetzt|gerne))? (?:auf|bei|in) (?:facebook|twitter"
        r"|instagram|linkedin|tiktok|youtube|telegram|whatsapp|threads|bluesky|mastodon|x)\b",
        r"^\W*folg(?:en sie|e|t) uns\b",  # a call opening its line ("Folge uns überall!")
        r"\bnewsletter (?:anmelden|abonnieren|bestellen)\b",
        r"\bnicht eingeloggt\b",
        r"^jetzt (?:abonnieren|anmelden|registrieren)\b",
        r"\bk[öo]nnte (?:dich|sie|euch) auch interessieren\b",
        # a heading, not a sentence ("Mehr als zwanzig Themen standen ... auf der Tagesordnung.")
        r"^(?:mehr|weitere)(?: \w+){0,3} themen\b[^.!?]{0,150}$",
        r"^top-?themen\b",
        r"\balle rechte vorbehalten\b",
        r"^(?:fotos?|bild|beitragsbild|bildquelle|titelbild)\s*:",
        r"^inhalt(?:sverzeichnis)?\W*$",
        r"^(?:anzeige|werbung)\s*[-–—:|]\s",
        r"^(?:schlagw[öo]rter|stichw[öo]rter|kategorien?|ver[öo]ffentlich(?:ung|t)(?: am)?)\s*:",
        # "Unterstützen Sie unabhängigen Journalismus!", "Unterstütze RosaMag bereits mit 2,50!"
        r"^\W*unterst[üu]tze(?:n sie)? (?:uns|unsere arbeit|unseren journalismus"
        r"|unabh[äa]ngigen journalismus)\b(?!\s*,)",
        # "... bereits mit 2,50": the site's price; "die Flutopfer mit 20 Euro" is a charity's
        r"^\W*unterst[üu]tze(?:n sie)? [^.!?]{1,60}\b(?:bereits|schon) (?:mit|ab) (?:nur )?\d",
        r"^\W*(?:kennst du|kennt ihr|kennen sie) (?:schon|bereits) unser(?:e|en)?\b",
        # the blog's comment form, author link and tags after the stamp (WordPress's words,
        # revision 24)
        r"\be-?mail-adresse wird nicht ver[öo]ffentlicht\b",
        r"\berforderliche felder sind (?:mit \S{1,3} )?markiert\b",
        r"^\W*alle (?:beitr[äa]ge|artikel) von [^.!?\n]{1,60} anzeigen\b",
        r"^[^|•·\n]{1,80}[|•·]\s*(?:schlagw[öo]rter|stichw[öo]rter|kategorien?)\s*:",
        r"^(?:über den autor|über die autorin|zum autor|zur autorin)\s*[:–—]",
        r"^\W*besuch(?:e|en sie|t) uns (?:auf|bei) (?:facebook|twitter|instagram|youtube|linkedin"
        r"|tiktok)\b",
    ),
    "fr": (
        r"\bsuivez-nous\b",
        r"\bpour (?:lire la suite|acc[ée]der en illimit[ée])",
        r"\bd[ée]j[àa] abonn[ée]e?s?\s*\?",  # the prompt asks; "il était déjà abonné" tells
        r"^(?:abonnez|inscrivez)-vous\b",
        r"\btous droits r[ée]serv[ée]s\b",
        r"^cr[ée]dits? photos?\s*:",
        r"^sommaire\W*$",
        r"^publicit[ée]\s*[-–—:|]\s",
        r"^(?:mots-cl[ée]s|cat[ée]gories?)\s*:",
        r"^\W*soutenez(?:-nous| notre (?:travail|journalisme|rédaction)|"
        r" le journalisme ind[ée]pendant)\b(?!\s*,)",
        # the blog's comment form and author link (WordPress's words, revision 24)
        r"\badresse (?:e-?mail|de messagerie|courriel) ne sera pas publi[ée]e\b",
        r"\bles champs obligatoires sont (?:indiqu|marqu)[ée]s\b",
        r"^\W*voir tous les articles (?:de|par)\b",
    ),
    "pt": (
        r"\bsiga-nos\b",
        r"^(?:assine|inscreva-se)\b",
        r"\bj[áa] [ée] assinante\s*\?",  # the prompt asks; "ele já é assinante do jornal" tells
        r"\btodos os direitos reservados\b",
        r"^cr[ée]ditos? (?:da )?fotos?\s*:",
        # the blog's comment form and author link (WordPress's words, revision 24)
        r"\bendere[çc]o de e-?mail n[ãa]o ser[áa] publicado\b",
        r"\bcampos obrigat[óo]rios s[ãa]o marcados\b",
        r"^\W*ver todos os (?:posts|artigos) (?:de|por)\b",
    ),
    "it": (
        r"\bseguici su\b",
        r"^(?:iscriviti|abbonati)\b",
        r"\bsei gi[àa] abbonato\b",
        r"\btutti i diritti riservati\b",
        r"^credito fotografico\s*:",
        # the blog's comment form and author link (WordPress's words, revision 24)
        r"\bindirizzo (?:e-?mail|di posta elettronica) non sar[àa] pubblicato\b",
        r"\bi campi obbligatori sono contrassegnati\b",
        r"^\W*visualizza tutti gli articoli di\b",
    ),
    "pl": (
        r"\bzapraszamy (?:też |także |również )?do (?:subskrypcji|obserwowania)\b",
        r"\bwszelkie prawa zastrze[żz]one\b",
        r"^spis tre[śs]ci\W*$",
    ),
    # a copyright or photo credit line in any language, or a caption ending with its credit
    "*": (r"^©", r"©[^.!?©]{1,60}$"),
}
# More of the site's words to its reader that open their line (revision 17): its note on how it
# writes or checks its articles, set under each one ("Our Standards: The Thomson Reuters Trust
# Principles.", "Medically reviewed by ...", the medical sites' "Dieser Text entspricht den
# Vorgaben der ärztlichen Fachliteratur ..."), its pointer to its print issue ("Die aktuelle
# Ausgabe der L-MAG jetzt an jedem Bahnhofskiosk ...") and to its search box ("Search for articles
# and topics on ..."). Matched after the line's opening marks, as one group: a branch of its own
# for each would be tried at every position of every line (+20% of the expression's time).
SITE_OPENERS: dict[str, tuple[str, ...]] = {
    "en": (
        r"our (?:standards|editorial (?:standards|guidelines|policy))\s*:",
        r"(?:medically|clinically|fact)[- ]?(?:reviewed|checked) by\b",
        # "The new issue is on sale now at newsstands"; "The new issue of bonds was on sale"
        # is the article's
        r"(?:the|our) (?:latest|new|current) (?:print )?(?:issue|edition)\b[^.!?]{0,100}"
        r"\b(?:on sale now|now on sale|(?:on|at) (?:the )?newsstands?|out now)\b",
        r"read the full (?:story|article) in (?:the|our) (?:latest|new|current|print)\b",
        r"search (?:for )?(?:articles|stories|news|topics)\b[^.!?]{0,60}$",
        r"search (?:our|the) (?:archives?|site)\b[^.!?]{0,60}$",
        # a syndication note under a republished story (revision 25): "This article originally
        # appeared on The Conversation", "Republished with permission from ..."
        r"(?:this|the) (?:article|story|post|piece|report|column|essay|interview) (?:was |has"
        r" been )?originally (?:appeared|published|posted|ran) (?:on|in|at|by|with)\b",
        r"(?:this|the) (?:article|story|post|piece|report|column|essay|interview) (?:is|was|has"
        r" been) republished (?:from|with permission)\b",
        r"republished with permission (?:from|of)\b",
    ),
    "es": (
        r"nuestr(?:os (?:est[áa]ndares|criterios)|as normas)\s*:",
        r"(?:revisado|verificado) m[ée]dicamente por\b",
        r"(?:la|nuestra) (?:nueva|[úu]ltima) edici[óo]n\b[^.!?]{0,100}"
        r"\bya est[áa] en (?:los )?quioscos\b",
        r"busca(?:r)? en (?:nuestro|el) archivo\b",
        r"(?:este|el) (?:art[ií]culo|texto|reportaje) (?:fue publicado|se public[óo]|apareci[óo])"
        r" originalmente en\b",
        r"(?:este|el) (?:art[ií]culo|texto|reportaje) (?:es|fue) republicado (?:de|desde)\b",
    ),
    "de": (
        r"unsere (?:standards|redaktionellen (?:standards|richtlinien|grunds[äa]tze))\s*:",
        # the medical sites' note, not a sentence about a law ("... den Vorgaben des Gesetzes")
        r"dieser (?:text|artikel|beitrag) entspricht den vorgaben der (?:[äa]rztlichen"
        r"|medizinischen) fachliteratur\b",
        r"(?:medizinisch|fachlich|[äa]rztlich) gepr[üu]ft von\b",
        # "... jetzt an jedem Bahnhofskiosk"; "Die aktuelle Ausgabe des Gesetzblatts regelt den
        # Verkauf am Kiosk" is the article's
        r"(?:die|unsere) (?:aktuelle|neue|neueste) (?:print)?(?:ausgabe|nummer)\b[^.!?]{0,100}"
        r"\b(?:jetzt|ab sofort) (?:am|an jedem|im) (?:bahnhofs)?(?:kiosk|handel)\b",
        r"(?:den|die) (?:kompletten?|ganzen?|vollst[äa]ndigen?) (?:beitrag|artikel|text|"
        r"geschichte) lesen sie in (?:der|unserer) (?:aktuellen|neuen|print)",
        r"(?:suchen|recherchieren) sie im [^!?]{0,40}?archiv\b",
        r"dieser (?:artikel|beitrag|text) (?:erschien|ist) (?:zuerst|urspr[üu]nglich|erstmals)"
        r" (?:auf|bei|in|im)\b",
    ),
    "fr": (
        r"nos (?:standards|normes)\s*:",
        r"(?:le|notre) (?:dernier|nouveau) num[ée]ro\b[^.!?]{0,100}\ben kiosque\b",
        r"(?:rechercher|cherchez) dans (?:nos|les) archives\b",
        r"cet article (?:a (?:d'abord |initialement )?[ée]t[ée] (?:initialement |d'abord )?"
        r"publi[ée]|est (?:initialement )?paru) (?:sur|dans|par)\b",
        r"cet article est republi[ée] [àa] partir de\b",
    ),
    "pt": (
        r"nossos (?:padr[õo]es|princ[íi]pios editoriais)\s*:",
        r"a (?:nova|[úu]ltima) edi[çc][ãa]o\b[^.!?]{0,100}\bj[áa] est[áa] nas bancas\b",
        r"este (?:artigo|texto) (?:foi publicado|apareceu) originalmente (?:no|na|em)\b",
    ),
    "it": (
        r"i nostri (?:standard|principi editoriali)\s*:",
        r"il (?:nuovo|ultimo) numero\b[^.!?]{0,100}\bin edicola\b",
        r"questo articolo [èe] (?:stato pubblicato|apparso) (?:originariamente|originalmente)"
        r" su\b",
    ),
}
SITE_LINE = _lazy(
    "|".join(pattern for language in SITE_LINES.values() for pattern in language)
    + r"|^\W*(?:"
    + "|".join(pattern for language in SITE_OPENERS.values() for pattern in language)
    + ")",
    re.IGNORECASE,
)


def _branches_at_top(pattern: str) -> bool:
    """Whether an expression has a "|" outside its groups and character classes (then its
    alternatives do not all start where it starts)."""
    depth, escaped, class_opens = 0, False, -1  # where the class being read opens, or -1
    for at, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif class_opens >= 0:
            # "]" closes the class unless it is its first member ("[]...]", "[^]...]")
            first = class_opens + (2 if pattern[class_opens + 1 : class_opens + 2] == "^" else 1)
            if char == "]" and at > first:
                class_opens = -1
        elif char == "[":
            class_opens = at
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


# SITE_LINE searched in two parts, for the same answer at under a third of its cost
# (`is_site_line`, which the line roles ask of nearly every line of every body): the alternatives
# anchored at the line's start ("^...", tried once by `match`: without re.MULTILINE "^" matches
# nowhere else), and the others searched at every position, those opening with "\b" grouped
# behind one "\b" ("\bX|\bY" and "\b(?:X|Y)" match at the same places; a position inside a
# word is passed over at one test, not at one for each). A match of the whole is a match of one
# of its alternatives, so a line has one exactly when it has one of either part.
_SITE_PATTERNS = [pattern for language in SITE_LINES.values() for pattern in language]
_SITE_AT_START = [p for p in _SITE_PATTERNS if p.startswith("^") and not _branches_at_top(p)]
_SITE_ELSEWHERE = [p for p in _SITE_PATTERNS if p not in _SITE_AT_START]
_SITE_AT_BOUNDARY = [p for p in _SITE_ELSEWHERE if p.startswith(r"\b") and not _branches_at_top(p)]
SITE_LINE_START = _lazy(
    "|".join(
        [
            *_SITE_AT_START,
            r"^\W*(?:"
            + "|".join(pattern for language in SITE_OPENERS.values() for pattern in language)
            + ")",
        ]
    ),
    re.IGNORECASE,
)
SITE_LINE_ANYWHERE = _lazy(
    "|".join(
        [
            r"\b(?:" + "|".join(p.removeprefix(r"\b") for p in _SITE_AT_BOUNDARY) + ")",
            *(p for p in _SITE_ELSEWHERE if p not in _SITE_AT_BOUNDARY),
        ]
    ),
    re.IGNORECASE,
)
# --- the heading of the site's box at the body's end --------------------------------------------
# A heading that opens a box about the site, the series or the author, or the press contact, set
# after the article ("Über diese Reihe", "Pressekontakt", "About the author"): with the lines
# after it, the template's box, not the article (`monitor.extract.consensus.box_at_end`). Matched
# whole, a colon allowed after it: "About the study" or "Kontakt zur Mutter" name the article's
# own sections.
BOX_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": (
        r"about us", r"about the authors?", r"about (?:this|the) series",
        r"(?:press|media) contacts?", r"contact us", r"contact",
    ),
    "de": (
        r"über uns", r"über (?:den autor|die autorin|die autoren)", r"über (?:diese|die) reihe",
        r"(?:presse|medien)kontakt", r"kontakt",
        r"(?:ihre? )?ansprechpartner(?:in|innen)?(?: zum thema)?",
    ),
    "fr": (r"à propos(?: de l['’]auteur| de l['’]autrice)?", r"contacts? presse", r"contact"),
    "es": (r"sobre (?:el autor|la autora)", r"contacto(?: de prensa| para medios)?"),
    "pt": (r"sobre (?:o autor|a autora)", r"contato(?: de imprensa| para imprensa)?"),
    "it": (r"sull['’]autore", r"contatti(?: stampa)?", r"ufficio stampa"),
}  # fmt: skip
BOX_HEADING = _lazy(
    r"^\W{0,3}(?:"
    + "|".join(pattern for language in BOX_HEADINGS.values() for pattern in language)
    + r")\s*:?$",
    re.IGNORECASE,
)

# --- numbered figure labels ------------------------------------------------------------------
# A caption's label: the word for a figure, a table or a photo, its number and a colon, stop or
# dash ("Abbildung 4: Schwachschicht", "Figure 2. Results", "Tabla 1 - Precios"). Without the
# mark after the number the words are a sentence's ("Figure 1 shows the results").
FIGURE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("figure", r"fig\.", "table", "photo", "image", "illustration", "chart", "graph"),
    "de": ("abbildung", r"abb\.", "bild", "grafik", "tabelle", "foto"),
    "fr": ("figure", "tableau", "photo", "illustration", "graphique"),
    "es": ("figura", "imagen", "tabla", "foto", r"gr[áa]fico"),
    "pt": ("figura", "imagem", "tabela", "foto", r"gr[áa]fico"),
    "it": ("figura", "immagine", "tabella", "foto", "grafico"),
}
FIGURE_LABEL = _lazy(
    r"^\W{0,3}(?:"
    + "|".join(sorted({w for words in FIGURE_WORDS.values() for w in words}))
    + r")\s*\d{1,3}[a-z]?\s*[:.–—-]\s",
    re.IGNORECASE,
)


def is_site_line(line: str) -> bool:
    """Whether the line holds the site's words to its reader (`SITE_LINES`), not a quotation."""
    return not line.lstrip().startswith(tuple(_QUOTE_OPENERS)) and bool(
        SITE_LINE_START.match(line) or SITE_LINE_ANYWHERE.search(line)
    )


BYLINE_ROLE_WORDS = frozenset(w for language in BYLINE_ROLES.values() for w in language)

# --- datelines and credit lines -----------------------------------------------------------------
# News agencies named in a dateline ("WASHINGTON (Reuters) -", "MADRID, 3 nov (EFE).-"); a
# dateline gaining, losing or restyling its agency, or its date, is not an edit; naming another
# agency in place of the one it named is (`compare.credits._AGENCY_RULE`).
DATELINE_AGENCIES: dict[str, tuple[str, ...]] = {
    "en": ("reuters", "ap", "afp", "upi", "bloomberg", "cnn", "xinhua", "pa", "ians", "pti"),
    "es": ("efe", "europa press", "ep", "notimex", "telam", "télam"),
    "de": ("dpa", "afp/dpa", "dpa/afp", "kna", "epd", "apa", "sda", "reuters/dpa"),
    "fr": ("afp", "belga", "ats"),
    "pt": ("lusa", "agência brasil", "estadão conteúdo", "folhapress", "ansa"),
    "it": ("ansa", "adnkronos", "agi", "askanews"),
}
# One agency written two ways, as a dateline's key (letters only, no accents, lower case) → the
# agency's: "(EP)" is "(Europa Press)".
DATELINE_AGENCY_NAMES = {"ep": "europapress"}
# Phrases that open the parts of a wire credit line: "(Reporting by A in Kyiv; Editing by B)".
# The line is read as people, like a byline: brackets, order and roles are not an edit, a person
# added or removed is.
CREDIT_ROLES: dict[str, tuple[str, ...]] = {
    "en": (
        "additional reporting by", "reporting by", "writing by", "written by", "editing by",
        "edited by", "compiled by", "graphics by", "fact-checking by", "research by",
        "production by", "with reporting by",
    ),
    "es": (
        "información de", "informacion de", "información adicional de", "reporte de",
        "reportaje de", "editado en español por", "editado por", "edición de", "edicion de",
        "redacción de", "escrito por", "con información de",
    ),
    "de": (
        "bericht von", "berichterstattung", "reporter", "redigiert von", "bearbeitet von",
        "geschrieben von", "mitarbeit", "redaktion",
    ),
    "fr": (
        "reportage", "avec", "version française", "édité par", "rédigé par", "écrit par",
        "édition",
    ),
    "pt": (
        "reportagem adicional de", "reportagem de", "reportagem", "edição de", "edicao de",
        "texto de", "escrito por", "editado por",
    ),
    "it": ("hanno collaborato", "ha collaborato", "a cura di", "redazione", "scritto da"),
}  # fmt: skip
# "in Kyiv", "en Madrid", "em Lisboa", "à Paris": where a credited reporter was, not a person.
CREDIT_PLACE_WORDS = ("in", "en", "em", "aus", "à", "a", "from", "desde", "de")

# Months as a dateline writes them ("PARIS, 3 March -", "Madrid, 3 de marzo -", "Berlin, 3. März
# -"): a place written in ordinary case is read as a dateline only before an agency or a date, and
# a date only with a month's name (a "30 people" after a comma is prose).
DATELINE_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "setiembre", "octubre", "noviembre", "diciembre", "ene", "abr", "ago", "dic",
    ),
    "de": ("januar", "jänner", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
           "okt", "dez"),
    "fr": (
        "janvier", "février", "fevrier", "mars", "avril", "juin", "juillet", "août", "aout",
        "septembre", "octobre", "novembre", "décembre", "decembre", "janv", "févr", "avr",
        "juil", "déc",
    ),
    "pt": (
        "janeiro", "fevereiro", "março", "marco", "maio", "junho", "julho", "setembro",
        "outubro", "novembro", "dezembro", "fev", "set", "out", "dez",
    ),
    "it": (
        "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre",
        "dicembre", "gen", "mag", "giu", "lug", "ott",
    ),
}  # fmt: skip

# A dateline opening a paragraph: a place in capitals ("WASHINGTON", "RIO DE JANEIRO"), or a place
# written any way before an agency ("Berlin (dpa)") or a date ("Paris, 3 March"); then an optional
# date or second place (", 3 nov", ", Nov 30"), an optional agency, and a dash ("-", "–", "—",
# ".-"; an en or em dash may touch the next word, "NEW YORK—Stocks rose").
# Each word at most 30 characters: no place is longer, and a bounded word keeps a 3 MB "word"
# from costing seconds of backtracking.
_PLACE_CAPS = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.-]{1,30}(?:[ /][A-ZÀ-ÖØ-Þa-z][A-ZÀ-ÖØ-Þ'’.-]{0,30}){0,3}"
_PLACE_ANY = r"[A-ZÀ-ÖØ-Þ][\w'’.-]{1,30}(?:[ /][\w'’.-]{1,30}){0,3}"
_PLACE_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]{1,30}"
# Words that open prose, not a place ("On Monday, March 3 - the day of the vote - ...").
_NOT_PLACE = (
    r"(?!(?i:on|in|at|by|since|until|from|last|next|this|the|el|la|en|desde|hasta|le|dès|depuis"
    r"|am|im|seit|bis|em|no|na|il|dal|however|yesterday|today|tomorrow|meanwhile|then|now|and"
    r"|but|also|ayer|hoy|mañana|gestern|heute|morgen|hier|aujourd'hui|demain|ontem|hoje|ieri"
    r"|oggi|domani)\b)"
)
_PLACE_PARTICLE = r"(?: (?:de|do|da|del|di|am|sur|upon|on))?"
_PLACE_TITLE = rf"{_NOT_PLACE}{_PLACE_WORD}(?:{_PLACE_PARTICLE}[ /]{_PLACE_WORD}){{0,3}}"
_AGENCY = r"\((?i:\s*(?:" + _words(DATELINE_AGENCIES) + r")\s*)\)"
_MONTH = r"(?i:" + _words(DATELINE_MONTHS) + r")\.?"
_DAY = r"\d{1,2}(?:\.|er|º)?"
_YEAR = r"(?:,?\s+(?:de\s+)?\d{4})?"
_DATE = rf",\s*(?:{_DAY}\s+(?:de\s+)?{_MONTH}|{_MONTH}\s+{_DAY}){_YEAR}(?=[\s(.\-–—])"
DATELINE_DASH = r"\s*\.?\s*(?:[-–—]+\s+|[–—]+(?=[A-ZÀ-ÖØ-Þ]))"
# After a dateline of the dated form ("Paris, 3 March -"), a sentence starts: a capital, a figure
# or an opening quotation mark ("However, May 3 - the vote was delayed" is prose).
_SENTENCE_START = r"(?=[A-ZÀ-ÖØ-Þ\d\"“„«‘'¿¡.])"
_DATE_PART = r"(?:,\s*[^,()\n\-–—:]{1,30}?)?"
DATELINE = _lazy(
    rf"^(?:(?P<caps>{_PLACE_CAPS}){_DATE_PART}\s*(?P<agency1>{_AGENCY})?"
    rf"|(?P<place>{_PLACE_ANY}){_DATE_PART}\s*(?P<agency2>{_AGENCY})"
    rf"){DATELINE_DASH}(?=\S)"
    rf"|^(?P<dated>{_PLACE_TITLE}){_DATE}\s*(?P<agency3>{_AGENCY})?{DATELINE_DASH}{_SENTENCE_START}"
)
DATELINE_AGENCY = _lazy(_AGENCY, re.IGNORECASE)
# A line that is only a date, with its time and a word before it ("23.10.2018", "19. November
# 2021", "May 06, 2022", "03.03.2011, 14:17", "Montag, 2. März 2026 um 10:30 Uhr"): the page's
# stamp. A year is required (a "3 March" alone may be a heading of a diary's entries).
_NUMERIC_DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{4}-\d{2}-\d{2}"
_WORD_DATE = rf"{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}"
_TIME = r"(?:,?\s*(?:um|at|à|às|alle|a las|-)?\s*\d{1,2}[:.h]\d{2}\s*(?:uhr|am|pm|h)?)?"
DATE_LINE = _lazy(
    rf"^\W*(?:[^\W\d_]{{2,14}}\.?,?\s+)?(?:{_NUMERIC_DATE}|{_WORD_DATE}){_TIME}\W*$",
    re.IGNORECASE,
)
# The page's stamp with its label: a short line that says when the page was published, updated
# or created, or gives its date field, and only that ("Veröffentlicht am 06.12.2022", "Stand des
# Artikels: 26. Februar 2020, 12:30 Uhr", "Erstellt am Dienstag 6. Mai 2014", "News date :
# 04/21/2022 Category : Press Releases"): the page's stamp, like a date alone (its dates
# are the article's fields). Stamps may follow one another or a category ("Created 03-10-2004 -
# Last Modified: 03-10-2004"); a word after the date makes it a sentence ("Veröffentlicht am
# 06.12.2022 in der Fachzeitschrift ...": the article's).
STAMP_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        "published", "updated", "last updated", "posted", "created", "modified", "last modified",
        "date", "news date", "release date", "last update", "air date", "aired",
    ),
    "de": (
        "veröffentlicht", "aktualisiert", "zuletzt aktualisiert", "erstellt", "geändert",
        "zuletzt geändert", "datum", "stand", "stand des artikels", "erschienen", "geschrieben",
        "letzte aktualisierung", "zuletzt bearbeitet", "publiziert", "sendung vom",
        "ausgestrahlt", "sendedatum",
    ),
    "fr": (
        "publié", "publiée", "mis à jour", "mise à jour", "dernière mise à jour", "créé",
        "modifié", "date", "diffusé", "diffusé le", "date de diffusion",
    ),
    "es": (
        "publicado", "publicada", "actualizado", "actualizada", "última actualización", "creado",
        "modificado", "fecha", "emitido", "fecha de emisión",
    ),
    "pt": (
        "publicado", "publicada", "atualizado", "atualizada", "última atualização", "criado",
        "modificado", "data",
    ),
    "it": (
        "pubblicato", "pubblicata", "aggiornato", "aggiornata", "ultimo aggiornamento", "creato",
        "modificato", "data",
    ),
}  # fmt: skip
STAMP_CATEGORIES = ("category", "kategorie", "rubrik", "catégorie", "categoría", "categoria")
# No author after the label: a stamp that names its author ("Erstellt von Anna Müller am 6. Mai
# 2014", "Posted by Jane Roe on May 3, 2022") is a byline line, whose name corrected is the
# article's edit, and the words after a label are a field's name as often as an author's ("Data
# di nascita: 12/03/1950" is a date of birth).
_STAMP_FIELD = (
    r"(?:"
    + _words(STAMP_LABELS)
    + r")\b"
    + r"(?:\s+(?:am|on|le|el|em|il|den))?\s*:?\s*(?:[^\W\d_]{2,14}\.?,?\s+)?"
    + rf"(?:{_NUMERIC_DATE}|{_WORD_DATE}){_TIME}"
)
_STAMP_CATEGORY = r"(?:" + "|".join(STAMP_CATEGORIES) + r")\s*:\s*[^\W\d_][\w&/ -]{0,30}?"
STAMP_LINE = _lazy(
    rf"^\W*{_STAMP_FIELD}(?:\s*[-–—|•·]?\s*(?:{_STAMP_FIELD}|{_STAMP_CATEGORY}))*\W*$",
    re.IGNORECASE,
)
# A stamp line is short: "Stand des Artikels: 26. Februar 2020, 12:30 Uhr." is 48 characters,
# two stamps and a category about 60 (the bound keeps the expression off long paragraphs).
STAMP_LINE_MAX_CHARS = 64


def is_stamp_line(line: str) -> bool:
    """Whether a line is only the page's dates with their labels (`STAMP_LINE`), not an update
    note ("Updated: May 3, 2022", `is_notice`: the article's)."""
    return (
        len(line) <= STAMP_LINE_MAX_CHARS
        and bool(STAMP_LINE.match(line.strip()))
        and not is_notice(line)
    )


# A label and the time it names, and nothing else ("Updated 3 hours ago", "Published 10:32 AM
# ET, Tue March 5, 2024", "Last updated on 5 March 2024 at 10:32", "actualizado el 12 de marzo de
# 2024 a las 10:32", "Aktualisiert vor 3 Stunden", "Mis à jour il y a 3 heures", "Aggiornato 3
# ore fa", "Atualizado há 3 horas"): the page's furniture. Only date and time words may follow the
# label: a line that goes on with other words ("Updated: death toll rises to 40", "Actualizado: el
# número de muertos sube a 40", "Aktualisiert: 3 Tote in Köln") is an update note, the article's.
DATED_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        "updated",
        "last updated",
        "published",
        "posted",
        "modified",
        "last modified",
        "air date",
        "aired",
    ),
    "es": ("actualizado", "actualizada", "publicado", "publicada", "emitido"),
    "pt": ("atualizado", "atualizada", "publicado", "publicada"),
    "de": ("aktualisiert", "zuletzt aktualisiert", "veröffentlicht", "ausgestrahlt"),
    "fr": ("mis à jour", "mise à jour", "publié", "publiée", "diffusé"),
    "it": ("aggiornato", "aggiornata", "pubblicato", "pubblicata"),
}
DATE_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
        "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "am", "pm", "a.m.",
        "p.m.", "on", "at", "and", "ago", "today", "yesterday", "second", "seconds", "sec",
        "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days",
        "week", "weeks", "month", "months", "year", "years", "h",
    ),
    "zones": (
        "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt",
        "utc", "bst", "cet", "cest", "mez", "mesz", "ist", "aest", "aedt", "jst", "brt", "art",
    ),
    "es": (
        "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "el", "de",
        "a", "las", "la", "y", "hace", "hoy", "ayer", "minuto", "minutos", "hora", "horas",
        "día", "días", "hs",
    ),
    "pt": (
        "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "em",
        "às", "as", "do", "e", "há", "hoje", "ontem", "dias",
    ),
    "de": (
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "am",
        "um", "uhr", "vor", "und", "heute", "gestern", "sekunden", "minute", "minuten", "std",
        "stunde", "stunden", "tag", "tagen", "woche", "wochen",
    ),
    "fr": (
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "le", "à", "il",
        "y", "a", "et", "aujourd'hui", "aujourd’hui", "hier", "seconde", "secondes", "heure",
        "heures", "jour", "jours", "semaine", "semaines",
    ),
    "it": (
        "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica", "il",
        "alle", "ore", "fa", "e", "oggi", "ieri", "secondi", "minuti", "ora", "giorno", "giorni",
        "settimana", "settimane",
    ),
}  # fmt: skip
# What a stamp line carries beside the time: the reading time and the comment count ("Published 2
# hours ago · 3 min read", "Updated 3 hours ago | 4 comments", "Lesezeit: 4 Min.").
DATED_LABEL_EXTRAS: dict[str, tuple[str, ...]] = {
    "en": ("min read", "mins read", "minute read", "minutes read", "comment", "comments"),
    "de": ("lesezeit", "kommentar", "kommentare"),
    "fr": ("de lecture", "commentaire", "commentaires"),
    "es": ("de lectura", "comentario", "comentarios"),
    "pt": ("de leitura", "comentário", "comentários"),
    "it": ("di lettura", "commento", "commenti"),
}
# Each piece of the rest can be read one way only (a separator, or a whole word from the lists,
# labels included: "Published: 5 March 2024 | Updated: 6 March 2024", standing alone or after a
# figure: "10:32am", "5th", "3h", "2024-03-05T10:32:00Z"), and the
# repetition is possessive: revision 15 let "on." be a word with its dot or a word then a dot,
# and a line that failed at its end tried every combination (2^n; an 84-character line took 38 s).
# Once a figure has come, a colon is one of a time ("10:32") or one after a label ("Updated:",
# "Lesezeit:"): any other closes the time and opens the note ("Updated at 21:45: 2-1",
# "Aktualisiert um 21.45 Uhr: 2:1", "Mis à jour le 5 mars : 2 à 1"), the article's.
# A label's colon may follow its preposition ("Aktualisiert am: 05.03.2024", "Updated on: ...").
DATED_LABEL_PREPOSITIONS = ("on", "at", "am", "um", "le", "el", "em", "il")
_DATE_SEPARATORS = r"\s.,;/|•·()\[\]'’+\-–—"
_DATE_WORD = (
    r"(?<![^\W\d_])(?:"
    + "|".join(
        _words(table) for table in (DATED_LABEL_EXTRAS, DATED_LABELS, DATE_WORDS, DATELINE_MONTHS)
    )
    + r")(?![^\W\d_])"
)
_LABEL_COLON = (
    r"(?<![^\W\d_])(?:"
    + "|".join(_words(table) for table in (DATED_LABEL_EXTRAS, DATED_LABELS))
    + r")(?![^\W\d_])(?:\s+(?:"
    + "|".join(DATED_LABEL_PREPOSITIONS)
    + r"))?\s*:"
)
_BEFORE_TIME_TOKEN = rf"(?:[{_DATE_SEPARATORS}:]|{_DATE_WORD})"
_DATE_TOKEN = (
    rf"(?:[{_DATE_SEPARATORS}\d]|(?<=\d):(?=\d)"
    r"|(?<=\d)(?:st|nd|rd|th|[hmdtz]|min|mins|hrs?)(?![^\W\d_])"
    rf"|{_LABEL_COLON}|{_DATE_WORD})"
)
# The part before the first figure is read first (a colon free there: "Published on: 5 March"),
# then the rest; neither gives back what it read, and the first stops at the first figure.
DATED_LABEL_LINE = _lazy(
    r"^(?:"
    + _words(DATED_LABELS)
    + r")(?![^\W\d_])(?=[^\n]*\d)"
    + _BEFORE_TIME_TOKEN
    + r"*+"
    + _DATE_TOKEN
    + r"*+$",
    re.IGNORECASE,
)


# Words that make a figure a time: a unit after it ("3 hours", "3h", "vor 3 Std.", "3 ore fa"),
# a month's name beside it ("5 March", "March 5", "3. März", "12 de marzo"), a clock's word
# ("10 am", "10 Uhr"), an ordinal's ending ("5th", "1er"), or a stamp's extras ("4 comments",
# "3 min read").
TIME_UNITS: dict[str, tuple[str, ...]] = {
    "en": ("second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours",
           "hr", "hrs", "h", "m", "d", "day", "days", "week", "weeks", "month", "months", "year",
           "years", "am", "pm", "a.m.", "p.m.", "st", "nd", "rd", "th", "z"),
    "de": ("sekunde", "sekunden", "minute", "minuten", "std", "stunde", "stunden", "tag", "tage",
           "tagen", "woche", "wochen", "monat", "monaten", "jahr", "jahren", "uhr"),
    "fr": ("seconde", "secondes", "heure", "heures", "jour", "jours", "semaine", "semaines",
           "mois", "an", "ans", "er"),
    "es": ("segundo", "segundos", "minuto", "minutos", "hora", "horas", "día", "días", "dia",
           "dias", "semana", "semanas", "mes", "meses", "año", "años", "hs"),
    "pt": ("segundo", "segundos", "minuto", "minutos", "hora", "horas", "dia", "dias", "semana",
           "semanas", "mês", "meses", "ano", "anos"),
    "it": ("secondo", "secondi", "minuto", "minuti", "ora", "ore", "giorno", "giorni",
           "settimana", "settimane", "mese", "mesi", "anno", "anni"),
}  # fmt: skip
# A run of figures: "40", "2-1", "21:45", "10h32", "06.12.2022", "2024-03-05".
_FIGURES = re.compile(r"\d+(?:(?:[:./\-]|h(?=\d))\d+)*")
# A clock time ("21:45", "21.45", "10h32", "10:32:00"), a numeric date or a year, written whole.
_TIME_FIGURES = re.compile(
    r"\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|(?:19|20)\d{2}"
)
_AFTER_TIME_FIGURE = _lazy(
    r"\.?\s*(?:de\s+)?(?:"
    + "|".join((_words(TIME_UNITS), _words(DATELINE_MONTHS), _words(DATED_LABEL_EXTRAS)))
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_BEFORE_TIME_FIGURE = _lazy(
    r"(?<![^\W\d_])(?:" + _words(DATELINE_MONTHS) + r")\.?\s*$", re.IGNORECASE
)

# How far before a figure its month is looked for: the longest month's name, its stop and a few
# spaces. Searching the whole line before each figure made a long line of dates quadratic (16 KB
# of "March 1, " took 12 s in extraction's `is_furniture_line`).
_BEFORE_TIME_FIGURE_CHARS = max(len(m) for ms in DATELINE_MONTHS.values() for m in ms) + 8


def names_only_times(line: str) -> bool:
    """Whether every figure of the line is a date or a time ("Updated 21:45", "3 hours ago",
    "5 March 2024", "2024-03-05T10:32:00Z"), not a count or a score ("Updated: 40", "Updated:
    2-1", "Updated 21:45 – 2-1"): a figure a stamp does not name is the article's."""
    for figures in _FIGURES.finditer(line):
        if _TIME_FIGURES.fullmatch(figures[0]):
            continue
        if _AFTER_TIME_FIGURE.match(line, figures.end()):
            continue
        if _BEFORE_TIME_FIGURE.search(
            line, max(0, figures.start() - _BEFORE_TIME_FIGURE_CHARS), figures.start()
        ):
            continue
        return False
    return True


# Words for a number before a unit of time ("an hour ago", "vor einer Stunde", "il y a une
# heure", "hace una hora", "há uma hora", "un'ora fa", "a few minutes ago"): read as a figure, so
# a relative time in words is furniture as one with a figure is (it changes every round too).
_NUMBER_WORD = _lazy(
    r"(?<![^\W\d_])(?:a\s+few|an?|one|several|ein|eine|einer|einem|wenigen|ein\s+paar|une?"
    r"|quelques|una?|unos|unas|pocos|pocas|uma|um|poucos|poucas|alguns|algumas|pochi|poche)"
    r"\s+(?=(?:" + _words(TIME_UNITS) + r")(?![^\W\d_]))|(?<![^\W\d_])un['’](?=ora\b)",
    re.IGNORECASE,
)
# A relative time alone, with a figure ("3 hours ago" and "hace 3 horas" are in `FURNITURE`).
RELATIVE_TIME = _lazy(
    r"^(?:vor\s+\d+\s+(?:sekunden?|minuten?|min\.?|std\.?|stunden?|tag(?:en)?|wochen?)"
    r"|il\s+y\s+a\s+\d+\s+(?:secondes?|minutes?|min|heures?|h|jours?|semaines?)"
    r"|h[áa]\s+\d+\s+(?:segundos?|minutos?|min|horas?|h|dias?|semanas?)"
    r"|\d+\s+(?:secondi|secondo|minuti|minuto|ore|ora|giorni|giorno|settimane|settimana)\s+fa"
    r"|\d+\s+(?:weeks?|months?|years?)\s+ago"
    r"|hace\s+\d+\s+(?:semanas?|mes(?:es)?|años?))\.?$",
    re.IGNORECASE,
)


def is_furniture_line(line: str) -> bool:
    """Whether a short line is page furniture (`FURNITURE_LINE`, `RELATIVE_TIME`), or a label with
    only the time it names (`DATED_LABEL_LINE`, its figures all times: `names_only_times`). A
    number written as a word before a unit of time is read as a figure ("an hour ago")."""
    if FURNITURE_LINE.match(line) or RELATIVE_TIME.match(line):
        return True
    if DATED_LABEL_LINE.match(line) and names_only_times(line):
        return True
    figured = _NUMBER_WORD.sub("1 ", line)
    return figured != line and is_furniture_line(figured)


# --- byline lines in the body -------------------------------------------------------------------
# A byline a template writes into the article with the page's stamp and counters: "Von Anna
# Müller | 06.12.2022", "By Jane Doe / March 3, 2020 / Leave a comment", "11/19/2019 by Jane Doe",
# "Posted 3 days ago by John Smith", "Par Jeanne Dupont, 3 mars 2020". Its people are the
# article's (a name corrected or replaced is an edit); its stamp and counters are the page's.
# Extraction reads the whole line as furniture (`FURNITURE`); the comparison reads it as its
# people (`byline_line`): until session 13 it ignored the line, name and all.
BYLINE_LINE_MAX_CHARS = 80  # as long as a furniture line (`normalize.NOISE_MAX_CHARS`)
BYLINE_LINE_MAX_WORDS = 10  # a byline's people and roles, after its opener
_BY = r"(?i:by|von|par|por|di)"
# The opener and a capitalised word: "By Jane", "von Anna", "Posted by Jane" ("By the time" and a
# username "by admin" are not a byline's people).
_BYLINE_HEAD = re.compile(r"^(?i:posted\s+)?" + _BY + r"\s*:?\s+(?=[A-ZÀ-ÖØ-Þ])")
# The opener after the stamp: "11/19/2019 by Jane Doe", "Posted 3 days ago by John Smith".
_BY_AFTER_STAMP = re.compile(r"\s*[/|•·,]?\s+(?=" + _BY + r"\s+[A-ZÀ-ÖØ-Þ])")
_OPENER_WORD = re.compile(r"(?<![^\W\d_])" + _BY + r"\s*:?\s+[A-ZÀ-ÖØ-Þ]")
# The parts of a byline line: "By Jane Doe | Dec 6, 2022", "Von Anna Müller – 06.12.2022" (a dash
# between spaces; a double name's hyphen has none).
_BYLINE_PARTS = re.compile(r"\s+[/|•·–—-]\s+")
# Where a stamp may follow the name inside a part: "Jane Doe, March 3, 2020", "Anna Müller am
# 06.12.2022", "Jeanne Dupont le 3 mars".
_NAME_THEN_STAMP = re.compile(r",\s*|\s+(?i:on|at|am|um|le|el|em|il)\s+")
# A stamp's label alone before the opener: "Erstellt von Anna Müller am 6. Mai 2014", "Publié par
# Jeanne Dupont le 3 mars", "Publicado por Juan Pérez el 3 de marzo".
_STAMP_LABEL = _lazy(
    r"^(?:" + _words(STAMP_LABELS) + "|" + _words(DATED_LABELS) + r")\s*:?$", re.IGNORECASE
)
_DATE_TEXT = _lazy(r"^(?=[^\n]*\d)" + _DATE_TOKEN + r"*+$", re.IGNORECASE)
# A person's title before the name ("Von Prof. Anna Müller"): an abbreviation, not a sentence's end.
_TITLES = r"(?i:prof|dipl|sen|rep|gov|gen|col|capt|lic|ing|mag|mme|mlle|sra|srta|dott|avv|sig|ass)"
# A colon, a quotation, a question or two sentences are no byline ("Di Maio: non mi dimetto");
# initials and titles are ("By J. K. Doe", "Von Prof. Anna Müller").
_NOT_A_NAME = re.compile(r"[:\"!?]|(?<![^\W\d_])(?!" + _TITLES + r"\.)[^\W\d_]{3,}\.\s+[A-ZÀ-ÖØ-Þ]")
# A byline's people are capitalised words, initials and the particles of names ("Ursula von der
# Leyen", "Jane Doe for The Times", "corresponsal en Bogotá"), or roles ("Staff Reporter", "et la
# rédaction"): another lower-case word or a figure makes the line a sentence or a heading ("Von
# Berlin nach Hamburg am 6. Mai", "Di Maio si dimette il 3 marzo", "By Friday, 40 people had
# died"), compared as the article's (reviewq, session 13).
_NAME_PARTICLES = frozenset(
    "von van der den de di da du del della des la le dos das do zu ten ter bin al el"
    " for für pour para per of the"
    # a correspondent's place ("Por Juan Pérez, corresponsal en Bogotá", "inviato a Kiev")
    " in en em à a aus at".split()
)
# A name's word: capitalised, also after an elided or Arabic article ("d'Ormesson", "al-Hassan").
_NAME_WORD = re.compile(r"^(?:[dlDL]['’]|(?i:al|el|ben|bin|ibn|abu|abd)-)?[A-ZÀ-ÖØ-Þ]")


# Small words a heading in Title Case capitalises and a byline writes in lower case, or never
# holds: articles, prepositions, conjunctions, question words ("By The Numbers", "Von Brüssel
# Nach Berlin", "Por Qué Sube El Pan", "Budget Talks Resume In Brussels"). The particles that
# names capitalise are left out ("María De La Cruz", "Ursula Von Der Leyen", "Van Der Berg"), and
# so are the words that are also given names or surnames ("Les", "Uma", "Una", "Per", "Con", "To",
# "Su", "Lo", "Au", "Nel", "An", "Un", "Na", "No"), and single letters (an initial: "By A. J.
# Smith", "Jane A Doe").
HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "or", "but", "nor", "of", "in", "on", "at", "for", "with", "from",
           "into", "onto", "over", "under", "after", "before", "about", "against", "as", "is",
           "are", "was", "were", "vs", "its", "how", "why", "what", "when", "who", "where"),
    "de": ("die", "ein", "eine", "einen", "und", "oder", "nach", "mit", "im", "zum", "zur",
           "für", "über", "auf", "aus", "vor", "gegen", "wie", "warum", "was", "ist", "sind"),
    "fr": ("une", "et", "ou", "aux", "sur", "pour", "dans", "avec", "contre", "chez", "sous",
           "comment", "pourquoi", "quand", "où", "est"),
    "es": ("los", "las", "en", "para", "sobre", "contra", "tras", "qué", "cómo", "cuándo",
           "dónde", "es"),
    "pt": ("os", "um", "em", "nos", "nas", "com", "sobre", "pelo", "pela", "como",
           "quando", "onde"),
    "it": ("il", "gli", "sul", "sulla", "negli", "come", "perché", "quando"),
}  # fmt: skip
_HEADING_WORDS = frozenset(w for language in HEADING_WORDS.values() for w in language)
# Words of one letter ("A man", "I am", "Y ahora", "E poi", "À Paris", "O governo", "É hoje"): a
# capital one opening a paragraph may be the word itself, not a drop cap set apart from its word
# (`compare.dropcaps`).
ONE_LETTER_WORDS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("a", "i", "o"),
    "es": ("a", "e", "o", "u", "y"),
    "de": (),
    "fr": ("a", "à", "y"),
    "pt": ("a", "à", "e", "é", "o"),
    "it": ("a", "e", "è", "i", "o"),
}
ONE_LETTER_WORDS = frozenset(
    w for language in ONE_LETTER_WORDS_BY_LANGUAGE.values() for w in language
)


def _names_people(name: str) -> bool:
    """Whether every word of a byline's name text is a name's, a particle or a role word, and
    the text is no heading in Title Case (`_is_titled_heading`)."""
    words = [word.strip("()[]'\"“”‘’.,;&+") for word in name.split()]
    return all(
        _NAME_WORD.match(word)
        or word.casefold() in _NAME_PARTICLES
        or word.casefold() in BYLINE_ROLE_WORDS
        or BYLINE_SEPARATOR.fullmatch(f" {word} ")
        for word in words
        if word
    ) and not _is_titled_heading(name.split())


def _is_titled_heading(written: list[str]) -> bool:
    """Whether a byline's name text, word by word as written, reads as a heading in Title Case:
    a small word capitalised (`HEADING_WORDS`) first or after a capitalised word ("By The
    Numbers", "Von Brüssel Nach Berlin"), in a text that is not all capitals ("BY JANE DOE AND
    JOHN SMITH" says nothing), names no role or outlet ("By The Associated Press") and lists no
    people joined by a conjunction ("By Jane Doe And John Smith": `_joins_names`). A small word
    after a particle is an outlet's name ("Jane Doe for The Times")."""
    if not any(word[:1].islower() or word[1:2].islower() for word in written):
        return False  # all capitals
    folded = [word.strip("()[]'\"“”‘’.,;&+").casefold() for word in written]
    if any(word in BYLINE_ROLE_WORDS for word in folded):
        return False
    if _joins_names(written, folded):
        return False
    for index, word in enumerate(written):
        if not word[:1].isupper() or folded[index] not in _HEADING_WORDS:
            continue
        if index == 0 or written[index - 1][:1].isupper():
            return True
    return False


# The conjunctions that join a byline's people (`BYLINE_JOINERS`: "and", "und", "et", "y", "e",
# "with"...), by themselves: capitalised between names ("By Jane Doe And John Smith", "Von Anna
# Müller Und Hans Meier") they are no heading's small word.
_JOINERS = frozenset(w for language in BYLINE_JOINERS.values() for w in language)
# A person joined to another is named by two words at least ("Jane Doe", "María De La Cruz"):
# "By Land And Sea", "Von Brüssel Und Berlin" join single words, as headings do.
NAME_MIN_WORDS = 2


def _joins_names(written: list[str], folded: list[str]) -> bool:
    """Whether a byline's name text lists people joined by a conjunction or a comma ("Jane Doe
    And John Smith", "Jane Doe, John Smith And Mary Major"): two names or more, each of
    `NAME_MIN_WORDS` capitalised words at least (particles between them: "María De La Cruz"),
    none of them a heading's small word ("The Numbers And The Figures" is a heading)."""
    names: list[list[tuple[str, str]]] = [[]]  # each name's words, as written and folded
    for word, key in zip(written, folded, strict=True):
        if key in _JOINERS:
            names.append([])
            continue
        if key:
            names[-1].append((word, key))
        if word.endswith(","):
            names.append([])
    names = [name for name in names if name]
    return len(names) >= 2 and all(
        len(name) >= NAME_MIN_WORDS
        and name[0][0][:1].isupper()
        and name[-1][0][:1].isupper()
        and not any(key in _HEADING_WORDS for _, key in name)
        for name in names
    )


def _is_stamp(text: str) -> bool:
    """A byline line's part that is the page's: a date, a time, a labelled stamp, a relative time
    or a counter ("March 3, 2020", "Updated 3 hours ago", "3 Comments", "Leave a comment")."""
    text = text.strip()
    return bool(text) and (
        bool(_DATE_TEXT.match(text) and names_only_times(text)) or is_furniture_line(text)
    )


def _without_stamp(part: str) -> str:
    """A byline line's part without the stamp after its words ("Jane Doe, March 3, 2020" → "Jane
    Doe", "Berlin, 06.12.2022" → "Berlin": a place beside the date is kept)."""
    for after in _NAME_THEN_STAMP.finditer(part):
        if _is_stamp(part[after.end() :]):
            return part[: after.start()]
    return part


# A quotation in a part after the byline ("By Jane Doe | “We will rebuild”"): the article's words.
_QUOTATION_MARK = re.compile(r"[\"“”„«»‹›「」『』]|(?<![^\W\d_])[‘‚']|[’'](?![^\W\d_])")


def _names_a_person(part: str) -> bool:
    """Whether a part after a byline's first ("By Jane Doe | John Smith", "| Staff Reporter",
    "| The Times") names people, roles or an outlet, not the article's words: a quotation, a
    teaser, a heading ("By Jane Doe | “We will rebuild”", "| Read the full story", "| Budget
    Talks Resume In Brussels")."""
    words = part.split()
    return (
        0 < len(words) <= BYLINE_LINE_MAX_WORDS
        and not _QUOTATION_MARK.search(part)
        and not _NOT_A_NAME.search(part)
        and _names_people(part)
    )


def byline_parts(line: str) -> tuple[str, str] | None:
    """A byline line's people and the article's words glued to it: ("Von Anna Müller", "") for
    "Von Anna Müller | 06.12.2022", ("By Jane Doe", "“We will rebuild”") for "By Jane Doe |
    “We will rebuild”" (a quotation or a teaser after the byline's separator is compared as the
    article's text, not as a person). Stamps and counters are left out of both. None when the
    line is no byline (too long, no opener and capitalised name, a sentence, a heading)."""
    pieces = _byline_pieces(line)
    if pieces is None:
        return None
    people = " | ".join(piece for piece, person in pieces if person)
    return people, " | ".join(piece for piece, person in pieces if not person)


def byline_line(line: str) -> str | None:
    """The byline line without its stamps and counters, its other parts in their order ("Von
    Anna Müller | 06.12.2022" → "Von Anna Müller", "11/19/2019 by Jane Doe" → "by Jane Doe", "By
    Jane Doe | Staff Reporter" and "By Jane Doe | “We will rebuild”" as they are). None when the
    line is no byline (`byline_parts`). A byline line's text is its own byline line."""
    pieces = _byline_pieces(line)
    return None if pieces is None else " | ".join(piece for piece, _ in pieces)


def _byline_pieces(line: str) -> list[tuple[str, bool]] | None:
    """A byline line's parts without stamps and counters, in order, each with whether it names
    people, a role or an outlet (the first always does); None when the line is no byline."""
    if len(line) > BYLINE_LINE_MAX_CHARS or not _OPENER_WORD.search(line):
        return None  # most short lines: one search instead of a split at every space
    if not _BYLINE_HEAD.match(line):
        for opener in _BY_AFTER_STAMP.finditer(line):
            stamp = line[: opener.start()]
            if stamp and (_STAMP_LABEL.match(stamp) or _is_stamp(stamp)):
                line = line[opener.end() :]
                break
        else:
            return None
    first, *rest = _BYLINE_PARTS.split(line)
    first = _without_stamp(first)
    name = _BYLINE_HEAD.sub("", first, count=1).rstrip(" .")
    words = name.split()
    if not words or len(words) > BYLINE_LINE_MAX_WORDS or _NOT_A_NAME.search(name):
        return None
    if not _names_people(name):
        return None  # a heading or a sentence ("Von Berlin nach Hamburg am 6. Mai")
    if first.rstrip().endswith(".") and len(words[-1].rstrip(".")) > 2:
        return None  # a sentence's end ("By Monday the council had voted."), not "Jr." or "J."
    kept = (_without_stamp(part).strip() for part in rest if not _is_stamp(part))
    return [(first.rstrip(), True), *((part, _names_a_person(part)) for part in kept)]


# --- a dateline with the page's stamp ----------------------------------------------------------
# A line that is only a place, its agency and the page's stamp: "Madrid - 12 MAR 2024 - 10:32
# CET", "Berlin, 12.03.2024, 10:32 Uhr", "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
# "Actualizado: 12/03/2024 10:32 - Madrid", "Paris, mis à jour le 12/03/2024 à 10h32". A site
# stamps it anew at every update: the stamp is the page's (its dates are the article's fields),
# the place and the agency are the article's. The comparison reads the line as its place and
# agency and a dash ("Madrid —", "LONDON (Reuters) —", `normalize.normalize_body`;
# `STAMPED_DATELINE_KEY` reads it back, `compare.credits` compares it as a dateline): a re-stamp
# is no change, another place or agency is. A line with any other word is none: prose after the
# dateline ("LONDON, March 12 (Reuters) - The Bank of England raised rates ...") is read by the
# dateline rules (`compare.credits`); a figure that is no date or time ("Madrid - 3 dead") is the
# article's.
STAMPED_DATELINE_MAX_CHARS = 100  # a place of four words, an agency, two labelled stamps
# Between the place and the stamp: a comma, a bar or a bullet, or a dash or slash between spaces
# ("Madrid - 12 MAR", "Berlin, 12.03.2024", "12/03/2024 10:32 - Madrid"); a date's own slashes
# and hyphens touch its figures.
_STAMP_SEPARATOR = r"\s*[,|·•]\s*|\s+[-–—/]+\s+"
_STAMPED_PLACE = rf"(?:{_PLACE_CAPS}|{_PLACE_TITLE})"
_PLACE_THEN_STAMP = _lazy(rf"^\W*(?P<place>{_STAMPED_PLACE})(?:{_STAMP_SEPARATOR})")
_PLACE_AT_END = _lazy(rf"(?:{_STAMP_SEPARATOR})(?P<place>{_STAMPED_PLACE})[\s.]*$")
_STAMP_SEPARATORS = _lazy(_STAMP_SEPARATOR)
_DIGIT = re.compile(r"\d")
# The line as the comparison keeps it (`stamped_dateline`): "Madrid —", "LONDON (Reuters) —".
# An agency alone is a dateline without a place ("(Reuters) - Updated 10:32 GMT" → "(Reuters) —").
STAMPED_DATELINE_KEY = _lazy(
    rf"^(?:(?P<place>{_STAMPED_PLACE})(?: {_AGENCY})*|{_AGENCY}(?: {_AGENCY})*) —$"
)
# A stamp's own words are no place ("Monday, 12 March 2024", "Updated, 12.03.2024").
_STAMP_WORD = _lazy(
    r"(?:"
    + "|".join(_words(table) for table in (DATED_LABELS, STAMP_LABELS, DATE_WORDS, DATELINE_MONTHS))
    + r")\.?",
    re.IGNORECASE,
)
# A clock time or a stamp's label: the stamp of a place written in ordinary case needs one ("Paris,
# 3 March" or "Elections - 12 March 2024" may be a heading whose date is the article's; "Paris,
# 10:32" and "Paris, mis à jour le 3 mars" are stamps).
_CLOCK = re.compile(r"(?<![\d./-])\d{1,2}[:.h]\d{2}(?![./-]?\d)")  # not "12.03" of "12.03.2024"
_STAMP_LABEL_WORD = _lazy(
    r"(?<![^\W\d_])(?:" + _words(DATED_LABELS) + "|" + _words(STAMP_LABELS) + r")(?![^\W\d_])",
    re.IGNORECASE,
)


def _stamp_of_dateline(text: str, strong: bool) -> bool:
    """Whether `text` is only the page's stamp: dates, times, zones and their labels
    (`_DATE_TEXT`), every figure a date or a time (`names_only_times`), with a clock time or a
    stamp's label unless the dateline is `strong` (a place in capitals or an agency: "LONDON,
    March 12")."""
    return (
        bool(_DATE_TEXT.match(text))
        and names_only_times(text)
        and (strong or bool(_CLOCK.search(text) or _STAMP_LABEL_WORD.search(text)))
    )


def stamped_dateline(line: str) -> str | None:
    """The place and agency of a line that is only a dateline and the page's stamp, with a dash
    ("Madrid - 12 MAR 2024 - 10:32 CET" → "Madrid —", "LONDON, March 12 (Reuters) - Updated
    10:32 GMT" → "LONDON (Reuters) —", "Actualizado: 12/03/2024 10:32 - Madrid" → "Madrid —");
    None for any other line (also for what it returns: it has no figure). The place is a few
    bounded words at either end; each expression reads the (short) line once."""
    if len(line) > STAMPED_DATELINE_MAX_CHARS or not _DIGIT.search(line):
        return None
    agencies = [agency.group() for agency in DATELINE_AGENCY.finditer(line)]
    text = (DATELINE_AGENCY.sub(" - ", line) if agencies else line).strip()
    if agencies and _stamp_of_dateline(text, strong=True):
        return " ".join([*agencies, "—"])  # an agency without a place
    first = _PLACE_THEN_STAMP.match(text)
    if first and _dateline_and_stamp(first["place"], text[first.end() :], bool(agencies)):
        return " ".join([first["place"], *agencies, "—"])
    separators = list(_STAMP_SEPARATORS.finditer(text))  # the place at the end: after the last
    if not separators:
        return None
    before = separators[-1].start()
    last = _PLACE_AT_END.match(text, before)
    if last and _dateline_and_stamp(last["place"], text[:before], bool(agencies)):
        return " ".join([last["place"], *agencies, "—"])
    return None


def _dateline_and_stamp(place: str, stamp: str, agency: bool) -> bool:
    """Whether `place` opens with no word of a stamp's ("Monday", "Updated"; "Rio de Janeiro"
    is a place) and `stamp` is the page's stamp (`_stamp_of_dateline`; a place in capitals or an
    agency makes a dateline without a clock time or a label: "LONDON, March 12")."""
    if _STAMP_WORD.fullmatch(place.split()[0]):
        return False
    strong = agency or (place.isupper() and len(place) > 2)
    return _stamp_of_dateline(stamp, strong)


CREDIT = _lazy(
    r"^\W*(?:" + _words(CREDIT_ROLES) + r")\b\s*:?",
    re.IGNORECASE,
)
CREDIT_ROLE = _lazy(
    r"(?:^|(?<=[;,(]))\s*(?:" + _words(CREDIT_ROLES) + r")\b\s*:?\s*", re.IGNORECASE
)
CREDIT_PLACE = _lazy(
    r"\s+(?:" + "|".join(CREDIT_PLACE_WORDS) + r")\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*"
    r"(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*)*"
)

# --- emoji written as text ----------------------------------------------------------------------
# An emoji that a page renders as its shortcode (":red_heart:") or as a described image ("(heart
# emoji)", "[emoji]", "(emoji de corazón)"): the same mark as the emoji itself or as nothing, which
# normalisation already ignores, so a quotation losing or restyling one is not an edit.
EMOJI_TEXT = _lazy(
    r":[a-z][a-z0-9_+-]{1,40}:|[(\[][^()\[\]]{0,40}\b(?:emoji|emojis|emoticon|emoticono)\b"
    r"[^()\[\]]{0,40}[)\]]",
    re.IGNORECASE,
)

# --- list markers -------------------------------------------------------------------------------
# A month's name after a day: a whole name of four letters or more ("21. November"), or a short
# one ("Mai", "mar", "set") followed by a figure or punctuation ("3. Mai:", "4. mar. 2024"), so
# that "2) Mar-a-Lago" and "a) set of tools" stay list items.
_MONTH_NAMES = sorted(
    {m for names in DATELINE_MONTHS.values() for m in names}, key=len, reverse=True
)
_MONTH_AFTER_DAY = (
    r"(?i:(?:" + "|".join(re.escape(m) for m in _MONTH_NAMES if len(m) >= 4) + r")\b"
    r"|(?:" + "|".join(re.escape(m) for m in _MONTH_NAMES if len(m) < 4) + r")"
    r"(?:\.?\s*\d|\.?\s*$|[.,:;]))"
)
# Markers at the start of a list item, however the page writes them: trafilatura's "- ", bullets,
# "1." / "2)" / "(3)" / "a)", Japanese "・" and "①". Dropped before comparing (`normalize_body`: a
# list renumbered is not an edit); a number is a marker only when followed by a space and a
# non-digit ("1. First" but not "1.5 m"), or alone on its line. An opening bracket must close
# ("(3)", not the "(21." of "(21. November 2022)"), and a number before a month's name is a date
# ("21. November", "3. Mai"), whose change is an edit.
# A dash ("–", "—") opening a line is no bullet: it opens a line of dialogue, the Spanish,
# Portuguese and French quotation ("— Hemos hecho todo lo posible — dijo el alcalde.", "–
# Fizemos tudo, afirmou o prefeito."), whose words are then a quotation.
_BULLET = r"[-•·・▪●■◦‣*►▸]\s+|[•·・▪●■◦‣►▸]\s*(?=\w)"
_NUMBERED = (
    r"(?:\((?:\d{1,2}|[a-z])\)|(?:\d{1,2}|[a-z])[.)])(?!\s*" + _MONTH_AFTER_DAY + ")"
    r"(?:\s+(?=[^\d\s])|\s*$)"
    r"|[①-⑳](?=\w)|[①-⑳]\s+"
)
LIST_MARKER = _lazy(r"^(?:" + _BULLET + "|" + _NUMBERED + ")+")
# Only the marks no reader reads as words: trafilatura's "- " before a list item and bullets.
# Extraction drops these; numbers and letters ("5. Kristi Dosh", "c) Strategie") are the page's
# own words, kept in the body as the page shows them (the comparison still ignores them).
BULLET_MARKER = _lazy(r"^(?:" + _BULLET + ")+")

# --- links to other articles --------------------------------------------------------------------
# A body line that opens with one of these and a colon is a link to another article set among the
# paragraphs ("Read more: Looted colonial art", "Lea también: ..."): not the article's text, and
# changed whenever an editor picks another link. Dropped from extracted bodies. (A bare "Lea:" is
# left alone: it is also a name before an interview answer.)
SEE_ALSO: dict[str, tuple[str, ...]] = {
    "en": ("read more", "read also", "also read", "see also", "related"),
    "es": (
        "lea también", "lea tambien", "lea más", "lea mas", "lee también", "lee tambien",
        "vea también", "vea tambien", "le puede interesar", "te puede interesar",
    ),
    "de": (
        "lesen sie auch", "lesen sie mehr", "auch lesen", "mehr zum thema", "auch interessant",
        "das könnte sie auch interessieren",
    ),
    "fr": ("à lire aussi", "a lire aussi", "lire aussi", "à lire", "voir aussi"),
    "it": ("leggi anche",),
    "pt": ("leia também", "leia tambem", "veja também", "veja tambem", "saiba mais"),
    "pl": ("czytaj też", "czytaj także", "czytaj również", "zobacz też", "zobacz także"),
}  # fmt: skip
SEE_ALSO_LINE = _lazy(r"^(?:" + _alternation(SEE_ALSO) + r")\s*:", re.IGNORECASE)

# Headings over a rail of links to other pages set inside an article ("Related", "Top
# multimedia", "Mehr zum Thema", "Sur le même sujet"): a list under one whose items are a label
# and a link ("Times Topic: <a>New Start Treaty</a>", "Infographics: <a>...</a>") is furniture
# (`monitor.extract.roles`), whatever the container's class says. Matched whole, as regexes.
RAIL_HEADINGS: dict[str, tuple[str, ...]] = {
    "en": (
        r"related(?:\s+(?:stories|articles?|coverage|content|links|news|reading|topics))?",
        r"more(?:\s+(?:stories|news|coverage|on\s+this(?:\s+(?:story|topic))?))",
        r"(?:top|latest|popular|trending|more)\s+(?:stories|news|articles|multimedia|videos?)",
        r"multimedia", r"most\s+(?:read|popular|viewed|emailed|shared)", r"see\s+also",
        r"you\s+may\s+also\s+like", r"recommended(?:\s+for\s+you)?", r"in\s+this\s+section",
    ),
    "es": (
        r"(?:noticias|art[ií]culos|contenidos?)\s+relacionad[oa]s", r"relacionad[oa]s",
        r"lo\s+m[aá]s\s+le[ií]do", r"m[aá]s\s+noticias", r"te\s+puede\s+interesar",
        r"multimedia", r"ver\s+tambi[ée]n",
    ),
    "de": (
        r"mehr\s+zum\s+thema", r"verwandte\s+(?:artikel|themen)", r"meistgelesen(?:e)?",
        r"weitere\s+(?:artikel|nachrichten|meldungen)", r"multimedia",
        r"das\s+k[öo]nnte\s+sie\s+auch\s+interessieren",
    ),
    "fr": (
        r"(?:[àa]\s+)?lire\s+aussi", r"sur\s+le\s+m[êe]me\s+sujet", r"articles\s+li[ée]s",
        r"les\s+plus\s+lus", r"voir\s+aussi", r"multim[ée]dia", r"dans\s+la\s+m[êe]me\s+rubrique",
    ),
    "pt": (
        r"(?:not[ií]cias\s+)?relacionadas", r"leia\s+tamb[ée]m", r"mais\s+lidas",
        r"veja\s+tamb[ée]m", r"multim[ií]dia", r"saiba\s+mais",
    ),
    "it": (
        r"(?:articoli\s+)?correlati", r"leggi\s+anche", r"(?:i\s+)?pi[uù]\s+letti",
        r"multimedia", r"potrebbe\s+interessarti",
    ),
}  # fmt: skip
RAIL_HEADING = _lazy(r"^\W*(?:" + _alternation(RAIL_HEADINGS) + r")\W*$", re.IGNORECASE)
# A rail item's label: a few words and a colon before the link ("News Analysis:", "Video:").
RAIL_LABEL = _lazy(r"^\s*(?:[^\W\d_][\w'’.-]*\s+){0,3}[^\W\d_][\w'’.-]*\s*:\s*(?=\S)")

# --- the site's note on its affiliate links ------------------------------------------------------
# A line whose first sentence tells the reader that the page's links earn the site a commission
# ("Dieser Artikel kann Links zu Anbietern enthalten, von denen outdoor-magazin eine Provision
# erhält.", "This post may contain affiliate links."): the template's note set into many articles,
# not the article's (`monitor.extract.roles`). Both an affiliate or paid link (AFFILIATE_LINKS) and
# the site or the page as the one speaking (AFFILIATE_SPEAKERS) must be there: "Amazon cut the
# commission it pays on affiliate links" is a news sentence.
AFFILIATE_LINKS: dict[str, tuple[str, ...]] = {
    "en": (
        r"affiliate[- ]?links?", r"as an amazon associate",
        r"links?\b[^.!?]{0,80}\b(?:commission|compensat(?:ed|ion))",
        r"(?:commission|compensat(?:ed|ion))\b[^.!?]{0,80}\blinks?",
    ),
    "de": (
        r"(?:affiliate|partner|werbe|provisions)-?links?", r"links?\b[^.!?]{0,80}\bprovision",
        r"provision\b[^.!?]{0,80}\blinks?",
    ),
    "es": (
        r"enlaces? (?:de )?afiliad[oa]s?", r"enlaces?\b[^.!?]{0,80}\bcomisi[óo]n",
    ),
    "fr": (
        r"liens? (?:d['’])?affili(?:[ée]s?|ation)", r"liens?\b[^.!?]{0,80}\bcommission",
    ),
    "pt": (r"links? (?:de )?afiliad[oa]s?", r"links?\b[^.!?]{0,80}\bcomiss[ãa]o"),
    "it": (r"link (?:di )?affiliazione", r"link affiliat[oi]", r"link\b[^.!?]{0,80}\bcommissione"),
}  # fmt: skip
AFFILIATE_SPEAKERS: dict[str, tuple[str, ...]] = {
    "en": (r"we", r"us", r"our", r"i", r"this (?:post|article|page|story|site)", r"marked"),
    "de": (
        r"wir", r"uns", r"ich", r"mir", r"(?:dieser|diesem) (?:artikel|beitrag|text|seite)",
        r"diese (?:seite|links)", r"gekennzeichnet(?:en)?",
    ),
    "es": (r"nosotros", r"recibimos", r"ganamos", r"este (?:art[ií]culo|post)", r"marcados"),
    "fr": (r"nous", r"cet (?:article|post)", r"cette page", r"marqu[ée]s"),
    "pt": (r"n[óo]s", r"recebemos", r"este (?:artigo|post)", r"marcados"),
    "it": (r"noi", r"riceviamo", r"questo (?:articolo|post)", r"contrassegnat[io]"),
}  # fmt: skip
AFFILIATE_LINK = _lazy(r"\b(?:" + _alternation(AFFILIATE_LINKS) + r")\b", re.IGNORECASE)
AFFILIATE_SPEAKER = _lazy(r"\b(?:" + _alternation(AFFILIATE_SPEAKERS) + r")\b", re.IGNORECASE)

# --- template text inside a sentence ------------------------------------------------------------
# Labels a template writes into links for screen readers and external-link icons: "Read the
# report (opens in a new tab)". Not the article's words: normalisation removes them wherever they
# stand, so a template adding them leaves every sentence as it was. In brackets any of these; the
# long phrases (they cannot be prose) also without brackets.
LINK_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        r"(?:this link )?opens? (?:in )?(?:a )?new (?:browser )?(?:tab|window)",
        r"(?:link is |links? to (?:an )?)?external (?:link|site|website)",
        r"link is external", r"new (?:tab|window)", r"external", r"pdf",
    ),
    "de": (
        r"(?:link )?öffnet (?:sich )?in (?:einem )?neue[mn] (?:fenster|tab)",
        r"externer link", r"neues fenster", r"neuer tab", r"extern",
    ),
    "fr": (
        r"(?:lien )?(?:s'ouvre|ouvre|ouverture) dans une? nouvel(?:le)? (?:onglet|fenêtre)",
        r"lien externe", r"nouvel onglet", r"nouvelle fenêtre",
    ),
    "es": (
        r"(?:enlace )?(?:se )?abre en (?:una )?nueva (?:pestaña|ventana)",
        r"enlace externo", r"nueva ventana", r"nueva pestaña",
    ),
    "it": (
        r"(?:link )?(?:si )?apre in una nuova (?:finestra|scheda)",
        r"link esterno", r"nuova finestra", r"nuova scheda",
    ),
    "pt": (
        r"(?:link )?(?:se )?abre (?:em )?(?:uma )?nova (?:aba|janela|guia)",
        r"link externo", r"nova janela", r"nova aba",
    ),
}  # fmt: skip
# Of those, the phrases removed without brackets too ("Read the report, opens in a new tab").
_LINK_LABEL_PHRASES = tuple(label for labels in LINK_LABELS.values() for label in labels[:1])
# A bracket opens the pattern so that the regex engine skips ahead to brackets (ten times faster
# than a pattern opening with a space).
LINK_LABEL = _lazy(r"[(\[]\s*(?:" + _alternation(LINK_LABELS) + r")\s*[)\]]", re.IGNORECASE)
LINK_LABEL_PHRASE = _lazy(
    r"[,–—-]?[ \t]*\b(?:" + "|".join(_LINK_LABEL_PHRASES) + r")\b", re.IGNORECASE
)
# Every label holds one of these (case-folded), every phrase one of the second: a text without
# any is not searched (most texts are not).
LINK_LABEL_HINTS = (
    "new tab",
    "new window",
    "new browser",
    "fenster",
    "neuen tab",
    "neuer tab",
    "onglet",
    "fenêtre",
    "pestaña",
    "ventana",
    "finestra",
    "scheda",
    "nova aba",
    "nova janela",
    "nova guia",
    "extern",
    "estern",
    "(pdf)",
    "[pdf]",
)
LINK_LABEL_PHRASE_HINTS = ("open", "öffnet", "ouvr", "abre", "apre")  # fmt: skip
# Stock-exchange codes a site writes before a ticker, and the live quote a widget writes after it:
# "Amazon (NASDAQ:AMZN)" and "Amazon (AMZN 3.60%)" are the same words ("Amazon (AMZN)"). A quote
# is read only with two decimals, as widgets print it, so "(GDP 3.5%)" in prose stays.
STOCK_TICKER = _lazy(
    r"\(\s*(?:(?i:nasdaq|nyse|nysemkt|nyse ?american|nyse ?arca|amex|otc|otcqx|otcmkts|tsx|tsxv"
    r"|lse|asx|xetra|fra|etr|epa|bit|bme|tyo|tse|hkex|hkg|six|swx|cboe|bats)(?:gs|gm|cm)?"
    r"\s*:\s*)?(?P<symbol>[A-Z][A-Z0-9.\-]{0,7})"
    r"(?:\s*(?:[+\-−]\s*)?\d{1,4}\.\d{2}\s*%)?\s*\)"
)
# Share and comment counters a template sets at the edge of a paragraph: "1.2K shares The
# council..." or "...on weekdays. 12 comments". Only at an edge and only after a full stop (at the
# end) or before anything but a lowercase letter (at the start: a capital, a quotation mark, a
# bracket, a date): "the company issued 500 shares", "500 shares were sold" are prose.
_COUNTER = (
    r"\d[\d,.]*\s?[kKmM]?\+?\s+(?i:shares?|comments?|kommentare?|commentaires?|commenti"
    r"|coment[aá]rios?|partages?|condivisioni|compartilhamentos|mal geteilt)"
)
EDGE_COUNTER = _lazy(
    r"^" + _COUNTER + r"\s*[|·•:\-–—]?\s+(?![a-zß-öø-ÿ])"
    r"|(?<=[.!?\"”])\s+" + _COUNTER + r"\s*$"
)

# --- author biographies -------------------------------------------------------------------------
# A sentence introducing the author by a newsroom role ("Emma Grey Ellis is a staff writer at
# WIRED", "Max Muster ist Redakteurin im Ressort Politik"): read as a biography only at the
# article's edge (see `monitor.compare.placement.weigh_bios`), since a story can be about a
# reporter.
BIO_ROLES: dict[str, tuple[str, ...]] = {
    "en": ("reporter", "writer", "editor", "correspondent", "columnist", "contributor",
           "journalist", "producer", "photographer", "critic", "fellow", "intern", "author"),
    "de": ("redakteur", "redakteurin", "reporter", "reporterin", "korrespondent",
           "korrespondentin", "autor", "autorin", "journalist", "journalistin"),
    "fr": ("journaliste", "rédacteur", "rédactrice", "correspondant", "correspondante",
           "reporter", "chroniqueur", "chroniqueuse"),
    "es": ("periodista", "redactor", "redactora", "corresponsal", "reportero", "reportera",
           "columnista", "editor", "editora"),
    "it": ("giornalista", "redattore", "redattrice", "corrispondente", "inviato", "inviata"),
    "pt": ("jornalista", "repórter", "redator", "redatora", "correspondente", "colunista"),
}  # fmt: skip
# "is", "has been" ... in the lexicon's languages.
_BIO_VERBS = r"(?:is|was|has\s+been|ist|war|est|était|a\s+été|es|era|ha\s+sido|è|é|foi)"
# Before the role, a few words, a list of roles among them ("a reporter, blogger and editor",
# "Reporter, Autor und Redakteur"); after it, where or what for, a few words on ("who's been at").
AUTHOR_BIO = _lazy(
    r"^(?!(?i:the|a|an|this|that|he|she|it|they|der|die|das|le|la|el|il|o|a)\s)"
    r"(?:(?-i:[A-ZÀ-ÖØ-Þ])[\w'’.-]{0,30}\s){1,3}" + _BIO_VERBS + r"\s(?:[\w'’-]{1,30},?\s){0,5}?"
    r"(?:" + _words(BIO_ROLES) + r")\w{0,3}\b"
    # then where or what for: "at WIRED", "for The Times", "covering", "bei der Zeit", "au Monde"
    r"(?:\s[\w'’-]{1,30}){0,2}?\s(?:at|for|with|covering|based|who covers|bei|für|im|au|à|pour|"
    r"de|del|en|per|presso|na|no|do|da)\b",
    re.IGNORECASE,
)
