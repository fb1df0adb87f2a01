"""The report's first words on a case not fully read: which documents and pages print money
that was not read or not checked, and how much money that is.

Every error finding of a reading check (``pipeline.verdict.NOT_READ_CHECKS``, and a document
that could not be opened) is one gap. Gaps are grouped by document and kind; their money is
the kronor the findings print as observed (a table's or a block's amounts added up), and a
finding whose money was not read as a number (a cell that does not parse, a page without
text, a damaged stream, numbers no reader took) is counted apart, so the total never claims
to be complete when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from model import Finding
from pipeline.report_sections import place_word
from pipeline.report_words import kr, number, plural, title
from pipeline.verdict import NOT_READ_CHECKS

if TYPE_CHECKING:
    from model import CaseResult

GAP_CHECKS = NOT_READ_CHECKS | {"unreadable_document"}
MAX_PAGES_SHOWN = 8
# What one finding of a check stands for, to count them ("88 cells"); else "finding".
GAP_UNITS = {"unparsed_amount": "cell", "unparsed_number": "cell", "implausible_amount": "cell",
             "truncated_table": "table", "unreadable_document": "document",
             "no_text_layer": "page", "unread_table": "table or list",
             "unread_picture": "picture"}


@dataclass(frozen=True)
class Gap:
    """One kind of unread or unchecked money in one document."""

    source_file: str
    check: str
    pages: tuple[int, ...]
    findings: int
    money: float  # kronor the findings print as observed
    unknown: int  # findings whose money could not be read as a number
    numbers: int = 0  # numbers printed as money the findings count (unit "count")


def money_gaps(findings: list[Finding]) -> list[Gap]:
    """The gaps of a case, by document (in the order first met) and kind."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.severity == "error" and f.check in GAP_CHECKS:
            groups.setdefault((f.source_file or "", f.check), []).append(f)
    gaps = []
    for (source_file, check), group in groups.items():
        known = [f.observed for f in group if f.unit == "kr" and f.observed is not None]
        counted = [f.observed for f in group if f.unit == "count" and f.observed is not None]
        gaps.append(Gap(source_file, check,
                        tuple(sorted({f.page for f in group if f.page is not None})),
                        len(group), float(sum(known)), len(group) - len(known),
                        int(sum(counted))))
    return gaps


def pages_text(gap: Gap) -> str:
    """"page 3", "pages 5, 6 and 14" (tables for a DOCX or web page), "the whole document"."""
    if not gap.pages:
        return "the whole document"
    if len(gap.pages) == 1:
        return place_word(gap.source_file, gap.pages[0])
    word = place_word(gap.source_file, 0).split()[0] + "s"
    shown = [str(p) for p in gap.pages[:MAX_PAGES_SHOWN]]
    more = len(gap.pages) - len(shown)
    if more:
        return f"{word} {', '.join(shown)} and {number(more)} more"
    return f"{word} {', '.join(shown[:-1])} and {shown[-1]}"


def count_text(gap: Gap) -> str:
    if gap.numbers:
        return plural(gap.numbers, "number")
    word = GAP_UNITS.get(gap.check, "finding")
    return plural(gap.findings, word, "tables or lists" if word == "table or list" else None)


def money_text(gap: Gap) -> str:
    if gap.unknown == gap.findings:
        return "not read as amounts"
    text = kr(gap.money)
    if gap.unknown:
        text += f", and {plural(gap.unknown, 'finding')} whose amounts were not read"
    return text


def gap_line(gap: Gap) -> str:
    """One gap in a line: "a.pdf, page 3: Tables cut short — 1 table, 578 659 kr"."""
    return (f"{gap.source_file or '–'}, {pages_text(gap)}: {title(gap.check)} — "
            f"{count_text(gap)}, {money_text(gap)}")


def gaps_section(result: CaseResult) -> str:
    """"Not read or not checked": a table of the gaps and their money in all, or nothing."""
    gaps = money_gaps(result.findings)
    if not gaps:
        return ""
    rows = "".join(
        f"<tr><td>{escape(g.source_file or '–')}</td><td>{escape(pages_text(g))}</td>"
        f"<td>{escape(title(g.check))}</td>"
        f"<td class=num>{escape(count_text(g))}</td>"
        f"<td class=num>{escape(money_text(g))}</td></tr>"
        for g in gaps)
    total = sum(g.money for g in gaps)
    numbers = sum(g.numbers for g in gaps)
    places = sum(g.unknown for g in gaps if not g.numbers)
    documents = len({g.source_file for g in gaps if g.money or not total})
    lead = (f"{kr(total)} (as read) printed in {plural(documents, 'document')} was not read "
            "as allocation amounts or was checked by nothing" if total else
            f"Printed money in {plural(documents, 'document')} was not read as amounts")
    unread = [f"{plural(numbers, 'number')} printed as money"] if numbers else []
    unread += [f"{plural(places, 'more place')} printing money"] if places else []
    if total and unread:
        lead += (f", and {' and '.join(unread)} "
                 f"{'was' if numbers + places == 1 else 'were'} not read as amounts at all")
    return (
        "<h2>Not read or not checked</h2><p class=gaps>"
        f"<b>{escape(lead)}.</b> The verdict does not speak for this money: check it by hand "
        "in the places below, or get a copy of the document the tool can read. Each finding "
        "is listed under Errors.</p><table class=gaps><tr><th>document</th><th>where</th>"
        "<th>what</th><th class=num>how many</th><th class=num>money</th></tr>"
        f"{rows}</table>"
    )
