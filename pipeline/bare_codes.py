"""Recipients listed without amounts: a table whose money did not print.

A text block that is mostly official SCB codes of one level ("Länskod 01 03 04 … 25") and
prints no money-shaped number is the code column of a table whose amount columns are not in
the document's text: Writer collapsing a table inside a text box to its first column, amounts
pasted as a picture beside the codes, a column lost in export. Nothing was read there, so
nothing there was checked: an error of the reading kind says so (`recipients_without_amounts`:
the case is incomplete, not failed), naming the file, page and codes, rather than letting the
page pass in silence. Evidence in the numbers only:
the codes must be real codes of one level, at least DEFAULT_MIN_BARE_CODES of them, and make
up most of the block's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractors.base import Extraction
from extractors.tally import line_to_tallied
from model import Finding

DEFAULT_MIN_BARE_CODES = 5  # fewer codes in a row can be a sentence's references
DEFAULT_MIN_CODE_SHARE = 0.6  # of the block's words: a list of codes, not prose citing one
LEVEL_WORDS = {"lan": "län", "kommun": "kommun"}


def _bare_codes(text: str, codes_of: Callable[[str], frozenset[str]]
                ) -> tuple[str, list[str]] | None:
    """The level and codes of a block that lists codes and prints no money, else None."""
    words = text.split()
    if len(words) < DEFAULT_MIN_BARE_CODES or line_to_tallied(text, None):
        return None
    for level in LEVEL_WORDS:
        official = codes_of(level)
        found = [w for w in words if w in official]
        if (len(set(found)) >= DEFAULT_MIN_BARE_CODES
                and len(found) >= DEFAULT_MIN_CODE_SHARE * len(words)):
            return level, found
    return None


def bare_code_findings(extractions: Sequence[Extraction],
                       codes_of: Callable[[str], frozenset[str]]) -> list[Finding]:
    """An error per text block that lists recipients' codes without any amount beside them;
    ``codes_of(level)`` gives the official codes of "lan" (regions share them) or "kommun"."""
    findings = []
    for extraction in extractions:
        for block in extraction.text:
            bare = _bare_codes(block.text, codes_of)
            if bare is None:
                continue
            level, codes = bare
            where = (f"page {block.page} of {extraction.source_file}" if block.page
                     else extraction.source_file)
            shown = " ".join(codes[:3]) + (f" … {codes[-1]}" if len(codes) > 3 else "")
            findings.append(Finding(
                check="recipients_without_amounts", severity="error",
                source_file=extraction.source_file, page=block.page, unit="count",
                observed=float(len(codes)),
                message=f"{where} lists {len(codes)} {LEVEL_WORDS[level]} codes ({shown}) with "
                "no amount beside them: if a table there allocates money, its amounts are not "
                "in the document's text (a column lost in export, or printed as a picture), "
                "so nothing there was read or checked."))
    return findings
