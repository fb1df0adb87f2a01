"""Fixed-width text tables (a .txt file, an HTML <pre>), read by their aligned white space.

A table typed or exported as plain text lines its columns up with spaces:

    Kod Region               Barn/unga      Trauma
    01  Stockholm              129 530      11 631
    03  Uppsala                 22 944       1 917

Its columns are the character positions some body line prints in, cut where every body line
leaves at least DEFAULT_MIN_GUTTER positions blank (a single blank position is a space inside
a cell: "Västra Götaland", or the digit groups of right-aligned amounts, which line up). Body
lines are those from the first line printing a number after its first word; the lines above
are the header, whose words go to the column they overlap most. A block of lines is a table
when at least DEFAULT_MIN_BODY_LINES body lines print two cells or more and a number; rules of
dashes ("-----") are left out. Lines that all hold tabs are read by their tabs first
(`text_table_rows`). Reading numbers by positions keeps two columns' amounts apart
("23 262     164 423" is two cells, not "23 262 164 423").
"""

from __future__ import annotations

import re

from extractors.amounts import looks_like_amount
from extractors.rows import Cell, GridRow
from extractors.tab_rows import tab_table

DEFAULT_MIN_GUTTER = 2  # blank positions in every body line that separate two columns
DEFAULT_MIN_BODY_LINES = 3
_RULE = re.compile(r"^[\s\-=_+|:.]*$")
_WORD = re.compile(r"\S+")


def _numbered(line: str) -> bool:
    words = line.split()
    return any(looks_like_amount(w) for w in words[1:]) if len(words) > 1 else False


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    """The columns: runs of positions some line prints in, joined over gaps narrower than
    DEFAULT_MIN_GUTTER."""
    width = max(len(ln) for ln in lines)
    used = [any(i < len(ln) and not ln[i].isspace() for ln in lines) for i in range(width)]
    spans: list[list[int]] = []
    gap = DEFAULT_MIN_GUTTER
    for i, on in enumerate(used):
        if on:
            if spans and gap < DEFAULT_MIN_GUTTER:
                spans[-1][1] = i + 1
            else:
                spans.append([i, i + 1])
            gap = 0
        else:
            gap += 1
    return [(a, b) for a, b in spans]


def _header_cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """A header line's words, each in the column it overlaps most (else the nearest)."""
    cells: list[list[str]] = [[] for _ in spans]
    for word in _WORD.finditer(line):
        a, b = word.span()
        overlaps = [min(b, e) - max(a, s) for s, e in spans]
        best = max(range(len(spans)), key=lambda c: (overlaps[c], -abs((a + b) / 2 - (
            spans[c][0] + spans[c][1]) / 2)))
        cells[best].append(word.group())
    return [" ".join(c) for c in cells]


def fixed_width_rows(lines: list[str], page: int | None, table_id: int
                     ) -> list[GridRow] | None:
    """The rows of a block of text lines when it is a fixed-width table (see the module's
    docstring), header lines first; None when it is not."""
    lines = [ln.expandtabs(8).rstrip() for ln in lines if not _RULE.match(ln)]
    first = next((i for i, ln in enumerate(lines) if _numbered(ln)), None)
    if first is None:
        return None
    body = lines[first:]
    spans = _spans(body)
    if len(spans) < 2:
        return None
    rows = [[ln[a:b].strip() if a < len(ln) else "" for a, b in spans] for ln in body]
    aligned = sum(len([c for c in r if c]) >= 2 and "  " in ln.strip() and any(
        looks_like_amount(c) for c in r[1:]) for r, ln in zip(rows, body, strict=True))
    if aligned < DEFAULT_MIN_BODY_LINES:
        return None
    header = [_header_cells(ln, spans) for ln in lines[:first]]
    return [GridRow([Cell(t) for t in cells], page, table_id=table_id)
            for cells in header + rows]


def text_table_rows(lines: list[str], page: int | None, table_id: int) -> list[GridRow] | None:
    """The rows of a block of text lines that is a table by its tabs (extractors/tab_rows.py)
    or by its aligned white space, else None."""
    if all("\t" in ln.strip(" ") for ln in lines):
        found = tab_table(lines, page, table_id)
        if found is not None:
            return found
    return fixed_width_rows(lines, page, table_id)
