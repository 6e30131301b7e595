"""The one comparison path between a stored version and a new extraction.

The crawl, `redline reextract` and the benchmarks all call `compare_versions`: the bounded
comparison (`compare_bounded`: past a limit the body is one coarse `too_many_changes` edit and
`capped` names the limit), then the boundary discount (sentences that only crossed the
extraction boundary, told apart with both raw pages), then the re-hash decision (a different
content hash but nothing to report means the normalisation rules changed: the latest version is
re-hashed, no new version is stored).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.compare.edit import Edit
from monitor.extract.article import Article


@dataclass(frozen=True)
class RawPage:
    """A raw page and the Content-Type it came with (its charset decides its decoding)."""

    body: bytes = b""
    content_type: str = ""


@dataclass(frozen=True)
class VersionComparison:
    edits: tuple[Edit, ...] = ()
    # The limit the comparison hit, in words ("" when compared in full): the change is stored
    # with its coarse edit and marked, and never compared again.
    capped: str = ""

    @property
    def rehash(self) -> bool:
        """Nothing to report: the texts only differ by what the normalisation now ignores."""
        return not self.edits and not self.capped


def _needs_discount(edits: list[Edit]) -> bool:
    return any(
        (e.field == "body" and (not e.old or not e.new)) or e.kind == "byline" for e in edits
    )


def compare_versions(
    old: Article, new: Article, old_page: RawPage | None = None, new_page: RawPage | None = None
) -> VersionComparison:
    """Every edit from `old` to `new`, with text that only crossed the extraction boundary
    discounted when both raw pages are known."""
    # Imported here: the comparison (syntok, rapidfuzz) is only needed when content changed,
    # and a round of unchanged pages starts faster without it.
    from monitor.compare.comparison import compare_bounded, discount_known_text

    compared = compare_bounded(old, new)
    edits = list(compared.edits)
    if old_page and old_page.body and new_page and new_page.body and _needs_discount(edits):
        from monitor.extract.extraction import page_text

        edits = discount_known_text(
            edits,
            page_text(old_page.body, old_page.content_type),
            page_text(new_page.body, new_page.content_type),
        )
    return VersionComparison(tuple(edits), compared.capped)


def compare_abandoned(old: Article, new: Article, why: str) -> VersionComparison:
    """What stands in for a comparison that was abandoned (`why`: "timed out after 20 s", or the
    worker died): headline, byline and dates as usual, and one coarse `too_many_changes` edit,
    "comparison timed out after 20 s: 3 paragraphs changed". `capped` is `why`: the version is
    stored and marked, and the pair is never compared again. Linear in the texts."""
    from monitor.compare.comparison import compare_coarse

    return VersionComparison(compare_coarse(old, new, f"comparison {why}").edits, why)
