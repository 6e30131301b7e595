"""Quotations in the styles of other languages, and names corrected inside them."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.quotes import quote_spans
from monitor.extract.article import Article


def kinds(old: str, new: str) -> list[str]:
    return [e.kind for e in compare(Article(body=old), Article(body=new))]


QUOTE_STYLES = [
    ("en", '"We did everything we could," the mayor said.', "everything", "nearly everything"),
    ("de", "„Wir haben alles getan“, sagte der Bürgermeister.", "alles", "fast alles"),
    ("fr", "« Nous avons tout fait », a dit le maire.", "tout", "presque tout"),
    ("fr", "‹Nous avons tout fait›, dit le maire.", "tout", "presque tout"),
    ("es", "«Hemos hecho todo lo posible», dijo el alcalde.", "todo", "casi todo"),
    ("ja", "「私たちはできることを全部した」と市長は言った。", "全部", "ほとんど"),
    ("en-gb", "'We did everything we could,' the mayor said.", "everything", "nearly everything"),
    ("en-gb", "The mayor said: ‘We did everything we could.’", "everything", "nearly everything"),
    ("de", "„Wir haben alles getan“, sagte der Bürgermeister.", "getan", "versucht"),
    ("de", "‚Wir haben alles getan‘, sagte der Bürgermeister.", "alles", "fast alles"),
    ("de", "»Wir haben alles getan«, sagte der Bürgermeister.", "alles", "fast alles"),
    ("de", "Er sagte, »dass wir alles getan haben«, und ging.", "alles", "fast alles"),
    ("es", "— Hemos hecho todo lo posible — dijo el alcalde.", "todo", "casi todo"),
    ("pt", "— Fizemos tudo o que podíamos — disse o prefeito.", "tudo", "quase tudo"),
    ("pt", "– Fizemos tudo o que podíamos, afirmou o prefeito.", "tudo", "quase tudo"),
    # a quotation whose first word is one a mark can elide the start of ('cause, 'bout, 'tis):
    # a closing mark after punctuation, or right after that word, says the mark opened it
    ("en-gb", "'Cause of death unknown,' the coroner said on Friday.", "unknown", "unclear"),
    ("en-gb", "‘Bout after bout, he kept going,’ his coach said.", "going", "fighting"),
    ("en-gb", "‘Tis the season to be careful,’ the minister said.", "careful", "cautious"),
    ("en-gb", "The minister said: 'Em is the best of them.'", "best", "finest"),
]


NESTED_QUOTES = [
    # A quotation inside a quotation: normalised, „…” and "…" are both ", and the inner closing
    # mark does not close the outer quotation.
    ("pl", '"Rosja powinna działać, pozostawiając „upartych partnerów” bez gazu." - pisze portal.',
     "bez gazu", "bez ropy", ["quote"]),
    ("pl", 'Tak pisze portal. "Rosja powinna działać. Pozostawiając „upartych partnerów” bez gazu '
     'nawet teraz?" - konkluduje portal.', "nawet teraz", "także teraz", ["quote"]),
    ("en", '"They called it a „big win” for the town and for us," she said.', "town", "city",
     ["quote"]),
    # Two quotations side by side: the words between them are not quoted.
    ("en", 'He called it "a plan for all" and then "a failure for many" in one speech.',
     "and then", "but later", ["sentence_changed"]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "sentence", "old", "new", "expected"), NESTED_QUOTES)
def test_words_after_a_quotation_inside_a_quotation_are_still_quoted(
    language: str, sentence: str, old: str, new: str, expected: list[str]
) -> None:
    assert kinds(sentence, sentence.replace(old, new, 1)) == expected


UNBALANCED_THEN_PROSE = [
    # A closing mark typed after a space opens nothing: the quotation ends there, and the next
    # sentence of the paragraph is not quoted.
    ("en", 'The reports depicted "technical challenges and schedule delays ". The agency said it '
     "would answer on Monday.", "on Monday", "by the end of the week", False),
    # A quotation left open by a stray mark ends where the next sentence opens a new one.
    ("en", 'A sample came in called "Glasgow ("No Place Like Home"). "It grabbed me by the heart '
     'the moment I heard it," he said.', "heart", "soul", True),
]  # fmt: skip


@pytest.mark.parametrize(("language", "paragraph", "old", "new", "quoted"), UNBALANCED_THEN_PROSE)
def test_a_stray_quotation_mark_leaves_the_next_sentence_as_it_is(
    language: str, paragraph: str, old: str, new: str, quoted: bool
) -> None:
    assert ("quote" in kinds(paragraph, paragraph.replace(old, new, 1))) is quoted


ELIDED_BEFORE_A_QUOTATION = [
    # French elides the article before a quotation: d'« … », l'« … », qu'« … »
    ("fr", "Le ministre a qualifié la décision d'« inacceptable » hier soir à Paris.",
     "inacceptable", "injuste", True),
    ("fr", "Le ministre a qualifié la décision d’« inacceptable » hier soir à Paris.",
     "hier soir", "mardi", False),
    ("fr", "Il parle de l'«affaire Dupont» depuis des semaines à la radio.", "affaire", "histoire",
     True),
    ("fr", "Il parle de l'«affaire Dupont» depuis des semaines à la radio.", "des semaines",
     "trois mois", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "sentence", "old", "new", "quoted"), ELIDED_BEFORE_A_QUOTATION
)
def test_a_quotation_after_an_elided_article_is_read_as_one(
    language: str, sentence: str, old: str, new: str, quoted: bool
) -> None:
    assert ("quote" in kinds(sentence, sentence.replace(old, new, 1))) is quoted


@pytest.mark.parametrize(("language", "sentence", "old", "new"), QUOTE_STYLES)
def test_words_changed_inside_a_quotation_of_any_style_are_a_quote_edit(
    language: str, sentence: str, old: str, new: str
) -> None:
    assert kinds(sentence, sentence.replace(old, new, 1)) == ["quote"]


# A double quotation mark typed as two single ones: ’’ or '' closing, ‘‘ or `` opening.
TWO_MARKS_AS_ONE = [
    "The mayor said ‘‘we did everything we could’’ before the vote.",
    "The mayor said ``we did everything we could'' before the vote.",
    "The mayor said “we did everything we could’’ before the vote.",
    "The mayor said \"we did everything we could'' before the vote.",
    "‘‘We did everything we could,’’ the mayor said before the vote.",
]


@pytest.mark.parametrize("sentence", TWO_MARKS_AS_ONE)
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("everything", "nearly everything", ["quote"]),  # inside the quotation
        ("before the vote", "after the vote", ["sentence_changed"]),  # outside it
    ],
)
def test_a_double_mark_typed_as_two_single_ones_quotes_like_one(
    sentence: str, old: str, new: str, expected: list[str]
) -> None:
    assert kinds(sentence, sentence.replace(old, new)) == expected


RETYPED_MARKS = [
    # (opening, closing) before → after: the same quotation, typed another way
    (("‘‘", "’’"), ("“", "”")),
    (("``", "''"), ('"', '"')),
    (("“", "’’"), ("“", "”")),
    (("‘‘", "’’"), ("``", "''")),
    (('"', "''"), ("«", "»")),
]


@pytest.mark.parametrize(("before", "after"), RETYPED_MARKS)
def test_a_double_mark_retyped_as_two_single_ones_is_no_edit(
    before: tuple[str, str], after: tuple[str, str]
) -> None:
    sentence = "The mayor said {}we did everything we could{} before the vote."
    assert kinds(sentence.format(*before), sentence.format(*after)) == []


NAMES_IN_QUOTES = [
    ("en", '"We thank Jon Smiht for his work," she said.', "Smiht", "Smith"),
    ("de", "„Wir danken Herrn Müler für seine Arbeit“, sagte sie.", "Müler", "Müller"),
    ("fr", "« Nous remercions Jean Dupond pour son travail », a-t-elle dit.", "Dupond", "Dupont"),
    ("it", "«Ringraziamo Marco Rosi per il lavoro», ha detto.", "Rosi", "Rossi"),
    ("es", "«Agradecemos a Juan Péres por su trabajo», dijo.", "Péres", "Pérez"),
    ("pt", "— Agradecemos ao João Silvia pelo trabalho — disse ela.", "Silvia", "Silva"),
    ("en-gb", "'We thank Jon Smiht for his work,' she said.", "Smiht", "Smith"),
    ("en-gb", "‘We thank Jon Smiht for his work,’ she said.", "Smiht", "Smith"),
    ("de", "»Wir danken Herrn Müler für seine Arbeit«, sagte sie.", "Müler", "Müller"),
    ("fr", "‹Nous remercions Jean Dupond›, dit-elle.", "Dupond", "Dupont"),
    ("en", '"We thank Jon Smiht-Jones for his work," she said.', "Smiht", "Smith"),
    ("en", '"We thank Sean O\'Brein for his work," she said.', "O'Brein", "O'Brien"),
    ("fr", "« Nous remercions Jean-Pierre Dupond pour son travail », a-t-elle dit.", "Dupond",
     "Dupont"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "sentence", "old", "new"), NAMES_IN_QUOTES)
def test_a_name_corrected_inside_a_quotation_is_a_name_edit(
    language: str, sentence: str, old: str, new: str
) -> None:
    assert kinds(sentence, sentence.replace(old, new)) == ["name"]


NOT_QUOTATIONS = [
    ("en", "The students' union said it would back the plan for the town.", "back", "oppose"),
    ("en", "O'Brien's team didn't back the plan for the town.", "back", "oppose"),
    ("en", "Homes built in the '90s will get new windows.", "windows", "roofs"),
    ("en", "The shop stays open 'til the players' union meets, it said.", "players", "workers"),
    ("en", "Fans talked 'bout the players' pay all night long.", "players", "owners"),
    # an elision before a quotation in single quotes opens nothing: the quotation is 'Hamlet,'
    ("en", "We stayed 'til the end of 'Hamlet,' she said.", "stayed", "waited"),
    ("en", "Rents rose - and kept rising - across the city.", "kept", "went on"),
    ("pt", "O prefeito - que tomou posse em janeiro - aprovou o plano.", "janeiro", "fevereiro"),
    # an embedded post's signature line opens with a dash: an attribution, not dialogue
    ("en", "— Hertha BSC (@HerthaBSC) June 1, 2017", "2017", "2018"),
    ("es", "— Real Madrid C.F. (@realmadrid) 3 de mayo de 2024", "mayo", "junio"),
]


# A mark before a word whose start it can elide ('til, 'bout, 'cause): a quotation when the
# next mark closes one beyond doubt (right after that word, or after punctuation).
ELISIONS_AND_QUOTATIONS = [
    ("The report listed the 'cause' of the fire as unknown.", ["'cause'"]),
    ("'Cause of death unknown,' the coroner said.", ["'Cause of death unknown,'"]),
    ("We stayed 'til the end of 'Hamlet,' she said.", ["'Hamlet,'"]),
    ("The shop stays open 'til the players' union meets.", []),
    ("They left 'cause it rained.", []),
]


@pytest.mark.parametrize(("sentence", "quoted"), ELISIONS_AND_QUOTATIONS)
def test_a_mark_eliding_a_words_start_opens_a_quotation_only_when_one_closes(
    sentence: str, quoted: list[str]
) -> None:
    assert [sentence[a:b] for a, b in quote_spans(sentence)] == quoted


@pytest.mark.parametrize(("language", "sentence", "old", "new"), NOT_QUOTATIONS)
def test_apostrophes_and_dashes_in_prose_open_no_quotation(
    language: str, sentence: str, old: str, new: str
) -> None:
    assert "quote" not in kinds(sentence, sentence.replace(old, new))


QUOTATIONS_REMOVED = [
    ("en-gb", "'We will not back down from this fight,' the minister said on Tuesday."),
    ("es", "— No vamos a rendirnos en esta pelea — dijo el ministro."),
    ("de", "„Wir werden in diesem Kampf nicht aufgeben“, sagte der Minister."),
    ("fr", "« Nous ne céderons pas dans ce combat », a dit le ministre."),
    ("es", "«No vamos a rendirnos en esta pelea», dijo el ministro."),
    ("pt", "— Não vamos desistir desta luta — disse o ministro."),
    ("ja", "「この戦いで屈することはない」と大臣は述べた。"),
    ("en-gb", "‘We will not back down from this fight,’ the minister said."),
]
_AROUND = "The council met on Monday.\n{}\nIt approved the plan by seven votes to four."


@pytest.mark.parametrize(("language", "sentence"), QUOTATIONS_REMOVED)
def test_a_quotation_of_any_style_removed_is_quote_removed(language: str, sentence: str) -> None:
    old = _AROUND.format(f"The minister spoke. {sentence}")
    new = _AROUND.format("The minister spoke.")
    assert kinds(old, new) == ["quote_removed"]


EMOJI_RESTYLED = [
    ("❤️", "♥"),
    ("❤️", ""),
    ("❤️", ":heart:"),
    ("🎉🎉", "(party popper emoji)"),
    ("❤️", "[emoji]"),
    ("🇧🇷", "(emoji de bandeira)"),
]


EMOJI_IN_QUOTES = [
    ("en", '"I love this town {} and its people," she wrote on Sunday.'),
    ("en-gb", "'I love this town {} and its people,' she wrote on Sunday."),
    ("fr", "« J'aime cette ville {} et ses habitants », a-t-elle écrit."),
    ("de", "„Ich liebe diese Stadt {} und ihre Menschen“, schrieb sie."),
    ("pt", "— Amo esta cidade {} e o seu povo — escreveu ela."),
    ("ja", "「この町が大好き{}」と彼女は書いた。"),
]


@pytest.mark.parametrize(("language", "sentence"), EMOJI_IN_QUOTES)
@pytest.mark.parametrize(("old", "new"), EMOJI_RESTYLED)
def test_an_emoji_restyled_or_dropped_inside_a_quotation_is_cosmetic(
    language: str, sentence: str, old: str, new: str
) -> None:
    edits = compare(Article(body=sentence.format(old)), Article(body=sentence.format(new)))
    assert [(e.kind, e.significant) for e in edits] == [("cosmetic", False)]


def test_a_shortcode_is_not_a_clock_time() -> None:
    assert kinds("The vote closed at 10:30:15.", "The vote closed at 10:45:15.") != ["cosmetic"]
