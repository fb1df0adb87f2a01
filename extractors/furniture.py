"""Page furniture: running headers and footers a PDF repeats on its pages.

A line is furniture when a line of the same text (numbers aside: "Sida 3", "Sida 4") is printed
at the same height on another page, and it lies in the page's margin: among the repeated lines
at the top of the page above the first table row or header, or at the bottom below the last.
Furniture ("Bilaga 1 till beslut vid regeringssammanträde …", "Sida N", a title line repeated on
every page) never joins a table as a row, a header line or a reason to start a new table.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extractors.base import LayoutSettings
from extractors.lines import Line, line_kind

_NUMBER_RE = re.compile(r"\d+")
_LONG_NUMBER_RE = re.compile(r"\d[\d\s\u00a0]{3,}\d")  # an amount, not a page number
# Amounts printed in digit groups ("1 000 000"): money, never a running header or footer, even
# where lines of amounts alone recur at one height (a sheet's columns printed on later pages).
_GROUPED_RE = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)")
_STRUCTURE = ("data", "total", "header")  # table rows and header lines end the margin


def _pattern(line: Line) -> str:
    return _NUMBER_RE.sub("#", line.text)


def repeated_lines(lines: list[Line], tol: float) -> set[int]:
    """ids of the lines whose text (numbers aside) recurs at the same height on another page."""
    by_pattern: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        by_pattern[_pattern(line)].append(line)
    repeated: set[int] = set()
    for group in by_pattern.values():
        if len({ln.page for ln in group}) < 2:
            continue
        for line in group:
            if any(other.page != line.page and abs(other.top - line.top) <= tol
                   for other in group):
                repeated.add(id(line))
    return repeated


def _margin_run(page_lines: list[Line], repeated: set[int]) -> list[Line]:
    run = []
    for line in page_lines:
        kind = line_kind(line)
        if id(line) not in repeated or kind in _STRUCTURE or _GROUPED_RE.search(line.text) or (
                kind == "named" and _LONG_NUMBER_RE.search(line.text)):
            break
        run.append(line)
    return run


def furniture(lines: list[Line], layout: LayoutSettings) -> set[int]:
    """ids of the document's lines that are page furniture (see the module's docstring)."""
    repeated = repeated_lines(lines, layout.furniture_tolerance_pt)
    pages: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        pages[line.page].append(line)
    out: set[int] = set()
    for page_lines in pages.values():
        ordered = sorted(page_lines, key=lambda ln: ln.top)
        top = _margin_run(ordered, repeated)
        # Lines packed onto the table header below them are the header's own first lines.
        while top and len(top) < len(ordered) and (
                ordered[len(top)].top - top[-1].bottom <= layout.header_gap_em * top[-1].size):
            top.pop()
        out |= {id(ln) for ln in top}
        out |= {id(ln) for ln in _margin_run(ordered[::-1], repeated)}
    return out
