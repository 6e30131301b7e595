"""An edit as a reader of a list sees it: old → new, and for an insertion or a deletion a few
words of the sentence around it ("…most important {+housing+} vote…"), so that "quote: housing"
says which quotation changed. Used by the terminal, the Atom feed, alerts and the web views.

Pure: strings in, a `Snippet` out; `marked` spells it with `[-deleted-]` and `{+inserted+}`
(git's word-diff markers) for output without colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.compare.words import word_spans

# Words of context kept on each side of an inserted or deleted piece.
CONTEXT_WORDS = 4
# An inserted or deleted piece longer than this many characters is clipped in a list.
PIECE_CHARS = 160
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    before: str = ""  # context before the change (with a leading "…" when cut)
    old: str = ""
    new: str = ""
    after: str = ""  # context after it (with a trailing "…" when cut)

    @property
    def replaced(self) -> bool:
        return bool(self.old and self.new)


def _clip(text: str, limit: int = PIECE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _around(sentence: str, piece: str) -> tuple[str, str] | None:
    at = sentence.find(piece)
    if at < 0 or not piece.strip():
        return None
    head, tail = sentence[:at].split(), sentence[at + len(piece) :].split()
    before = " ".join(head[-CONTEXT_WORDS:])
    after = " ".join(tail[:CONTEXT_WORDS])
    if len(head) > CONTEXT_WORDS:
        before = ELLIPSIS + before
    if len(tail) > CONTEXT_WORDS:
        after += ELLIPSIS
    return before, after


def make_snippet(old: str, new: str, old_sentence: str = "", new_sentence: str = "") -> Snippet:
    """The edit's old and new text, with context when one side is empty and the other is a
    piece of a longer sentence."""
    old, new = old or "", new or ""
    if old and new:
        return Snippet(old=_clip(old), new=_clip(new))
    piece, sentence = (new, new_sentence) if new else (old, old_sentence)
    found = (
        _around(sentence or "", piece) if sentence and sentence.strip() != piece.strip() else None
    )
    if found is None:
        return Snippet(old=_clip(old), new=_clip(new))
    before, after = found
    return Snippet(before=before, old=_clip(old), new=_clip(new), after=after)


def _mark(op: str, text: str) -> str:
    """`[-text-]` or `{+text+}`, spaces kept outside the markers."""
    core = text.strip()
    if not core:
        return text
    start, end = ("[-", "-]") if op == "delete" else ("{+", "+}")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{start}{core}{end}{trail}"


def marked(snippet: Snippet) -> str:
    """The snippet in plain text: "…most important {+housing+} vote…", "[-45-] → {+52+}"."""
    if snippet.replaced:
        return f"{_mark('delete', snippet.old)} → {_mark('insert', snippet.new)}"
    piece = _mark("delete", snippet.old) if snippet.old else _mark("insert", snippet.new)
    return " ".join(part for part in (snippet.before, piece, snippet.after) if part)


def marked_diff(old: str, new: str) -> str:
    """A word diff in plain text: kept words as they are, `[-deleted-]`, `{+inserted+}`."""
    return "".join(
        span.text if span.op == "equal" else _mark(span.op, span.text)
        for span in word_spans(old, new)
    )
